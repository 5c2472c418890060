"""Series drawn over time: for each entity and metric with two or more values, a line chart over real
period dates (ranges as bands, bounds as arrows, superseded values hollow) and the latest value.

The entity and metric pages inline these charts (both layouts; a container query shows one), through
the same cache and renderer as the declared charts (generator/charts.py).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.inputs import series
from generator.inputs.dataset import Dataset
from generator.model import periods
from generator.model.schema import Fact
from generator.outputs import charts, i18n
from generator.outputs.context import Gathered
from generator.outputs.figures import figure as inline_figure
from generator.outputs.i18n import _


@dataclass(frozen=True)
class SeriesChart:
    """One series ready to draw: what it is, its rows, both specs, its description and credit."""

    entity: str
    metric: str
    title: str
    unit: str
    rows: list[dict[str, Any]]
    wide: dict[str, Any]
    compact: dict[str, Any]
    alt_text: str

    @functools.cached_property
    def keys(self) -> tuple[str, str]:
        """Both specs' render keys (charts.render_key), taken once: each is a serialisation of the spec."""
        return charts.render_key(self.wide), charts.render_key(self.compact)


def chart_unit(facts: list[Fact]) -> str:
    """The unit a series is drawn in: the one most of its values are in (the first such, on a tie)."""
    counts = Counter(f.unit for f in facts if f.unit)
    return max(counts, key=lambda u: (counts[u], -[f.unit for f in facts].index(u)))


def latest(dataset: Dataset, found: series.Series) -> Fact | None:
    """The value to quote today of one series: the latest current one, in the series' own unit."""
    current = [f for f in found.facts if f.id not in found.superseded and f.retracted is None and f.value]
    if not current:
        return None
    unit = chart_unit(current)
    return [f for f in current if f.unit == unit][-1]


def series_charts(gathered: Gathered) -> dict[tuple[str, str], SeriesChart]:
    """Every series with at least two values to draw, by (entity, metric), in the order facts first appear."""
    dataset = gathered.dataset
    out = {}
    for key, found in series.all_series(dataset).items():
        plotted = found.plotted
        if len(plotted) < 2 or found.metric not in dataset.metrics or found.entity not in dataset.entities:
            continue
        unit = chart_unit(plotted)
        spans = {f.id: dataset.period_span(f) for f in plotted}
        labels = {f.id: periods.short_label(f.period, i18n.current()) for f in plotted}
        rows = charts.series_rows(plotted, unit, found.superseded, spans, labels)
        if len(rows) < 2:
            continue
        entity = re.sub(r"\s*\([^()]*\)$", "", dataset.entities[found.entity].model.name)
        title = _("{entity}: {metric} over time").format(entity=entity, metric=dataset.metrics[found.metric].model.name)
        credit = charts.credit_line(rows, gathered)[0]
        out[key] = SeriesChart(
            found.entity,
            found.metric,
            title,
            unit,
            rows,
            charts.series_spec(title, rows, unit, credit),
            charts.series_spec(title, rows, unit, credit, compact=True),
            charts.series_alt_text(title, rows, credit),
        )
    return out


def figure(chart: SeriesChart, cache: Path) -> Markup:
    """Both layouts of a series chart inline, static (no script), with its description as the accessible name."""
    wide_key, compact_key = chart.keys
    wide, compact = (
        charts.render(chart.wide, "svg", cache, wide_key),
        charts.render(chart.compact, "svg", cache, compact_key),
    )
    return inline_figure(chart.alt_text, wide, compact, kind="aif-series")


def figures(ctx: Gathered) -> dict[tuple[str, str], Markup]:
    """The inline figure of every series chart, drawn through the build's chart cache."""
    found = series_charts(ctx)
    cache = ctx.chart_cache
    charts.prerender(
        [s for c in found.values() for s in (c.wide, c.compact)],
        cache,
        keys=[k for c in found.values() for k in c.keys],
    )
    return {key: figure(chart, cache) for key, chart in found.items()}
