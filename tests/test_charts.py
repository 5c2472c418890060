"""Charts and the embed kit: specs valid and golden, bounds drawn as bounds, alt text, oEmbed, cache, versions."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import altair
import jsonschema
import pytest

from generator.cli import main
from generator.inputs import synth
from generator.inputs.archive import spec_json
from generator.outputs import chart_assets, charts, embed, figures
from generator.pipeline.build import gather
from tests.conftest import cover

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "charts"
SEED_CHARTS = {
    "bytedance-vs-us-big-four-ai-spend",
    "bytedance-ai-budget-2025-2026",
    "doubao-monthly-active-users-2025",
    "daily-tokens-bytedance-google",
    "h200-first-batch-vs-bytedance-purchase",
}


@pytest.fixture(scope="module")
def plotted() -> dict[str, charts.Plotted]:
    """Every seed chart, plotted from the real facts."""
    return {p.chart.id: p for p in charts.plot_all(gather(ROOT))}


@pytest.fixture(scope="module")
def vega_lite_schema() -> dict:
    """The Vega-Lite JSON schema that ships inside Altair (no network)."""
    path = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def chart_project(project: Path) -> Path:
    """A project copy with its own, empty chart archive (never the repository's). Its render cache is
    the checkout's, hard-linked (a cold build is tests/test_chart_images.py's business)."""
    shutil.rmtree(project / "archive", ignore_errors=True)
    return project


def test_every_seed_chart_is_plotted(plotted):
    assert SEED_CHARTS <= set(plotted)


def test_specs_validate_against_the_vega_lite_schema(plotted, vega_lite_schema):
    validator = jsonschema.Draft7Validator(vega_lite_schema)
    checked = 0
    for chart_id, item in plotted.items():
        errors = [e.message for e in validator.iter_errors(item.spec)]
        assert errors == [], f"{chart_id}: {errors[:3]}"
        checked += 1
    assert checked >= len(SEED_CHARTS)


@pytest.mark.parametrize("layout", ["wide", "compact"])
@pytest.mark.parametrize("chart_id", sorted(SEED_CHARTS))
def test_golden_spec(plotted, chart_id, layout):
    golden = GOLDEN / f"{chart_id}{'' if layout == 'wide' else '.compact'}.vl.json"
    text = spec_json(plotted[chart_id].spec if layout == "wide" else plotted[chart_id].compact)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"{golden} missing: run UPDATE_GOLDEN=1 pytest tests/test_charts.py"
    assert text == golden.read_text(encoding="utf-8")


def test_template_specs_equal_altairs_own(tmp_path):
    """chart_spec fills a template Altair built once per shape; it must give Altair's spec exactly,
    for the seed charts and for synthetic ones with every kind of value (ranges, bounds, legends).

    The synthetic project holds the seed's charts too. Altair's own spec costs ~0.3 s a chart, so it is
    made for a cover of the charts: each layout and legend shape with each kind of value drawn in it."""

    synth.generate(ROOT, tmp_path / "p", 40, seed=2)
    gathered = gather(tmp_path / "p")
    assert set(gathered.dataset.charts) >= set(gather(ROOT).dataset.charts)
    cases = []
    for record in gathered.dataset.charts.values():
        rows = charts.chart_rows(record.model, gathered)
        credit, as_of = charts.credit_line(rows, gathered)
        for compact in (False, True):
            filled = charts.chart_spec(record.model, rows, credit, as_of, compact)
            legend = filled["layer"][0]["encoding"]["color"]["legend"] is not None
            cases.append((record.model, rows, credit, as_of, compact, filled, {f"{compact}-{legend}"}))
    kinds = {row["kind"] for case in cases for row in case[1]}
    shapes = set().union(*(case[6] for case in cases))
    assert kinds >= {"point", "range", "lower-bound"} and shapes == {"False-False", "False-True", "True-False"}
    # Every shape with every kind of value it is drawn with, once each.
    for chart, rows, credit, as_of, compact, filled, _ in cover(
        cases, lambda c: {f"{k}-{s}" for k in {r["kind"] for r in c[1]} for s in c[6]}
    ):
        assert spec_json(filled) == spec_json(charts.altair_spec(chart, rows, credit, as_of, compact))


def _layers(spec: dict) -> list[dict]:
    out = []
    for layer in spec.get("layer", []):
        out.extend(_layers(layer) if "layer" in layer else [layer])
    return out


def test_lower_bound_is_drawn_as_an_open_marker_with_an_upward_arrow(plotted):
    item = plotted["daily-tokens-bytedance-google"]
    row = next(r for r in item.rows if r["ref"] == "bytedance-daily-tokens-2025-10")
    assert row["kind"] == "lower-bound" and row["value"] is None and row["bound"] == 30e12
    assert row["arrow_end"] > row["bound"]
    assert row["mark_text"].startswith("more than\n")
    layers = _layers(item.spec)
    bound_layers = [lay for lay in layers if "lower-bound" in json.dumps(lay.get("transform", []))]
    marks = [lay["mark"] for lay in bound_layers]
    assert {"type": "point", "shape": "circle", "filled": False} == {
        k: v
        for k, v in next(m for m in marks if m.get("shape") == "circle").items()
        if k in ("type", "shape", "filled")
    }
    arrow = next(lay for lay in bound_layers if "shape" in lay.get("encoding", {}))
    assert arrow["encoding"]["shape"]["scale"]["range"][0] == "triangle-up"
    # The bound is never in a bar layer: bars only take points (and ranges from low to high).
    bar_filters = [json.dumps(lay.get("transform")) for lay in layers if lay["mark"]["type"] == "bar"]
    assert all("lower-bound" not in f for f in bar_filters)


def test_range_is_drawn_from_low_to_high(plotted):
    item = plotted["bytedance-vs-us-big-four-ai-spend"]
    row = next(r for r in item.rows if r["ref"] == "us-big-four-ai-infrastructure-spend-2025")
    assert (row["kind"], row["low"], row["high"], row["value_text"]) == ("range", 350e9, 400e9, "$350–400 bn")
    bars = [lay for lay in _layers(item.spec) if lay["mark"]["type"] == "bar"]
    assert any(lay["encoding"]["y"]["field"] == "low" and lay["encoding"]["y2"]["field"] == "high" for lay in bars)


def test_planned_and_intention_values_are_marked(plotted):
    item = plotted["h200-first-batch-vs-bytedance-purchase"]
    intention = next(r for r in item.rows if r["ref"] == "bytedance-h200-purchase-interest")
    assert intention["firm"] is False and "(intention)" in intention["axis_label"]
    budget = plotted["bytedance-ai-budget-2025-2026"].rows
    assert [r["firm"] for r in budget] == [True, True, False]  # 2026 is planned


def test_alt_text_is_generated_from_the_data(plotted):
    text = plotted["bytedance-vs-us-big-four-ai-spend"].alt_text
    assert "about $23 billion" in text and "$350 to 400 billion" in text
    assert "Source: Financial Times via a French-language report." in text and "December 2025" in text
    tokens = plotted["daily-tokens-bytedance-google"].alt_text
    assert "more than 30 trillion tokens a day" in tokens and "43 trillion" in tokens
    assert plotted["doubao-monthly-active-users-2025"].credit.endswith("; QuestMobile.")


def test_source_and_as_of_are_in_the_chart(plotted):
    for item in plotted.values():
        for spec in (item.spec, item.compact):
            said = " ".join(spec["title"]["subtitle"])  # wrapped into lines that fit the layout
            assert f"Source: {item.credit} As of {item.as_of}." in said


def test_snippet_checks_origin_and_escapes_title():
    text = embed.snippet("x", 'A "quoted" <title>', "https://example.org/facts/", 400)
    assert 'src="https://example.org/facts/embed/x/"' in text
    assert 'e.origin !== "https://example.org"' in text
    assert "&quot;quoted&quot; &lt;title&gt;" in text and 'height="400"' in text


def _outputs(project: Path) -> dict:
    """The files of the two chart stages, chart_assets (images, specs) then embed (pages)."""
    gathered = gather(project)
    drawn = dict(chart_assets.outputs(gathered))
    pages = dict(embed.outputs(gathered))
    assert not set(drawn) & set(pages)
    return {**drawn, **pages}


@pytest.mark.slow  # a build or the command line in a subprocess
def test_build_outputs_oembed_versions_and_cache(chart_project):
    files = _outputs(chart_project)
    cid = "daily-tokens-bytedance-google"
    for name in ("index.md", "chart.vl.json", "chart.svg", "chart.png", "data.csv", "oembed.json"):
        assert f"charts/{cid}/{name}" in files
    assert files[f"charts/{cid}/chart.png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert files[f"charts/{cid}/chart.svg"].startswith(b"<svg")
    data = json.loads(files[f"charts/{cid}/oembed.json"])
    assert (data["version"], data["type"]) == ("1.0", "rich")
    for key in (
        "title",
        "provider_name",
        "provider_url",
        "author_name",
        "html",
        "width",
        "height",
        "thumbnail_url",
        "thumbnail_width",
        "thumbnail_height",
    ):
        assert data[key], key
    assert data["html"].startswith('<div style="container-type:inline-size;--aif-height:') and data[
        "thumbnail_url"
    ].endswith(f"charts/{cid}/chart.png")
    csv_lines = files[f"charts/{cid}/data.csv"].splitlines()
    assert len(csv_lines) == 4 and "lower-bound" in csv_lines[1]
    page = files[f"embed/{cid}/index.html"]
    assert (
        "Content-Security-Policy" in page
        and f'<div class="aif-variant aif-wide" data-aif-spec="../../charts/{cid}/chart.vl.json" data-search-exclude><svg'
        in page
    )
    assert (
        f'<div class="aif-variant aif-compact" data-aif-spec="../../charts/{cid}/chart-compact.vl.json" data-search-exclude><svg'
        in page
    )
    # Each chart file is published once, in charts/<chart>/: the embeds point there.
    assert not [p for p in files if p.startswith(f"embed/{cid}/") and not p.endswith("index.html")]
    assert json.loads(files[f"charts/{cid}/chart.vl.json"]) == json.loads(
        spec_json(json.loads(files[f"charts/{cid}/chart.vl.json"]))
    )
    assert len(page.encode("utf-8")) < 60_000  # the static embed page: both layouts inline, no Vega
    assert "<script>" not in page and "http://" not in page.replace("http-equiv", "")
    assert 'rel="noopener noreferrer' in page and "CC BY 4.0" in page
    for text in files.values():
        body = text if isinstance(text, str) else ""
        assert "cdn.jsdelivr" not in body and "unpkg.com" not in body
    # Second build: nothing is drawn again.
    again = charts.RENDER_COUNT
    _outputs(chart_project)  # a generator: consume it
    assert charts.RENDER_COUNT == again
    # The build only reads the archive: nothing is written there (archiving is archive-charts).
    assert not (chart_project / "archive").exists()
    current = charts.spec_hash(json.loads(files[f"charts/{cid}/chart.vl.json"]))
    assert f"embed/{cid}/v/{current}/index.html" in files


def _archive_charts(root, epoch, monkeypatch, check=False):
    """Run `archive-charts` on a project copy with SOURCE_DATE_EPOCH set; its exit code."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    return main(["archive-charts", "--root", str(root), *(["--check"] if check else [])])


