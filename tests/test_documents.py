"""Quotes are checked by default (issue 16): a quoted source needs a document or a reason for none."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.pipeline.build import gather
from tests.test_contributor_scenario import cli

BROKEN = Path(__file__).parent / "broken"


@pytest.mark.slow  # a build or the command line in a subprocess
def test_a_source_without_document_warns_and_fails_under_strict(project: Path):
    shutil.copy(BROKEN / "no-document.yaml", project / "facts" / "zz-no-document.yaml")
    (problem,) = gather(project).report.sorted()
    assert (problem.code, problem.severity) == ("no-document", "warning")
    assert "facts/documents/broken-source.en.txt" in problem.hint
    assert cli(project, "validate").returncode == 0
    strict = cli(project, "validate", "--strict")
    assert strict.returncode == 1 and "[no-document]" in strict.stdout


@pytest.mark.slow  # a build or the command line in a subprocess
def test_a_reason_for_no_document_is_accepted(project: Path):
    text = (BROKEN / "no-document.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    published: 2025-12\n",
        "    published: 2025-12\n    document_unavailable:\n"
        "      reason: paywalled\n      note: Behind a paywall; read in the print edition.\n",
    )
    (project / "facts" / "zz-reason.yaml").write_text(text, encoding="utf-8")
    assert gather(project).report.sorted() == []
    assert cli(project, "validate", "--strict").returncode == 0


def test_the_seed_is_valid_under_strict():
    from tests.conftest import ROOT

    done = cli(ROOT, "validate", "--strict")
    assert done.returncode == 0, done.stdout
