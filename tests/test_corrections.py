"""The corrections log and feed from history entries, and `last_changed` from git blame."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from generator.inputs import git as git_info
from generator.outputs import corrections, pages
from generator.pipeline.build import gather
from tests.test_contributor_scenario import ATOM, BUDGET_2026, HISTORY, VALUE_2026, edit, git, make_repo


def test_no_corrections_gives_an_empty_log_and_a_valid_feed(project: Path):
    out = dict(corrections.outputs(gather(project)))
    assert "No fact has been corrected or retracted yet." in out["corrections/index.md"]
    feed = ET.fromstring(out["corrections/feed.xml"])
    assert feed.tag == f"{ATOM}feed" and feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}updated") == "2025-12-01T00:00:00Z"  # newest as_of, not the build time


def test_chained_history_gives_each_step_its_old_and_new_value(project: Path):
    history = HISTORY.replace(
        "    status: planned",
        "      - {changed: 2026-11-20, previous_value: {point: 150e9}, "
        "reason: First fix., previous_status: intention}\n    status: planned",
    )
    edit(project / "facts" / "investment.yaml", VALUE_2026, history)
    items = corrections.entries(gather(project).dataset)
    assert [(e.date, e.old, e.new) for e in items] == [
        ("2026-11-27", "¥160 bn (planned)", "¥170 bn (planned)"),
        ("2026-11-20", "¥150 bn (intention (not a commitment))", "¥160 bn (planned)"),
    ]
    first = dict(corrections.outputs(gather(project)))["corrections/feed.xml"]
    assert first == dict(corrections.outputs(gather(project)))["corrections/feed.xml"]  # reproducible
    assert b"<title>Corrected: " + BUDGET_2026.encode() + b": \xc2\xa5160 bn (planned) -&gt; " in first


def test_the_site_identity_comes_from_mkdocs_yml(tmp_path: Path):
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nsite_url: https://example.org/data\nextra:\n  dataset_name: x-data\n", encoding="utf-8"
    )
    site = pages.site_settings(tmp_path, "2026-01-01")
    assert (site.name, site.url, site.slug) == ("x", "https://example.org/data/", "x-data")
    feed = corrections.feed([], site, "2026")
    assert b"<id>tag:x-data,2026:corrections</id>" in feed and b"<title>x: corrections" in feed
    default = pages.site_settings(tmp_path / "missing", "2026-01-01")
    assert (default.url, default.slug) == (pages.DEFAULT_SITE_URL, pages.DEFAULT_SLUG)


def test_last_changed_takes_the_newest_commit_of_each_fact(tmp_path: Path):
    repo = make_repo(tmp_path / "repo")
    seed = git(repo, "rev-parse", "HEAD").strip()
    edit(repo / "facts" / "investment.yaml", VALUE_2026, HISTORY)
    git(repo, "commit", "-q", "-am", "correct", GIT_COMMITTER_DATE="2030-01-02T12:00:00Z")
    fix = git(repo, "rev-parse", "HEAD").strip()
    changed = git_info.last_changed(repo, gather(repo).dataset.facts)
    assert changed[BUDGET_2026] == ("2030-01-02", fix)
    assert changed["bytedance-ai-infrastructure-budget-2025"][1] == seed
    assert changed["google-daily-tokens"][1] == seed
    assert len(changed) == len(gather(repo).dataset.facts)


def test_last_changed_outside_git_is_empty(project: Path):
    assert git_info.last_changed(project, gather(project).dataset.facts) == {}
