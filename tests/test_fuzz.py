"""Fuzzing load + validate + derive: any input gives success or Problem records, never an exception.

Inputs: random text, random nested structures dumped as YAML, random formulas, and mutated copies
of the real fact files (lines deleted, duplicated or swapped, characters flipped, numbers replaced by
random values or text, random unicode inserted). Each example runs the real stages on one file in
place of its original, next to the other real files.

Profiles: `ci` (the default, a few thousand examples in all) and `fuzz` (many more), chosen with
HYPOTHESIS_PROFILE=fuzz (`make fuzz`).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.dataset import Dataset
from generator.derive import derive
from generator.errors import Problem, Report
from generator.load import load_file, parse_yaml
from generator.validate import _read_file, check_references, discover

ROOT = Path(__file__).resolve().parent.parent
settings.register_profile("ci", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=5_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
FILES = {path.relative_to(ROOT).as_posix(): path.read_bytes() for path in discover(ROOT)}
_PARSED = {display: parse_yaml(data.decode("utf-8"), display)[0] for display, data in FILES.items()}
_SCRATCH = Path(tempfile.mkdtemp(prefix="fuzz-"))
#: Keys the schema knows, so random structures reach past "unknown key" into field validation.
KEYS = [
    "schema_version",
    "facts",
    "sources",
    "entities",
    "metrics",
    "derived",
    "checks",
    "charts",
    "id",
    "entity",
    "metric",
    "period",
    "statement",
    "value",
    "point",
    "low",
    "high",
    "more_than",
    "unit",
    "status",
    "as_of",
    "source",
    "quote",
    "text",
    "language",
    "translation",
    "formula",
    "title",
    "explanation",
    "expect",
    "approximately",
    "tolerance",
    "series",
    "ref",
    "kind",
    "history",
    "retracted",
    "url",
    "document",
]


def run_stages(display: str, data: bytes) -> list[Problem]:
    """Load, validate and derive the real dataset with one file replaced by `data`; the problems."""
    path = _SCRATCH / "case.yaml"
    path.write_bytes(data)
    dataset, report = Dataset(ROOT), Report()
    for name in FILES:
        dataset.files.append(name)
        if name == display:
            located, problems = load_file(path, display)
            report.extend(problems)
        else:
            located = _PARSED[name]
        if located is not None:
            _read_file(dataset, located, report)
    report.extend(check_references(dataset))
    _, problems = derive(dataset)
    report.extend(problems)
    for problem in report.problems:
        assert isinstance(problem, Problem)
        assert problem.line >= 1 and problem.column >= 1 and problem.code and problem.file
    return report.problems


def test_the_real_files_are_clean_through_the_fuzz_path():
    errors = [p.text() for p in run_stages("facts/tokens.yaml", FILES["facts/tokens.yaml"]) if p.severity == "error"]
    assert errors == []


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(["2025-02-30", "160e9", "{x}", "1e400", "-0", ".nan", "token/day", "USD"]),
)
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)


@settings(PROFILE)
@given(st.text(max_size=400))
def test_random_text_gives_problems_not_exceptions(text: str):
    run_stages("facts/tokens.yaml", text.encode("utf-8", "surrogatepass"))


@settings(PROFILE)
@given(st.binary(max_size=300))
def test_random_bytes_give_problems_not_exceptions(data: bytes):
    run_stages("facts/tokens.yaml", data)


@settings(PROFILE)
@given(structures, st.sampled_from(sorted(["facts", "derived", "checks", "sources", "entities", "metrics", "charts"])))
def test_random_structures_give_problems_not_exceptions(item: Any, section: str):
    document = {"schema_version": 1, section: [item] if not isinstance(item, list) else item}
    run_stages("facts/tokens.yaml", yaml.safe_dump(document, allow_unicode=True).encode("utf-8", "surrogatepass"))


_TOKENS = [
    "{bytedance-daily-tokens-2025-12}",
    "{google-daily-tokens}",
    "{cny-per-usd-implied-2025-12}",
    "{bytedance-ai-infrastructure-budget-2026}",
    "{nvidia-h200-china-first-batch}",
    "{bytedance-tokens-vs-google}",
    "+",
    "-",
    "*",
    "/",
    "(",
    ")",
    ",",
    "0",
    "1",
    "1e308",
    "1e-308",
    "2.5",
    '"USD"',
    '"CNY"',
    "convert",
    "min",
    "max",
    "abs",
    "sum",
    "round",
    "__class__",
    ".",
    "[",
    "]",
    "**",
    "lambda",
    " ",
]


@settings(PROFILE)
@given(st.lists(st.sampled_from(_TOKENS), max_size=25) | st.text(max_size=60), st.sampled_from(["derived", "checks"]))
def test_random_formulas_give_problems_not_exceptions(parts: Any, section: str):
    formula = "".join(parts) if isinstance(parts, list) else parts
    item = {"id": "fuzz-item", "title": "Fuzz", "formula": formula}
    item.update(
        {"explanation": "Fuzz.", "unit": "dimensionless"}
        if section == "derived"
        else {"claim": "Fuzz.", "expect": {"less_than": 1}}
    )
    text = yaml.safe_dump({"schema_version": 1, section: [item]}, allow_unicode=True)
    run_stages("facts/tokens.yaml", text.encode("utf-8", "surrogatepass"))


def _mutate(text: str, data: st.DataObject) -> str:
    """One random edit of a real file: the kinds of mistakes and attacks a contributor could make."""
    lines = text.split("\n")
    kind = data.draw(st.sampled_from(["delete", "duplicate", "swap", "flip", "number", "unicode", "indent"]))
    at = data.draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[at]
    elif kind == "duplicate":
        lines.insert(at, lines[at])
    elif kind == "swap":
        other = data.draw(st.integers(0, len(lines) - 1))
        lines[at], lines[other] = lines[other], lines[at]
    elif kind == "indent":
        lines[at] = " " * data.draw(st.integers(0, 3)) + lines[at].lstrip(" ")
    else:
        line = lines[at]
        if kind == "number" and re.search(r"\d", line):
            new = data.draw(
                st.one_of(
                    st.integers().map(str),
                    st.floats().map(repr),
                    st.text(max_size=8),
                    st.sampled_from(["1e400", "-1", "0", ".inf", "2025-02-30", "9" * 5000]),
                )
            )
            line = re.sub(r"[\d.e+-]*\d[\d.e+-]*", lambda _: new, line, count=1)
        else:
            pos = data.draw(st.integers(0, len(line)))
            char = data.draw(
                st.characters(codec="utf-8") if kind == "unicode" else st.sampled_from(list(":-[]{}#&*!|>'\"%@`,? \t"))
            )
            line = line[:pos] + char + line[pos + (kind == "flip") :]
        lines[at] = line
    return "\n".join(lines)


@settings(PROFILE)
@given(st.sampled_from(sorted(FILES)), st.data())
def test_mutated_real_files_give_problems_not_exceptions(display: str, data: st.DataObject):
    text = FILES[display].decode("utf-8")
    for _ in range(data.draw(st.integers(1, 3))):
        text = _mutate(text, data)
    run_stages(display, text.encode("utf-8", "surrogatepass"))
