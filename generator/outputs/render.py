"""Stage 5, render: Jinja templates to plain Markdown pages under site_src/.

Every `{{ }}` output is escaped by the environment's `finalize` (generator/outputs/escape.py), so text
from fact files can never become markup, links or script. Links are built by `pages.relative`
from slugs only. Page contexts (what each page says) are made in generator/outputs/pages.py; what is read
once per build for them (the newest release that citations name, git's "last changed") is read here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from generator.compute.derive import Derivation
from generator.inputs import series
from generator.inputs.dataset import Dataset
from generator.model import fmt, periods
from generator.model.schema import json_schema
from generator.model.values import Amount
from generator.outputs import charts, export, i18n, pages, timelines
from generator.outputs.charts import Plotted
from generator.outputs.columns import COLUMNS
from generator.outputs.context import Gathered
from generator.outputs.figures import figure as inline_figure
from generator.outputs.i18n import _

#: Renders one page: (path under site_src/, template name, its variables).
RenderPage = Callable[..., tuple[str, str]]


def current_rows(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Download rows by id, through JSON, so they compare equal to a release's rows."""
    return {r["id"]: r for r in json.loads(export.to_json(rows))}


def chart_citation(ctx: Gathered, plotted: Plotted) -> dict[str, Any]:
    """The cite line of a chart page (for generator.outputs.embed): its credit, the release, the versioned embed."""
    site, edition = ctx.site, ctx.edition
    order = ["released", "changed", "added", "unreleased"]
    state = "released"
    for row in json.loads(export.to_json([_released_form(r) for r in plotted.rows])):
        name = "derived.json" if row.pop("source_kind") == "derived" else "facts.json"
        old = edition.rows.get(name, {}).get(row["id"])
        # A series converted to the chart's unit cannot be compared with the release; its inputs can.
        found = edition.state(name, row) if old is None or old.get("unit") == row["unit"] else "released"
        state = max(state, found, key=order.index)
    base = site.url.rstrip("/")
    version = _("this version: {url}; ").format(url=f"{base}/embed/{plotted.chart.id}/v/{plotted.hash}/")
    return pages.cite(
        site,
        edition,
        state,
        producers=plotted.credit.rstrip("."),
        title=plotted.chart.title,
        page=f"charts/{plotted.chart.id}/index.md",
        data="facts.json",
        noun="chart's data",
        extra=version,
    )


def _released_form(row: dict[str, Any]) -> dict[str, Any]:
    """A chart row in the columns of the downloads (a bound's end is its low or high)."""
    kind, bound, value = row["kind"], row.get("bound"), row["value"]
    low = value if kind == "point" else bound if kind == "lower-bound" else row["low"]
    high = value if kind == "point" else bound if kind == "upper-bound" else row["high"]
    out = {
        "id": row["ref"],
        "source_kind": row["source_kind"],
        "kind": kind,
        "value": value,
        "low": low,
        "high": high,
        "bound_strict": row["bound_strict"],
        "unit": row["unit"],
    }
    if row["source_kind"] == "fact":
        out["status"] = row["status"]
    return out


name = "render"


def outputs(ctx: Gathered) -> Iterator[tuple[str, str]]:
    """Stage entry point for the build: every generated page in the current language (the build runs
    this stage once per language, see build.LOCALIZED_STAGES, and puts other languages under <language>/)."""
    # Page by page: the writer takes each as it comes, so the pages of 10,000 facts are never all in memory.
    yield from iter_pages(ctx)
    if i18n.current() != i18n.DEFAULT:
        yield from handwritten(ctx.root).items()


#: Hand-written parts of site_src/ that every language's project needs (its pages link to them).
HANDWRITTEN = ("about.md", "methodology.md", "contribute.md", "benchmark.md", "assets/site.css", "assets/site.js")


def handwritten(root: Path) -> dict[str, str]:
    """The hand-written pages and assets for the current language's project: its own translation
    (locales/<language>/pages/<name>) when there is one, else the English page with a notice saying
    so, in the page's language and marked as English, so the gap is visible, never silent."""
    language = i18n.current()
    out: dict[str, str] = {}
    for name in HANDWRITTEN:
        own = root / i18n.LOCALES / language / "pages" / name
        source = own if own.is_file() else root / "site_src" / name
        if not source.is_file():
            continue
        text = source.read_text(encoding="utf-8")
        if name.endswith(".md") and not own.is_file():
            text = i18n.english_notice(text)
        out[name] = text
    return out


