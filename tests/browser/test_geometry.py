"""Tests that look: charts are drawn wide enough and legible at every width, embeds fit their box on
another origin, never shrink the host page, and cost little before the reader interacts.

Geometry is read from the real layout in Chromium: the bounding boxes of the chart's root group and of
every SVG <text> element, in the static render and again after the live Vega view has replaced it.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

WIDTHS = [320, 375, 768, 1280]
#: Where the live (Vega) view is measured too: one width per layout (compact below 480 px of column, wide
#: above), each ~1 s a page to load Vega; the static drawing, which the live one must match, at every width.
LIVE_WIDTHS = (375, 1280)
EMBED_BUDGET = 150_000  # bytes an embed may transfer before any interaction
CHART = "daily-tokens-bytedance-google"

# Boxes of the visible layout of every chart on the page: the column, the chart's root group, every text.
MEASURE = """() => Array.from(document.querySelectorAll('.aif-chart')).map((chart) => {
  const variant = Array.from(chart.querySelectorAll('.aif-variant')).find((v) => v.getClientRects().length);
  const svg = variant && variant.querySelector('svg');
  if (!svg) { return {missing: true}; }
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const texts = Array.from(svg.querySelectorAll('text')).filter((t) => t.textContent.trim())
    .map((t) => ({text: t.textContent.trim(), box: box(t)}));
  return {column: chart.parentElement.getBoundingClientRect().width, svg: box(svg),
          root: box(svg.querySelector('.root') || svg), texts: texts, live: variant.getAttribute('data-aif-live'),
          variant: variant.className};
})"""


def _chart_pages(site_dir: Path) -> list[str]:
    """Every page of the site (embeds aside) that has a chart on it, as a URL path."""
    found = []
    for page in sorted(site_dir.rglob("index.html")):
        rel = page.parent.relative_to(site_dir).as_posix()
        # Embeds (/embed/, /fr/embed/) are measured on another origin below; their charts are these pages'.
        if "embed" in rel.split("/")[:2] or 'class="aif-chart"' not in page.read_text(encoding="utf-8"):
            continue
        found.append("/" if rel == "." else f"/{rel}/")
    return found


def _overlaps(texts: list[dict]) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes intersect by more than a hair (0.5 px each way)."""
    out = []
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            (l1, t1, r1, b1), (l2, t2, r2, b2) = a["box"], b["box"]
            if min(r1, r2) - max(l1, l2) > 0.5 and min(b1, b2) - max(t1, t2) > 0.5:
                out.append((a["text"], b["text"]))
    return out


def _outside(texts: list[dict], frame: list[float]) -> list[str]:
    """Texts that stick out of the given box (clipped by the SVG or the frame)."""
    left, top, right, bottom = frame
    return [
        t["text"]
        for t in texts
        if t["box"][0] < left - 1 or t["box"][2] > right + 1 or t["box"][1] < top - 1 or t["box"][3] > bottom + 1
    ]


def _check_charts(charts: list[dict], where: str) -> None:
    assert charts, f"{where}: no chart found"
    for n, chart in enumerate(charts):
        assert not chart.get("missing"), f"{where}: chart {n} has no drawing"
        width = chart["root"][2] - chart["root"][0]
        assert width >= 0.6 * chart["column"], (
            f"{where}: chart {n} is {width:.0f} px in a {chart['column']:.0f} px column"
        )
        assert len(chart["texts"]) >= 5, f"{where}: chart {n} has only {len(chart['texts'])} texts"
        assert _overlaps(chart["texts"]) == [], f"{where}: texts overlap in chart {n} ({chart['variant']})"
        assert _outside(chart["texts"], chart["svg"]) == [], f"{where}: texts clipped in chart {n}"


def test_pages_with_charts_are_found(site_dir: Path):
    pages = _chart_pages(site_dir)
    assert sum(p.startswith("/charts/") for p in pages) >= 5, pages
    assert sum(p.startswith("/fr/charts/") for p in pages) >= 5, pages  # French labels are other widths
    assert not [p for p in pages if "/embed/" in p], pages