@pytest.mark.slow  # a build or the command line in a subprocess
def test_a_correction_keeps_the_old_version(chart_project, monkeypatch):
    cid = "daily-tokens-bytedance-google"
    first = _outputs(chart_project)
    old_hash = charts.spec_hash(json.loads(first[f"charts/{cid}/chart.vl.json"]))
    assert _archive_charts(chart_project, "1764547200", monkeypatch, check=True) == 1  # not archived yet
    assert _archive_charts(chart_project, "1764547200", monkeypatch) == 0  # 2025-12-01
    assert _archive_charts(chart_project, "1764547200", monkeypatch, check=True) == 0
    archived = json.loads((chart_project / "archive" / "charts" / cid / f"{old_hash}.json").read_text("utf-8"))
    assert archived["published"] == "2025-12-01" and archived["sequence"] == 1
    tokens = chart_project / "facts" / "tokens.yaml"
    tokens.write_text(
        tokens.read_text(encoding="utf-8").replace("value: {point: 43e12}", "value: {point: 45e12}"), encoding="utf-8"
    )
    second = _outputs(chart_project)
    old_page = second[f"embed/{cid}/v/{old_hash}/index.html"]
    old_spec = second[f"embed/{cid}/v/{old_hash}/chart.vl.json"]
    assert "43 tn tokens/day" in old_spec and "45 tn" not in old_spec
    assert "45 tn tokens/day" in second[f"charts/{cid}/chart.vl.json"]
    assert second[f"embed/{cid}/v/{old_hash}/chart.svg"].startswith(b"<svg")  # a version that differs: its own files
    assert "The latest version" in old_page
    latest = second[f"embed/{cid}/index.html"]
    assert f'Updated: earlier version of <a href="v/{old_hash}/">2025-12-01</a>' in latest
    new_hash = charts.spec_hash(json.loads(second[f"charts/{cid}/chart.vl.json"]))
    listed = _earlier_versions(second[f"charts/{cid}/index.md"])
    assert listed == [old_hash], f"the chart page's earlier versions: {listed} (the current one is {new_hash})"
    assert _archive_charts(chart_project, "1765497600", monkeypatch) == 0  # 2025-12-12
    third = _outputs(chart_project)
    latest = third[f"embed/{cid}/index.html"]
    assert f'Updated 2025-12-12: earlier version of <a href="v/{old_hash}/">2025-12-01</a>' in latest
    assert "Updated 2025-12-12" in third[f"charts/{cid}/index.md"]
    assert _earlier_versions(third[f"charts/{cid}/index.md"]) == [old_hash]  # archived now, still not "earlier"
    # A second correction archived the same day: the notice says so instead of naming that day twice.
    second_hash = charts.spec_hash(json.loads(third[f"charts/{cid}/chart.vl.json"]))
    tokens.write_text(
        tokens.read_text(encoding="utf-8").replace("value: {point: 45e12}", "value: {point: 46e12}"), encoding="utf-8"
    )
    assert _archive_charts(chart_project, "1765497600", monkeypatch) == 0  # 2025-12-12 again
    fourth = _outputs(chart_project)
    latest = fourth[f"embed/{cid}/index.html"]
    assert f'Updated 2025-12-12: <a href="v/{second_hash}/">earlier version</a> of the same day.' in latest
    assert "2025-12-12</a>" not in latest


