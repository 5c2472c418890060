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
HTML that is already finished: that was two thirds of the engine's time above the bare engine's on
a realistic site. This preprocessor puts each marked region in Python-Markdown's own raw-HTML
stash, so it comes out byte for byte as written; nothing else changes.

Trust: only the generator's templates write the markers. Every value from a fact file is escaped
(`generator.outputs.escape.md_text`) before it lands in a page, `<` included, so a fact file cannot
open or close a region; the engine's link rewriting does not see inside one, so the templates write
each link as its final URL (`url()`, generator/outputs/pages.py).

This module imports nothing from the generator: the engine's process loads it on its own.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

START = "<!--aif:html-->"
END = "<!--/aif:html-->"
_REGION = re.compile(rf"^{re.escape(START)}\n(.*?)\n{re.escape(END)}$", re.S | re.M)


class _Stash(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if START not in text:
            return lines
        # A blank line either side makes the placeholder a paragraph of its own, which the raw-HTML
        # postprocessor replaces whole (its first tag is block-level: the templates see to that).
        text = _REGION.sub(lambda m: f"\n\n{self.md.htmlStash.store(m.group(1))}\n\n", text)
        return text.split("\n")


class PassthroughExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # After normalize_whitespace (30), which strips the stash's placeholder characters, and before
        # html_block (20), which would parse the region's HTML.
        md.preprocessors.register(_Stash(md), "aif_passthrough", 25)


def makeExtension(**kwargs: object) -> PassthroughExtension:  # noqa: N802 - Python-Markdown's entry point
    return PassthroughExtension(**kwargs)