def render_pages(
    ctx: Gathered,
    changed: dict[str, tuple[str, str]] | None = None,
    figures: dict[tuple[str, str], Markup] | None = None,
    drawn: dict[str, Markup] | None = None,
) -> dict[str, str]:
    """Every generated page as {path under site_src/: text} (iter_pages, all at once)."""
    return dict(iter_pages(ctx, changed, figures, drawn))


def iter_pages(
    ctx: Gathered,
    changed: dict[str, tuple[str, str]] | None = None,
    figures: dict[tuple[str, str], Markup] | None = None,
    drawn: dict[str, Markup] | None = None,
) -> Iterator[tuple[str, str]]:
    """Every generated page as (path under site_src/, text), one at a time; `changed` is {fact id: (date, commit)}
    (default: the context's, from git); `figures` the inline series charts by (entity, metric)
    (default: drawn through the build's chart cache, generator.outputs.timelines); `drawn` the static
    figure of each declared chart by id, for the fact, derived, entity and metric pages whose figures it
    plots (default: chart_figures)."""
    env, site, edition = ctx.templates, ctx.site, ctx.edition  # edition: the release "Cite this" names
    dataset, derivation = ctx.dataset, ctx.derivation
    changed = ctx.last_changed if changed is None else changed
    figures = timelines.figures(ctx) if figures is None else figures
    drawn = chart_figures(ctx) if drawn is None else drawn

    prefix = i18n.prefix(i18n.current())

    def render(path: str, template: str, **context: Any) -> tuple[str, str]:
        link = lambda target: pages.relative(path, target)  # noqa: E731 - one closure per page
        # Downloads are language-neutral: one copy at the site root, which other languages link out to.
        shared = lambda name, target: _file_link(prefix, path, name, target)  # noqa: E731
        common = {
            "site": site,
            "link": link,
            "shared_link": shared,
            "page": path,
        }
        return path, env.get_template(template).render(**{**common, **context})

    all_rows = pages.fact_rows(dataset)
    yield render(
        "index.md",
        "home.md.j2",
        headline=pages.headline(dataset),
        changes=pages.latest_changes(dataset),
        counts=_counts(dataset, derivation),
        charts=[r.model for r in dataset.charts.values()][:4],
        share=pages.share_image(dataset),
    )
    yield render("facts/index.md", "facts.md.j2", rows=all_rows, source_count=len(dataset.sources))
    fact_now = current_rows(export.fact_rows(dataset))
    for fid in dataset.facts:
        context = pages.fact_context(site, dataset, derivation, fid, edition, fact_now, changed or {})
        yield render(context.pop("page"), "fact.md.j2", drawn=_first_drawn(context["charts"], drawn), **context)
        for old in dataset.facts[fid].model.renamed_from:
            yield (
                f"facts/{old}/index.html",
                env.get_template("redirect.html.j2").render(
                    old=old, target=Markup(f"../{fid}/"), url=site.page_url(f"facts/{fid}.md")
                ),
            )
    yield render(
        "derived/index.md",
        "derived_index.md.j2",
        values=[
            {"id": did, "value": v, "short": pages.say_derived(v, "short")} for did, v in derivation.values.items()
        ],
    )
    derived_now = current_rows(export.derived_rows(derivation))
    for did in derivation.values:
        context = pages.derived_context(site, dataset, derivation, did, edition, derived_now)
        yield render(context.pop("page"), "derived.md.j2", drawn=_first_drawn(context["charts"], drawn), **context)
    latest = _latest_values(dataset)
    yield from _render_entities(render, dataset, all_rows, latest, figures, drawn)
    yield from _render_metrics(render, dataset, all_rows, latest, figures, drawn)
    yield from _render_sources(render, dataset, all_rows)
    checks = [
        {
            "result": r,
            "value": pages.say_figure(r.amount, r.kind),
            "detail": pages.check_detail(r),
            "inputs": [{"ref": i.ref, "kind": i.kind, "title": pages.title_of(dataset, i.ref)} for i in r.inputs],
            "words": _share_in_words(r.amount) if r.kind == "share" else None,
        }
        for r in derivation.checks.values()
    ]
    yield render("consistency/index.md", "consistency.md.j2", checks=checks)
    yield render(
        "downloads/index.md",
        "downloads.md.j2",
        fact_columns=_columns(export.FACT_COLUMNS),
        derived_columns=_columns(export.DERIVED_COLUMNS),
    )
    if not prefix:
        yield "data/facts.schema.json", json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def chart_figures(ctx: Gathered) -> dict[str, Markup]:
    """The static figure of every declared chart, by id: both layouts inline, as its chart page first paints
    them (the chart_assets stage, which runs before this one, has drawn them into the cache; anything missing
    is drawn here). A fact or derived page shows the first chart that plots its figure, and links to the
    chart's page for the live view, the data and the embed code. Each is drawn `later`: the chart's own page
    holds it inline, the others a placeholder filled from one published file (pipeline/drawings.py)."""
    cache = ctx.chart_cache
    out = {}
    for item in ctx.plotted:
        wide = charts.render(item.spec, "svg", cache)
        compact = charts.render(item.compact, "svg", cache) if item.compact else None
        out[item.chart.id] = inline_figure(item.alt_text, wide, compact, kind="aif-static", later=True)
    return out