def _earlier_versions(page: str) -> list[str]:
    """The hashes a chart page lists under "Earlier versions" (none when it has no such list)."""
    _, found, rest = page.partition("### Earlier versions")
    return re.findall(r"/v/([0-9a-f]+)/index\.html", rest.partition("\n## ")[0]) if found else []


def test_compact_layout_wraps_drops_the_legend_and_draws_fewer_ticks(plotted):
    for chart_id, item in plotted.items():
        compact, wide = item.compact, item.spec
        assert compact["width"] == charts.COMPACT_WIDTH and wide["width"] == charts.WIDTH
        title = compact["title"]["text"]
        lines = title if isinstance(title, list) else [title]
        assert all(len(line) <= charts.COMPACT.title_chars for line in lines), chart_id
        assert " ".join(lines) == item.chart.title
        assert all(len(line) <= charts.COMPACT.subtitle_chars for line in compact["title"]["subtitle"])
        assert "legend" not in json.dumps(compact["layer"]) or '"legend": null' in json.dumps(compact["layer"])
        ticks = [lay["encoding"]["y"]["axis"]["values"] for lay in _layers(compact) if "axis" in lay["encoding"]["y"]]
        assert ticks and all(len(t) <= charts.COMPACT.max_ticks for t in ticks), chart_id


