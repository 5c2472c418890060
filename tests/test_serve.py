"""`generator serve`: which changes trigger a rebuild, and that a rebuild rewrites the changed page."""

from __future__ import annotations

import time

import pytest

from generator.pipeline import serve

#: Slow (rebuilds through the preview server): `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow


def test_only_facts_and_templates_trigger_a_rebuild(project):
    assert serve.is_relevant(project, str(project / "facts" / "tokens.yaml"))
    assert serve.is_relevant(project, str(project / "templates" / "fact.md.j2"))
    assert not serve.is_relevant(project, str(project / "site_src" / "facts" / "x.md"))  # MkDocs' own watch
    assert not serve.is_relevant(project, str(project / "facts" / ".tokens.yaml.swp"))
    assert not serve.is_relevant(project, "/elsewhere/facts/tokens.yaml")


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
    assert not rebuilder.changed(str(project / "site_src" / "index.md"))
    time.sleep(0.4)
    assert calls == [project]