@pytest.mark.parametrize("width", WIDTHS)
def test_every_chart_is_wide_and_its_texts_never_overlap(width, site_dir: Path, site_url, page_checker):
    record = page_checker(viewport={"width": width, "height": 900})
    page = record.page
    for path in _chart_pages(site_dir):
        page.goto(site_url + path)
        page.wait_for_function(SHARED_DRAWN, timeout=10_000)  # a chart page's drawing is the shared file
        _check_charts(page.evaluate(MEASURE), f"{path} at {width} px (static)")
        if width not in LIVE_WIDTHS:
            continue
        # The live view replaces the static one on interaction: same checks, same size (nothing moves).
        before = page.locator(".aif-chart").first.bounding_box()
        page.locator(".aif-chart").first.hover()
        page.wait_for_selector(".aif-chart [data-aif-live='true'] svg", timeout=20000)
        after = page.locator(".aif-chart").first.bounding_box()
        assert abs(after["height"] - before["height"]) <= 3, f"{path} at {width} px: the live chart moved the page"
        _check_charts(page.evaluate(MEASURE), f"{path} at {width} px (live)")
    assert record.console_errors == []


def test_compact_layout_below_480_and_wide_above(site_url, page_checker):
    for width, expected in ((375, "aif-compact"), (1280, "aif-wide")):
        page = page_checker(site_url + f"/charts/{CHART}/", viewport={"width": width, "height": 800}).page
        assert expected in page.evaluate(MEASURE)[0]["variant"]


def _host(tmp_path: Path, site_base: str, code: str, column: str) -> Path:
    host = tmp_path / f"host-{abs(hash((code, column)))}"
    host.mkdir()
    (host / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>Host</title></head><body style="margin:0">'
        f'<main style="{column}"><h1>Host</h1><p>Before.</p>{code}<p>After.</p></main></body></html>',
        encoding="utf-8",
    )
    return host


def _published_snippet(site_dir: Path, site_base: str, plain: bool = False) -> str:
    """The snippet exactly as oembed.json publishes it, pointed at the local site."""
    code = json.loads((site_dir / "charts" / CHART / "oembed.json").read_text(encoding="utf-8"))["html"]
    published = re.search(r'src="(https?://[^"]*?)embed/', code).group(1)
    code = code.replace(published, site_base + "/")
    code = code.replace(re.search(r'e.origin !== "([^"]*)"', code).group(1), site_base)
    return re.search(r"<iframe.*?</iframe>", code).group(0) if plain else code


SAMPLE = """() => [document.querySelector('iframe').getBoundingClientRect().height,
                   document.documentElement.scrollHeight]"""
INSIDE = """() => {
  const variant = Array.from(document.querySelectorAll('.aif-variant')).find((v) => v.getClientRects().length);
  const svg = variant.querySelector('svg');
  const root = svg.querySelector('.root').getBoundingClientRect();
  const texts = Array.from(svg.querySelectorAll('text')).filter((t) => t.textContent.trim())
    .map((t) => { const r = t.getBoundingClientRect(); return {text: t.textContent.trim(), box: [r.left, r.top, r.right, r.bottom]}; });
  // Blank space: what the chart's box has below the drawing (the SVG keeps its ratio, top-aligned).
  const shown = svg.getBoundingClientRect(), view = svg.viewBox.baseVal;
  const blank = variant.closest('.aif-chart').getBoundingClientRect().height - shown.width * view.height / view.width;
  return {width: innerWidth, height: innerHeight, scroll: document.documentElement.scrollHeight,
          root: [root.left, root.top, root.right, root.bottom], texts: texts, blank: blank,
          bg: getComputedStyle(document.body).backgroundColor};
}"""


#: Records [iframe height, host page height] at every animation frame of the host page (not of its frames).
RECORD = """(() => {
  if (window.top !== window) { return; }
  window.__aifSamples = [];
  const sample = () => {
    const frame = document.querySelector('iframe');
    if (frame) {
      window.__aifSamples.push([frame.getBoundingClientRect().height, document.documentElement.scrollHeight]);
    }
    requestAnimationFrame(sample);
  };
  requestAnimationFrame(sample);
})();"""
#: How long after the host page's load the test keeps recording: the embed draws and tells its height.
SETTLE_MS = 700


def _frame(page, site_base: str):
    """The embed's frame. The snippet's <iframe> loads lazily, so the host page's load event need not wait for
    it: under the full suite's load it was once not there yet (StopIteration). Waited for, up to 15 s."""
    for _ in range(150):
        found = next((f for f in page.frames if f.url.startswith(site_base + "/embed/")), None)
        if found is not None:
            return found
        page.wait_for_timeout(100)
    raise AssertionError(f"no frame of {site_base}/embed/ in the page after 15 s")


