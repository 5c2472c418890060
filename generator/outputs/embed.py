"""The embed kit: chart pages, iframe pages, oEmbed, versioned embeds and the self-hosted Vega scripts.

Everything is static and served from the site itself: no CDN, no server. An embed page runs under
a strict Content-Security-Policy (no inline script, no eval), so Vega evaluates its expressions with
the CSP-safe vega-interpreter, bundled with Vega, Vega-Lite and vega-embed by vl-convert.

Versioned embeds are content-addressed: every published spec is kept in the committed archive
archive/charts/<chart>/<hash>.json (see generator/inputs/archive.py: written only by the explicit
`archive-charts` step, read and validated here, never written by the build), and each archived spec
and the current one get embed/<chart>/v/<hash>/, so an embed never silently changes meaning.
"""

from __future__ import annotations

import hashlib
import html
import importlib.metadata
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from generator.inputs import archive
from generator.model import fmt, paths
from generator.outputs import chart_assets, charts, export, i18n, pages, render
from generator.outputs.context import Gathered
from generator.outputs.figures import dark_colours_css, figure
from generator.outputs.i18n import _

CACHE = paths.CHART_CACHE
SCRIPT_SOURCE = paths.CHART_SCRIPT
ASSET_DIR = "assets/generated/vega/"
BUNDLE_PATH = ASSET_DIR + "vega-bundle.js"
SCRIPT_PATH = ASSET_DIR + "aif-charts.js"
#: The embed page around its chart: 8 px of padding above and below, and one footer line with its gap.
PADDING = 16
FOOTER_LINE = 18
FOOTER_GAP = 6
#: How far an embed lets its chart grow past the width it was drawn at (text stays in proportion).
MAX_SCALE = 1.25
MESSAGE_TYPE = "ai-infra-facts:resize"
THUMB = chart_assets.THUMB
CSV_COLUMNS = [
    "series",
    "ref",
    "source_kind",
    "period",
    "kind",
    "value",
    "low",
    "high",
    "bound_strict",
    "unit",
    "approximate",
    "status",
    "as_of",
    "shown_as",
]

# vega-util 2's ascending, isString and DisallowedObjectProperties (BSD-3-Clause, the Vega authors).
#: vega-util's three helpers the vendored interpreter imports (generator/vendor/vega-util-shim.js).
VEGA_UTIL_SHIM = paths.VEGA_UTIL_SHIM.read_text(encoding="utf-8").rstrip("\n")


#: The host page's few lines that let the iframe grow (generator/snippet-listener.js; %(name)s fields).
SNIPPET_LISTENER = paths.SNIPPET_LISTENER.read_text(encoding="utf-8")


def chart_script() -> str:
    """aif-charts.js: static first, Vega on interaction or idle, the embed's height told after drawing."""
    return SCRIPT_SOURCE.read_text(encoding="utf-8") % {"type": MESSAGE_TYPE, "compact_below": charts.COMPACT_BELOW}


