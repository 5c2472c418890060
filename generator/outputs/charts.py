"""Stage 4, charts: Vega-Lite specs built with Altair from the one value model, and their renders.

Every series goes through `derive.fact_amount` / `DerivedValue.amount` and every number shown
through `generator.model.fmt`, so a chart says a value exactly as the page and the CSV do: a range is
drawn from its low to its high end, a bound as an open marker with an arrow in the direction of
the bound and the words "more than", and planned, intended or approximate values are lighter and
dashed with the status in the label. Label strings are computed here, never by d3-format.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import io
import json
import math
import multiprocessing
import multiprocessing.util
import re
import xml.etree.ElementTree as ET
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from babel import Locale
from PIL import Image

from generator.compute import arithmetic
from generator.compute.derive import Derivation, fact_amount, facts_behind
from generator.inputs.archive import compact_json, external_references, spec_digest, spec_hash
from generator.inputs.dataset import Dataset
from generator.model import fmt, periods
from generator.model.schema import Chart, Fact
from generator.model.values import Amount
from generator.outputs import chart_fonts, i18n
from generator.outputs.i18n import N_, _

#: Renders done by this process (not served from .generator-cache/charts); tests assert a rebuild adds none.
RENDER_COUNT = 0
WIDTH, HEIGHT = 560, 300
#: A value the source states firmly is drawn solid; anything less sure is faint (less ink) and dashed.
FIRM_STATUSES = ("reported", "announced")
PALETTE = ["#3f51b5", "#e4572e", "#2a9d8f", "#8d6e63", "#6a4c93"]
#: The outline of a superseded value in a series chart (what the source said before it revised it).
SUPERSEDED_GREY = "#777777"
#: Each drawing colour on a dark background (dark mode): lighter, at least 4.5:1 on the dark page, so a
#: faint (planned) mark's dashed outline and the legend's swatches stay visible. The SVG keeps the light
#: colours; pages and embeds swap them by CSS (generator.outputs.figures.dark_colours_css).
DARK_COLOURS = {
    "#3f51b5": "#7986cb",
    "#e4572e": "#f0805f",
    "#2a9d8f": "#4db6ac",
    "#8d6e63": "#a1887f",
    "#6a4c93": "#9d7cc7",
    SUPERSEDED_GREY: "#9e9e9e",
}
#: The fonts every chart names. vl-convert draws them with the Liberation Sans bundled in its pinned
#: wheel (outputs/chart_fonts.py: in memory, the same on every machine); a browser uses Liberation Sans
#: or Arial, which have the same metrics, so an inline static SVG never runs wider than the box its text
#: was measured for. The first name is kept from an earlier font (see chart_fonts.NAMED_FAMILIES). No
#: web font is loaded.
FONT = ", ".join((*chart_fonts.NAMED_FAMILIES, "sans-serif"))


class Inputs(Protocol):
    """What a chart is plotted from: the build context (outputs.context.Gathered) has both.

    A protocol rather than Gathered itself, which imports this module (it caches the plotted charts)."""

    @property
    def dataset(self) -> Dataset: ...

    @property
    def derivation(self) -> Derivation: ...


class ChartError(Exception):
    """A chart refers to something that cannot be plotted (unknown id, event, unit mismatch)."""


@dataclass(frozen=True)
class Plotted:
    """One chart ready to write: its definition, rows, spec, alt text and credit."""

    chart: Chart
    rows: list[dict[str, Any]]
    spec: dict[str, Any]
    alt_text: str
    credit: str
    as_of: str
    #: The same chart in the compact layout, for columns narrower than COMPACT_BELOW.
    compact: dict[str, Any] | None = None

    @property
    def hash(self) -> str:
        """The content address of the spec: 12 hex digits of its SHA-256."""
        return spec_hash(self.spec)


def _resolve(ref: str, gathered: Inputs) -> tuple[Amount, list[Fact], str, bool]:
    """The amount of a fact or derived figure, the facts behind it, its status, and whether derived."""
    dataset, derivation = gathered.dataset, gathered.derivation
    if ref in derivation.values:
        value = derivation.values[ref]
        facts = _input_facts(ref, gathered)
        unsure = [f.status for f in facts if f.status not in FIRM_STATUSES]
        return value.amount, facts, (unsure[0] if unsure else "reported"), True
    if ref in dataset.facts:
        fact = dataset.facts[ref].model
        amount = fact_amount(fact)
        if amount is None or fact.retracted is not None:
            raise ChartError(f"chart series '{ref}' is an event or retracted: it has no value to plot")
        return amount, [fact], fact.status, False
    raise ChartError(f"chart series '{ref}' is neither a fact nor a derived figure")


def _input_facts(ref: str, gathered: Inputs) -> list[Fact]:
    """The facts a derived figure rests on, following derived inputs, in formula order (collected by derive)."""
    return [gathered.dataset.facts[fid].model for fid in facts_behind(gathered.derivation, ref)]


def _bound_words(amount: Amount) -> str:
    """The words a bound starts with ("more than", "at least"), taken from fmt so they match the pages."""
    end = amount.low if amount.kind == "lower-bound" else amount.high
    bare = fmt.format_amount(Amount.point(end.value, amount.unit), i18n.current(), "long")
    said = fmt.format_amount(Amount(amount.low, amount.high, amount.unit, False), i18n.current(), "long")
    return said[: -len(bare)].strip() if said.endswith(bare) else said


def chart_rows(chart: Chart, gathered: Inputs) -> list[dict[str, Any]]:
    """One row per series: the numbers plotted and every label, precomputed with fmt."""
    rows = []
    groups: list[str] = []
    for order, series in enumerate(chart.series):
        amount, facts, status, derived = _resolve(series.ref, gathered)
        if amount.unit != chart.unit:
            try:
                amount = arithmetic.to_unit(amount, chart.unit)
            except arithmetic.ArithmeticProblem as error:
                raise ChartError(
                    f"chart '{chart.id}': series '{series.ref}' is in {amount.unit}, not {chart.unit}: {error.message}"
                ) from None
        kind = amount.kind
        if kind == "unknown":
            raise ChartError(f"chart '{chart.id}': series '{series.ref}' has no known end to plot")
        period = facts[0].period  # a fiscal period stays short on an axis: "FY2025"
        short = periods.short_label(period) if periods.is_fiscal(period) else fmt.period_label(period, i18n.current())
        label = series.label or f"{facts[0].entity} {short}"
        group = series.group or label
        if group not in groups:
            groups.append(group)
        firm = status in FIRM_STATUSES and not amount.approximate
        suffix = "" if status in FIRM_STATUSES else f"({fmt.status_label(status, i18n.current()).split(' (')[0]})"
        if amount.approximate and not suffix:
            suffix = _("(approximate)")
        end = amount.low if kind == "lower-bound" else amount.high
        rows.append(
            {
                "order": order,
                "ref": series.ref,
                "source_kind": "derived" if derived else "fact",
                "label": label,
                "axis_label": label + (f"\n{suffix}" if suffix else ""),
                "group": group,
                "kind": kind,
                "value": amount.central if kind == "point" else None,
                "low": amount.low.value if kind == "range" else None,
                "high": amount.high.value if kind == "range" else None,
                "bound": end.value if kind in ("lower-bound", "upper-bound") else None,
                "bound_strict": end.strict if kind in ("lower-bound", "upper-bound") else None,
                "unit": amount.unit,
                "approximate": amount.approximate,
                "status": status,
                "firm": firm,
                "period": facts[0].period if not derived else "",
                "as_of": max(f.as_of for f in facts),
                "value_text": fmt.format_amount(amount, i18n.current(), "short"),
                "value_words": fmt.format_amount(amount, i18n.current(), "long"),
                "status_text": fmt.status_label(status, i18n.current()),
            }
        )
    _place_labels(rows)
    return rows


def _place_labels(rows: list[dict[str, Any]]) -> None:
    """Where each value label and bound arrow sits: above the top of what is drawn.

    Values may be zero or negative (a change, a metric that is not `non_negative`): the axis then
    runs below zero, a bar hangs down from zero, and its label sits above the zero line.
    """
    numbers = [r[k] for r in rows for k in ("value", "low", "high", "bound") if r[k] is not None]
    top, bottom = max([0.0, *numbers]), min([0.0, *numbers])
    extent = (top - bottom) or 1.0  # all zero: arrows still get a visible length
    for row in rows:
        if row["kind"] == "lower-bound":
            # The arrow shows "more, by an unknown amount": a fixed share of the axis, never a value.
            row["arrow_end"] = row["bound"] + 0.22 * extent
            row["label_at"] = row["arrow_end"] + 0.05 * extent
            row["mark_text"] = (
                f"{_bound_words(_amount_of(row))}\n{fmt.format_amount(_point_of(row), i18n.current(), 'short')}"
            )
        elif row["kind"] == "upper-bound":
            # A bound above zero points down to zero at most; one at or below zero points further down.
            row["arrow_end"] = row["bound"] - 0.22 * extent
            if row["bound"] > 0:
                row["arrow_end"] = max(row["arrow_end"], 0.0)
            row["label_at"] = max(row["bound"], 0.0)
            row["mark_text"] = (
                f"{_bound_words(_amount_of(row))}\n{fmt.format_amount(_point_of(row), i18n.current(), 'short')}"
            )
        else:
            row["arrow_end"] = None
            row["label_at"] = max(row["value"] if row["kind"] == "point" else row["high"], 0.0)
            row["mark_text"] = row["value_text"]


def _amount_of(row: dict[str, Any]) -> Amount:
    """The bound of a row back as an Amount, for its words."""
    if row["kind"] == "lower-bound":
        return Amount.lower_bound(row["bound"], row["unit"], strict=bool(row["bound_strict"]))
    return Amount.upper_bound(row["bound"], row["unit"], strict=bool(row["bound_strict"]))


def _point_of(row: dict[str, Any]) -> Amount:
    return Amount.point(row["bound"], row["unit"], row["approximate"])


def credit_line(charts_rows: list[dict[str, Any]], gathered: Inputs) -> tuple[str, str]:
    """'Financial Times via a French-language report; QuestMobile.' and the newest as-of label."""
    dataset = gathered.dataset
    facts = []
    for row in charts_rows:
        facts.extend(_resolve(row["ref"], gathered)[1])
    primary: list[str] = []
    others: list[str] = []
    documents: list[str] = []
    for fact in facts:
        read = dataset.sources[fact.source].model
        language = Locale(i18n.current()).languages.get(read.language, read.language)
        doc = (
            _("a {language}-language report").format(language=language)
            if read.language != i18n.current()
            else read.publisher
        )
        if doc not in documents:
            documents.append(doc)
        for sid in fact.attributed_to:
            source = dataset.sources[sid].model
            target = primary if source.role == "primary-reporter" else others
            if source.publisher not in primary + others:
                target.append(source.publisher)
    and_ = _(" and ")
    head = (and_.join(primary) + _(" via ") + and_.join(documents)) if primary else and_.join(documents)
    credit = _("; ").join([head, *others]) + "."
    as_of = max(f.as_of for f in facts)
    return credit, fmt.period_label(as_of, i18n.current())


#: The wide layout (chart pages, embeds from 480 px) and the compact one (phones, narrow columns).
COMPACT_WIDTH, COMPACT_HEIGHT = 250, 220
#: Below this width (CSS px of the chart's column) the compact layout is shown.
COMPACT_BELOW = 480


@dataclass(frozen=True)
class Layout:
    """Sizes and text widths of one layout; characters per line are measured for Liberation Sans (Arial metrics)."""

    width: int
    height: int
    title_size: int
    subtitle_size: float
    label_size: int
    value_size: int
    title_chars: int
    subtitle_chars: int
    max_ticks: int
    compact: bool


WIDE = Layout(WIDTH, HEIGHT, 16, 12, 12, 12, 62, 92, 6, False)
COMPACT = Layout(COMPACT_WIDTH, COMPACT_HEIGHT, 15, 11.5, 11, 11, 34, 50, 4, True)


def _wrap(text: str, chars: int) -> list[str]:
    """Words of text in lines of at most `chars` characters (a longer word gets a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _ticks(bottom: float, top: float, max_ticks: int = 5) -> list[float]:
    """Round tick values inside bottom..top, through 0 (bottom <= 0 <= top): the nice step that leaves
    the least unused axis, then as many ticks as allowed. Every value 0 gives the ticks of 0 to 1."""
    if not top - bottom > 0:
        bottom, top = 0.0, 1.0
    span = top - bottom
    best: list[float] = [0.0]
    score = (0.0, 0)
    exponent_top = math.floor(math.log10(span))
    for exponent in (exponent_top, exponent_top - 1, exponent_top - 2):
        for multiple in (1, 2, 2.5, 5):
            step = multiple * 10.0**exponent
            first, last = math.ceil(bottom / step - 1e-9), math.floor(top / step + 1e-9)
            count = last - first
            covered = round((last - first) * step / span, 6)
            if 2 <= count <= max_ticks - 1 and (covered, count) > score:
                score = (covered, count)
                # Each tick is read from its decimal text (i x multiple, then the exponent), so it is the
                # float nearest the round number at any magnitude: no 1.0000000000000001e+24, no tiny
                # ticks rounded to 0.
                best = [float(f"{i * multiple!r}e{exponent}") + 0.0 for i in range(first, last + 1)]
    return best


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _tick_text(value: float, unit: str) -> str:
    """A tick label: the short figure without a spelled-out unit ("20 tn", "$200 bn"), which the axis title names."""
    if not value:
        return "0"
    text = fmt.format_amount(Amount.point(value, unit), i18n.current(), "short")
    spelled = fmt.unit_label(unit, style="short", locale=i18n.current())
    return text[: -len(spelled)].rstrip() if len(spelled) > 1 and text.endswith(" " + spelled) else text


def _key(rows: list[dict[str, Any]]) -> str:
    """What the marks mean, for the marks this chart has (faint and dashed, end marks, arrows)."""
    parts = []
    unsure = list(
        dict.fromkeys(
            _("approximate")
            if r["status"] in FIRM_STATUSES
            else fmt.status_label(r["status"], i18n.current()).split(" (")[0]
            for r in rows
            if not r["firm"]
        )
    )
    if unsure:
        parts.append(_("faint and dashed: {what}, not a reported amount").format(what=_(" or ").join(unsure)))
    if any(r["kind"] == "range" for r in rows):
        parts.append(_("bar with end marks: a range, drawn from its low to its high end"))
    for kind, arrow in (("lower-bound", N_("up")), ("upper-bound", N_("down"))):
        bounded = [r for r in rows if r["kind"] == kind]
        if bounded:
            words = _bound_words(_amount_of(bounded[0]))
            parts.append(
                _("open circle with an arrow {arrow}: {words} this amount, by an unknown margin").format(
                    arrow=_(arrow), words=words
                )
            )
    return (_("Key: ") + _("; ").join(parts) + ".") if parts else ""


def _compact_axis_label(row: dict[str, Any], chars: int) -> str:
    """The axis label wrapped to the width of one band, status kept on its own line."""
    lines = row["axis_label"].split("\n")
    return "\n".join(part for line in lines for part in _wrap(line, chars))


def chart_spec(
    chart: Chart, rows: list[dict[str, Any]], credit: str, as_of: str, compact: bool = False
) -> dict[str, Any]:
    """The Vega-Lite spec (a dict) of one chart, in the wide or the compact layout.

    The spec is Altair's (see `altair_spec`), but Altair builds it only once per shape of chart
    (layout, legend or not): building a chart object and calling `to_dict` cost ~0.3 s a spec on
    this machine, the largest part of drawing a chart. The shape is built with a placeholder for every
    value that differs between charts, and each chart's values are put in their place
    (tests/test_charts.py checks the result equals Altair's for every seed and synthetic chart).

    The compact layout (for columns narrower than COMPACT_BELOW) wraps the title and subtitle,
    wraps the axis labels to their band, draws fewer ticks and drops the legend (the axis labels
    already name every series). Both say the same figures; only the layout differs.
    """
    legend, values = _spec_values(chart, rows, credit, as_of, compact)
    return _fill(_template(compact, legend, i18n.current()), values)


def altair_spec(
    chart: Chart, rows: list[dict[str, Any]], credit: str, as_of: str, compact: bool = False
) -> dict[str, Any]:
    """The same spec as chart_spec, built by Altair for this chart alone (the reference the template is checked against).

    Altair's own schema validation costs about 0.35 s per chart (jsonschema over the whole
    Vega-Lite schema): it is skipped, and tests/test_charts.py validates every built spec against
    the Vega-Lite schema instead.
    """
    legend, values = _spec_values(chart, rows, credit, as_of, compact)
    return _altair(compact, legend, values)


#: Marks a placeholder in a template spec: a string no chart value can start with (labels are printable text).
_PLACEHOLDER = "\x00aif:"
_VALUE_NAMES = (
    "rows",
    "groups",
    "palette",
    "sort",
    "domain",
    "ticks",
    "tick_count",
    "tick_labels",
    "y_title",
    "title",
    "subtitle",
    "description",
)


@functools.cache
def _template(compact: bool, legend: bool, locale: str) -> dict[str, Any]:
    """Altair's spec of one shape of chart in one locale (its tooltip titles are translated), with a
    placeholder string for every value.

    Altair checks each object against the schema as it is made; a placeholder is not a valid
    value, so that check is off while the template is built (altair_spec keeps it on).

    Altair is imported here and in the three other functions that build with it, not at the top: its
    schema classes take ~0.3 s to import, and only building a template needs them (once per process,
    shape and language), so the commands that draw nothing (validate, new, diff, migrate) start without.
    """
    import altair as alt

    with alt.utils.schemapi.debug_mode(False):
        return _altair(compact, legend, {name: _PLACEHOLDER + name for name in _VALUE_NAMES})


def _fill(template: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A new spec: the template with each placeholder replaced by its value.

    Through JSON: the template's text is cut at its placeholders once, and each spec is the pieces with
    each value's JSON between them, read back by the C decoder. A new object throughout, so no two specs
    share a list. Walking the template in Python for each spec was 8 s of a rebuild at 10,000 realistic
    facts (5,146 series specs of ~420 nodes each)."""
    pieces = _pieces(template)
    out = [pieces[0]]
    for at in range(1, len(pieces), 2):
        out.append(json.dumps(values[pieces[at]], ensure_ascii=False))
        out.append(pieces[at + 1])
    filled: dict[str, Any] = json.loads("".join(out))
    return filled


#: Each template's JSON text cut at its placeholders (text, name, text, ..., text), by the template's id; the
#: template is kept beside it, so the id cannot be reused (templates are cached for the process anyway).
_PIECES: dict[int, tuple[dict[str, Any], list[str]]] = {}
#: A placeholder as JSON writes it: a whole string value (the control character escaped).
_PLACED = re.compile(re.escape(json.dumps(_PLACEHOLDER)[:-1]) + r'([a-z_]+)"')


def _pieces(template: dict[str, Any]) -> list[str]:
    found = _PIECES.get(id(template))
    if found is None or found[0] is not template:
        text = json.dumps(template, ensure_ascii=False)
        found = _PIECES[id(template)] = (template, _PLACED.split(text))
    return found[1]


def _spec_values(
    chart: Chart, rows: list[dict[str, Any]], credit: str, as_of: str, compact: bool
) -> tuple[bool, dict[str, Any]]:
    """Whether the chart has a legend, and every value of its spec that differs from chart to chart."""
    lay = COMPACT if compact else WIDE
    band_chars = max(8, int(lay.width / max(len(rows), 1) / (lay.label_size * 0.6)))
    if compact:
        rows = [
            {
                **r,
                "axis_label": _compact_axis_label(r, band_chars),
                "mark_text": r["mark_text"].replace(
                    " " + fmt.unit_label(chart.unit, style="short", locale=i18n.current()), ""
                )
                if len(fmt.unit_label(chart.unit, style="short", locale=i18n.current())) > 1
                else r["mark_text"],
            }
            for r in rows
        ]
    # The axis stops just above what is drawn: the highest label needs its lines of text above it.
    lines = max(r["mark_text"].count("\n") + 1 for r in rows)
    headroom = (lines * lay.value_size * 1.25 + 10) / lay.height
    peak = max(r["label_at"] or 0 for r in rows)
    top = max(peak / (1 - headroom), max(r["arrow_end"] or 0 for r in rows) * 1.04)
    # Bars of negative values hang under zero (their labels sit above the zero line): room below too.
    drawn = [r[k] for r in rows for k in ("arrow_end", "low", "bound", "value") if r[k] is not None]
    bottom = min([0.0, *drawn])
    bottom = bottom - 0.06 * (top - bottom) if bottom < 0 else 0.0
    ticks = _ticks(bottom, top, lay.max_ticks)
    top, bottom = max(top, ticks[-1]), min(bottom, ticks[0])
    tick_labels = [_tick_text(t, chart.unit) for t in ticks]
    groups = list(dict.fromkeys(r["group"] for r in rows))
    # A legend only where a colour stands for several series; the axis labels name each one anyway.
    shared = any(
        sum(r["group"] == g for r in rows) > 1
        and not all(g.lower() in r["label"].lower() for r in rows if r["group"] == g)
        for g in groups
    )
    key = _key(rows)
    source = _("Source: {credit} As of {as_of}.").format(credit=credit, as_of=as_of)
    said = [line for line in (chart.subtitle, key, source) if line]
    title = _wrap(chart.title, lay.title_chars)
    return shared and not compact, {
        "rows": rows,
        "groups": groups,
        "palette": PALETTE[: len(groups)],
        "sort": [r["axis_label"] for r in rows],
        "domain": [bottom, top],
        "ticks": ticks,
        "tick_count": len(ticks),
        "tick_labels": f"{json.dumps(tick_labels)}[indexof({json.dumps(ticks)}, datum.value)]",
        "y_title": _first_upper(fmt.unit_label(chart.unit, locale=i18n.current())),
        "title": title if len(title) > 1 else title[0],
        "subtitle": [part for line in said for part in _wrap(line, lay.subtitle_chars)],
        "description": alt_text(chart, rows, credit, as_of),
    }


def _altair(compact: bool, shared_legend: bool, v: dict[str, Any]) -> dict[str, Any]:
    """The spec built with Altair from a chart's values (or a template's placeholders)."""
    import altair as alt  # imported where used: see _template

    lay = COMPACT if compact else WIDE
    legend = alt.Legend(orient="bottom", labelFontSize=lay.label_size) if shared_legend else None
    colour = alt.Color("group:N", title=None, scale=alt.Scale(domain=v["groups"], range=v["palette"]), legend=legend)
    x = alt.X(
        "axis_label:N",
        sort=v["sort"],
        title=None,
        axis=alt.Axis(
            labelAngle=0,
            labelExpr="split(datum.label, '\\n')",
            labelLimit=lay.width,
            labelFontSize=lay.label_size,
            labelPadding=6,
        ),
    )
    y_scale = alt.Scale(domain=v["domain"], nice=False, zero=True)
    y_axis = alt.Axis(
        values=v["ticks"],
        labelExpr=v["tick_labels"],
        title=v["y_title"],
        grid=True,
        labelFontSize=lay.label_size,
        titleFontSize=lay.label_size,
        tickCount=v["tick_count"],
    )
    # Firm values are solid; planned, intended and approximate ones lighter with a dashed outline.
    opacity = alt.condition("datum.firm", alt.value(0.9), alt.value(0.35))
    dash = alt.condition("datum.firm", alt.value([1, 0]), alt.value([5, 3]))
    tooltip = [
        alt.Tooltip("label:N", title=_("Series")),
        alt.Tooltip("value_text:N", title=_("Value")),
        alt.Tooltip("status_text:N", title=_("Status")),
    ]
    base = alt.Chart(alt.Data(values=v["rows"])).encode(x=x, color=colour, tooltip=tooltip)
    points = (
        base.transform_filter("datum.kind == 'point'")
        .mark_bar(strokeWidth=1.5, width={"band": 0.6})
        .encode(
            y=alt.Y("value:Q", scale=y_scale, axis=y_axis),
            fillOpacity=opacity,
            strokeDash=dash,
            stroke=alt.Color("group:N", legend=None, scale=alt.Scale(domain=v["groups"], range=v["palette"])),
        )
    )
    # A range is a bar from its low to its high end, with whiskers, never a bar from zero.
    in_range = base.transform_filter("datum.kind == 'range'")
    ranges = in_range.mark_bar(width={"band": 0.6}, strokeWidth=1.5).encode(
        y=alt.Y("low:Q", scale=y_scale, axis=y_axis),
        y2="high:Q",
        fillOpacity=opacity,
        strokeDash=dash,
        stroke=alt.Color("group:N", legend=None, scale=alt.Scale(domain=v["groups"], range=v["palette"])),
    )
    whiskers = in_range.mark_rule(strokeWidth=2).encode(y=alt.Y("low:Q", scale=y_scale), y2="high:Q")
    tick_size = 20 if compact else 28
    range_ends = alt.layer(
        in_range.mark_tick(thickness=2, size=tick_size).encode(y=alt.Y("low:Q", scale=y_scale)),
        in_range.mark_tick(thickness=2, size=tick_size).encode(y=alt.Y("high:Q", scale=y_scale)),
    )
    # A bound: an open marker at the bound, a dashed shaft and a triangle in the bound's direction.
    bounded = base.transform_filter("datum.kind == 'lower-bound' || datum.kind == 'upper-bound'")
    bound_marker = bounded.mark_point(shape="circle", filled=False, size=160, strokeWidth=2.5).encode(
        y=alt.Y("bound:Q", scale=y_scale)
    )
    bound_shaft = bounded.mark_rule(strokeWidth=2, strokeDash=[4, 3]).encode(
        y=alt.Y("bound:Q", scale=y_scale), y2="arrow_end:Q"
    )
    bound_arrow = bounded.mark_point(filled=True, size=140, opacity=1).encode(
        y=alt.Y("arrow_end:Q", scale=y_scale),
        shape=alt.Shape(
            "kind:N",
            legend=None,
            scale=alt.Scale(domain=["lower-bound", "upper-bound"], range=["triangle-up", "triangle-down"]),
        ),
    )
    labels = base.mark_text(
        baseline="bottom",
        dy=-6,
        lineBreak="\n",
        fontSize=lay.value_size,
        fontWeight="bold",
        lineHeight=round(lay.value_size * 1.2),
    ).encode(y=alt.Y("label_at:Q", scale=y_scale), text="mark_text:N", color=alt.value("#222222"))
    layered = alt.layer(points, ranges, whiskers, range_ends, bound_shaft, bound_marker, bound_arrow, labels)
    spec = (
        layered.properties(
            width=lay.width,
            height=lay.height,
            title=alt.TitleParams(
                v["title"],
                subtitle=v["subtitle"],
                anchor="start",
                subtitleColor="#444444",
                fontSize=lay.title_size,
                subtitleFontSize=lay.subtitle_size,
                subtitlePadding=4,
                offset=12,
            ),
            description=v["description"],
        )
        .configure(font=FONT)
        .configure_view(stroke=None)
        .to_dict(validate=False)
    )
    return spec


def alt_text(chart: Chart, rows: list[dict[str, Any]], credit: str, as_of: str) -> str:
    """A description of the chart for screen readers, generated from exactly what is plotted."""
    shape = _("Bar chart comparing") if chart.kind == "comparison" else _("Chart over time of")
    parts = []
    for row in rows:
        note = "" if row["status"] in FIRM_STATUSES else f", {row['status_text']}"
        parts.append(f"{row['label']} {row['value_words']}{note}")
    return _("{shape} {title}: {parts}. Source: {credit} As of {as_of}.").format(
        shape=shape, title=chart.title, parts=_("; ").join(parts), credit=credit, as_of=as_of
    )


def plot_all(gathered: Inputs, only: list[Chart] | None = None) -> list[Plotted]:
    """Every chart of the dataset (or `only` these), in file order, each in the wide and the compact layout.

    A spec costs ~2 ms from its template (chart_spec), less than reading it back from a cache
    would: specs are built afresh in every build, and only the images are cached.
    """
    chart_list = only if only is not None else [record.model for record in gathered.dataset.charts.values()]
    out = []
    for chart in chart_list:
        rows = chart_rows(chart, gathered)
        credit, as_of = credit_line(rows, gathered)
        wide, compact = chart_spec(chart, rows, credit, as_of, False), chart_spec(chart, rows, credit, as_of, True)
        out.append(Plotted(chart, rows, wide, alt_text(chart, rows, credit, as_of), credit, as_of, compact))
    return out


def store(target: Path, data: bytes) -> None:
    """Write one render (or the Vega bundle) into the cache atomically: a crash never leaves half a file
    there, and a file is replaced by rename, never written in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.write_bytes(data)
    except OSError as exc:  # a failed write() names no file: say which one (disk full...)
        tmp.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(target)) from exc
    tmp.replace(target)


