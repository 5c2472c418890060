"""Facts that change over time (issue 15): corrections, updates and retractions are three different things.

A correction (our record was wrong) edits the fact with a history entry and is listed on /corrections/.
An update (the source revised its own figure) is a new fact that `supersedes:` the old one: the old
one keeps its id and page, is marked superseded, linked both ways, left out of "latest", and is not a
correction. A retraction withdraws a fact and is listed on /corrections/.
"""

from __future__ import annotations

import csv
import html
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.inputs import series
from generator.outputs import corrections, export, render, timelines
from generator.pipeline import diff
from generator.pipeline.build import gather
from tests.conftest import ROOT
from tests.test_contributor_scenario import ATOM, HISTORY, VALUE_2026, cli, edit, git, make_repo

APRIL = "meta-capital-expenditures-2025-as-of-2025-04"
JULY = "meta-capital-expenditures-2025-as-of-2025-07"
MICROSOFT = "microsoft-ai-datacenter-investment-fy2025"


@pytest.fixture(scope="module")
def seed():
    return gather(ROOT)


@pytest.fixture(scope="module")
def rendered(seed):
    pages = render.render_pages(seed, {})
    return {path: html.unescape(text) for path, text in pages.items()}  # what a reader sees


def test_the_seed_update_links_both_ways_and_keeps_both_pages(rendered):
    old, new = rendered[f"facts/{APRIL}.md"], rendered[f"facts/{JULY}.md"]
    assert "Superseded: the source has since revised this figure" in old
    assert "it is not a correction" in old and f"({JULY}.md)" in old
    assert "aif-figure--superseded" in old and "aif-figure--superseded" not in new
    assert "<strong>Updates:</strong>" in new and f'href="{APRIL}.md"' in new
    for page in (old, new):  # the timeline on both, oldest statement first
        timeline = page[page.index("## Timeline") :]
        assert timeline.index("30 April 2025") < timeline.index("30 July 2025")
        assert "<td>superseded</td>" in timeline and "<td>current</td>" in timeline


def test_an_update_is_not_a_correction(seed):
    assert corrections.entries(seed.dataset) == []
    page = dict(corrections.outputs(seed))["corrections/index.md"]
    assert APRIL not in page and JULY not in page
    feed = ET.fromstring(dict(corrections.outputs(seed))["corrections/feed.xml"])
    assert all(APRIL not in (e.findtext(f"{ATOM}id") or "") for e in feed.findall(f"{ATOM}entry"))


def test_corrections_and_retractions_are_listed_but_updates_are_not(project: Path):
    edit(project / "facts" / "investment.yaml", VALUE_2026, HISTORY)  # a correction
    edit(
        project / "facts" / "tokens.yaml",
        "  - id: google-daily-tokens\n",
        "  - id: google-daily-tokens\n    retracted: {date: 2026-11-29, reason: Undated figure.}\n",
    )
    items = corrections.entries(gather(project).dataset)
    assert sorted(e.kind for e in items) == ["correction", "retraction"]
    assert {e.fact_id for e in items} == {"bytedance-ai-infrastructure-budget-2026", "google-daily-tokens"}


def test_latest_leaves_superseded_figures_out(seed, rendered):
    found = series.all_series(seed.dataset)["meta", "capital-expenditures"]
    assert [f.id for f in found.facts] == [APRIL, JULY]  # same period: ordered by when it was said
    assert found.superseded == {APRIL}
    assert timelines.latest(seed.dataset, found).id == JULY
    entity = rendered["entities/meta.md"]
    latest = entity[entity.index("## Latest figures") : entity.index("## Facts")]
    assert "$66–72 bn" in latest and "$64–72 bn" not in latest.split("aif-chart")[0]
    assert "as of 30 July 2025" in latest
    assert "(superseded)" in entity[entity.index("## Facts") :]


def test_fiscal_year_is_said_with_its_months(seed, rendered):
    page = rendered[f"facts/{MICROSOFT}.md"]
    assert "fiscal year 2025 (July 2024 – June 2025)" in page
    assert "Microsoft: AI infrastructure budget, fiscal year 2025 (July 2024 – June 2025)" in page
    assert seed.dataset.period_span(seed.dataset.facts[MICROSOFT].model)[0].isoformat() == "2024-07-01"


