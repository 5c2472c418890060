"""The embed kit: chart pages, iframe pages, oEmbed, versioned embeds and the self-hosted Vega scripts.

Everything is static and served from the site itself: no CDN, no server. An embed page runs under
a strict Content-Security-Policy (no inline script, no eval), so Vega evaluates its expressions with
the CSP-safe vega-interpreter, bundled with Vega, Vega-Lite and vega-embed by vl-convert.

Versioned embeds are content-addressed: every published spec is kept in the committed archive
archive/charts/<chart>/<hash>.json (see generator/archive.py: written only by the explicit
`archive-charts` step, read and validated here, never written by the build), and each archived spec
and the current one get embed/<chart>/v/<hash>/, so an embed never silently changes meaning.
"""

from __future__ import annotations

import html
import importlib.metadata
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator import archive, charts, export, pages, render

CACHE = Path(".generator-cache") / "charts"  # not .cache: `zensical build --clean` empties that
INTERPRETER_PATHS = (Path("generator") / "vendor" / "vega-interpreter.js",)
BUNDLE_PATH = "assets/generated/vega/vega-bundle.js"
SCRIPT_PATH = "assets/generated/vega/aif-charts.js"
FOOTER_HEIGHT = 64  # credit line and padding under the chart in the embed page, in CSS pixels
MESSAGE_TYPE = "ai-infra-facts:resize"
CSV_COLUMNS = ["series", "ref", "source_kind", "period", "kind", "value", "low", "high", "bound_strict", "unit",
               "approximate", "status", "as_of", "shown_as"]  # fmt: skip

# vega-util 2's ascending, isString and DisallowedObjectProperties (BSD-3-Clause, the Vega authors).
VEGA_UTIL_SHIM = """const isString = (_) => typeof _ === "string";
const ascending = (_u, _v) => {
  let u = _u, v = _v;
  return (u < v || u == null) && v != null ? -1
    : (u > v || v == null) && u != null ? 1
    : ((v = v instanceof Date ? +v : v), (u = u instanceof Date ? +u : u)) !== u && v === v ? -1
    : v !== v && u === u ? 1 : 0;
};
const DisallowedObjectProperties = new Set([...Object.getOwnPropertyNames(Object.prototype)
  .filter((name) => typeof Object.prototype[name] === "function"), "__proto__", "then"]);"""

# Draws every [data-aif-spec] element; falls back to the static SVG when Vega cannot run; in an
# iframe, tells the parent its height. No inline script anywhere, so the strict CSP holds.
CHART_SCRIPT = """(function () {
  "use strict";
  var TYPE = "%(type)s";
  function fallback(el) {
    var img = document.createElement("img");
    img.src = el.getAttribute("data-aif-fallback");
    img.alt = el.getAttribute("data-aif-alt") || "";
    el.replaceChildren(img);
    img.addEventListener("load", postHeight);
  }
  function postHeight() {
    var id = document.body.getAttribute("data-aif-embed");
    if (!id || window.parent === window) { return; }
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    // The height is no secret, so any embedding page may read it; the parent checks our origin.
    window.parent.postMessage({ type: TYPE, id: id, height: height }, "*");
  }
  function draw(el) {
    if (!window.vegaEmbed || !window.vegaExpressionInterpreter) { fallback(el); return; }
    fetch(el.getAttribute("data-aif-spec"))
      .then(function (response) { return response.json(); })
      .then(function (spec) {
        spec.width = "container";
        spec.autosize = { type: "fit-x", contains: "padding" };
        return window.vegaEmbed(el, spec, {
          actions: false, renderer: "svg", mode: "vega-lite",
          ast: true, expr: window.vegaExpressionInterpreter
        });
      })
      .then(postHeight)
      .catch(function () { fallback(el); });
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-aif-spec]"), draw);
    if (window.ResizeObserver) { new ResizeObserver(postHeight).observe(document.body); }
    window.addEventListener("resize", postHeight);
    postHeight();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
"""


def site_url(root: Path) -> str:
    """The published base URL, with a trailing slash (mkdocs.yml's site_url, read in one place)."""
    return pages.site_settings(root).url