def refuse_external(spec: dict[str, Any]) -> None:
    """Raise ChartError if a spec could make vl-convert fetch anything (see archive.external_references)."""

    found = external_references(spec)
    if found:
        path, what = found[0]
        raise ChartError(f"refusing to render a spec with an external reference at {'.'.join(map(str, path))}: {what}")


def _vl() -> Any:
    """vl_convert, with its font database set up (once per process: the main one and each worker)."""
    return chart_fonts.vl_convert()


def _draw_svg(spec: dict[str, Any]) -> str:
    """The one place a spec is drawn: refused if it refers outside itself, and with no URL allowed,
    so vl-convert's loader cannot fetch even what the check would miss."""
    refuse_external(spec)
    return str(_vl().vegalite_to_svg(spec, allowed_base_urls=[]))


#: The preview image (oEmbed thumbnail, sharing card, PNG download): the size sharing cards are drawn at,
#: the chart scaled to fit and centred on white, in a palette of PREVIEW_COLOURS (a chart has a few
#: flat colours plus the anti-aliasing of its text: ~30 kB where the full-colour 2x image was ~240 kB).
PREVIEW_SIZE = (1200, 630)
PREVIEW_COLOURS = 128
#: How the palette is chosen. Measured on the seed's six previews (2 December 2026, each ~200 colours before):
#: median cut took 75 ms a preview (quantize and write), maximum coverage 51 ms for the same 21.7 kB and the
#: same look at 1:1 and enlarged. On 30 charts of the realistic benchmark profile (3 December 2026, ~250
#: colours each) maximum coverage took 21.2 ms and the fast octree 8.0 ms, for 26.2 kB and 23.1 kB. The
#: octree averages the colours of each of its buckets, so the white background came out (254, 254, 254)
#: with the lightest anti-aliasing: `_white_kept` puts that one entry back to white.
PREVIEW_QUANTIZE = Image.Quantize.FASTOCTREE
#: zlib's level for the preview. Measured on the seed's six previews (3 December 2026): Pillow's
#: `optimize` (level 9 and a search of the filters) took 30.2 ms a preview for 21.8 kB, level 8 13.5 ms
#: for 22.3 kB, level 6 5.8 ms for 23.5 kB. 1.7 kB more a chart is ~0.2 kB a fact at 0.1 chart a fact.
PREVIEW_COMPRESSION = 6


