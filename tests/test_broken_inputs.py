"""A folder of deliberately broken fact files, each with its exact expected problems.

Each file in tests/broken/ starts with `# expect: <code> <line>:<column>` lines. The case is
dropped into a copy of the real facts/ and validated; the problems found in that file must
be exactly the expected ones, and the rest of the dataset must stay clean.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cases import assert_exactly, copy_project, expected

ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).parent / "broken"
CASES = sorted(BROKEN.glob("*.yaml"))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the project for every case (each is dropped in, checked, removed)."""
    return copy_project(ROOT, tmp_path_factory.mktemp("broken") / "project")


def test_the_corpus_is_not_empty():
    assert len(CASES) >= 25
    assert all(expected(case) for case in CASES), "every case declares what it expects"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_broken_file_gives_exactly_its_expected_problems(case: Path, workspace: Path, dropper):
    display = dropper(workspace, case.stem, case.read_bytes())
    report = assert_exactly(workspace, display, expected(case))
    # One mistake, one error: the whole run prints exactly the one line the case expects.
    assert len(expected(case)) == 1, "a broken case holds exactly one mistake"
    assert len(report.sorted()) == 1, report.render("text")