def test_downloads_carry_standing_revision_kind_and_period_days(seed):
    files = export.downloads(seed.dataset, seed.derivation)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(files["data/facts.csv"]))}
    assert (rows[APRIL]["standing"], rows[APRIL]["superseded_by"], rows[APRIL]["revision_kind"]) == (
        "superseded",
        JULY,
        "",
    )
    assert (rows[JULY]["standing"], rows[JULY]["supersedes"], rows[JULY]["revision_kind"]) == (
        "current",
        APRIL,
        "update",
    )
    assert (rows[MICROSOFT]["period"], rows[MICROSOFT]["period_start"], rows[MICROSOFT]["period_end"]) == (
        "FY2025",
        "2024-07-01",
        "2025-06-30",
    )
    assert rows["doubao-monthly-active-users-2025-08"]["period_end"] == "2025-08-31"
    as_json = {r["id"]: r for r in json.loads(files["data/facts.json"])}
    assert as_json[APRIL]["superseded_by"] == JULY and as_json[JULY]["standing"] == "current"


def test_a_correction_row_says_so(project: Path):
    edit(project / "facts" / "investment.yaml", VALUE_2026, HISTORY)
    rows = {r["id"]: r for r in export.fact_rows(gather(project).dataset)}
    assert rows["bytedance-ai-infrastructure-budget-2026"]["revision_kind"] == "correction"


def _move_july_out(repo: Path) -> str:
    """Remove Meta's July update from a repository's facts and return its YAML (to add it back later)."""
    path = repo / "facts" / "capital-expenditures.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {JULY}\n")
    end = text.find("  - id: ", start + 1) % (len(text) + 1)  # the next fact, or the end of the file
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return text[start:end]


def test_validate_base_tells_a_silent_edit_from_an_update(tmp_path: Path):
    repo = make_repo(tmp_path / "repo")
    july = _move_july_out(repo)
    git(repo, "commit", "-q", "-am", "only the April outlook")
    git(repo, "branch", "-q", "-f", "main")  # the base: the data before July
    # Overwriting April's range with July's is refused: that is neither a correction nor an update.
    path = repo / "facts" / "capital-expenditures.yaml"
    edit(path, "    value: {low: 64e9, high: 72e9}\n", "    value: {low: 66e9, high: 72e9}\n")
    refused = cli(repo, "validate", "--base", "main")
    assert refused.returncode == 1 and "[correction-without-history]" in refused.stdout
    assert f"supersedes: {APRIL}" in refused.stdout  # the hint names the update way too
    # The update done right: April as it was, July as a new fact that supersedes it.
    edit(path, "    value: {low: 66e9, high: 72e9}\n", "    value: {low: 64e9, high: 72e9}\n")
    path.write_text(path.read_text(encoding="utf-8") + july, encoding="utf-8")
    accepted = cli(repo, "validate", "--base", "main")
    assert accepted.returncode == 0, accepted.stdout
    shown = cli(repo, "diff", "main")
    assert f"fact updated by its source (not a correction): {APRIL} ($64–72 bn) is superseded by {JULY}" in shown.stdout
    assert "history entry added" not in shown.stdout
    assert f"/facts/{APRIL}/" in shown.stdout  # the old page changes: it is marked superseded
    markdown = cli(repo, "diff", "main", "--format", "markdown").stdout
    assert "### Updates by the source (not corrections)" in markdown


def test_diff_compare_lists_updates_apart(tmp_path: Path):
    repo = make_repo(tmp_path / "repo")
    july = _move_july_out(repo)
    git(repo, "commit", "-q", "-am", "only the April outlook")
    git(repo, "branch", "-q", "-f", "main")  # the base: the data before July
    base = gather(repo)
    path = repo / "facts" / "capital-expenditures.yaml"
    path.write_text(path.read_text(encoding="utf-8") + july, encoding="utf-8")
    result = diff.compare(base, gather(repo))
    assert [(u["id"], u["supersedes"], u["old"], u["new"]) for u in result["updates"]] == [
        (JULY, APRIL, "$64–72 bn", "$66–72 bn")
    ]
    assert result["history"] == [] and "/corrections/" not in result["pages"]
