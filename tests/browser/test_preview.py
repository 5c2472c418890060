"""A preview of site_src/ as it is (what `serve` shows): the charts are drawn there too.

The build keeps the pages' drawings beside them (generator/pipeline/drawings.py) and splices them back
into the engine's HTML; a preview has no splice, so site.js puts each drawing in place. Here the pages
are written without the engine, MkDocs builds them as `mkdocs serve` would (no splice), and Chromium
must find every chart drawn, full width, at a phone's and a desktop's width.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.pipeline import drawings, engine
from generator.pipeline.build import build
from tests.browser.test_geometry import MEASURE, _check_charts
from tests.conftest import copy_project

pytestmark = pytest.mark.browser

PAGES = [
    "/charts/bytedance-ai-budget-2025-2026/",
    "/entities/bytedance/",
    "/facts/bytedance-ai-infrastructure-budget-2026/",
]


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("preview") / "p")
    build(root, run_engine=False)
    out = root / "preview"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(out)],
        cwd=root,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": engine.engine_path()},
    )
    return out


@pytest.mark.parametrize("width", [375, 1280])
def test_a_preview_draws_every_chart_from_the_lifted_drawings(width: int, preview: Path, serve_dir, page_checker):
    page_html = (preview / PAGES[0].strip("/") / "index.html").read_text("utf-8")
    assert "data-aif-drawing" in page_html and (preview / drawings.FOLDER).is_dir()  # nothing spliced
    base = serve_dir(preview)
    record = page_checker(viewport={"width": width, "height": 900})
    page = record.page
    for path in PAGES:
        page.goto(base + path)
        page.wait_for_function("() => !document.querySelector('svg[data-aif-drawing]')", timeout=10_000)
        _check_charts(page.evaluate(MEASURE), f"preview {path} at {width} px")
    assert record.console_errors == []
