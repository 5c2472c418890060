"""Series charts (issue 15): which series are drawn, and what their rows say, from the seed."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from generator.inputs import series, synth
from generator.inputs.archive import spec_json
from generator.outputs import charts, timelines
from generator.pipeline.build import gather
from tests.conftest import ROOT, cover


@pytest.fixture(scope="module")
def drawn():
    return timelines.series_charts(gather(ROOT))


def _day(row_value: float) -> dt.date:
    return dt.date.fromordinal(int(row_value) + 719163)


def test_every_series_with_two_values_is_drawn(drawn):
    assert set(drawn) == {
        ("doubao", "monthly-active-users"),
        ("bytedance", "daily-tokens"),
        ("bytedance", "ai-infrastructure-budget"),
        ("meta", "capital-expenditures"),
    }


def test_points_sit_in_their_period_and_in_period_order(drawn):
    rows = drawn["doubao", "monthly-active-users"].rows
    assert [r["period_text"] for r in rows] == ["Aug 2025", "Oct 2025"]
    assert (_day(rows[0]["start"]), _day(rows[0]["end"])) == (dt.date(2025, 8, 1), dt.date(2025, 9, 1))
    assert rows[0]["middle"] < rows[1]["middle"]
    assert [r["line"] for r in rows] == [157e6, 159e6]


def test_a_series_is_drawn_in_one_unit(drawn):
    budget = drawn["bytedance", "ai-infrastructure-budget"]
    assert budget.unit == "CNY" and [r["value"] for r in budget.rows] == [150e9, 160e9]


def test_ranges_are_bands_bounds_are_arrows_superseded_values_hollow(drawn):
    meta = drawn["meta", "capital-expenditures"]
    april, july = meta.rows
    assert (april["kind"], april["superseded"], april["line"]) == ("range", True, None)  # not on the line
    assert (july["superseded"], july["low"], july["high"]) == (False, 66e9, 72e9)
    assert (_day(july["start"]), _day(july["end"])) == (dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    layers = meta.wide["layer"]
    assert layers[0]["mark"]["type"] == "rect" and layers[0]["encoding"]["x2"] == {"field": "end"}
    assert "hollow" in meta.alt_text or "superseded" in meta.alt_text
    tokens = drawn["bytedance", "daily-tokens"].rows
    assert tokens[0]["kind"] == "lower-bound" and tokens[0]["bound"] == 30e12
    assert "arrow" in " ".join(drawn["bytedance", "daily-tokens"].wide["title"]["subtitle"])


def test_latest_prefers_the_series_unit_and_skips_superseded():
    gathered = gather(ROOT)
    found = series.all_series(gathered.dataset)
    assert timelines.latest(gathered.dataset, found["bytedance", "ai-infrastructure-budget"]).unit == "CNY"
    assert timelines.latest(gathered.dataset, found["meta", "capital-expenditures"]).as_of == "2025-07-30"


def test_template_specs_equal_altairs_own(tmp_path):
    """series_spec fills a template Altair built once per layout; it must give Altair's own spec exactly,
    for the seed's series and a realistic synthetic project's (which holds the seed: 40 facts give 10
    series with points, ranges, both bounds and superseded values; Altair's own costs ~0.4 s a spec)."""
    synth.generate(ROOT, tmp_path / "p", 40, seed=3, profile="realistic")
    gathered = gather(tmp_path / "p")
    found = timelines.series_charts(gathered)
    assert set(found) >= set(timelines.series_charts(gather(ROOT)))
    assert {row["kind"] for chart in found.values() for row in chart.rows} == {
        "point",
        "range",
        "lower-bound",
        "upper-bound",
    }
    assert any(row["superseded"] for chart in found.values() for row in chart.rows)
    for chart in cover(
        found.values(), lambda c: {r["kind"] for r in c.rows} | {"old" for r in c.rows if r["superseded"]}
    ):
        credit, _ = charts.credit_line(chart.rows, gathered)
        for compact, filled in ((False, chart.wide), (True, chart.compact)):
            own = charts.series_altair_spec(chart.title, chart.rows, chart.unit, credit, compact)
            assert spec_json(filled) == spec_json(own), (chart.title, compact)


def test_a_superseded_point_is_hollow_and_grey_as_the_key_says(drawn, tmp_path):
    """The key says "hollow, grey outline" for a superseded value: a point was drawn hollow but in the
    series colour, like a planned point's outline. The seed's budget series with its 2025 point marked
    superseded, drawn, and read back from the SVG."""
    budget = drawn["bytedance", "ai-infrastructure-budget"]
    assert [r["kind"] for r in budget.rows] == ["point", "point"]
    rows = [{**budget.rows[0], "superseded": True, "line": None}, budget.rows[1]]
    spec = charts.series_spec(budget.title, rows, budget.unit, "a credit")
    assert any("grey outline" in line for line in spec["title"]["subtitle"])
    svg = charts.render(spec, "svg", tmp_path / "cache").decode("utf-8")
    assert len(re.findall(r'<path[^>]*fill="#ffffff"[^>]*stroke="#777777"', svg)) == 1
    # the planned 2026 point keeps the series colour: light, not grey
    assert len(re.findall(rf'<path[^>]*stroke="{charts.PALETTE[0]}"', svg)) >= 1


def test_a_metric_page_draws_the_series_of_its_three_fullest_entities(tmp_path):
    """Every series is drawn on its entity's page; a metric page draws only the SERIES_PER_METRIC with the
    most values, and says the others are on their entities' pages (at 10,000 realistic facts, a metric page
    drew ~50 series, 1.2 MB)."""
    from markupsafe import Markup

    from generator.outputs import render

    synth.generate(ROOT, tmp_path / "p", 400, seed=1, profile="realistic")
    gathered = gather(tmp_path / "p")
    found = timelines.series_charts(gathered)
    marks = {key: Markup(f'<div class="aif-series" data-key="{key[0]}|{key[1]}"></div>') for key in found}
    out = render.render_pages(gathered, figures=marks, drawn={})
    per_metric: dict[str, list[tuple[str, str]]] = {}
    for key in found:
        per_metric.setdefault(key[1], []).append(key)
    crowded = [m for m, keys in per_metric.items() if len(keys) > render.SERIES_PER_METRIC]
    assert crowded, "the synthetic project should have a metric with more series than a page draws"
    values = {key: len(found_series.plotted) for key, found_series in series.all_series(gathered.dataset).items()}
    for mid, keys in per_metric.items():
        page = out[f"metrics/{mid}.md"]
        shown = re.findall(r'data-key="([^|"]+)\|', page)
        counts = sorted((values[k] for k in keys), reverse=True)
        assert len(shown) == min(len(keys), render.SERIES_PER_METRIC)
        # The drawn ones have the most values (ties may go either way).
        assert sorted((values[(e, mid)] for e in shown), reverse=True) == counts[: len(shown)], (mid, shown)
        said = "the series of each other entity" in page
        assert said == (len(keys) > render.SERIES_PER_METRIC), mid
        if said:
            assert f"({len(keys) - len(shown)} more)" in page
    for eid, mid in found:  # each series is on its entity's page
        assert f'data-key="{eid}|{mid}"' in out[f"entities/{eid}.md"]
