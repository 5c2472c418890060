"""`generator serve`: which changes trigger a rebuild, and that a rebuild rewrites the changed page."""

from __future__ import annotations

import json
import time

import pytest

from generator.pipeline import serve

#: Slow (rebuilds through the preview server): `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow


def test_facts_templates_and_hand_written_pages_trigger_a_rebuild(project):
    serve.rebuild(project)
    assert serve.is_relevant(project, str(project / "facts" / "tokens.yaml"))
    assert serve.is_relevant(project, str(project / "templates" / "fact.md.j2"))
    # A hand-written page: its words go into the search index, which the generator writes.
    assert serve.is_relevant(project, str(project / "site_src" / "methodology.md"))
    assert serve.is_relevant(project, str(project / "site_src" / "new-page.md"))
    # A generated page changes because the generator wrote it: answering would loop.
    assert (project / "site_src" / "facts" / "google-daily-tokens.md").is_file()
    assert not serve.is_relevant(project, str(project / "site_src" / "facts" / "google-daily-tokens.md"))
    assert not serve.is_relevant(project, str(project / "site_src" / "search" / "search_index.json"))
    assert not serve.is_relevant(project, str(project / "site_src" / ".stage" / "about.md"))
    assert not serve.is_relevant(project, str(project / "facts" / ".tokens.yaml.swp"))
    assert not serve.is_relevant(project, "/elsewhere/facts/tokens.yaml")


def test_a_hand_written_page_reaches_the_search_index(project):
    serve.rebuild(project)
    page = project / "site_src" / "methodology.md"
    index = project / "site_src" / "search" / "search_index.json"
    assert "zanzibarite" not in index.read_text(encoding="utf-8")
    page.write_text(page.read_text(encoding="utf-8") + "\n\nA word nobody uses: zanzibarite.\n", encoding="utf-8")
    serve.rebuild(project)
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    assert any("zanzibarite" in d["text"] and d["location"].startswith("methodology/") for d in docs)


def test_rebuild_rewrites_only_the_changed_page(project):
    assert serve.rebuild(project).startswith("built:")
    page = project / "site_src" / "facts" / "bytedance-daily-tokens-2025-12.md"
    # Not google-daily-tokens: its page draws the tokens chart, which plots the changed value too.
    other = project / "site_src" / "facts" / "doubao-monthly-active-users-2025-10.md"
    other_mtime = other.stat().st_mtime_ns
    tokens = project / "facts" / "tokens.yaml"
    tokens.write_text(tokens.read_text(encoding="utf-8").replace("{point: 50e12}", "{point: 51e12}"), "utf-8")
    summary = serve.rebuild(project)
    assert "51 trillion tokens a day" in page.read_text(encoding="utf-8"), summary
    assert other.stat().st_mtime_ns == other_mtime  # unchanged pages keep their file, so no reload


def test_bad_input_reports_problems_and_keeps_pages(project):
    serve.rebuild(project)
    page = project / "site_src" / "facts" / "google-daily-tokens.md"
    before = page.read_text(encoding="utf-8")
    tokens = project / "facts" / "tokens.yaml"
    tokens.write_text(tokens.read_text(encoding="utf-8").replace("unit: token/day", "unit: tokkens/day", 1), "utf-8")
    message = serve.rebuild(project)
    assert "tokens.yaml" in message and "not rewritten" in message
    assert page.read_text(encoding="utf-8") == before


def test_rebuilder_debounces_a_burst_into_one_rebuild(project, monkeypatch):
    calls = []
    monkeypatch.setattr(serve, "rebuild", lambda root: calls.append(root) or "built")
    monkeypatch.setattr(serve, "DEBOUNCE_SECONDS", 0.05)
    rebuilder = serve.Rebuilder(project, report=lambda message: None)
    for _ in range(5):
        assert rebuilder.changed(str(project / "facts" / "tokens.yaml"))
    assert not rebuilder.changed(str(project / "site" / "index.html"))
    time.sleep(0.4)
    assert calls == [project]