def test_axis_stops_just_above_what_is_drawn(plotted):
    for chart_id, item in plotted.items():
        for spec in (item.spec, item.compact):
            top = next(
                lay["encoding"]["y"]["scale"]["domain"][1] for lay in _layers(spec) if "scale" in lay["encoding"]["y"]
            )
            highest = max(r["arrow_end"] or r["label_at"] or 0 for r in item.rows)
            assert highest < top <= 1.35 * highest, f"{chart_id}: axis to {top:g} for data up to {highest:g}"
            ticks = next(
                lay["encoding"]["y"]["axis"]["values"] for lay in _layers(spec) if "axis" in lay["encoding"]["y"]
            )
            assert ticks[-1] <= top and ticks[-1] >= 0.6 * top, f"{chart_id}: last tick {ticks[-1]:g}, axis {top:g}"
    big_four = plotted["bytedance-vs-us-big-four-ai-spend"].spec  # $400 bn: no longer on a $600 bn axis
    assert (
        next(lay["encoding"]["y"]["scale"]["domain"][1] for lay in _layers(big_four) if "scale" in lay["encoding"]["y"])
        < 500e9
    )


def test_the_key_says_what_light_dashed_end_marks_and_arrows_mean(plotted):
    def said(chart_id: str) -> str:
        return " ".join(plotted[chart_id].spec["title"]["subtitle"])

    assert "faint and dashed: planned, not a reported amount" in said("bytedance-vs-us-big-four-ai-spend")
    assert "bar with end marks: a range" in said("bytedance-vs-us-big-four-ai-spend")
    assert "open circle with an arrow up: more than this amount" in said("daily-tokens-bytedance-google")
    assert "planned or intention" in said("h200-first-batch-vs-bytedance-purchase")
    assert "Key:" not in said("doubao-monthly-active-users-2025")  # two reported points: nothing to explain


