"""A drawn chart as it sits in a page: its SVGs inline, both layouts (a container query shows one).

One home for the markup every page kind uses: chart pages and embeds (which add the live view on
interaction), fact and derived pages (the chart that plots the figure), and entity and metric pages
(their series over time). Inlining keeps the page's font and colours (dark mode) on the drawing, which
an <img> cannot: an SVG loaded as an image sees neither the page's fonts nor its stylesheet.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import OrderedDict

from markupsafe import Markup

from generator.outputs import charts

_TAG = re.compile(r"<[^>]*>")
#: How every inline drawing starts (generator/pipeline/drawings.py finds them by it).
DRAWING_START = '<svg aria-hidden="true" focusable="false" preserveAspectRatio="xMidYMin meet" '
_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')
#: What a static drawing does not need, inside tags (`lean`).
_IDLE = re.compile(r'\s(?:opacity="1"|pointer-events="none")(?=[\s/>])')
_FONT = re.compile(r'\sfont-family="([^"]*)"')


def lean(text: str) -> str:
    """A rendered SVG without what draws nothing: in every tag, the default opacity and hit-testing (nothing in
    a static drawing handles a pointer; the live view that does is Vega's own drawing), ~8% of a drawing; and
    the font that every text names (charts.FONT) said once, on the root, which they inherit it from (14%).
    A drawing with several fonts keeps them. Text between tags is left as it is; the same image."""
    text = _TAG.sub(lambda tag: _IDLE.sub("", tag[0]), text)
    families = set(_FONT.findall(text))
    root = text.find("<svg ")
    if len(families) != 1 or root < 0 or _FONT.search(text[root : text.index(">", root)]):
        return text
    text = _TAG.sub(lambda tag: _FONT.sub("", tag[0]), text)
    return text[:root] + f'<svg font-family="{families.pop()}" ' + text[root + len("<svg ") :]


def inline_svg(svg: bytes) -> str:
    """A rendered SVG ready to sit in a page: one line, hidden from screen readers (the figure has the alt
    text), scaled by CSS from its viewBox, top-aligned when its box is taller than the chart; `lean`.

    Refused unless it is plain drawing (charts.plain_svg): no script, handler, link or foreign object."""
    key = hashlib.sha256(svg).digest()
    found = _INLINED.get(key)
    if found is None:
        found = _INLINED[key] = _inline(svg)
        if len(_INLINED) > 1024:
            _INLINED.popitem(last=False)  # the oldest: a chart's drawings come back on neighbouring pages
    else:
        _INLINED.move_to_end(key)
    return found


#: The last 1,024 drawings inlined, by the digest of their rendered SVG: a declared chart is inlined again on
#: every page that plots it (at 2,000 realistic facts, 2,636 times for 1,412 drawings; this keeps 1,224 of them).
_INLINED: OrderedDict[bytes, str] = OrderedDict()


def _inline(svg: bytes) -> str:
    text = svg.decode("utf-8").strip()
    if not text.startswith("<svg") or not charts.plain_svg(text):
        raise charts.ChartError("a rendered chart holds markup that cannot be inlined in a page")
    text = re.sub(r"<\?xml[^>]*>", "", text).replace("\n", " ")
    # Vega's ARIA attributes name every mark and axis (in English, whatever the chart's language): dead
    # weight under aria-hidden, where the figure's own aria-label says what the chart shows. ~16% of a
    # drawing. Only inside tags: text is left as it is.
    text = _TAG.sub(lambda tag: _ARIA.sub("", tag[0]), text)
    # In HTML an <svg> needs no namespace declarations (and the page then names no http:// address).
    text = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", text, count=2)
    return lean(text).replace("<svg ", DRAWING_START, 1)


#: Keeps a drawing out of Material's search index. On each layout's <div>, which holds no other <div>: the
#: search plugin's parser compares elements by tag name only, so an excluded <div> around other <div>s stops
#: being excluded at the first inner </div>.
UNSEARCHED = " data-search-exclude"

#: On each layout's <div> of a drawing that many pages carry: the built page gets it from its file.
LATER = "data-aif-later"


def figure(
    alt_text: str,
    wide_svg: bytes,
    compact_svg: bytes | None,
    load: str = "",
    prefix: str = "",
    lang: str = "",
    kind: str = "",
    later: bool = False,
) -> Markup:
    """The chart as it is first painted: both layouts inline (a container query shows one), no script needed.

    `load` is "interaction" (Vega, about 900 kB, comes only when the reader hovers, focuses or taps, so a
    page or an embed costs a few kB until then), "idle" (once the browser is idle: a page may ask for it,
    at the cost of blocking the main thread for a few seconds on a phone) or "" (a static drawing, never
    replaced: its page links to the chart's own page for the live view); `prefix` is the path to the
    chart's specs from the page. `lang` tags a chart drawn in another language than its page's (an
    archived version). `kind` adds a class ("aif-series", "aif-static") that says which sort it is.

    `later` marks a drawing that other pages carry too (a declared chart redrawn on each fact, derived,
    entity and metric page that it plots): the built page holds a placeholder of the drawing's size and
    site.js puts the drawing in from its one published file (generator/pipeline/drawings.py, `defer`).

    The drawing is kept out of the search index (`data-search-exclude`, read by Material's search): its
    labels, twice (both layouts), made every page with a chart a match for every name the chart shows,
    and grew the index every reader downloads; the page's own text says what the chart is.
    """
    tagged = f' lang="{html.escape(lang)}"' if lang else ""
    loads = f' data-aif-load="{html.escape(load)}"' if load else ""
    classes = "aif-chart" + (f" {html.escape(kind)}" if kind else "")
    live = bool(load)

    def spec(name: str) -> str:
        return f' data-aif-spec="{html.escape(prefix)}{name}"' if live else ""

    wide_class = "aif-variant aif-wide" if compact_svg is not None else "aif-variant aif-only"
    deferred = f" {LATER}" if later else ""
    parts = [
        f'<div class="{classes}"{tagged} role="img" aria-label="{html.escape(alt_text)}"{loads}>',
        f'<div class="{wide_class}"{deferred}{spec("chart.vl.json")}{UNSEARCHED}>{inline_svg(wide_svg)}</div>',
    ]
    if compact_svg is not None:
        parts.append(
            f'<div class="aif-variant aif-compact"{deferred}{spec("chart-compact.vl.json")}{UNSEARCHED}>'
            f"{inline_svg(compact_svg)}</div>"
        )
    parts.append("</div>")
    return Markup("".join(parts))


def dark_colours_css(scope: str) -> str:
    """The CSS that swaps each drawing colour for its dark-mode one (charts.DARK_COLOURS) inside `.aif-chart`,
    under `scope` (the selector of dark mode). Presentation attributes give way to any CSS rule, in the
    static SVG and in the live view Vega draws (which writes the same attributes), and a faint mark keeps
    its fill-opacity: it stays faint, now against the dark page. site.css holds this text for Material's
    dark palette (a test keeps the two the same); embed pages put it in their own style sheet."""
    rules = []
    for light, dark in charts.DARK_COLOURS.items():
        rules.append(f'{scope} .aif-chart [fill="{light}" i] {{ fill: {dark}; }}')
        rules.append(f'{scope} .aif-chart [stroke="{light}" i] {{ stroke: {dark}; }}')
    return "\n".join(rules)