def hashed_name(path: str, content: str | bytes) -> str:
    """assets/.../name.<12 hex of its SHA-256>.js: a frozen embed names the exact bytes it was published with."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    stem, dot, ext = path.rpartition(".")
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:12]}{dot}{ext}"


def frame_height(wide: tuple[int, int], compact: tuple[int, int] | None, lines: int = 1) -> tuple[str, int, int]:
    """The iframe's CSS height as a formula of its width, its fallback height and its widest width, in px.

    The embed page is the chart (its SVG scaled to the width: height = width x ratio) plus fixed padding
    and footer, so the height follows from the width. Below COMPACT_BELOW the compact layout (taller for
    its width) shows: a clamp() adds its extra height there only (the step is exact up to 400 px of
    chart, and the embed page fits the chart in what is left above that). `100cqw` is the width of the
    snippet's container; where a CMS drops that container it is the viewport's, right on a phone.
    """
    ww, wh = wide
    max_width = round(ww * MAX_SCALE) + PADDING
    fixed = PADDING + FOOTER_GAP + FOOTER_LINE * lines
    chart = f"(min(100cqw, {max_width}px) - {PADDING}px)"
    ratio = wh / ww
    formula = f"{fixed}px + {chart} * {ratio:.4f}"
    if compact is not None and compact[1] / compact[0] > ratio:
        extra = compact[1] / compact[0] - ratio
        formula += (
            f" + clamp(0px, min({chart} * {extra:.4f}, {extra * 400:.1f}px), "
            f"({charts.COMPACT_BELOW}px - {chart}) * 1000)"
        )
    return f"calc({formula})", round(fixed + ww * ratio), max_width


@dataclass(frozen=True)
class Frame:
    """How tall an embed's iframe is at any width, with its container (exact) and without (close)."""

    exact: str  # CSS height from the width of the snippet's container (100cqw): frame_height's formula
    fallback: int  # px, for a page that keeps neither styles nor the container
    max_width: int  # px: the widest the chart is drawn
    ratio: str  # CSS aspect-ratio "width / height", exact at max_width, a few px short below it
    phone: str  # CSS min-height below PHONE_BELOW px of viewport, where the compact layout shows


#: Below this viewport width a host column (the viewport less HOST_MARGIN) is narrower than COMPACT_BELOW.
HOST_MARGIN = 32
PHONE_BELOW = charts.COMPACT_BELOW + HOST_MARGIN


def frame(wide: tuple[int, int], compact: tuple[int, int] | None, lines: int = 1) -> Frame:
    """The iframe's height in both forms of the snippet.

    With its container (the snippet as published), frame_height's formula is exact at every width. A CMS
    that strips scripts often strips that container too; the iframe then knows only its own width, through
    `aspect-ratio`: the embed page is a fixed part (padding, footer) plus the chart scaled to the width, so a
    ratio exact at the widest width is short below it by (fixed - padding x ratio) x (1 - width / widest),
    about 10 px at 480 px: the chart then shrinks a little inside its frame (never clipped, no blank space
    under it). On a phone the compact layout is taller for its width than any one ratio: a min-height from
    the viewport's width (less the host page's usual margins) takes over there.
    """
    exact, fallback, max_width = frame_height(wide, compact, lines)
    ww, wh = wide
    fixed = PADDING + FOOTER_GAP + FOOTER_LINE * lines
    widest_height = fixed + (max_width - PADDING) * wh / ww
    cw, ch = compact if compact is not None else wide
    phone = (
        f"clamp(0px, ({PHONE_BELOW}px - 100vw) * 1000, {fixed}px + (100vw - {HOST_MARGIN + PADDING}px) * {ch / cw:.4f})"
    )
    return Frame(exact, fallback, max_width, f"{max_width} / {widest_height:.1f}", phone)


def snippet(chart_id: str, title: str, base_url: str, height: int | Frame, plain: bool = False) -> str:
    """The iframe and the few lines of script that let it grow to what it needs (checking the sender).

    `height` is frame()'s Frame, or a plain number of pixels. The iframe has the right height from the
    first paint; the script only ever makes it taller, never shorter, so the host page never jumps up.
    The container hands the exact height to the iframe through two custom properties; `plain` leaves the
    container and the script out, for a CMS that strips them, and so does such a CMS: the iframe then
    falls back to its aspect-ratio (and a phone's min-height), which fit without blank space. The title
    is HTML-escaped and kept on one line: the snippet is shown in a code fence on the chart page, and a
    title line of backticks must not be able to close that fence.
    """
    src = f"{base_url}embed/{chart_id}/"
    origin = re.match(r"^(https?://[^/]+)", base_url)
    origin_text = origin.group(1) if origin else ""
    one_line = " ".join(title.split())
    style = "display:block;width:100%;border:0;"
    container = "container-type:inline-size"
    if isinstance(height, int):
        fallback = height
        style += f"height:{fallback}px;"
    else:
        fallback = height.fallback
        style += (
            f"max-width:{height.max_width}px;aspect-ratio:{height.ratio};height:var(--aif-height,auto);"
            f"min-height:var(--aif-min-height,{height.phone});"
        )
        container += f";--aif-height:{height.exact};--aif-min-height:0px"
    frame = (
        f'<iframe src="{html.escape(src)}" title="{html.escape(one_line)}" data-aif-chart="{chart_id}" '
        f'style="{style}" height="{fallback}" loading="lazy"></iframe>'
    )
    if plain:
        return frame
    return (
        f'<div style="{container}">{frame}</div>\n'
        "<script>\n" + SNIPPET_LISTENER % {"origin": origin_text, "type": MESSAGE_TYPE} + "</script>"
    )