#: How many declared charts an entity or metric page draws; the others are linked (a big entity's page
#: would otherwise carry dozens of drawings, ~20 kB each).
DRAWN_PER_PAGE = 3


#: How many entities' series a metric page draws: those with the most values. Every series is drawn on its
#: entity's page; a metric reported by a few hundred entities drew each of them here too (1.2 MB a page at
#: 10,000 realistic facts, and half the series drawings of the site's pages).
SERIES_PER_METRIC = 3


def _plotting(charts_of: list[Any], drawn: dict[str, Markup], limit: int = DRAWN_PER_PAGE) -> list[dict[str, Any]]:
    """Each of these charts (once, in order) with its figure for the first `limit` that have one, and
    None for the others (linked only)."""
    out: list[dict[str, Any]] = []
    shown = 0
    for chart in {chart.id: chart for chart in charts_of}.values():
        figure = drawn.get(chart.id) if shown < limit else None
        shown += figure is not None
        out.append({"chart": chart, "figure": figure})
    return out


def _charts_of_rows(dataset: Dataset, rows: list[dict[str, Any]]) -> list[Any]:
    """The declared charts that plot any of these fact rows, in the order their facts come."""
    return [chart for row in rows for chart in pages.charts_using(dataset, row["id"])]


def _first_drawn(charts_of: list[Any], drawn: dict[str, Markup]) -> dict[str, Any] | None:
    """The first of these charts that has a drawing, for a fact or derived page: its model and figure."""
    return next((item for item in _plotting(charts_of, drawn, limit=1) if item["figure"]), None)


def _file_link(prefix: str, page: str, name: str, target: str) -> Markup:
    """A link to a language-neutral file at the site root: Markdown in the root project, and an HTML
    link leaving the project from another language's pages (MkDocs checks Markdown links against its
    own docs_dir only, and the file is one level up)."""
    if not prefix:
        return Markup(f"[{escape(name)}]({pages.relative(page, target)})")
    href = pages.relative(prefix + page, target)
    return Markup(f'<a href="{href}">{escape(name)}</a>')


def _counts(dataset: Dataset, derivation: Derivation) -> dict[str, int]:
    """How many of each thing the site holds, for the home page."""
    return {
        "facts": len(dataset.facts),
        "derived": len(derivation.values),
        "checks": len(derivation.checks),
        "entities": len(dataset.entities),
        "metrics": len(dataset.metrics),
        "sources": len(dataset.sources),
    }


def _columns(names: list[str]) -> list[dict[str, str]]:
    """Columns with their description."""
    return [{"name": name, "description": i18n._(COLUMNS[name].description)} for name in names]


def _latest_values(dataset: Dataset) -> list[dict[str, Any]]:
    """The latest current value of every series (entity and metric), with its period and date, in file order."""
    out = []
    for (eid, mid), found in series.all_series(dataset).items():
        fact = timelines.latest(dataset, found)
        if fact is None or eid not in dataset.entities or mid not in dataset.metrics:
            continue
        out.append(
            {
                "entity": dataset.entities[eid].model,
                "metric": dataset.metrics[mid].model,
                "fact": fact,
                "value": pages.say(pages.amount_of(fact), "short"),
                "period": dataset.period_label(fact, i18n.current()),
                "as_of": periods.date_label(fact.as_of, i18n.current()),
                "status": fmt.status_label(fact.status, i18n.current()),
                "count": len(found.plotted),
                "key": (eid, mid),
            }
        )
    return out