COLUMNS = {"full": "padding:0 16px", "article": "max-width:680px;margin:0 auto;padding:0 16px"}
BLANK = 12  # px of blank space under the chart an embed may leave (the plain form is a ratio, not exact)


@pytest.mark.parametrize("column", ["full", "article"])
@pytest.mark.parametrize("plain", [False, True], ids=["snippet", "plain-iframe"])
@pytest.mark.parametrize("width", WIDTHS)
def test_embed_fits_its_box_on_another_origin(
    width, plain, column, site_dir: Path, tmp_path: Path, serve_dir, page_checker
):
    if column == "article" and width < 768:
        pytest.skip("on a phone the article column is the full width")
    site_base = serve_dir(site_dir)
    code = _published_snippet(site_dir, site_base, plain)
    host_base = serve_dir(_host(tmp_path, site_base, code, COLUMNS[column]), hostname="localhost")
    sizes: list[int] = []
    record = page_checker(viewport={"width": width, "height": 900})
    page = record.page
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    page.add_init_script(RECORD)  # the host page's heights at every frame, from its first paint
    page.goto(host_base + "/", wait_until="load")
    page.wait_for_timeout(SETTLE_MS)  # the embed tells its height once drawn, after its own load
    samples = page.evaluate("() => window.__aifSamples.concat([(" + SAMPLE + ")()])")
    assert len(samples) >= 5, samples  # frames were recorded from the first paint to now
    painted = [s for s in samples if s[0] > 0]
    for earlier, later in zip(painted, painted[1:], strict=False):
        assert later[0] >= earlier[0] - 0.5 and later[1] >= earlier[1], f"the host page shrank: {samples}"
    inner = _frame(page, site_base).evaluate(INSIDE)
    box = page.locator("iframe").bounding_box()
    assert inner["scroll"] <= inner["height"] + 1, "the embed scrolls: its content is taller than its box"
    assert inner["blank"] <= BLANK, (
        f"{inner['blank']:.0f} px of blank space under the chart in a {box['width']:.0f} px frame"
    )
    filled = (inner["root"][2] - inner["root"][0]) / box["width"]
    assert filled >= 0.85, f"the chart fills {filled:.0%} of a {box['width']:.0f} px embed"
    assert _outside(inner["texts"], [0, 0, inner["width"], inner["height"]]) == [], "texts clipped in the embed"
    assert _overlaps(inner["texts"]) == []
    assert inner["root"][3] <= inner["height"] + 1
    # Before any interaction: no Vega, and the whole embed (page, script, host page) under the budget.
    assert not any("vega-bundle" in url for url in record.requests)
    assert sum(sizes) <= EMBED_BUDGET, f"{sum(sizes)} bytes before interaction"
    if column == "full":  # the live view in the frame is the same whatever the host's column: measured once
        # Interaction brings the live view, in the same place.
        page.locator("iframe").hover()
        _frame(page, site_base).wait_for_selector("[data-aif-live='true'] svg", timeout=20000)
        assert any("vega-bundle" in url for url in record.requests)
        assert page.locator("iframe").bounding_box()["height"] >= box["height"] - 0.5
    assert record.console_errors == []
    outside = [u for u in record.requests if not (u.startswith(site_base) or u.startswith(host_base))]
    assert outside == []


@pytest.mark.parametrize(
    ("scheme", "query", "dark"),
    [
        ("light", "", False),
        ("dark", "", True),
        ("dark", "?theme=light", False),
        ("light", "?theme=dark", True),
        ("dark", "?theme=auto", True),
    ],
)
def test_embed_theme_follows_the_system_or_the_query(scheme, query, dark, site_url, page_checker):
    page = page_checker(site_url + f"/embed/{CHART}/{query}", color_scheme=scheme).page
    channels = [int(c) for c in re.findall(r"\d+", page.evaluate(INSIDE)["bg"])[:3]]
    assert (sum(channels) / 3 < 100) is dark, channels
    label = page.locator(".role-axis-label text").first
    fill = [int(c) for c in re.findall(r"\d+", label.evaluate("t => getComputedStyle(t).fill"))[:3]]
    assert (sum(fill) / 3 > 150) is dark, f"axis labels {fill} on background {channels}"


