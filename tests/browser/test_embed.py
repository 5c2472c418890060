"""The embed kit in a real browser: chart pages draw, embeds draw and resize across origins, no JS fallback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.outputs import embed

pytestmark = pytest.mark.browser
CHART = "daily-tokens-bytedance-google"
INITIAL_HEIGHT = 150


def _wait_for_marks(frame_or_page) -> int:
    """Wait until Vega has drawn marks inside the chart container; return how many."""
    frame_or_page.wait_for_selector(
        ".aif-chart svg .mark-rect path, .aif-chart svg .mark-symbol path", state="attached", timeout=15000
    )
    return frame_or_page.locator(".aif-chart svg .mark-rect path, .aif-chart svg .mark-symbol path").count()


def test_chart_page_draws_the_chart(site_dir: Path, serve_dir, page_checker):
    base = serve_dir(site_dir)
    record = page_checker(f"{base}/charts/{CHART}/")
    assert _wait_for_marks(record.page) >= 3
    assert record.page.locator("table").first.inner_text().count("trillion") >= 3
    assert record.external_requests(base) == []
    assert record.console_errors == []


def test_embed_draws_and_grows_on_another_origin(site_dir: Path, tmp_path: Path, serve_dir, page_checker):
    """A frame reserved too small (150 px) grows to what the chart needs once it is drawn, and no further."""
    site_base = serve_dir(site_dir)
    snippet = embed.snippet(CHART, "Daily tokens", site_base + "/", INITIAL_HEIGHT)
    host = tmp_path / "host"
    host.mkdir()
    (host / "index.html").write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head>'
        f'<body><main><h1>Host</h1><div style="width:640px">{snippet}</div></main></body></html>',
        encoding="utf-8",
    )
    host_base = serve_dir(host, hostname="localhost")
    record = page_checker(host_base + "/")
    frame = record.page.frame_locator("iframe")
    frame.locator(".aif-chart svg").first.wait_for(state="attached", timeout=15000)
    record.page.wait_for_function(
        f"() => document.querySelector('iframe').offsetHeight > {INITIAL_HEIGHT}", timeout=15000
    )
    height = record.page.locator("iframe").bounding_box()["height"]
    assert height > 250
    inner = next(f for f in record.page.frames if f.url.startswith(site_base))
    assert _wait_for_marks(inner) >= 3
    assert inner.evaluate("document.documentElement.scrollHeight <= innerHeight + 1")
    outside = [u for u in record.requests if not (u.startswith(site_base) or u.startswith(host_base))]
    assert outside == []
    assert record.console_errors == []


def test_embed_without_javascript_shows_the_static_chart(site_dir: Path, serve_dir, page_checker):
    base = serve_dir(site_dir)
    record = page_checker(f"{base}/embed/{CHART}/", java_script_enabled=False)
    chart = record.page.locator(".aif-chart")
    assert chart.get_attribute("role") == "img"
    assert re.search(r"more than 30 trillion", chart.get_attribute("aria-label"))
    assert _wait_for_marks(record.page) >= 3
    assert record.page.locator(".aif-chart svg").first.bounding_box()["width"] > 300
    assert record.external_requests(base) == []
    assert record.console_errors == []


def test_versioned_embed_draws(site_dir: Path, serve_dir, page_checker):
    versions = sorted((site_dir / "embed" / CHART / "v").iterdir())
    assert versions, "no versioned embed was built"
    base = serve_dir(site_dir)
    record = page_checker(f"{base}/embed/{CHART}/v/{versions[-1].name}/")
    assert _wait_for_marks(record.page) >= 3
    assert record.console_errors == []
