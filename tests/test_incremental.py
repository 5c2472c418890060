"""Rebuilds rewrite only what changed: nothing for no change, only dependents for one edited fact."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.pipeline.build import build

#: Slow (repeated builds): `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow

FACT = "doubao-monthly-active-users-2025-10"


def _state(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _render_count() -> int:
    from generator.outputs import charts

    return charts.RENDER_COUNT


def test_rebuild_without_change_writes_and_renders_nothing(project: Path) -> None:
    first = build(project, run_engine=False)
    assert first.pages > 10
    before = _state(project / "site_src")
    renders = _render_count()
    second = build(project, run_engine=False)
    assert (second.written, second.unchanged) == (0, first.pages)
    assert _render_count() == renders
    assert _state(project / "site_src") == before  # same bytes and same mtimes


def test_editing_one_fact_rewrites_only_its_dependents(project: Path) -> None:
    first = build(project, run_engine=False)
    before = _state(project / "site_src")
    path = project / "facts" / "assistants.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("{point: 159e6}") == 1
    path.write_text(text.replace("{point: 159e6}", "{point: 158e6}"), encoding="utf-8")
    second = build(project, run_engine=False)
    after = _state(project / "site_src")
    changed = sorted(k for k in after if before.get(k, ("",))[0] != after[k][0])
    assert second.written == len([k for k in changed if k != ".generated.json"])
    assert f"facts/{FACT}.md" in changed
    assert {"data/facts.json", "data/facts.csv"} <= set(changed)
    # Pages of unrelated facts keep their bytes and mtime.
    assert "facts/bytedance-ai-infrastructure-budget-2026.md" not in changed
    assert (
        before["facts/bytedance-ai-infrastructure-budget-2026.md"]
        == after["facts/bytedance-ai-infrastructure-budget-2026.md"]
    )
    assert len(changed) < first.pages / 2, changed
