"""Hostile input: every case is refused with its exact problem, and a build attempted with it changes nothing.

tests/hostile/ holds committed cases in the format of tests/broken/ (`# expect: <code> <line>:<column>`
header lines, and `# xfail: <reason>` for a known bug owned by another module). Cases that cannot be
committed as text (an empty file, a byte-order mark, non-UTF-8 bytes, a raw NUL, 50 MB, nesting 10,000
deep, more nodes or facts than the limits) are generated here. For every case: the problems found in
that file are exactly the expected ones, the rest of the dataset stays clean, `build()` raises
FatalInputError, and the previously built site/ and site_src/ are byte for byte unchanged.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.inputs import validate
from generator.model import limits
from generator.model.errors import FatalInputError
from generator.pipeline.build import build, gather
from tests.cases import assert_report, expected, xfail_reason
from tests.conftest import share_chart_cache

#: Slow (one whole build (engine too) it must leave unchanged, then the command line per case): `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).parent / "hostile"
CASES = sorted(HOSTILE.glob("*.yaml"))
_FACT = (HOSTILE / "negative-count.yaml").read_text(encoding="utf-8").split("schema_version: 1\n", 1)[1]
#: One valid fact item (as YAML under `facts:`), the base of the generated cases.
VALID_ITEM = _FACT.split("facts:\n", 1)[1].replace("monthly-active-users", "daily-tokens")
VALID_ITEM = VALID_ITEM.replace("unit: user", "unit: token/day").replace("-157e6", "40e12")


def _facts(body: str) -> str:
    return f"schema_version: 1\nfacts:\n{body}"


def _nested_flow(depth: int) -> bytes:
    return ("schema_version: 1\nfacts: " + "[" * depth + "]" * depth + "\n").encode()


def _nested_block(depth: int) -> bytes:
    return ("schema_version: 1\nfacts:\n" + "".join(" " * i + "- \n" for i in range(1, depth))).encode()


def _derived_chain(length: int) -> bytes:
    """`length` derived figures, each computed from the one before (the first from a fact)."""
    items, previous = [], "bytedance-daily-tokens-2025-12"
    for i in range(length):
        items.append(
            f"  - id: chain-{i}\n    title: Link {i}\n    explanation: The one before.\n"
            f"    formula: '{{{previous}}} * 1'\n    unit: token/day\n"
        )
        previous = f"chain-{i}"
    return ("schema_version: 1\nderived:\n" + "".join(items)).encode()


def _previous_unit(unit: str) -> bytes:
    return _facts(
        VALID_ITEM + "    history:\n      - changed: 2025-12-01\n        previous_value: {point: 30e12}\n"
        f"        previous_unit: '{unit}'\n        reason: Corrected.\n"
    ).encode()


_DEEP_UNIT = "(" * 3_000 + "token" + ")" * 3_000 + "/day"
_LONG_UNIT = "token/day" + "*day/day" * 100_000

#: name -> (bytes of the file, [(line, column, code)]): cases that cannot be committed as text.
GENERATED: dict[str, tuple[Callable[[], bytes], list[tuple[int, int, str]]]] = {
    "empty-file": (lambda: b"", [(1, 1, "empty-file")]),
    "whitespace-only": (lambda: b"\n\n   \n", [(1, 1, "empty-file")]),
    "null-document": (lambda: b"~\n", [(1, 1, "empty-file")]),
    "byte-order-mark": (lambda: b"\xef\xbb\xbf" + _facts(VALID_ITEM).encode(), [(1, 1, "byte-order-mark")]),
    "latin-1-bytes": (
        lambda: _facts(VALID_ITEM.replace("décembre", "d\xe9cembre")).encode("latin-1"),
        [(14, 17, "not-utf8")],
    ),
    "utf-16": (lambda: _facts(VALID_ITEM).encode("utf-16"), [(1, 1, "not-utf8")]),
    "raw-nul-byte": (
        lambda: _facts(VALID_ITEM.replace("A test", "A\x00test")).encode(),
        [(7, 17, "control-character")],
    ),
    "raw-escape-byte": (
        lambda: _facts(VALID_ITEM.replace("A test", "A\x1b[2Jtest")).encode(),
        [(7, 17, "control-character")],
    ),
    # Raw noncharacters stop libyaml's reader (escapes of them are committed cases): their own code.
    "raw-noncharacter-fffe": (
        lambda: _facts(VALID_ITEM.replace("A test", "A\ufffetest")).encode(),
        [(7, 17, "invalid-character")],
    ),
    "raw-noncharacter-ffff": (
        lambda: _facts(VALID_ITEM.replace("A test", "A\uffffDtest")).encode(),
        [(7, 17, "invalid-character")],
    ),
    "raw-bidi-mark-u200e": (
        lambda: _facts(VALID_ITEM.replace("A test", "A\u200etest")).encode(),
        [(7, 16, "control-character")],
    ),
    "fifty-megabytes": (
        lambda: _facts(VALID_ITEM * (50 * 2**20 // len(VALID_ITEM) + 1)).encode(),
        [(1, 1, "file-too-large")],
    ),
    "just-over-size-limit": (lambda: b"#" * limits.MAX_FILE_BYTES + b"\n", [(1, 1, "file-too-large")]),
    # libyaml stops flow nesting at 1,000 levels, before our own limit sees the events.
    "nesting-10000-flow": (lambda: _nested_flow(10_000), [(2, 1_007, "yaml-too-deep")]),
    "nesting-just-over-limit": (
        lambda: _nested_flow(limits.MAX_NESTING),
        [(2, limits.MAX_NESTING + 7, "yaml-too-deep")],
    ),
    "nesting-1000-block": (
        lambda: _nested_block(1_000),
        [(limits.MAX_NESTING + 2, limits.MAX_NESTING + 1, "yaml-too-deep")],
    ),
    "too-many-nodes": (
        lambda: ("schema_version: 1\nfacts: [" + "0," * limits.MAX_NODES + "]\n").encode(),
        [(2, 2 * limits.MAX_NODES - 1, "too-many-nodes")],
    ),
    "text-too-long": (
        lambda: _facts(VALID_ITEM.replace("A test fact.", "x" * (limits.MAX_TEXT_CHARS + 1))).encode(),
        [(7, 16, "text-too-long")],
    ),
    "long-key": (lambda: _facts(VALID_ITEM + "    " + "k" * 1_000 + ": 1\n").encode(), [(17, 5, "unknown-key")]),
    # Once RecursionError in pint (validate exit 3), or in the build for the never-validated previous_unit.
    "unit-nested-3000-deep": (
        lambda: _facts(VALID_ITEM.replace("token/day", _DEEP_UNIT)).encode(),
        [(9, 11, "unit-too-long")],
    ),
    "unit-nested-just-over-limit": (
        lambda: _facts(
            VALID_ITEM.replace(
                "token/day",
                "(" * (limits.MAX_UNIT_NESTING + 1) + "token" + ")" * (limits.MAX_UNIT_NESTING + 1) + "/day",
            )
        ).encode(),
        [(9, 11, "unit-too-deep")],
    ),
    "unit-100000-terms": (
        lambda: _facts(VALID_ITEM.replace("token/day", _LONG_UNIT)).encode(),
        [(9, 11, "unit-too-long")],
    ),
    "previous-unit-nested-3000-deep": (lambda: _previous_unit(_DEEP_UNIT), [(20, 24, "unit-too-long")]),
    # Once RecursionError in the build: the facts behind a figure were collected recursively.
    "derived-chain-1100": (
        lambda: _derived_chain(1_100),
        [(3 + 5 * limits.MAX_DERIVED_DEPTH + 3, 14, "derived-chain-too-deep")],
    ),
    "huge-key": (
        lambda: _facts(VALID_ITEM + "    " + "k" * 100_000 + ": 1\n").encode(),
        [(17, 100_005, "yaml-syntax")],
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project, fully built once (engine too): the 'previous site' every case must leave alone."""
    dest = tmp_path_factory.mktemp("hostile") / "project"
    dest.mkdir()
    for name in ("facts", "templates", "site_src"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns(".generated.json"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    build(share_chart_cache(dest), run_engine=True)
    return dest


def tree_hash(folder: Path) -> str:
    """One hash over every file's path and bytes under a folder."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@pytest.fixture(scope="module")
def before(built: Path) -> dict[str, str]:
    """Hashes of site/ and site_src/ after the good build."""
    return {name: tree_hash(built / name) for name in ("site", "site_src")}


@pytest.fixture
def dropped(built: Path, dropper) -> Callable[[str, bytes], str]:
    """Factory: drop a case into facts/ of the built project; removed again after the test."""
    return lambda name, content: dropper(built, name, content)


def assert_refused(root: Path, display: str, expect: list[tuple[int, int, str]], before: dict[str, str]) -> None:
    """A build that is refused with exactly the expected problems in that file and none elsewhere (its
    report is the one gather makes: one validation per case, not two), and changes nothing."""
    with pytest.raises(FatalInputError) as refused:
        build(root, run_engine=True)
    assert_report(refused.value.report, display, expect)
    assert {name: tree_hash(root / name) for name in before} == before


def test_the_corpus_is_big_and_declares_its_outcomes():
    assert len(CASES) + len(GENERATED) >= 40
    assert all(expected(case) for case in CASES), "every case declares what it expects"
    assert not {c.stem for c in CASES} & set(GENERATED), "a name is used once"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_hostile_file_is_refused_and_changes_nothing(case: Path, built: Path, before, dropped, request):
    reason = xfail_reason(case)
    if reason:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))
    display = dropped(case.stem, case.read_bytes())
    assert_refused(built, display, expected(case), before)


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_hostile_file_is_refused_and_changes_nothing(name: str, built: Path, before, dropped):
    make, expect = GENERATED[name]
    display = dropped(name, make())
    assert_refused(built, display, expect, before)


def test_crlf_line_endings_are_accepted(built: Path, dropped):
    display = dropped("crlf", _facts(VALID_ITEM).replace("\n", "\r\n").encode())
    assert [p.text() for p in gather(built).report.problems if p.file == display] == []


def test_too_many_facts_is_refused_with_the_limit_named(built: Path, dropped, monkeypatch):
    monkeypatch.setattr(validate, "MAX_FACTS", 3)
    report = gather(built).report
    problems = [p for p in report.problems if p.code == "too-many-facts"]
    assert len(problems) == 1 and "limit of 3" in problems[0].message
    assert problems[0].file.startswith("facts/") and problems[0].line >= 1


def test_too_many_derived_figures_is_refused_at_the_first_one_over(built: Path, dropped, monkeypatch):
    from generator.compute import derive

    monkeypatch.setattr(derive, "MAX_DERIVED", 3)
    display = dropped("many-derived", _derived_chain(2))
    gathered = gather(built)
    problems = [p for p in gathered.report.problems if p.code == "too-many-derived"]
    seed = len(gathered.dataset.derived) + len(gathered.dataset.checks)
    assert seed > 3 and len(problems) == 1 and "limit of 3" in problems[0].message
    assert problems[0].file.startswith("facts/") and problems[0].file != display  # the 4th item, in a seed file


def test_limits_are_documented_constants():
    source = (ROOT / "generator" / "model" / "limits.py").read_text(encoding="utf-8")
    # Each limit and how SECURITY.md states its value.
    documented = {
        "MAX_FILE_BYTES": f"{limits.MAX_FILE_BYTES // 2**20} MiB",
        "MAX_NESTING": f"{limits.MAX_NESTING:,}",
        "MAX_NODES": f"{limits.MAX_NODES:,}",
        "MAX_FACTS": f"{limits.MAX_FACTS:,}",
        "MAX_FORMULA_CHARS": f"{limits.MAX_FORMULA_CHARS:,}",
        "MAX_FORMULA_DEPTH": f"{limits.MAX_FORMULA_DEPTH:,}",
        "MAX_TEXT_CHARS": f"{limits.MAX_TEXT_CHARS:,}",
        "MAX_MAGNITUDE": f"{limits.MAX_MAGNITUDE:g}",
        "MIN_MAGNITUDE": f"{limits.MIN_MAGNITUDE:g}",
        "MIN_YEAR": f"{limits.MIN_YEAR:04d} to",
        "MAX_YEAR": f"to {limits.MAX_YEAR:04d}",
        "MAX_DERIVED_DEPTH": f"at most {limits.MAX_DERIVED_DEPTH:,} long",
        "MAX_DERIVED": f"at most {limits.MAX_DERIVED:,} derived",
        "MAX_UNIT_CHARS": f"at most {limits.MAX_UNIT_CHARS:,} characters",
        "MAX_UNIT_NESTING": f"at most {limits.MAX_UNIT_NESTING} deep",
        "MAX_UNIT_POWER": f"power of at most {limits.MAX_UNIT_POWER}",
    }
    names = [n for n in dir(limits) if n.startswith(("MAX_", "MIN_"))]
    assert sorted(names) == sorted(documented)
    for name in names:  # a `#:` comment, then this constant (MIN_YEAR and MAX_YEAR share one)
        assert re.search(rf"#: [^\n]+\n(?:#: [^\n]+\n)*(?:[A-Z_]+ = [^\n]+\n)*{name} = ", source), (
            f"{name} has a `#:` comment saying what it bounds"
        )
    security = " ".join((ROOT / "SECURITY.md").read_text(encoding="utf-8").split())
    for name, text in documented.items():
        assert text in security, f"SECURITY.md states {name} as {text!r}"


# A handful through the real command line: exit code 1, file:line printed, no traceback, site/ unchanged.
CLI_CASES = [
    "yaml-python-object-apply",
    "yaml-billion-laughs",
    "formula-dunder-import",
    "url-javascript",
    "raw-nul-byte",
    "nesting-10000-flow",
    "fifty-megabytes",
]


def test_command_line_refuses_without_traceback(built: Path, before, dropped):
    """The cases all at once (one command-line run each for validate and build, not one per case: each
    run costs seconds of start-up): every one reported at its file:line:column, no traceback."""
    cases = {}
    for name in CLI_CASES:
        if name in GENERATED:
            make, expect = GENERATED[name]
            content = make()
        else:
            content, expect = (HOSTILE / f"{name}.yaml").read_bytes(), expected(HOSTILE / f"{name}.yaml")
        cases[dropped(name, content)] = expect
    for command in ("validate", "build"):
        run = subprocess.run(
            [sys.executable, "-m", "generator", command, "--root", str(built)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        output = run.stdout + run.stderr
        assert run.returncode == 1, output
        assert "Traceback" not in output
        for display, expect in cases.items():
            for line, column, code in expect:
                assert f"{display}:{line}:{column}: [{code}]" in output, (command, display)
    assert {n: tree_hash(built / n) for n in before} == before