def test_chart_page_follows_materials_dark_palette(site_url, page_checker):
    page = page_checker(site_url + f"/charts/{CHART}/").page
    # Measured on the live view (it replaces the static one once idle, and must follow the palette too).
    page.locator(".aif-chart").first.hover()
    page.wait_for_selector(".aif-chart [data-aif-live='true'] svg", timeout=20000)
    light = page.locator(".aif-wide .role-axis-label text").first.evaluate("t => getComputedStyle(t).fill")
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    dark = page.locator(".aif-wide .role-axis-label text").first.evaluate("t => getComputedStyle(t).fill")
    assert light != dark
    assert sum(int(c) for c in re.findall(r"\d+", dark)[:3]) / 3 > 150, (light, dark)


def test_embed_shows_the_chart_without_javascript(site_url, page_checker):
    page = page_checker(
        site_url + f"/embed/{CHART}/", java_script_enabled=False, viewport={"width": 375, "height": 600}
    ).page
    inner = page.evaluate(INSIDE)  # evaluate still runs with page scripts off
    assert inner["root"][2] - inner["root"][0] >= 0.85 * 375
    assert any("more than" in t["text"] for t in inner["texts"])


def test_frozen_version_loads_content_hashed_assets(site_dir: Path, site_url, page_checker):
    versions = sorted((site_dir / "embed" / CHART / "v").iterdir())
    assert versions
    for version in versions:
        text = (version / "index.html").read_text(encoding="utf-8")
        script = re.search(r'<script src="([^"]+)" data-aif-bundle="([^"]+)"', text)
        assert script, version
        for ref in script.groups():
            name = re.search(r"\.([0-9a-f]{12})\.js$", ref)
            assert name, f"{version.name} loads an unhashed asset {ref}"
            asset = (version / ref).resolve()
            assert hashlib.sha256(asset.read_bytes()).hexdigest()[:12] == name.group(1)
    page = page_checker(site_url + f"/embed/{CHART}/v/{versions[-1].name}/").page
    page.locator(".aif-chart").hover()
    page.wait_for_selector("[data-aif-live='true'] svg", timeout=20000)


@pytest.mark.parametrize("width", [320, 375])
def test_an_archived_version_fits_a_phone(width, site_dir: Path, site_url, page_checker):
    """A frozen version archived with its compact layout shows it on a phone: the plot fills the frame,
    no text clipped or overlapping (a version archived before compact layouts has the wide one only)."""
    archived = [
        p.parent
        for p in sorted((site_dir / "embed").glob("*/v/*/index.html"))
        if 'class="aif-variant aif-compact"' in p.read_text(encoding="utf-8")
    ]
    assert len(archived) >= 5, "every chart's current version is archived with its compact layout"
    page = page_checker(viewport={"width": width, "height": 700}).page
    for folder in archived:
        page.goto(f"{site_url}/{folder.relative_to(site_dir).as_posix()}/")
        inner = page.evaluate(INSIDE)
        shown = page.evaluate(
            "() => Array.from(document.querySelectorAll('.aif-variant'))"
            ".find((v) => v.getClientRects().length).className"
        )
        assert "aif-compact" in shown, folder
        assert (inner["root"][2] - inner["root"][0]) >= 0.85 * (width - 16), folder
        assert _outside(inner["texts"], [0, 0, inner["width"], inner["height"]]) == [], folder
        assert _overlaps(inner["texts"]) == [], folder


# The faint (planned) bar and the solid (reported) ones of one chart, with the page's background: their
# computed colours, and each mark's contrast with the background.
MARKS = """() => {
  const svg = Array.from(document.querySelectorAll('.aif-chart .aif-variant')).find((v) => v.getClientRects().length)
    .querySelector('svg');
  const bars = Array.from(svg.querySelectorAll('.role-mark path[fill-opacity]')).map((p) => {
    const s = getComputedStyle(p);
    const dash = s.strokeDasharray.match(/[\\d.]+/g) || [];
    return {fill: s.fill, stroke: s.stroke, opacity: Number(s.fillOpacity), dashed: dash.length > 1 && Number(dash[1]) > 0};
  });
  let el = svg, bg = 'rgba(0, 0, 0, 0)';
  while (el && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) { bg = getComputedStyle(el).backgroundColor; el = el.parentElement; }
  return {bars: bars, background: bg};
}"""


def _rgb(text: str) -> tuple[float, ...]:
    return tuple(float(c) for c in re.findall(r"[\d.]+", text)[:3])


