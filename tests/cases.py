"""The one broken-input harness: case files declare their problems, the harness checks them exactly.

A case is a fact file whose header lines say what validating it must report:
`# expect: <code> <line>:<column>` (one line per problem) and, for a known bug owned by
another module, `# xfail: <reason>`. tests/broken/ holds one mistake per file (one error, no
cascade); tests/hostile/ holds attacks and edge bytes, each also built to prove nothing changes.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from generator.model.errors import Problem, Report
from generator.pipeline.build import gather

#: What a validation library says in its own words: no message a contributor reads may hold it.
LIBRARY_WORDING = ("Input should", "String should", "Value error", "pydantic", "should be a valid", "[type=")
_EXPECT = re.compile(r"^\ufeff?# expect: ([a-z0-9-]+) (\d+):(\d+)$")
_XFAIL = re.compile(r"^# xfail: (.+)$")


def _header(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def expected(path: Path) -> list[tuple[int, int, str]]:
    """The (line, column, code) tuples a case declares in its header."""
    found = (_EXPECT.match(line) for line in _header(path))
    return sorted((int(m[2]), int(m[3]), m[1]) for m in found if m)


def xfail_reason(path: Path) -> str | None:
    """The reason a case is a known bug elsewhere, or None."""
    return next((m[1] for m in map(_XFAIL.match, _header(path)) if m), None)


def copy_project(root: Path, dest: Path, names: tuple[str, ...] = ("facts", "archive", "templates")) -> Path:
    """A copy of the project's inputs to drop cases into."""
    dest.mkdir(parents=True)
    for name in names:
        if (root / name).exists():
            shutil.copytree(root / name, dest / name, ignore=shutil.ignore_patterns(".generated.json"))
    shutil.copy(root / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


@pytest.fixture
def dropper() -> Iterator[Callable[[Path, str, bytes], str]]:
    """Factory: drop a case into facts/ of a project (as facts/zz-<name>.yaml), removed after the test."""
    made: list[Path] = []

    def drop(root: Path, name: str, content: bytes) -> str:
        target = root / "facts" / f"zz-{name}.yaml"
        target.write_bytes(content)
        made.append(target)
        return f"facts/{target.name}"

    yield drop
    for path in made:
        path.unlink(missing_ok=True)


def assert_own_words(problems: Iterable[Problem]) -> None:
    """Every message and hint is the generator's own: no validation library's wording reaches a contributor."""
    for problem in problems:
        for words in LIBRARY_WORDING:
            assert words not in problem.text(), problem.text()


def assert_exactly(root: Path, display: str, expect: list[tuple[int, int, str]]) -> Report:
    """Validate and derive: the problems in that file are exactly `expect`, none are elsewhere, and
    all are in the generator's own words (for every case of both suites: tests/broken, tests/hostile)."""
    return assert_report(gather(root).report, display, expect)


def assert_report(report: Report, display: str, expect: list[tuple[int, int, str]]) -> Report:
    """What assert_exactly checks, on a report already made (the one a refused build raised with)."""
    assert_own_words(report.problems)
    found = sorted({(p.line, p.column, p.code) for p in report.problems if p.file == display})
    others = [p.text() for p in report.problems if p.file != display]
    assert found == expect
    assert others == []
    return report
