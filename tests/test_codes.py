"""The error catalogue against its cases: every code a contributor can meet has a case that gives it.

A case is a file in tests/broken/ or tests/hostile/ whose `# expect:` header names the code (those
harnesses check the code, line and column). Codes that no single fact file can produce (a git
base revision, a chart archive file, the file system) are listed in ELSEWHERE with the test file
that produces them; the test checks that file really names the code. A code no input can reach
is listed in UNREACHABLE with the reason. Both lists must stay minimal: an entry whose code
gained a file case, or left the catalogue, fails too.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from generator.inputs import archive, files
from generator.inputs.validate import validate
from generator.model.codes import CODES
from generator.pipeline import revisions
from generator.pipeline.build import gather
from tests.cases import expected
from tests.test_hostile import GENERATED

TESTS = Path(__file__).parent
CASE_FOLDERS = (TESTS / "broken", TESTS / "hostile")

_ARCHIVE = "tests/test_chart_archive.py"
#: Codes whose case is not a fact file, and the test file that produces each.
ELSEWHERE = {
    **{
        code: _ARCHIVE
        for code in CODES
        if code.startswith("chart-version-") and code not in {"chart-version-unreadable"}
    },
    "chart-spec-external-reference": _ARCHIVE,
    "chart-version-unreadable": "tests/test_codes.py",
    "correction-without-history": "tests/test_contributor_scenario.py",
    "fact-deleted": "tests/test_diff.py",
    "id-reused": "tests/test_diff.py",
    "unknown-revision": "tests/test_codes.py",
    "file-name-not-utf8": "tests/test_file_tree.py",
    "not-regular-file": "tests/test_file_tree.py",
    "file-unreadable": "tests/test_codes.py",
    # A warning of `validate` only (a gap never stops a build): its case is tests/broken/translations/.
    "untranslated": "tests/test_i18n.py",
    "no-fact-files": "tests/test_codes.py",
    # Past a limit the test lowers (tens of thousands of records otherwise).
    "too-many-derived": "tests/test_hostile.py",
    "too-many-facts": "tests/test_hostile.py",
}
#: Codes no input can produce, and why they are kept.
UNREACHABLE = {
    "input-unavailable": "a derived figure whose input was neither computed nor marked failed: validation "
    "refuses every such reference first (unknown-reference); kept so a bug shows as a located problem",
}


def file_cases() -> set[str]:
    """Every code a case declares: `# expect:` headers of the case files, and the generated hostile cases."""
    found = {code for _, _, code in (e for expect in GENERATED.values() for e in expect[1])}
    for folder in CASE_FOLDERS:
        for path in folder.glob("*.yaml"):
            found |= {code for _, _, code in expected(path)}
    return found


def test_every_code_has_a_case():
    cased = file_cases()
    assert len(cased) > 60, "the case folders were not read"
    missing = sorted(code for code in CODES if code not in cased and code not in ELSEWHERE and code not in UNREACHABLE)
    assert missing == [], f"codes without a case in tests/broken/ or tests/hostile/: {missing}"


def test_cases_name_only_known_codes():
    assert sorted(file_cases() - set(CODES)) == []


@pytest.mark.parametrize("code", sorted(ELSEWHERE))
def test_a_code_listed_elsewhere_is_produced_there(code: str):
    assert code in CODES, f"{code} left the catalogue: remove it from ELSEWHERE"
    assert code not in file_cases(), f"{code} has a file case now: remove it from ELSEWHERE"
    test_file = TESTS.parent / ELSEWHERE[code]
    assert f'"{code}"' in test_file.read_text(encoding="utf-8"), f"{ELSEWHERE[code]} does not name {code}"


def test_unreachable_codes_are_catalogued_and_have_no_case():
    for code in UNREACHABLE:
        assert code in CODES and code not in file_cases() and code not in ELSEWHERE


# --- the cases that live here ------------------------------------------------------------------


def test_an_empty_facts_folder_is_one_problem(tmp_path: Path):
    (tmp_path / "facts").mkdir()
    _, report = validate(tmp_path)
    assert [(p.file, p.code) for p in report.problems] == [("facts/", "no-fact-files")]


def _refuse(monkeypatch: pytest.MonkeyPatch, target: object, name: str) -> None:
    """Make one os function fail with EACCES, as it does for a file its reader may not open."""

    def refused(*args: object, **kwargs: object) -> object:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(target, name, refused)


def test_a_fact_file_that_cannot_be_opened_is_located(project: Path, monkeypatch: pytest.MonkeyPatch):
    # As root every permission check passes, so the refusal is simulated where the file is opened.
    real_open = os.open
    path = project / "facts" / "tokens.yaml"

    def open_refusing_one(file: object, *args: object, **kwargs: object) -> int:
        if Path(str(file)) == path:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_open(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files.os, "open", open_refusing_one)
    problems = [(p.file, p.code) for p in gather(project).report.problems if p.code == "file-unreadable"]
    assert problems == [("facts/tokens.yaml", "file-unreadable")]


def test_a_folder_that_cannot_be_listed_is_located(project: Path, monkeypatch: pytest.MonkeyPatch):
    _refuse(monkeypatch, files.os, "scandir")
    report = gather(project).report
    assert [(p.file, p.code) for p in report.problems if p.code == "file-unreadable"] == [("facts/", "file-unreadable")]


def test_an_archive_file_that_cannot_be_opened_is_located(project: Path, monkeypatch: pytest.MonkeyPatch):
    _refuse(monkeypatch, archive.os, "open")
    found = archive.read(project)
    assert found.problems, "the project has archived chart versions"
    assert {p.code for p in found.problems} == {"chart-version-unreadable"}
    assert all(p.file.startswith("archive/charts/") and p.file.endswith(".json") for p in found.problems)


def test_validate_base_names_a_revision_git_does_not_know(project: Path):
    revisions.git(project, "init", "-q")
    problems = revisions.correction_problems(project, "no-such-branch", gather(project))
    assert [(p.code, p.file) for p in problems] == [("unknown-revision", ".")]


def test_a_fatal_input_error_crosses_a_process_whole():
    """The benchmark builds in a child process: the error must come back with its report (it used to be
    re-made from its message text, which broke the pool: "internal error: BrokenProcessPool")."""
    import pickle

    from generator.model.errors import FatalInputError, Problem, Report

    report = Report()
    report.add(Problem("facts/a.yaml", 3, 5, "too-many-derived", "too many", "split"))
    again = pickle.loads(pickle.dumps(FatalInputError(report)))
    assert isinstance(again, FatalInputError) and again.report.render("text") == report.render("text")
    assert "facts/a.yaml:3:5" in again.report.render("text")
