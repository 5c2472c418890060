"""A Python-Markdown extension, loaded by the engine from mkdocs.yml: HTML the generator wrote, passed through.

The generated pages keep their headings in Markdown (the table of contents, the permalinks and the
search sections come from them) and write everything else as finished HTML between two marker lines:

    <!--aif:html-->
    <ul>
    <li>...</li>
    </ul>
    <!--/aif:html-->

Python-Markdown would otherwise run its block parser, its HTML block parser (Python's `HTMLParser`,
over the whole page) and its inline patterns (a dozen regular expressions per text node) over
HTML that is already finished: that was about 60% of the engine's time above the bare engine's on
1,000 realistic facts (`mkdocs build` 29.5 s -> 17.3 s with this, against 9.6 s for trivial pages).
This preprocessor puts each marked region in Python-Markdown's own raw-HTML stash, so it comes out
as written (its links aside, below); the Markdown around it is parsed as before.

Links: the templates write links in a region as they write them in Markdown, to the `.md` file
(`link()`, generator/outputs/pages.py). MkDocs finishes and checks links on Python-Markdown's element
tree, which a stashed region never joins, so this extension hands each `<a href>` and `<img src>` of a
region that names a page (`x.md`, `x.md#anchor`, `#anchor`) to MkDocs' own link processor for the
page (`relpath`): the same URL, the same warning for a broken link or anchor (which `--strict` turns
into a failed build). Zensical has no such processor and finishes the links of the whole page, raw
HTML included, itself.

Trust: only the generator's templates write the markers. Every value from a fact file is escaped
(`generator.outputs.escape.md_text`) before it lands in a page, `<` included, so a fact file cannot
open or close a region or add an attribute to a tag.

This module imports nothing from the generator: the engine's process loads it on its own.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

START = "<!--aif:html-->"
END = "<!--/aif:html-->"
_REGION = re.compile(rf"^{re.escape(START)}\n(.*?)\n{re.escape(END)}$", re.S | re.M)
#: The attributes MkDocs rewrites (an `<a>`'s href, an `<img>`'s src), in the tags as the templates write them.
_LINK = re.compile(r'(<a\s[^>]*?\bhref="|<img\s[^>]*?\bsrc=")([^"]*)(")')


class _Stash(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if START not in text:
            return lines
        # A blank line either side makes the placeholder a paragraph of its own, which the raw-HTML
        # postprocessor replaces whole (its first tag is block-level: the templates see to that).
        finish = self._links()
        text = _REGION.sub(lambda m: f"\n\n{self.md.htmlStash.store(finish(m.group(1)))}\n\n", text)
        return text.split("\n")

    def _links(self) -> Callable[[str], str]:
        """What finishes a region's links on this page: MkDocs' link processor, else nothing."""
        relpath = self.md.treeprocessors["relpath"] if "relpath" in self.md.treeprocessors else None
        to_url = getattr(relpath, "path_to_url", None)
        if to_url is None:
            return lambda region: region

        def finish(region: str) -> str:
            def one(m: re.Match[str]) -> str:
                written = html.unescape(m.group(2))
                if not (written.startswith("#") or written.partition("#")[0].endswith(".md")):
                    return m.group(0)  # a file beside the page or another host: as written, as in Markdown's raw HTML
                finished = to_url(written)  # external links and own anchors come back as they went
                return m.group(0) if finished == written else m.group(1) + html.escape(finished) + m.group(3)

            return _LINK.sub(one, region)

        return finish


class PassthroughExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # After normalize_whitespace (30), which strips the stash's placeholder characters, and before
        # html_block (20), which would parse the region's HTML.
        md.preprocessors.register(_Stash(md), "aif_passthrough", 25)


def makeExtension(**kwargs: object) -> PassthroughExtension:  # noqa: N802 - Python-Markdown's entry point
    return PassthroughExtension(**kwargs)