def code_fence(text: str) -> Markup:
    """A Markdown code fence longer than any run of backticks in `text`, so nothing in it can close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return Markup("`" * max(3, longest + 1))


def vega_bundle(root: Path) -> str:
    """Vega, Vega-Lite, vega-embed and the CSP-safe expression interpreter as one script (cached)."""
    import vl_convert

    # The interpreter ships with the generator, not with the project being built.
    interpreter = paths.VEGA_INTERPRETER
    if not interpreter.is_file():
        raise charts.ChartError("generator/vendor/vega-interpreter.js is missing: charts would break under the CSP")
    source = interpreter.read_text(encoding="utf-8")
    lines = ["window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"]
    if source:
        # vega-interpreter is an ES module importing three vega-util names; the bundle's `vega` is
        # only Vega's (null) default export, so the shim defines them, as vega-util 2 does.
        body = re.sub(r"^import \{[^}]*\} from 'vega-util';\s*$", "", source, flags=re.MULTILINE)
        body = re.sub(r"^export \{ expression as expressionInterpreter \};\s*$", "", body, flags=re.MULTILINE)
        lines += [VEGA_UTIL_SHIM, body, "window.vegaExpressionInterpreter = expression;"]
    snippet_text = "\n".join(lines)
    # The installed distribution's version: the module's own __version__ is undeclared (and omits .postN).
    vl_version = importlib.metadata.version("vl-convert-python")
    key = charts.spec_hash({"vl_convert": vl_version, "snippet": snippet_text})
    cached = root / CACHE / f"bundle-{key}.js"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    bundle = vl_convert.javascript_bundle(snippet_text)
    # By rename: a project copy sharing this cache by hard links never writes into another's file.
    charts.store(cached, bundle.encode("utf-8"))
    return bundle


@dataclass(frozen=True)
class Version:
    """One version a chart page lists: archived (with its date) or the current, not yet archived one."""

    hash: str
    spec: dict[str, Any]
    published: str  # YYYY-MM-DD, or "" for the current version before it is archived
    compact: dict[str, Any] | None = None  # its compact layout, when archived with one
    language: str = i18n.DEFAULT  # the language it is drawn in

    @property
    def label(self) -> str:
        if not self.published:
            return _("current (not yet archived)")
        said = i18n.date_words(self.published)
        return said if self.language == i18n.current() else _("{date}, in English").format(date=said)


def versions(root: Path, plotted: charts.Plotted, known: archive.Archive | None = None) -> list[Version]:
    """Every archived version of a chart (validated; invalid files left out), oldest first, then the
    current one if it is not archived yet. Reads only: archiving is `python -m generator archive-charts`."""
    known = known if known is not None else archive.read(root)
    out = [
        Version(v.hash, v.spec, v.published, v.compact, v.language or i18n.DEFAULT)
        for v in chart_assets.archived(known, plotted.chart.id)
    ]
    if not any(v.hash == plotted.hash for v in out):
        out.append(Version(plotted.hash, plotted.spec, "", language=i18n.current()))
    return out


def data_csv(plotted: charts.Plotted) -> str:
    """The rows plotted, as neutralised CSV."""
    rows = [{**row, "series": row["label"], "shown_as": row["value_text"]} for row in plotted.rows]
    return export.to_csv(rows, CSV_COLUMNS)


def oembed(plotted: charts.Plotted, site: pages.Site, size: Frame, png: bytes) -> dict[str, Any]:
    """oEmbed 1.0 'rich' response for one chart."""
    png_width, png_height = charts.png_size(png)
    width, height, base_url = size.max_width, size.fallback, site.url
    return {
        "version": "1.0",
        "type": "rich",
        "title": plotted.chart.title,
        "provider_name": site.name,
        "provider_url": base_url,
        "author_name": plotted.credit.rstrip("."),
        "author_url": f"{base_url}charts/{plotted.chart.id}/",
        "html": snippet(plotted.chart.id, plotted.chart.title, base_url, size),
        "width": width,
        "height": height,
        "thumbnail_url": f"{base_url}charts/{plotted.chart.id}/chart.png",
        "thumbnail_width": png_width,
        "thumbnail_height": png_height,
        "license": "CC BY 4.0",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
    }


def _embed_page(
    env: Environment,
    plotted: charts.Plotted,
    wide: bytes,
    compact: bytes | None,
    to_root: str,
    notice: Markup | str,
    base_url: str,
    alt_text: str,
    assets: dict[str, str],
    spec_prefix: str = "",
    lang: str = "",
) -> str:
    return env.get_template("embed.html.j2").render(
        chart=plotted.chart,
        alt_text=alt_text,
        credit=plotted.credit,
        to_root=Markup(to_root),
        notice=notice,
        chart_url=f"{base_url}charts/{plotted.chart.id}/",
        figure=figure(alt_text, wide, compact, "interaction", spec_prefix, lang),
        compact_below=charts.COMPACT_BELOW,
        dark_colours_auto=Markup(dark_colours_css(':root:not([data-aif-theme="light"])')),
        dark_colours_fixed=Markup(dark_colours_css(':root[data-aif-theme="dark"]')),
        script=Markup(assets["script"]),
        bundle=Markup(assets["bundle"]),
    )


def chart_files(
    ctx: Gathered,
    plotted: charts.Plotted,
    known_versions: archive.Archive | None = None,
    assets: dict[str, str] | None = None,
    sources: dict[str, list[dict[str, str]]] | None = None,
) -> dict[str, str | bytes]:
    """The pages of one chart: chart page, data, oEmbed, latest and versioned embeds (its images and specs
    are the chart_assets stage's).

    `assets` names the content-hashed script and Vega bundle (outputs() passes them); a frozen version's
    embed loads exactly those files, so a later upgrade of Vega or of the script never changes it.
    """
    assets = assets or {"script": SCRIPT_PATH, "bundle": BUNDLE_PATH}
    root, env, base_url = ctx.root, ctx.templates, ctx.site.url
    cid, cache = plotted.chart.id, ctx.chart_cache
    # Drawn (and published) by the chart_assets stage, which runs first: read back from the cache here.
    svg, png = charts.render(plotted.spec, "svg", cache), charts.render(plotted.spec, "png", cache)
    compact_svg = charts.render(plotted.compact, "svg", cache) if plotted.compact else None
    wide_size = charts.svg_size(svg)
    compact_size = charts.svg_size(compact_svg) if compact_svg else None
    known = versions(root, plotted, known_versions)
    out: dict[str, str | bytes] = {}
    notice: Markup | str = ""
    e = html.escape  # archived fields are validated (dates, hex); escaped all the same
    if len(known) > 1:
        previous, latest = known[-2], known[-1]
        updated = _("Updated {date}").format(date=e(latest.label)) if latest.published else _("Updated")
        if latest.published and previous.published == latest.published:
            # Two versions of one day: the date alone would name the day of the update twice.
            said = _('{updated}: <a href="v/{hash}/">earlier version</a> of the same day.')
        else:
            said = _('{updated}: earlier version of <a href="v/{hash}/">{label}</a>.')
        notice = Markup(said.format(updated=updated, hash=e(previous.hash), label=e(previous.label)))
    size = frame(wide_size, compact_size, 2 if notice else 1)
    # The chart's files are published once, by the chart_assets stage, in charts/<chart>/; a frozen
    # version has files of its own only when it differs from the current one.
    current = chart_assets.folder(cid)
    for version in known:
        vhash, vspec = version.hash, version.spec
        folder = chart_assets.version_folder(cid, vhash)
        if vhash == plotted.hash:
            vsvg, vcompact_svg, later, spec_prefix, lang = svg, compact_svg, "", "../../../../" + current, ""
        else:
            # A version archived before compact layouts existed has none: its embed shows the wide layout.
            vsvg, spec_prefix = charts.render(vspec, "svg", cache), ""
            vcompact_svg = charts.render(version.compact, "svg", cache) if version.compact else None
            later = Markup(
                _('Version of {label}. <a href="../../">The latest version</a> may differ.').format(
                    label=e(version.label)
                )
            )
            # A version drawn in another language than the page's (an English one on a French page, archived
            # before French versions were): the chart is tagged with its language; its label says so.
            lang = version.language if version.language != i18n.current() else ""
        frozen = {key: "../../../../" + path for key, path in assets.items()}
        out[folder + "index.html"] = _embed_page(
            env,
            plotted,
            vsvg,
            vcompact_svg,
            "../../../../",
            later,
            base_url,
            vspec.get("description", plotted.alt_text),
            frozen,
            spec_prefix,
            lang,
        )
    newest = {key: "../../" + path for key, path in assets.items()}
    out[f"embed/{cid}/index.html"] = _embed_page(
        env, plotted, svg, compact_svg, "../../", notice, base_url, plotted.alt_text, newest, "../../" + current
    )
    page = current
    out[page + "data.csv"] = data_csv(plotted)
    out[page + "oembed.json"] = export.to_json(oembed(plotted, ctx.site, size, png))
    rows = [
        {**row, "period_text": _period_text(row["period"]), "sources": (sources or {}).get(row["ref"], [])}
        for row in plotted.rows
    ]
    # Markdown pages link to the static embed pages by file: MkDocs --strict refuses folder links.
    page_notice = notice and Markup(
        re.sub(r'href="v/([0-9a-f]+)/"', rf'href="../../embed/{cid}/v/\1/index.html"', str(notice))
    )
    embed_code = snippet(cid, plotted.chart.title, base_url, size)
    out[page + "index.md"] = env.get_template("chart.md.j2").render(
        chart=plotted.chart,
        rows=rows,
        alt_text=plotted.alt_text,
        credit=plotted.credit,
        as_of=plotted.as_of,
        to_root=Markup("../../"),
        link=lambda target: pages.relative(page + "index.md", target),
        notice=page_notice,
        # The fact, derived, entity and metric pages that plot the chart draw it too: one file for all of them
        # and this page (figures.figure, `later`). Its embeds keep their own inline: they must draw in a
        # frame whose page may run no script at all, texts and all.
        figure=figure(plotted.alt_text, svg, compact_svg, "interaction", later=True),
        snippet=Markup(embed_code),
        fence=code_fence(embed_code),
        plain_snippet=Markup(snippet(cid, plotted.chart.title, base_url, size, plain=True)),
        versions=known,
        current_hash=plotted.hash,
        version_path=Markup(f"../../embed/{cid}/v/{plotted.hash}/index.html"),
        image=f"charts/{cid}/chart.png",
        image_size=charts.png_size(png),
        cite=render.chart_citation(ctx, plotted),
        script=Markup("../../" + assets["script"]),
        bundle=Markup("../../" + assets["bundle"]),
    )
    return out


def _period_text(period: str) -> str:
    return fmt.period_label(period, i18n.current()) if period else _("computed")


def share_card(site: pages.Site, cache: Path) -> bytes:
    """The site's preview card, SHARE_CARD_SIZE px: its name and description on the brand colour, drawn
    with the charts' shipped font through the chart renderer (cached like a chart)."""
    width, height = (side // 2 for side in pages.SHARE_CARD_SIZE)  # the renderer draws PNGs at twice the size
    description = textwrap.wrap(site.description or "Sourced, checkable facts.", 44)[:4]
    domain = re.sub(r"^https?://", "", site.url).rstrip("/")

    def text(y: int, lines: str | list[str], size: int, weight: str = "normal", colour: str = "#ffffff") -> dict:
        mark = {
            "type": "text",
            "x": 40,
            "y": y,
            "text": lines,
            "fontSize": size,
            "fontWeight": weight,
            "font": charts.FONT,
            "color": colour,
            "align": "left",
            "baseline": "top",
            "lineHeight": size * 1.3,
        }
        return {"mark": mark}

    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json",
        "width": width,
        "height": height,
        "padding": 0,
        "autosize": {"type": "none"},
        "background": "#303f9f",
        "config": {"view": {"stroke": None}},
        "data": {"values": [{}]},
        "layer": [
            text(75, site.name, 36, "bold"),
            text(135, description, 19, colour="#e8eaf6"),
            text(height - 45, domain, 14, colour="#c5cae9"),
        ],
    }
    return charts.render(spec, "png", cache)


def index_page(ctx: Gathered, plotted: list[charts.Plotted]) -> str:
    """charts/index.md: every chart as a thumbnail with its subtitle (templates/charts_index.md.j2)."""
    page = ctx.templates.get_template("charts_index.md.j2")
    return page.render(charts=[item.chart for item in plotted], thumb=THUMB)


def row_sources(gathered: charts.Inputs, plotted: list[charts.Plotted]) -> dict[str, list[dict[str, str]]]:
    """For each plotted fact or derived figure, the sources its data-table row links to (short labels)."""
    dataset, out = gathered.dataset, {}
    for item in plotted:
        for row in item.rows:
            ref = row["ref"]
            facts = [dataset.facts[ref].model] if ref in dataset.facts else charts._input_facts(ref, gathered)
            found = {s.id: pages.source_label(s) for f in facts for s in pages.fact_sources(dataset, f)}
            out[ref] = [{"id": sid, "label": label} for sid, label in found.items()]
    return out


name = "embed"


def outputs(ctx: Gathered) -> Iterator[tuple[str, str | bytes]]:
    """Stage entry point for the build: every chart's files, the chart index and the Vega scripts.

    Yields (path, content) chart by chart, so the images of thousands of charts are never all
    in memory at once (the writer takes each file as it comes).
    """
    root = ctx.root
    plotted = ctx.plotted  # drawn by the chart_assets stage, which runs first
    if not plotted:
        return
    bundle, script = vega_bundle(root), chart_script()
    assets = {"bundle": hashed_name(BUNDLE_PATH, bundle), "script": hashed_name(SCRIPT_PATH, script)}
    yield "charts/index.md", index_page(ctx, plotted)
    yield pages.SHARE_CARD, share_card(ctx.site, ctx.chart_cache)
    known = archive.read(root)  # validated; its problems are in the report `gather` made
    sources = row_sources(ctx, plotted)
    for item in plotted:
        yield from chart_files(ctx, item, known, assets, sources).items()
    # The plain names stay for pages published before the hashed ones; nothing new links to them.
    yield BUNDLE_PATH, bundle
    yield SCRIPT_PATH, script
    yield assets["bundle"], bundle
    yield assets["script"], script
