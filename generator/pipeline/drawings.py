"""Inline drawings kept out of the engine's way: lifted from the Markdown pages, put back in the HTML.

Every chart on a page is drawn inline (both layouts: generator/outputs/figures.py), so it keeps the
page's font and dark colours. Python-Markdown and Material's search plugin then read each drawing's
thousands of tags on every page, which is pure cost: the drawing sits in a `markdown="0"` block and is
kept out of the search index, so neither changes a byte of it. At 10,000 facts the drawings were about
half of the Markdown the engine read and a fifth of its time.

So the build lifts each drawing out of the Markdown pages it writes into
`assets/generated/drawings/<sha256>.svg` (one file per distinct drawing) and leaves an empty
`<svg data-aif-drawing="<sha256>"></svg>` in its place; after the engine, `splice` puts every drawing
back, byte for byte, into the built HTML and the drawings folder is removed from the site. Any engine
that copies static files (MkDocs, Zensical) works the same. Where nothing splices (`serve`, which shows
site_src/ as it is), site.js fetches each drawing from that folder and puts it in place.

A page naming a drawing the site does not hold, or a drawing file whose content does not match its
name, fails the build (DrawingError): a page never goes out with an empty chart.

A drawing that many pages carry is published once instead (`defer`): a declared chart redrawn on each
fact, derived, entity and metric page that it plots (its layouts marked `data-aif-later`, figures.LATER).
At 10,000 facts these copies were 7 kB a fact, a tenth of the site. The built page keeps a placeholder
with the drawing's viewBox, so it takes the drawing's exact size before the drawing comes (nothing
moves), and site.js puts the drawing in from `assets/drawings/<sha256>.svg`, the same file for every page
(the reader's browser fetches it once); inline again, it keeps the page's font and dark colours. Without
JavaScript the same file shows as an image (in a <noscript>), in its light colours. The chart's own page
names the same file; its embeds keep the drawing inline, as they must draw in a frame whose page may run
no script.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from generator.outputs.figures import DRAWING_START, LATER

#: Where the lifted drawings go, under site_src/ and then the built site (removed after the splice).
FOLDER = "assets/generated/drawings"

#: One inline drawing as figures.inline_svg writes it: on one line, from its own opening tag to the first
#: `</svg>` (a drawing holds no other <svg>, and its text is XML-escaped, so `</svg>` cannot come early).
_DRAWING = re.compile(re.escape(DRAWING_START) + r"[^\n]*?</svg>")
_PLACEHOLDER = re.compile(r'<svg data-aif-drawing="([0-9a-f]{64})"></svg>')


class DrawingError(ValueError):
    """A built page names a drawing that is missing or altered: the build stops before the swap."""


def placeholder(digest: str) -> str:
    return f'<svg data-aif-drawing="{digest}"></svg>'


class Lifter:
    """Lifts the drawings out of pages as they are written; each distinct drawing is yielded once."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def lift(self, page: str) -> tuple[str, list[tuple[str, str]]]:
        """The page with each drawing replaced by its placeholder, and the (path, drawing) files not
        yet given."""
        files: list[tuple[str, str]] = []

        def swap(match: re.Match[str]) -> str:
            drawing = match.group(0)
            digest = hashlib.sha256(drawing.encode("utf-8")).hexdigest()
            if digest not in self.seen:
                self.seen.add(digest)
                files.append((f"{FOLDER}/{digest}.svg", drawing))
            return placeholder(digest)

        if DRAWING_START not in page:
            return page, files
        return _DRAWING.sub(swap, page), files


def splice(page: str, drawing: dict[str, str], folder: Path) -> str:
    """The built page with every placeholder replaced by its drawing (read from `folder`, kept in `drawing`)."""

    def put(match: re.Match[str]) -> str:
        digest = match.group(1)
        if digest not in drawing:
            path = folder / f"{digest}.svg"
            try:
                text = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                raise DrawingError(f"a page names drawing {digest}, which the site does not hold") from None
            if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest or not text.startswith(DRAWING_START):
                raise DrawingError(f"drawing {digest} does not match its name")
            drawing[digest] = text
        return drawing[digest]

    if "data-aif-drawing" not in page:
        return page
    return _PLACEHOLDER.sub(put, page)


#: Where the drawings that many pages share are published, under the root project's site.
PUBLISHED = "assets/drawings"
#: The published file: the drawing with the namespace an SVG file needs to show as an image.
STANDALONE = '<svg xmlns="http://www.w3.org/2000/svg" '
#: One layout marked `later` with its drawing inline, as a built page holds it once spliced.
_LATER = re.compile(r'(<div class="aif-variant[^"]*" ' + re.escape(LATER) + r"[^>]*>)(" + _DRAWING.pattern + ")")
_VIEWBOX = re.compile(r'\sviewBox="([0-9. -]+)"')


def defer(page: str, to_root: str, published: dict[str, str]) -> str:
    """The built page with each drawing marked `later` replaced by a placeholder of its size that names its
    published file; `to_root` is the path from the page to the site's root ("../../"). Each drawing's
    published file text is put in `published` under its digest."""
    if LATER not in page:
        return page

    def put(match: re.Match[str]) -> str:
        drawing = match.group(2)
        digest = hashlib.sha256(drawing.encode("utf-8")).hexdigest()
        published.setdefault(digest, STANDALONE + drawing[len("<svg ") :])
        box = _VIEWBOX.search(drawing[: drawing.index(">")])
        if box is None:
            raise DrawingError(f"drawing {digest} has no viewBox: its place could not be kept")
        src = f"{to_root}{PUBLISHED}/{digest}.svg"
        return (
            f'{match.group(1)}<svg data-aif-drawing="{digest}" data-aif-src="{src}" viewBox="{box.group(1)}" '
            f'aria-hidden="true"></svg><noscript><img src="{src}" alt=""></noscript>'
        )

    return _LATER.sub(put, page)


#: A placeholder that `defer` wrote: the digest of the published drawing it fetches.
_FETCHES = re.compile(r'data-aif-drawing="([0-9a-f]{64})" data-aif-src=')


def fetched(page: str) -> list[str]:
    """The digests of the published drawings a built page fetches, sorted."""
    return sorted(set(_FETCHES.findall(page)))


def remove(site: Path, published: dict[str, str] | None = None, wanted: set[str] | None = None) -> None:
    """Take the lifted drawings out of a built site, once every page has its own back, and write the
    drawings that pages fetch (`defer`) into their published folder; with `wanted` (the digests every
    page of the site fetches), delete the published drawings no page fetches any more."""
    folder = site / FOLDER
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)
    out = site / PUBLISHED
    if published:
        out.mkdir(parents=True, exist_ok=True)
        for digest, text in sorted(published.items()):
            (out / f"{digest}.svg").write_text(text, encoding="utf-8")
    if wanted is not None:
        for path in sorted(out.glob("*.svg")):
            if path.stem not in wanted:
                path.unlink()
