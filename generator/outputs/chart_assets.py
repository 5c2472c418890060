"""Stage: the chart files, drawn and published once each.

Every chart's images and specs live in one place, `charts/<chart>/`: the chart page, the latest
embed (`embed/<chart>/`) and the current version's frozen embed (`embed/<chart>/v/<hash>/`) all
point there. A frozen embed gets files of its own only when its version differs from the current
one (an archived version, drawn from archive/charts/): the current files then no longer say what
it says. So a site holds one copy of each chart's SVG, PNG and spec, not three.

Drawing (vl-convert, in worker processes) is this stage's cost; the images are cached by content in
.generator-cache/charts/, so a warm build draws only what changed. The embed stage then reads the
drawn SVGs from that cache to inline them in its pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.inputs import archive
from generator.outputs import charts, i18n
from generator.outputs.context import Gathered
from generator.outputs.figures import lean

name = "chart_assets"
#: A thumbnail's box (width, height): the plot of a wide chart, about 16:9, drawn contained in it.
THUMB = (640, 360)


def folder(chart_id: str) -> str:
    """Where a chart's current files are published, under site_src/."""
    return f"charts/{chart_id}/"


def version_folder(chart_id: str, version_hash: str) -> str:
    """Where a frozen version's own files (and its embed page) are published."""
    return f"embed/{chart_id}/v/{version_hash}/"


def published_json(spec: dict[str, Any]) -> str:
    """A spec as published: the canonical JSON (archive.spec_json, which its hash is taken of) without its
    indentation, a third of the bytes; it parses to the same spec, so it has the same hash."""
    return archive.compact_json(spec) + "\n"


def archived(known: archive.Archive, chart_id: str) -> list[archive.ChartVersion]:
    """The archived versions of a chart that the current language's pages list: those drawn in it and, for
    another language than English, the English ones too (archived before that language had versions of its
    own, or never drawn in it: their addresses stay, shown tagged as English), oldest first."""
    language = i18n.current()
    own = known.of(chart_id, language)
    if language == i18n.DEFAULT:
        return own
    both = known.of(chart_id, i18n.DEFAULT) + own
    return sorted(both, key=lambda v: (v.published, v.language or "", v.sequence))


def frozen_versions(plotted: charts.Plotted, known: archive.Archive) -> list[archive.ChartVersion]:
    """The archived versions of a chart that differ from its current one (they keep files of their own)."""
    return [version for version in archived(known, plotted.chart.id) if version.hash != plotted.hash]


def with_plot_view(svg: bytes) -> bytes:
    """The published chart.svg with an SVG <view id="plot"> framing the plot, legend and axes without the
    title and subtitle: a thumbnail (`chart.svg#plot`) then shows one title, the page's legible one, not a
    second one shrunk to a few pixels. Opened on its own, the file is the same image."""
    head = svg[:600].decode("utf-8", "replace")
    width, height = charts.svg_size(svg)
    plot = re.search(r'<g fill="none" stroke-miterlimit="10" transform="translate\(([\d.]+),([\d.]+)\)">', head)
    end = head.find(">")
    if plot is None or end < 0 or not head.startswith("<svg"):
        return svg
    top = max(0, round(float(plot.group(2))) - 6)  # a little room above the plot, none for the subtitle
    # The view has the thumbnail's own ratio, so nothing above the plot shows in its box: a plot wider
    # than that gets blank space below it, a taller one blank space at its sides.
    box_width, box_height = width, height - top
    if box_height * THUMB[0] < box_width * THUMB[1]:
        box_height = round(box_width * THUMB[1] / THUMB[0])
    else:
        box_width = round(box_height * THUMB[0] / THUMB[1])
    left = (width - box_width) // 2
    view = f'<view id="plot" viewBox="{left} {top} {box_width} {box_height}"/>'.encode()
    cut = len(head[: end + 1].encode("utf-8"))
    return svg[:cut] + view + svg[cut:]


def published_svg(svg: bytes) -> bytes:
    """A chart's SVG file as published: vl-convert's, `lean` (its ARIA and namespaces kept: a file on its own
    is read by screen readers and other programs), about a fifth smaller, the same image."""
    return lean(svg.decode("utf-8")).encode("utf-8")


def outputs(ctx: Gathered) -> Iterator[tuple[str, str | bytes]]:
    """Stage entry point: draw what the cache lacks (on both cores), then yield every chart's files."""
    plotted = ctx.plotted
    known = archive.read(ctx.root)  # validated; its problems are in the report `gather` made
    cache = ctx.chart_cache
    frozen = {item.chart.id: frozen_versions(item, known) for item in plotted}
    specs = [item.spec for item in plotted] + [item.compact for item in plotted if item.compact]
    specs += [version.spec for versions in frozen.values() for version in versions]
    specs += [version.compact for versions in frozen.values() for version in versions if version.compact]
    charts.prerender(specs, cache, previews=[item.spec for item in plotted])
    for item in plotted:
        cid, here = item.chart.id, folder(item.chart.id)
        yield here + "chart.vl.json", published_json(item.spec)
        yield here + "chart.svg", published_svg(with_plot_view(charts.render(item.spec, "svg", cache)))
        yield here + "chart.png", charts.render(item.spec, "png", cache)
        if item.compact:
            yield here + "chart-compact.vl.json", published_json(item.compact)
            yield here + "chart-compact.svg", published_svg(charts.render(item.compact, "svg", cache))
        for version in frozen[cid]:
            there = version_folder(cid, version.hash)
            yield there + "chart.vl.json", published_json(version.spec)
            yield there + "chart.svg", published_svg(charts.render(version.spec, "svg", cache))
            if version.compact:
                yield there + "chart-compact.vl.json", published_json(version.compact)