def _render_entities(
    render: RenderPage,
    dataset: Dataset,
    rows: list[dict[str, Any]],
    latest: list[dict[str, Any]],
    figures: dict[tuple[str, str], Markup],
    drawn: dict[str, Markup],
) -> Iterator[tuple[str, str]]:
    """The entities index and one page per entity: its facts, parent, members and products."""
    yield render("entities/index.md", "entities_index.md.j2", entities=[r.model for r in dataset.entities.values()])
    # Indexes built once: scanning every entity and fact for every entity page is quadratic.
    children, groups = (
        _group_by(dataset.entities.values(), lambda r: [r.model.parent]),
        _group_by(dataset.entities.values(), lambda r: r.model.members),
    )
    by_entity = _group_by(rows, lambda row: [row["fact"].entity])
    for eid, record in dataset.entities.items():
        yield render(
            f"entities/{eid}.md",
            "entity.md.j2",
            entity=record.model,
            parent=_named(dataset.entities, record.model.parent) if record.model.parent else None,
            members=[_named(dataset.entities, member) for member in record.model.members],
            children=[r.model for r in children.get(eid, [])],
            groups=[r.model for r in groups.get(eid, [])],
            rows=by_entity.get(eid, []),
            latest=[v for v in latest if v["entity"].id == eid],
            figures=[figures[k] for k in figures if k[0] == eid],
            plotting=_plotting(_charts_of_rows(dataset, by_entity.get(eid, [])), drawn),
        )


def _named(entities: dict[str, Any], eid: str) -> dict[str, Any]:
    """An entity as a page links to it: its id and name (None when the id names no entity)."""
    return {"id": eid, "name": entities[eid].model.name if eid in entities else None}


def _render_metrics(
    render: RenderPage,
    dataset: Dataset,
    rows: list[dict[str, Any]],
    latest: list[dict[str, Any]],
    figures: dict[tuple[str, str], Markup],
    drawn: dict[str, Markup],
) -> Iterator[tuple[str, str]]:
    """The metrics index and one page per metric: its facts over time, sorted by period."""
    yield render("metrics/index.md", "metrics_index.md.j2", metrics=[r.model for r in dataset.metrics.values()])
    by_metric = _group_by(rows, lambda row: [row["fact"].metric])
    series_of = _group_by(figures, lambda key: [key[1]])
    values = {item["key"]: item["count"] for item in latest}
    for mid, record in dataset.metrics.items():
        mine = sorted(by_metric.get(mid, []), key=lambda r: (r["period_sort"], r["fact"].as_of, r["id"]))
        keys = series_of.get(mid, [])
        shown = set(sorted(keys, key=lambda key: -values.get(key, 0))[:SERIES_PER_METRIC])  # stable: first seen
        yield render(
            f"metrics/{mid}.md",
            "metric.md.j2",
            metric=record.model,
            rows=mine,
            latest=[v for v in latest if v["metric"].id == mid],
            figures=[figures[k] for k in keys if k in shown],
            undrawn=len(keys) - len(shown),
            plotting=_plotting(_charts_of_rows(dataset, mine), drawn),
        )


def _render_sources(render: RenderPage, dataset: Dataset, rows: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """The sources index and one page per source: its chain and the facts it backs."""
    yield render("sources/index.md", "sources_index.md.j2", sources=[r.model for r in dataset.sources.values()])
    citing = _group_by(dataset.sources.values(), lambda r: r.model.cites)
    direct = _group_by(rows, lambda row: [row["fact"].source])
    attributed = _group_by(rows, lambda row: row["fact"].attributed_to)
    for sid, record in dataset.sources.items():
        cites = [dataset.sources[c].model for c in record.model.cites if c in dataset.sources]
        yield render(
            f"sources/{sid}.md",
            "source.md.j2",
            source=record.model,
            cites=cites,
            cited_by=[r.model for r in citing.get(sid, [])],
            direct=direct.get(sid, []),
            attributed=attributed.get(sid, []),
        )


def _share_in_words(amount: Amount) -> str | None:
    """A share as a reader would say it ("about half", or "57%" when it is not), for shares between 0 and 1."""
    if amount.kind == "point" and amount.unit == "dimensionless" and 0 < amount.low.value < 1:
        words = fmt.format_ratio_words(amount.low.value, i18n.current())
        return words if words != fmt.format_amount(amount, i18n.current(), "short") else None  # a percentage already
    return None


def _group_by(items: Any, keys: Any) -> dict[str, list[Any]]:
    """{key: items having it, in order}, where `keys(item)` lists an item's keys (None ignored)."""
    groups: dict[str, list[Any]] = {}
    for item in items:
        for key in dict.fromkeys(keys(item)):
            if key is not None:
                groups.setdefault(key, []).append(item)
    return groups