def test_inline_svg_refuses_active_markup_but_keeps_escaped_text():
    safe = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&lt;img onerror=alert(1)&gt;</text></svg>'
    assert figures.inline_svg(safe).startswith('<svg aria-hidden="true"')
    for bad in (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject></svg>',
    ):
        with pytest.raises(charts.ChartError):
            figures.inline_svg(bad)


def test_frame_height_is_a_formula_of_the_width_with_a_compact_step():
    formula, fallback, max_width = embed.frame_height((600, 400), (300, 420), lines=1)
    assert formula.startswith("calc(") and "100cqw" in formula and "clamp(0px" in formula
    assert fallback == 16 + 6 + 18 + 400 and max_width == 600 * 5 // 4 + 16
    assert "clamp" not in embed.frame_height((600, 400), None)[0]


def test_site_css_swaps_every_drawing_colour_in_dark_mode():
    """site.css is hand-written; its dark-mode colour block is the generated one, for every colour drawn."""
    css = (ROOT / "site_src" / "assets" / "site.css").read_text(encoding="utf-8")
    assert figures.dark_colours_css('[data-md-color-scheme="slate"]') in css
    assert set(charts.PALETTE) | {charts.SUPERSEDED_GREY} <= set(charts.DARK_COLOURS)


def test_inline_svg_drops_vegas_aria_attributes_in_tags_only(plotted):
    """Under the figure's aria-hidden drawing, Vega's role and aria-* attributes are read by no one (the
    figure's aria-label says what the chart shows): dropped, ~16% of a drawing. A label's text that reads
    like one stays as it is."""
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="10" height="10">'
        b'<g class="mark-group role-axis" role="graphics-symbol" aria-roledescription="axis" '
        b'aria-label="X-axis &gt; for a scale"><path class="background" aria-hidden="true" d="M0,0"/>'
        b'<text fill="#444"> role="x" aria-label="kept"</text></g></svg>'
    )
    out = figures.inline_svg(svg)
    assert out == (
        '<svg aria-hidden="true" focusable="false" preserveAspectRatio="xMidYMin meet" class="marks" width="10" '
        'height="10"><g class="mark-group role-axis"><path class="background" d="M0,0"/>'
        '<text fill="#444"> role="x" aria-label="kept"</text></g></svg>'
    )
    seed = charts._draw_svg(plotted["daily-tokens-bytedance-google"].spec).encode("utf-8")
    assert b'role="graphics-symbol"' in seed
    inline = figures.inline_svg(seed)
    assert len(inline) < len(seed) * 0.9 and "aria-label" not in inline and "role=" not in inline