def snippet(chart_id: str, title: str, base_url: str, height: int) -> str:
    """The iframe and the few lines of script that let it size itself (checking the sender).

    The title is HTML-escaped and kept on one line: the snippet is shown in a code fence on the
    chart page, and a title line of backticks must not be able to close that fence.
    """
    src = f"{base_url}embed/{chart_id}/"
    origin = re.match(r"^(https?://[^/]+)", base_url)
    origin_text = origin.group(1) if origin else ""
    one_line = " ".join(title.split())
    return (
        f'<iframe src="{html.escape(src)}" title="{html.escape(one_line)}" data-aif-chart="{chart_id}" '
        f'style="width:100%;border:0" height="{height}" loading="lazy"></iframe>\n'
        "<script>\n"
        'window.addEventListener("message", function (e) {\n'
        f'  if (e.origin !== "{origin_text}" || !e.data || e.data.type !== "{MESSAGE_TYPE}") return;\n'
        '  document.querySelectorAll("iframe[data-aif-chart]").forEach(function (f) {\n'
        "    if (f.contentWindow === e.source && e.data.height > 0 && e.data.height < 5000) "
        "f.height = Math.ceil(e.data.height);\n"
        "  });\n"
        "});\n"
        "</script>"
    )


def code_fence(text: str) -> Markup:
    """A Markdown code fence longer than any run of backticks in `text`, so nothing in it can close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return Markup("`" * max(3, longest + 1))


def vega_bundle(root: Path) -> str:
    """Vega, Vega-Lite, vega-embed and the CSP-safe expression interpreter as one script (cached)."""
    import vl_convert

    # The interpreter ships with the generator, not with the project being built.
    here = Path(__file__).resolve().parent.parent
    interpreter = next((here / p for p in INTERPRETER_PATHS if (here / p).is_file()), None)
    if interpreter is None:
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
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(bundle, encoding="utf-8")
    return bundle


@dataclass(frozen=True)
class Version:
    """One version a chart page lists: archived (with its date) or the current, not yet archived one."""

    hash: str
    spec: dict[str, Any]
    published: str  # YYYY-MM-DD, or "" for the current version before it is archived

    @property
    def label(self) -> str:
        return self.published or "current (not yet archived)"


def versions(root: Path, plotted: charts.Plotted, known: archive.Archive | None = None) -> list[Version]:
    """Every archived version of a chart (validated; invalid files left out), oldest first, then the
    current one if it is not archived yet. Reads only: archiving is `python -m generator archive-charts`."""
    known = known if known is not None else archive.read(root)
    out = [Version(v.hash, v.spec, v.published) for v in known.of(plotted.chart.id)]
    if not any(v.hash == plotted.hash for v in out):
        out.append(Version(plotted.hash, plotted.spec, ""))
    return out


def data_csv(plotted: charts.Plotted) -> str:
    """The rows plotted, as neutralised CSV."""
    rows = [{**row, "series": row["label"], "shown_as": row["value_text"]} for row in plotted.rows]
    return export.to_csv(rows, CSV_COLUMNS)


def _size(svg: bytes) -> tuple[int, int]:
    """Width and height of a rendered SVG, from its root element."""
    head = svg[:400].decode("utf-8", "replace")
    width = re.search(r'width="([\d.]+)"', head)
    height = re.search(r'height="([\d.]+)"', head)
    return round(float(width.group(1))) if width else charts.WIDTH, round(float(height.group(1))) if height else 400


def oembed(plotted: charts.Plotted, base_url: str, width: int, height: int, png: bytes) -> dict[str, Any]:
    """oEmbed 1.0 'rich' response for one chart."""
    png_width, png_height = charts.png_size(png)
    return {
        "version": "1.0", "type": "rich", "title": plotted.chart.title,
        "provider_name": "AI infrastructure facts", "provider_url": base_url,
        "author_name": plotted.credit.rstrip("."), "author_url": f"{base_url}charts/{plotted.chart.id}/",
        "html": snippet(plotted.chart.id, plotted.chart.title, base_url, height), "width": width, "height": height,
        "thumbnail_url": f"{base_url}charts/{plotted.chart.id}/chart.png",
        "thumbnail_width": png_width, "thumbnail_height": png_height,
        "license": "CC BY 4.0", "license_url": "https://creativecommons.org/licenses/by/4.0/",
    }  # fmt: skip


def _embed_page(
    env: Any, plotted: Any, spec: dict, svg: bytes, to_root: str, notice: Markup | str, base_url: str, alt_text: str
) -> str:
    width, height = _size(svg)
    return env.get_template("embed.html.j2").render(
        chart=plotted.chart, alt_text=alt_text, credit=plotted.credit, width=width, height=height,
        to_root=Markup(to_root), notice=notice, chart_url=f"{base_url}charts/{plotted.chart.id}/",
    )  # fmt: skip


def chart_files(
    root: Path, plotted: charts.Plotted, env: Any, base_url: str, known_versions: archive.Archive | None = None
) -> dict[str, str | bytes]:
    """Every file of one chart: page, downloads, oEmbed, latest and versioned embeds."""
    cid, cache = plotted.chart.id, root / CACHE
    svg, png = charts.render(plotted.spec, "svg", cache), charts.render(plotted.spec, "png", cache)
    width, chart_height = _size(svg)
    height = chart_height + FOOTER_HEIGHT
    known = versions(root, plotted, known_versions)
    out: dict[str, str | bytes] = {}
    notice: Markup | str = ""
    e = html.escape  # archived fields are validated (dates, hex); escaped all the same
    if len(known) > 1:
        previous = known[-2]
        updated = f"Updated {e(known[-1].published)}" if known[-1].published else "Updated"
        notice = Markup(f'{updated}: earlier version at <a href="v/{e(previous.hash)}/">{e(previous.label)}</a>.')
    for version in known:
        vhash, vspec = version.hash, version.spec
        vsvg = charts.render(vspec, "svg", cache)
        folder = f"embed/{cid}/v/{vhash}/"
        later = (
            ""
            if vhash == plotted.hash
            else Markup(f'Version of {e(version.label)}. <a href="../../">The latest version</a> may differ.')
        )
        out[folder + "index.html"] = _embed_page(env, plotted, vspec, vsvg, "../../../../", later, base_url,
                                                 vspec.get("description", plotted.alt_text))  # fmt: skip
        out[folder + "chart.vl.json"] = charts.spec_json(vspec)
        out[folder + "chart.svg"] = vsvg
    out[f"embed/{cid}/index.html"] = _embed_page(env, plotted, plotted.spec, svg, "../../", notice, base_url,
                                                 plotted.alt_text)  # fmt: skip
    out[f"embed/{cid}/chart.vl.json"] = charts.spec_json(plotted.spec)
    out[f"embed/{cid}/chart.svg"] = svg
    page = f"charts/{cid}/"
    out[page + "chart.vl.json"] = charts.spec_json(plotted.spec)
    out[page + "chart.svg"] = svg
    out[page + "chart.png"] = png
    out[page + "data.csv"] = data_csv(plotted)
    out[page + "oembed.json"] = export.to_json(oembed(plotted, base_url, width, height, png))
    rows = [{**row, "period_text": _period_text(row["period"])} for row in plotted.rows]
    # Markdown pages link to the static embed pages by file: MkDocs --strict refuses folder links.
    page_notice = notice and Markup(
        re.sub(r'href="v/([0-9a-f]+)/"', rf'href="../../embed/{cid}/v/\1/index.html"', str(notice))
    )
    embed_code = snippet(cid, plotted.chart.title, base_url, height)
    out[page + "index.md"] = env.get_template("chart.md.j2").render(
        chart=plotted.chart, rows=rows, alt_text=plotted.alt_text, credit=plotted.credit, as_of=plotted.as_of,
        width=width, height=chart_height, to_root=Markup("../../"), notice=page_notice,
        snippet=Markup(embed_code), fence=code_fence(embed_code), versions=known,
        version_path=Markup(f"../../embed/{cid}/v/{plotted.hash}/index.html"),
        cite=render.chart_citation(root, plotted),
    )  # fmt: skip
    return out


def _period_text(period: str) -> str:
    from generator import fmt

    return fmt.period_label(period) if period else "computed"


def index_page(plotted: list[charts.Plotted]) -> str:
    """charts/index.md: every chart with its description."""
    from generator.escape import md_text

    lines = ["---", 'title: "Charts"', "description: Every chart, with its data, sources and embed code.", "---",
             "", "# Charts", "", f"{len(plotted)} charts, each with its data table, downloads and embed code.", ""]  # fmt: skip
    for item in plotted:
        lines.append(f"- [{md_text(item.chart.title)}]({item.chart.id}/index.md): {md_text(item.alt_text)}")
    return "\n".join(lines) + "\n"


def outputs(root: Path, gathered: Any) -> Iterator[tuple[str, str | bytes]]:
    """Stage entry point for the build: every chart's files, the chart index and the Vega scripts.

    Yields (path, content) chart by chart, so the images of thousands of charts are never all
    in memory at once (the writer takes each file as it comes).
    """
    plotted = charts.plot_all(gathered, root / CACHE)
    charts.prerender([p.spec for p in plotted], root / CACHE)  # draw missing images on both cores
    if not plotted:
        return
    env = render.environment(root)
    base_url = site_url(root)
    yield "charts/index.md", index_page(plotted)
    known = archive.read(root)  # validated; its problems are in the report `gather` made
    for item in plotted:
        yield from chart_files(root, item, env, base_url, known).items()
    yield BUNDLE_PATH, vega_bundle(root)
    yield SCRIPT_PATH, CHART_SCRIPT % {"type": MESSAGE_TYPE}
