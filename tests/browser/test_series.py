"""Series over time on entity and metric pages (issue 15), measured in Chromium at a phone's and a desktop's width.

What the screenshots showed, as geometry: each series chart fills its column, shows the compact layout on a
phone and the wide one on a desktop, no two texts overlap or leave the drawing, and the points sit left to
right in the order of their periods.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_geometry import MEASURE, SHARED_DRAWN, _check_charts

pytestmark = pytest.mark.browser

PAGES = [
    "/entities/bytedance/",
    "/entities/meta/",
    "/entities/doubao/",
    "/metrics/monthly-active-users/",
    "/metrics/capital-expenditures/",
    "/metrics/daily-tokens/",
]
# The x of every drawn point and band of the visible series chart, left to right in the order drawn.
MARKS = """() => Array.from(document.querySelectorAll('.aif-series')).map((chart) => {
  const variant = Array.from(chart.querySelectorAll('.aif-variant')).find((v) => v.getClientRects().length);
  const marks = Array.from(variant.querySelectorAll('.mark-symbol path, .mark-rect path'));
  return {variant: variant.className, label: chart.getAttribute('aria-label'),
          marks: marks.map((m) => { const r = m.getBoundingClientRect();
            return {x: r.left + r.width / 2, fill: m.getAttribute('fill'), opacity: m.getAttribute('fill-opacity')}; })};
})"""


def test_series_pages_exist(site_dir: Path):
    for path in PAGES:
        assert 'class="aif-chart aif-series"' in (site_dir / path.strip("/") / "index.html").read_text("utf-8"), path


@pytest.mark.parametrize(("width", "layout"), [(375, "aif-compact"), (1280, "aif-wide")])
def test_series_charts_fit_and_read(width: int, layout: str, site_url, page_checker):
    record = page_checker(viewport={"width": width, "height": 900})
    page = record.page
    for path in PAGES:
        page.goto(site_url + path)
        page.wait_for_function(SHARED_DRAWN, timeout=10_000)  # the declared charts after the series
        measured = [m for m in page.evaluate(MEASURE) if layout in m.get("variant", "")]
        assert measured, f"{path} at {width} px: no series chart in the {layout} layout"
        _check_charts(measured, f"{path} at {width} px")
    assert record.console_errors == []


def test_doubao_points_run_left_to_right_and_the_superseded_band_is_hollow(site_url, page_checker):
    page = page_checker(site_url + "/entities/doubao/", viewport={"width": 1280, "height": 900}).page
    (doubao,) = [c for c in page.evaluate(MARKS) if "monthly active users" in c["label"].lower()]
    points = [m["x"] for m in doubao["marks"]]
    assert len(points) == 2 and points[0] < points[1]  # August left of October
    page.goto(site_url + "/entities/meta/")
    (meta,) = page.evaluate(MARKS)
    opacities = sorted(m["opacity"] or "1" for m in meta["marks"])
    assert opacities[0] == "0", meta  # April's range: an outline only
    assert any(o not in ("0", None) for o in opacities[1:]), meta  # July's: filled
