"""`md_text` proven against Python-Markdown itself: whatever the text, it renders as that text.

The escaper writes most syntax characters as character references, but `-`, `:`, `.`, `(` and `)`
only where a value starts (they are syntax only at a line's start; elsewhere escaping them made
Python-Markdown run its inline patterns on millions of references). These tests render escaped text
with the site's own Markdown extensions (read from mkdocs.yml) where pages put values, at the start
of a line, inside a paragraph, in a table cell and in a heading, and require the exact text back and
no element the text did not ask for.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.outputs.escape import md_text

ROOT = Path(__file__).resolve().parent.parent


def _extensions() -> tuple[list[str], dict[str, dict]]:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:")[0])
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        configs[name] = options or {}
    return names, configs


EXTENSIONS, CONFIGS = _extensions()


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        self.tags.append(tag)
        if tag == "a" and ("class", "headerlink") in attrs:
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.text.append(data)


def render(source: str) -> _Reader:
    reader = _Reader()
    reader.feed(markdown.markdown(source, extensions=EXTENSIONS, extension_configs=CONFIGS))
    return reader


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


#: Where the templates put a value, and the elements the template itself makes there.
PLACES = {
    "line start": ("{v}\n", {"p"}),
    "after a line": ("Intro\n{v} tail\n", {"p"}),
    "list item": ("- {v}\n", {"ul", "li"}),
    "table cell": ("| a | b |\n|---|---|\n| {v} | x |\n", {"table", "thead", "tbody", "tr", "th", "td"}),
    "heading": ("# {v}\n", {"h1", "a"}),
}
SYNTAX = "-:.()0123456789 #*+_`[]<>!|{}=~\\&;\"'"
TEXT = st.text(alphabet=st.sampled_from(list(SYNTAX) + ["a", "b", "\u00e9"]), min_size=1, max_size=16)


@settings(max_examples=400, deadline=None)
@given(TEXT)
@example("- item")
@example("1. item")
@example("2019) item")
@example(": a definition")
@example("---")
@example("  - indented")
@example("3.")
@example("1.5 bn (est.)")
@example("a - b: c (d).")
def test_escaped_text_renders_as_itself_wherever_a_page_puts_it(text: str):
    value = str(md_text(text))
    for place, (template, allowed) in PLACES.items():
        source = template.format(v=value)
        got = render(source)
        extra = set(got.tags) - allowed
        assert not extra, f"{text!r} {place}: made {extra} from {source!r}"
        if text.strip():
            assert normal(text) in normal("".join(got.text)), f"{text!r} {place}: {got.text}"


def test_only_a_value_s_start_keeps_its_list_and_definition_markers_escaped():
    assert str(md_text("- item")) == "&#45; item"
    assert str(md_text("1. item")) == "1&#46; item"
    assert str(md_text(": def")) == "&#58; def"
    # Inside a value they are text: the common case (dates, decimals, "(est.)") costs nothing.
    assert str(md_text("2026-01-02 (est.): 1.5")) == "2026-01-02 (est.): 1.5"
    assert str(md_text("1.5 bn")) == "1.5 bn"
    assert html.unescape(str(md_text("<b>[x](y)</b>"))) == "<b>[x](y)</b>"
    assert "<" not in str(md_text("<b>"))
