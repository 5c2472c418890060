"""A folder of deliberately broken fact files, each with its exact expected problems.

Each file in tests/broken/ starts with `# expect: <code> <line>:<column>` lines. The case is
dropped into a copy of the real facts/ and validated; the problems found in that file must
be exactly the expected ones, and the rest of the dataset must stay clean.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.pipeline.build import gather

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(BROKEN.glob("*.yaml"))
_EXPECT = re.compile(r"^# expect: ([a-z0-9-]+) (\d+):(\d+)$")


def expected(path: Path) -> list[tuple[int, int, str]]:
    """The (line, column, code) tuples a case declares in its header."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _EXPECT.match(line)
        if match:
            out.append((int(match[2]), int(match[3]), match[1]))
    return sorted(out)


def test_the_corpus_is_not_empty():
    assert len(CASES) >= 25
    assert all(expected(case) for case in CASES), "every case declares what it expects"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_broken_file_gives_exactly_its_expected_problems(case: Path, project: Path):
    target = project / "facts" / f"zz-{case.name}"
    shutil.copy(case, target)
    report = gather(project).report  # validate and derive: every problem a build would stop on
    display = f"facts/{target.name}"
    found = sorted((p.line, p.column, p.code) for p in report.problems if p.file == display)
    others = [p.text() for p in report.problems if p.file != display]
    assert found == expected(case)
    assert others == []
    # One mistake, one error: the whole run prints exactly the one line the case expects.
    assert len(expected(case)) == 1, "a broken case holds exactly one mistake"
    assert len(report.sorted()) == 1, report.render("text")