def svg_size(svg: str | bytes) -> tuple[int, int]:
    """Width and height of a rendered SVG, from its root element."""
    head = svg[:400].decode("utf-8", "replace") if isinstance(svg, bytes) else svg[:400]
    width = re.search(r'width="([\d.]+)"', head)
    height = re.search(r'height="([\d.]+)"', head)
    return round(float(width.group(1))) if width else WIDTH, round(float(height.group(1))) if height else 400


def _draw_png(svg: str) -> bytes:
    """Rasterise an SVG drawn by _draw_svg into the preview image; one with any href attribute (an image or
    link) is never rasterised."""
    if not plain_svg(svg):
        raise ChartError("refusing to rasterise an SVG that links or embeds an outside resource")
    width, height = svg_size(svg)
    scale = min(PREVIEW_SIZE[0] / width, PREVIEW_SIZE[1] / height)
    with Image.open(io.BytesIO(bytes(_vl().svg_to_png(svg, scale=scale)))) as drawn:
        chart = drawn.convert("RGB")
    canvas = Image.new("RGB", PREVIEW_SIZE, "white")
    canvas.paste(chart, ((PREVIEW_SIZE[0] - chart.width) // 2, (PREVIEW_SIZE[1] - chart.height) // 2))
    reduced = _white_kept(canvas, canvas.quantize(PREVIEW_COLOURS, method=PREVIEW_QUANTIZE, dither=Image.Dither.NONE))
    out = io.BytesIO()
    reduced.save(out, format="PNG", compress_level=PREVIEW_COMPRESSION)
    return out.getvalue()


def _white_kept(canvas: Image.Image, reduced: Image.Image) -> Image.Image:
    """The palette image with the entry its background maps to set back to pure white.

    The canvas's corner is background: the margin of the canvas or the chart's own white rectangle. The
    entry is changed only when it is within 3 levels of white (the octree's average of near-white pixels).
    """
    if canvas.getpixel((0, 0)) != (255, 255, 255):
        return reduced
    index = reduced.getpixel((0, 0))
    palette = reduced.getpalette() or []
    if not isinstance(index, int) or len(palette) < 3 * index + 3:
        return reduced
    if all(255 - level <= 3 for level in palette[3 * index : 3 * index + 3]):
        palette[3 * index : 3 * index + 3] = [255, 255, 255]
        reduced.putpalette(palette)
    return reduced


#: Elements a chart's SVG must never hold (Vega escapes every label; this guards the guarantee).
_UNSAFE_TAGS = {"script", "foreignobject", "iframe", "use", "image", "a", "animate", "set", "style", "embed", "object"}


def plain_svg(text: str) -> bool:
    """Whether an SVG is plain drawing: parsed as XML, no DTD, no active element, no event, link or url().

    One check for both uses: an SVG that fails it is never rasterised to PNG (it could load an outside
    resource) and never inlined into a page (embed.inline_svg). Text that merely says "href" (a title,
    an aria-label) is inert and passes.
    """
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    known = _PLAIN.get(digest)
    if known is None:
        if len(_PLAIN) >= 100_000:
            _PLAIN.clear()
        known = _PLAIN[digest] = _plain(text)
    return known


#: plain_svg's answers by the SVG's digest: a build checks each drawing when it comes out of the chart cache
#: and again when a page inlines it, on every page that shows it (at 2,000 realistic facts, 4,864 XML parses
#: of 1,412 drawings, 2.5 s).
_PLAIN: dict[bytes, bool] = {}


def _plain(text: str) -> bool:
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        return False
    try:
        tree = ET.fromstring(text)
    except ET.ParseError:
        return False
    for element in tree.iter():
        if element.tag.rpartition("}")[2].lower() in _UNSAFE_TAGS:
            return False
        for name, value in element.attrib.items():
            local = name.rpartition("}")[2].lower()
            if local.startswith("on") or local in ("href", "src") or (local == "style" and "url(" in value):
                return False
    return True


@functools.cache
def render_environment() -> str:
    """What a render depends on besides the spec: vl-convert's version (and so the font it bundles) and
    the machine fonts it may fall back to. Part of every image's cache key, so a warm and a cold build agree."""
    parts = [
        importlib.metadata.version("vl-convert-python"),
        importlib.metadata.version("pillow"),
        f"preview {PREVIEW_SIZE} {PREVIEW_COLOURS} {PREVIEW_QUANTIZE.name} zlib {PREVIEW_COMPRESSION}",
    ]
    parts += chart_fonts.fallback_fonts()
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def render_key(spec: dict[str, Any]) -> str:
    """Cache key of a spec's images: the digest of its content and the render environment.

    spec_digest, not spec_hash: most drawings (the series charts on entity and metric pages) are never
    published under a content address, and spec_hash writes the indented JSON (pure Python, 1-3 ms a
    spec) the first time it sees a spec, 5,000 times in a 10,000-fact build."""
    return f"{spec_digest(spec)[:32]}-{render_environment()[:12]}"


def usable(data: bytes, kind: str) -> bool:
    """Whether a cached image can be published: an SVG that passes plain_svg, a PNG of the preview's size."""
    if kind == "png":
        return data[:8] == b"\x89PNG\r\n\x1a\n" and png_size(data) == PREVIEW_SIZE
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return text.startswith("<svg") and plain_svg(text)


#: A cached preview PNG's name after its key (the name says what it is, beside the older 2x renders).
PNG_SUFFIX = ".preview.png"


def render(spec: dict[str, Any], kind: str, cache: Path, key: str | None = None) -> bytes:
    """The spec drawn as SVG or PNG, from .generator-cache/charts/<key>.<kind> when it was drawn before;
    `key` is the spec's render_key when the caller has it (each costs a serialisation of the spec)."""
    global RENDER_COUNT
    if kind not in ("svg", "png"):
        raise ValueError(f"cannot render {kind!r}: choose svg or png")
    key = key or render_key(spec)
    target = cache / f"{key}{PNG_SUFFIX if kind == 'png' else '.svg'}"
    if target.is_file():
        cached = target.read_bytes()
        if usable(cached, kind):
            return cached
        # A damaged or foreign entry (a restored CI cache is input too): drawn again, never published.
    if kind == "png":  # the SVG is drawn first in every build, so rasterising it skips a second Vega run
        data = _draw_png(render(spec, "svg", cache, key).decode("utf-8"))
    else:
        data = _draw_svg(spec).encode("utf-8")
    RENDER_COUNT += 1
    store(target, data)
    return data


def _draw_task(job: tuple[str, bool]) -> tuple[bytes, bytes | None]:
    """SVG (and the preview PNG, when asked) of one spec given as JSON text (runs in a worker process)."""
    spec_text, with_png = job
    svg = _draw_svg(json.loads(spec_text))
    return svg.encode("utf-8"), _draw_png(svg) if with_png else None


def prerender(
    specs: list[dict[str, Any]],
    cache: Path,
    workers: int = 2,
    previews: list[dict[str, Any]] | None = None,
    keys: list[str] | None = None,
) -> int:
    """Draw the SVG of every spec and the preview PNG of every spec in `previews` missing from the cache, in
    parallel; returns renders done. `keys` are the specs' render keys when the caller has them.

    Only a chart's current wide layout is published as a PNG: drawing one for the compact layout and
    for archived versions too would double the cost of rasterising for nothing. vl-convert runs every
    call on one JavaScript runtime per process, so threads do not overlap (measured: 2 threads, same
    time per chart); worker processes do. Workers are spawned, not forked, because the parent may already
    hold vl-convert's runtime threads, and kept for the rest of the process (_drawing_pool). The bytes do
    not depend on which process drew them, so the output stays deterministic; `render` then reads every
    chart from the cache.
    """
    global RENDER_COUNT
    missing: dict[str, tuple[dict[str, Any], bool, bool]] = {}  # key -> (spec, draw the SVG, draw the PNG)
    known = keys or [render_key(spec) for spec in specs]
    wanted = [(spec, key, False) for spec, key in zip(specs, known, strict=True)]
    wanted += [(spec, render_key(spec), True) for spec in previews or []]
    for spec, key, png in wanted:
        svg_missing = not (cache / f"{key}.svg").is_file()
        png_missing = png and not (cache / f"{key}{PNG_SUFFIX}").is_file()
        if svg_missing or png_missing:
            _, had_svg, had_png = missing.get(key, (spec, False, False))
            missing[key] = (spec, had_svg or svg_missing, had_png or png_missing)
    renders = sum(svg + png for _, svg, png in missing.values())
    if len(missing) < 2 * workers or workers < 2:  # not worth starting processes
        for key, (spec, _, png) in missing.items():
            render(spec, "svg", cache, key)
            if png:
                render(spec, "png", cache, key)
        return renders
    # Compact JSON (the indented spec_json is pure Python, ~3 ms a spec), its keys sorted as spec_json
    # sorts them: the workers draw the same dicts as before, to the same bytes.
    jobs = [(compact_json(spec), png) for spec, _, png in missing.values()]
    try:
        for (key, (_, svg_missing, _)), (svg, png_data) in zip(
            missing.items(), _drawing_pool(workers).map(_draw_task, jobs, chunksize=8), strict=True
        ):
            if svg_missing:
                store(cache / f"{key}.svg", svg)
                RENDER_COUNT += 1
            if png_data is not None:
                store(cache / f"{key}{PNG_SUFFIX}", png_data)
                RENDER_COUNT += 1
    except BrokenProcessPool:
        _drop_pool()  # a worker died (killed, out of memory): the next prerender starts new ones
        raise
    return renders


#: The drawing workers: started by the first prerender that needs them and kept for the rest of the
#: process. A cold build draws twice (the declared charts, then the series charts) and `serve` and the
#: tests build many times; each spawned worker costs ~1 s before its first drawing (importing the
#: generator, starting vl-convert's runtime, registering the font).
_POOL: tuple[int, ProcessPoolExecutor] | None = None


def _drawing_pool(workers: int) -> ProcessPoolExecutor:
    """The process's pool of `workers` drawing processes, started on first use."""
    global _POOL
    if _POOL is None or _POOL[0] != workers:
        _drop_pool()
        _POOL = (workers, ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")))
    return _POOL[1]


def _drop_pool(wait: bool = False) -> None:
    """Stop the kept workers, if any (waiting for them to end when `wait`)."""
    global _POOL
    if _POOL is not None:
        _POOL[1].shutdown(wait=wait, cancel_futures=True)
        _POOL = None


# The kept workers are stopped before multiprocessing joins this process's children at its exit. In a
# process that multiprocessing started (the benchmark's timed builds), that join comes before the
# executor's own exit hook and waited forever for idle workers. Finalizers run first, highest priority
# first: this one before the executor's queues close (priority 10), so the workers get their stop.
multiprocessing.util.Finalize(None, functools.partial(_drop_pool, wait=True), exitpriority=100)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, read from its IHDR chunk."""
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# --- Series over time: one entity's metric as a line over real period dates (issue 15) ---------------------------
#: Days from 1970-01-01: the x axis of a series is quantitative in days, so no time zone can move a point.
_EPOCH = 719163  # date(1970, 1, 1).toordinal()


def series_rows(
    facts: list[Fact],
    unit: str,
    superseded: frozenset[str],
    spans: dict[str, tuple[date, date]],
    labels: dict[str, str],
) -> list[dict[str, Any]]:
    """One row per fact of a series drawn over time: its period as days (start, middle, end), its numbers, labels.

    `spans` gives each fact's period as (first day, last day), `labels` its short period label; facts in
    another unit than `unit` are converted (a series is drawn in one unit) or left out when they cannot be.
    """
    rows = []
    for order, fact in enumerate(facts):
        amount = fact_amount(fact)
        if amount is None:
            continue
        if amount.unit != unit:
            try:
                amount = arithmetic.to_unit(amount, unit)
            except arithmetic.ArithmeticProblem:
                continue
        start, end = (day.toordinal() - _EPOCH for day in spans[fact.id])
        kind = amount.kind
        bound = amount.low if kind == "lower-bound" else amount.high if kind == "upper-bound" else None
        old = fact.id in superseded
        rows.append(
            {
                "order": order,
                "ref": fact.id,
                "kind": kind,
                "start": start,
                "end": end + 1,
                "middle": (start + end + 1) / 2,
                "value": amount.central if kind == "point" else None,
                "low": amount.low.value if kind == "range" else None,
                "high": amount.high.value if kind == "range" else None,
                "bound": bound.value if bound is not None else None,
                "superseded": old,
                "line": amount.central if kind in ("point", "range") and not old else None,
                "firm": fact.status in FIRM_STATUSES and not amount.approximate,
                "status": fact.status,
                "period_text": labels[fact.id],
                "as_of": fact.as_of,
                "value_text": fmt.format_amount(amount, i18n.current(), "short"),
                "value_words": fmt.format_amount(amount, i18n.current(), "long"),
                "status_text": fmt.status_label(fact.status, i18n.current()),
            }
        )
    return rows


def _series_key(rows: list[dict[str, Any]]) -> str:
    """What the marks of a series chart mean, for the marks it has."""
    parts = []
    if any(r["kind"] == "range" for r in rows):
        parts.append(_("band: a range, from its low to its high end, over the period it covers"))
    if any(r["kind"] in ("lower-bound", "upper-bound") for r in rows):
        parts.append(_("arrow: a bound (more or less than the point, by an unknown margin)"))
    if any(r["superseded"] for r in rows):
        parts.append(_("hollow, grey outline: an earlier statement the source has since revised"))
    if any(not r["firm"] for r in rows):
        parts.append(_("faint or dashed: not a reported amount (planned, estimated or approximate)"))
    return (_("Key: ") + _("; ").join(parts) + ".") if parts else ""


def series_spec(
    title: str, rows: list[dict[str, Any]], unit: str, credit: str, compact: bool = False
) -> dict[str, Any]:
    """The Vega-Lite spec of a series over time, in the wide or the compact layout.

    Points are drawn at the middle of their period, a range as a band over its period, a bound as an open
    circle with an arrow, a superseded value hollow; a line joins the current points and range middles.
    Like chart_spec, Altair builds the shape once per layout and language (`_series_template`) and each
    series' values are put in place: Altair's `to_dict` cost ~0.4 s a spec, most of a seed build's render
    stage. tests/test_series_charts.py checks the result equals Altair's own (`series_altair_spec`).
    """
    return _fill(_series_template(compact, i18n.current()), _series_values(title, rows, unit, credit, compact))


def series_altair_spec(
    title: str, rows: list[dict[str, Any]], unit: str, credit: str, compact: bool = False
) -> dict[str, Any]:
    """The same spec as series_spec, built by Altair for this series alone (what the template is checked against)."""
    return _series_altair(compact, _series_values(title, rows, unit, credit, compact))


_SERIES_VALUE_NAMES = (
    "rows",
    "texts",
    "y_domain",
    "y_ticks",
    "y_labels",
    "y_title",
    "x_domain",
    "x_values",
    "x_labels",
    "title",
    "subtitle",
    "description",
)


@functools.cache
def _series_template(compact: bool, locale: str) -> dict[str, Any]:
    """Altair's spec of a series chart in one layout and language, a placeholder for every value (see _template)."""
    import altair as alt  # imported where used: see _template

    with alt.utils.schemapi.debug_mode(False):
        return _series_altair(compact, {name: _PLACEHOLDER + name for name in _SERIES_VALUE_NAMES})


def _series_values(title: str, rows: list[dict[str, Any]], unit: str, credit: str, compact: bool) -> dict[str, Any]:
    """Every value of a series chart's spec that differs from series to series."""
    lay = COMPACT if compact else WIDE
    rows = [dict(r) for r in rows]  # the layout adds arrow ends and label places to copies
    numbers = [r[k] for r in rows for k in ("value", "low", "high", "bound") if r[k] is not None]
    top, bottom = max([0.0, *numbers]), min([0.0, *numbers])
    extent = (top - bottom) or 1.0
    for row in rows:
        row["arrow_end"] = None
        if row["kind"] == "lower-bound":
            row["arrow_end"] = row["bound"] + 0.18 * extent
        elif row["kind"] == "upper-bound":
            row["arrow_end"] = (
                max(row["bound"] - 0.18 * extent, 0.0) if row["bound"] > 0 else row["bound"] - 0.18 * extent
            )
        row["label_at"] = max(v for v in (row["value"], row["high"], row["arrow_end"], row["bound"]) if v is not None)
    headroom = (lay.value_size * 1.25 + 12) / lay.height
    peak = max(r["label_at"] for r in rows)
    ticks = _ticks(min(bottom, 0.0), peak / (1 - headroom), lay.max_ticks)
    y_top = max(peak / (1 - headroom), ticks[-1])
    first, last = min(r["start"] for r in rows), max(r["end"] for r in rows)
    pad = max(20.0, 0.08 * (last - first))
    middles = list(dict.fromkeys(r["middle"] for r in rows))
    x_labels = {r["middle"]: r["period_text"] for r in rows}
    short = fmt.unit_label(unit, style="short", locale=i18n.current())
    texts = [
        {**r, "mark_text": r["value_text"].replace(" " + short, "") if compact and len(short) > 1 else r["value_text"]}
        for r in rows
        if not r["superseded"]
    ]
    key = _series_key(rows)
    said = [line for line in (key, _("Source: {credit}").format(credit=credit)) if line]
    heading = _wrap(title, lay.title_chars)
    return {
        "rows": rows,
        "texts": texts,
        "y_domain": [min(ticks[0], 0.0), y_top],
        "y_ticks": ticks,
        "y_labels": f"{json.dumps([_tick_text(t, unit) for t in ticks])}[indexof({json.dumps(ticks)}, datum.value)]",
        "y_title": _first_upper(fmt.unit_label(unit, locale=i18n.current())),
        "x_domain": [first - pad, last + pad],
        "x_values": middles,
        "x_labels": f"{json.dumps([x_labels[m] for m in middles])}[indexof({json.dumps(middles)}, datum.value)]",
        "title": heading if len(heading) > 1 else heading[0],
        "subtitle": [part for text in said for part in _wrap(text, lay.subtitle_chars)],
        "description": series_alt_text(title, rows, credit),
    }


def _series_altair(compact: bool, v: dict[str, Any]) -> dict[str, Any]:
    """A series chart's spec built with Altair from its values (or a template's placeholders)."""
    import altair as alt  # imported where used: see _template

    lay = COMPACT if compact else WIDE
    y_scale = alt.Scale(domain=v["y_domain"], nice=False, zero=True)
    y_axis = alt.Axis(
        values=v["y_ticks"],
        labelExpr=v["y_labels"],
        title=v["y_title"],
        grid=True,
        labelFontSize=lay.label_size,
        titleFontSize=lay.label_size,
    )
    x_scale = alt.Scale(domain=v["x_domain"], nice=False, zero=False)
    x_axis = alt.Axis(
        values=v["x_values"],
        title=None,
        grid=False,
        labelFontSize=lay.label_size,
        labelAngle=0,
        labelExpr=v["x_labels"],
        labelOverlap=True,
    )
    colour = PALETTE[0]
    base = alt.Chart(alt.Data(values=v["rows"]))
    x = alt.X("middle:Q", scale=x_scale, axis=x_axis)
    tooltip = [
        alt.Tooltip("period_text:N", title=_("Period")),
        alt.Tooltip("value_text:N", title=_("Value")),
        alt.Tooltip("as_of:N", title=_("As of")),
        alt.Tooltip("status_text:N", title=_("Status")),
    ]
    fill_opacity = alt.condition("datum.superseded", alt.value(0.0), alt.value(0.25))
    # A superseded range is an outline only, grey and dashed: what was said before, not what is said now.
    band_stroke = alt.condition("datum.superseded", alt.value(SUPERSEDED_GREY), alt.value(colour))
    band_dash = alt.condition("datum.superseded || !datum.firm", alt.value([4, 3]), alt.value([1, 0]))
    bands = (
        base.transform_filter("datum.kind == 'range'")
        .mark_rect(strokeWidth=1.5, color=colour)
        .encode(
            x=alt.X("start:Q", scale=x_scale, axis=x_axis),
            x2="end:Q",
            y=alt.Y("low:Q", scale=y_scale, axis=y_axis),
            y2="high:Q",
            fillOpacity=fill_opacity,
            stroke=band_stroke,
            strokeDash=band_dash,
            tooltip=tooltip,
        )
    )
    line = (
        base.transform_filter("datum.line != null")
        .mark_line(color=colour, strokeWidth=2)
        .encode(x=x, y=alt.Y("line:Q", scale=y_scale), order="order:Q")
    )
    points = (
        base.transform_filter("datum.kind == 'point'")
        .mark_point(shape="circle", size=90, strokeWidth=2, color=colour)
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=y_scale),
            fill=alt.condition("datum.superseded", alt.value("#ffffff"), alt.value(colour)),
            # hollow and grey, as the key says: an earlier statement, not a planned (light) value
            stroke=alt.condition("datum.superseded", alt.value(SUPERSEDED_GREY), alt.value(colour)),
            fillOpacity=alt.condition("datum.firm || datum.superseded", alt.value(1.0), alt.value(0.35)),
            tooltip=tooltip,
        )
    )
    bounded = base.transform_filter("datum.kind == 'lower-bound' || datum.kind == 'upper-bound'")
    bound_marker = bounded.mark_point(shape="circle", filled=False, size=110, strokeWidth=2.5, color=colour).encode(
        x=x, y=alt.Y("bound:Q", scale=y_scale), tooltip=tooltip
    )
    bound_shaft = bounded.mark_rule(strokeWidth=2, strokeDash=[4, 3], color=colour).encode(
        x=x, y=alt.Y("bound:Q", scale=y_scale), y2="arrow_end:Q"
    )
    bound_arrow = bounded.mark_point(filled=True, size=110, opacity=1, color=colour).encode(
        x=x,
        y=alt.Y("arrow_end:Q", scale=y_scale),
        shape=alt.Shape(
            "kind:N",
            legend=None,
            scale=alt.Scale(domain=["lower-bound", "upper-bound"], range=["triangle-up", "triangle-down"]),
        ),
    )
    labels = (
        alt.Chart(alt.Data(values=v["texts"]))
        .mark_text(baseline="bottom", dy=-8, fontSize=lay.value_size, fontWeight="bold", color="#222222")
        .encode(x=x, y=alt.Y("label_at:Q", scale=y_scale), text="mark_text:N")
    )
    layers = alt.layer(bands, line, points, bound_shaft, bound_marker, bound_arrow, labels)
    return (
        layers.properties(
            width=lay.width,
            height=lay.height,
            title=alt.TitleParams(
                v["title"],
                subtitle=v["subtitle"],
                anchor="start",
                subtitleColor="#444444",
                fontSize=lay.title_size,
                subtitleFontSize=lay.subtitle_size,
                subtitlePadding=4,
                offset=12,
            ),
            description=v["description"],
        )
        .configure(font=FONT)
        .configure_view(stroke=None)
        .to_dict(validate=False)
    )


def series_alt_text(title: str, rows: list[dict[str, Any]], credit: str) -> str:
    """A screen-reader description of a series chart, from exactly what is drawn."""
    parts = []
    for row in rows:
        note = "" if row["status"] in FIRM_STATUSES else f", {row['status_text']}"
        old = _(", superseded") if row["superseded"] else ""
        as_of = _("as of {date}").format(date=i18n.date_words(row["as_of"]))
        parts.append(f"{row['period_text']}: {row['value_words']} ({as_of}{note}{old})")
    return _("Line chart over time of {title}: {parts}. Source: {credit}").format(
        title=title, parts=_("; ").join(parts), credit=credit
    )