def _contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    def lum(c: tuple[float, ...]) -> float:
        lin = [x / 255 / 12.92 if x / 255 <= 0.03928 else ((x / 255 + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("where", ["page", "embed"])
def test_dark_mode_keeps_planned_bars_faint_and_every_outline_visible(where, site_url, page_checker):
    """Seen in the gallery: in dark mode the planned bar (35% of indigo on the dark page) was a dark smudge
    whose dashed outline and legend swatch all but vanished (2.3:1), under a key that called it "light".
    The key now says "faint"; in dark mode every drawing colour is swapped for a lighter one."""
    chart = "bytedance-ai-budget-2025-2026"  # two reported bars and one planned
    if where == "page":
        page = page_checker(site_url + f"/charts/{chart}/").page
        page.wait_for_function(SHARED_DRAWN, timeout=10_000)
        page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    else:
        page = page_checker(site_url + f"/embed/{chart}/?theme=dark").page
    seen = page.evaluate(MARKS)
    background = _rgb(seen["background"])
    assert sum(background) / 3 < 60, seen  # the dark page
    bars = seen["bars"]
    faint = [b for b in bars if b["dashed"]]
    solid = [b for b in bars if not b["dashed"]]
    assert faint and solid, bars
    for bar in bars:  # outlines (and so the legend's swatches, the same colours) stand out from the page
        assert _contrast(_rgb(bar["stroke"]), background) >= 4.5, (bar, seen["background"])
    # Faint stays faint: less ink than a solid bar of the same colour, never more.
    assert all(b["opacity"] < min(s["opacity"] for s in solid) for b in faint), bars
    assert "#7986cb" in " ".join(bar["fill"] for bar in bars).replace("rgb(121, 134, 203)", "#7986cb")


def _pages_drawing_each_chart(site_dir: Path) -> list[str]:
    """For each chart, the first English fact page that draws it (static, under its figure), and the first
    derived page that draws one."""
    found: dict[str, str] = {}
    for folder in ("derived", "facts"):
        for page in sorted((site_dir / folder).glob("*/index.html")):
            text = page.read_text(encoding="utf-8")
            if 'class="aif-chart aif-static"' not in text:
                continue
            chart = re.search(r'href="\.\./\.\./charts/([a-z0-9-]+)/">', text[text.index("aif-static") :])
            assert chart, f"{page}: a drawn chart without the link to its page"
            found.setdefault(chart.group(1), f"/{folder}/{page.parent.name}/")
    # An entity and a metric page: they draw the declared charts that plot their facts, after their series.
    for folder in ("entities", "metrics"):
        pages = sorted((site_dir / folder).glob("*/index.html"))
        most = max(pages, key=lambda p: p.read_text(encoding="utf-8").count('class="aif-chart aif-static"'))
        found[folder] = f"/{folder}/{most.parent.name}/"
    return sorted(found.values())


@pytest.mark.parametrize("width", WIDTHS)
def test_fact_and_derived_pages_draw_their_chart_legibly(width, site_dir: Path, site_url, page_checker):
    """A fact or derived page draws the chart that plots it, an entity or metric page those that plot its
    facts (they used to only link to them): at every width each graphic is at least 60% of the column and
    no two of its texts overlap, for every chart of the seed."""
    paths = _pages_drawing_each_chart(site_dir)
    chart_count = len([p for p in (site_dir / "charts").iterdir() if (p / "index.html").is_file()])
    assert len(paths) == chart_count + 2 and any(p.startswith("/derived/") for p in paths), paths
    page = page_checker(viewport={"width": width, "height": 900}).page
    for path in paths:
        page.goto(site_url + path)
        page.wait_for_function(SHARED_DRAWN, timeout=10_000)  # their drawings come from one shared file
        _check_charts(page.evaluate(MEASURE), f"{path} at {width} px")


#: True once every shared drawing (an <svg data-aif-src> placeholder, pipeline/drawings.py) is in place.
SHARED_DRAWN = "() => !document.querySelector('svg[data-aif-src]')"
#: Each chart's shown layout: its box and whether it holds the drawing, the placeholder or the image.
LAYOUTS = """() => Array.from(document.querySelectorAll('.aif-chart')).map((chart) => {
  const v = Array.from(chart.querySelectorAll('.aif-variant')).find((x) => x.getClientRects().length);
  const r = chart.getBoundingClientRect();
  const img = v.querySelector('img');  // with scripts on, a <noscript>'s content is text, not an element
  const shown = img || v.querySelector('svg');
  return {top: r.top + scrollY, height: r.height, column: chart.parentElement.getBoundingClientRect().width,
          width: shown ? shown.getBoundingClientRect().width : 0, texts: v.querySelectorAll('svg text').length,
          placeholder: !!v.querySelector('svg[data-aif-src]'), image: !!(img && img.complete && img.naturalWidth)};
})"""


@pytest.mark.parametrize("width", [375, 1280])
def test_a_shared_drawing_keeps_its_place_and_shows_without_scripts(width, site_dir: Path, site_url, page_checker):
    """Seen at 10,000 facts: each fact page carried its chart's drawing inline, 7 kB a fact in all. Now the
    page (and the chart's own page) keeps a box of the drawing's size and site.js fills it from the one file: measured with that file
    held back, then given, every chart on the page has the same box (nothing below it moves). Without
    scripts the file shows as an image, as wide as the drawing would be; no empty box is left above it."""
    paths = [p for p in _pages_drawing_each_chart(site_dir) if p.startswith(("/facts/", "/entities/"))]
    assert len(paths) >= 3, paths
    paths.append(f"/charts/{CHART}/")
    for path in paths:
        held = page_checker(viewport={"width": width, "height": 900})
        held.page.route("**/assets/drawings/*.svg", lambda route: route.abort())
        held.goto(site_url + path, wait_until="load")
        before = held.page.evaluate(LAYOUTS)
        shared = [n for n, chart in enumerate(before) if chart["placeholder"]]
        assert shared, f"{path}: no shared drawing"
        drawn = page_checker(site_url + path, viewport={"width": width, "height": 900})
        drawn.page.wait_for_function(SHARED_DRAWN, timeout=10_000)
        after = drawn.page.evaluate(LAYOUTS)
        assert drawn.console_errors == []
        for n in shared:
            assert after[n]["texts"] >= 5, f"{path} at {width} px: chart {n} not drawn"
            assert abs(after[n]["height"] - before[n]["height"]) <= 1, (path, width, n, before[n], after[n])
            assert abs(after[n]["top"] - before[n]["top"]) <= 1, (path, width, n)
        plain = page_checker(site_url + path, viewport={"width": width, "height": 900}, java_script_enabled=False)
        plain.page.wait_for_function("() => Array.from(document.images).every((i) => i.complete)", timeout=10_000)
        without = plain.page.evaluate(LAYOUTS)
        for n in shared:
            chart = without[n]
            assert chart["image"] and chart["width"] >= 0.6 * chart["column"], (path, width, n, chart)
            # The image takes the box the drawing would: the drawing's height, not that plus an empty box.
            assert abs(chart["height"] - after[n]["height"]) <= 0.03 * after[n]["height"], (path, width, n)


def test_a_trimmed_drawing_draws_the_same_pixels_as_vegas(site_dir: Path, tmp_path: Path, page_checker):
    """figures.inline_svg leaves out of each drawing what draws nothing: Vega's ARIA attributes, the default
    opacity, hit-testing, and the font named on every label (said once on the root instead); the published
    SVG files are as lean, with their ARIA. Every chart drawn by vl-convert from its published spec, then
    as the pages and the files hold it, side by side in Chromium: the same pixels."""
    from PIL import Image, ImageChops

    from generator.outputs import charts
    from generator.outputs.chart_assets import published_svg, with_plot_view
    from generator.outputs.figures import inline_svg

    specs = sorted((site_dir / "charts").glob("*/chart*.vl.json"))
    assert len(specs) >= 12, specs
    page = page_checker(viewport={"width": 1400, "height": 900}).page
    for path in specs:
        raw = charts.render(json.loads(path.read_text(encoding="utf-8")), "svg", tmp_path)
        trimmed, published = inline_svg(raw), published_svg(raw)
        assert len(trimmed) < 0.85 * len(raw) and len(published) < 0.9 * len(raw), path  # worth having
        framed = with_plot_view(raw) if path.name == "chart.vl.json" else raw  # chart.svg holds a <view>
        assert published_svg(framed) == path.with_name(path.name.replace(".vl.json", ".svg")).read_bytes()
        shots = []
        for svg in (raw.decode("utf-8"), trimmed, published.decode("utf-8")):
            page.set_content(f'<!doctype html><body style="margin:0;background:#fff"><div id="d">{svg}</div></body>')
            shots.append(Image.open(io.BytesIO(page.locator("#d svg").screenshot())).convert("RGB"))
        for shot in shots[1:]:
            assert shot.size == shots[0].size, path
            worst = max(high for _, high in ImageChops.difference(shots[0], shot).getextrema())
            assert worst <= 8, f"{path.relative_to(site_dir)} draws differently trimmed ({worst} levels of 255)"
