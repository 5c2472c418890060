"""The search index, written by the generator from the pages it writes and the hand-written ones.

Material's search plugin indexed each page by running Python's `HTMLParser` over its finished HTML:
28% of the engine's time on 1,000 realistic facts (cProfile, 4 December 2026), and `mkdocs build`
took 13.6 s with it against 8.9 s without it. The pages are ours: their headings are Markdown lines
and everything else is finished HTML between the passthrough's markers (generator/outputs/passthrough.py),
so a few regular expressions over the page source split and strip them.

The index is Material's `search/search_index.json`, made the way its plugin makes it (plugin.py, Material
9.x), so Material's search box and worker read it unchanged:

- one entry per section: the page's first heading (or its front-matter title) with the text before the
  next heading, at the page's address; then one per later heading, at `page/#id`, with the id Python-
  Markdown's `toc` gives that heading (same `slugify`, same `unique`);
- a section whose heading has `data-search-exclude` is left out, and so is any element with that
  attribute (the drawings), `<script>`, `<style>` and `<object>`; a page with `search: exclude: true`
  in its front matter is left out, and `search: boost` is copied onto each of its entries;
- titles and texts are HTML that Material's search results insert as markup: every text is unescaped
  and escaped again, and only the tags Material keeps (p, code, pre, li, ol, ul, sub, sup) are kept,
  without attributes. Nothing a fact file says can become a tag.

tests/test_search_index.py compares this index with the one Material's own plugin makes from the
built HTML: the same locations, titles and words.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

from markdown.extensions.toc import slugify, unique

from generator.outputs.passthrough import END, START

#: Where Material's search worker looks for the index, under each language's site.
INDEX_PATH = "search/search_index.json"

#: The tags Material's index keeps (its Parser's `keep`); everything else is reduced to its text.
KEEP = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
#: Elements whose content is never indexed (Material's `skip`), besides those with data-search-exclude.
SKIP = frozenset({"script", "style", "object"})
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^>]*)?)>")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_EXCLUDED_ATTR = re.compile(r"(?:^|\s)data-search-exclude(?:\s|=|/|$)")
#: ASCII white space only: a no-break or narrow no-break space ("43\u202f000") stays as written, as in
#: Material's index (the search box's separator, a JavaScript \s, still splits words at it).
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_EMPTY = re.compile(r"<(p|code|pre|li|ol|ul|sub|sup)>\s*</\1>")

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*$")
_HEADING_ATTRS = re.compile(r"[ \t]*\{:?([^{}]*)\}[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+")
_ADMONITION = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]*[\w-]+(?:[ \t]+[\w -]+?)?(?:[ \t]+\"(.*)\")?[ \t]*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_ATTR_LIST = re.compile(r"[ \t]*\{:?[ \t]*[#.\w][^{}]*\}")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_BACKSLASH = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>&])")
#: Placeholders for kept code spans, so their text is not read as Markdown: private-use characters,
#: which a fact file cannot hold (generator.inputs.load refuses them) and a hand-written page does not.
_HOLD = "\ue000{}\ue001"
_HELD = re.compile("\ue000(\\d+)\ue001")


def location(relpath: str) -> str:
    """A page's address relative to its language's site, as MkDocs makes it (use_directory_urls)."""
    stem = relpath[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _text(raw: str) -> str:
    """Text as it sits in the index: entities read, then <, > and & escaped again."""
    return html.escape(html.unescape(raw), quote=False)


def html_text(fragment: str) -> str:
    """What the index keeps of a piece of HTML: its text, with the kept tags bare; excluded elements dropped."""
    fragment = _COMMENT.sub("", fragment)
    out: list[str] = []
    stack: list[str] = []
    skip_at: int | None = None  # the depth of the element being skipped, if any
    pos = 0
    for match in _TAG.finditer(fragment):
        if skip_at is None:
            out.append(_text(fragment[pos : match.start()]))
        pos = match.end()
        closing, tag, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if tag in VOID or attrs.rstrip().endswith("/"):
            continue
        if not closing:
            stack.append(tag)
            if skip_at is None:
                if tag in SKIP or _EXCLUDED_ATTR.search(_QUOTED.sub('""', attrs)):
                    skip_at = len(stack)
                elif tag in KEEP:
                    out.append(f"<{tag}>")
            continue
        if tag not in stack:
            continue  # a stray closing tag: the browser ignores it too
        while stack and stack.pop() != tag:
            pass
        if skip_at is not None:
            if len(stack) < skip_at:
                skip_at = None
            continue
        if tag in KEEP:
            out.append(f"</{tag}>")
    if skip_at is None:
        out.append(_text(fragment[pos:]))
    return "".join(out)


def inline_text(line: str) -> str:
    """One line of Markdown as the index holds it: code spans kept, links and emphasis reduced to their text."""
    held: list[str] = []

    def hold(match: re.Match[str]) -> str:
        held.append(f"<code>{_text(match.group(2).strip())}</code>")
        return _HOLD.format(len(held) - 1)

    line = _CODE_SPAN.sub(hold, line)
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _ATTR_LIST.sub("", line)
    line = _STRONG.sub(r"\2", line)
    line = _EM.sub(r"\1", line)
    line = _BACKSLASH.sub(lambda m: f"&#{ord(m.group(1))};", line)
    return _HELD.sub(lambda m: held[int(m.group(1))], html_text(line))


def _markdown_text(lines: list[str]) -> str:
    """Blocks of Markdown (no headings, no passthrough regions) as the index holds them."""
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append("<p>" + " ".join(paragraph) + "</p>")
            paragraph.clear()

    fence: str | None = None
    code: list[str] = []
    for line in lines:
        if fence is not None:
            if line.strip().startswith(fence):
                out.append("<pre><code>" + _text("\n".join(code)) + "</code></pre>")
                fence, code = None, []
            else:
                code.append(line)
            continue
        opened = _FENCE.match(line)
        if opened:
            flush()
            fence = opened.group(1)
            continue
        if not line.strip() or _TABLE_RULE.match(line):
            flush()
            continue
        admonition = _ADMONITION.match(line)
        if admonition:
            flush()
            if admonition.group(1):
                out.append("<p>" + inline_text(admonition.group(1)) + "</p>")
            continue
        item = _LIST_ITEM.match(line)
        if item:
            flush()
            out.append("<li>" + inline_text(line[item.end() :]) + "</li>")
            continue
        stripped = line.strip()
        if stripped.startswith("|"):
            flush()
            cells = [cell.strip() for cell in stripped.strip("|").split("|")]
            out.append("<p>" + " ".join(inline_text(cell) for cell in cells if cell) + "</p>")
            continue
        paragraph.append(inline_text(stripped.lstrip("> ")))
    flush()
    if fence is not None and code:
        out.append("<pre><code>" + _text("\n".join(code)) + "</code></pre>")
    return "".join(out)


class _Section:
    __slots__ = ("anchor", "excluded", "parts", "title")

    def __init__(self, title: str, anchor: str, excluded: bool = False) -> None:
        self.title, self.anchor, self.excluded = title, anchor, excluded
        self.parts: list[str] = []


def _heading(text: str) -> tuple[str, str | None, bool]:
    """A heading line's title (index HTML), its explicit id if any, and whether it is kept out of search."""
    attrs = _HEADING_ATTRS.search(text)
    explicit, excluded = None, False
    if attrs and not text.rstrip().endswith("\\}"):
        text = text[: attrs.start()]
        for word in attrs.group(1).split():
            if word.startswith("#"):
                explicit = word[1:]
            elif word == "data-search-exclude" or word.startswith("data-search-exclude="):
                excluded = True
    text = re.sub(r"[ \t]+#+$", "", text)
    return inline_text(text), explicit, excluded


def page_entries(relpath: str, source: str, meta: dict[str, Any]) -> list[dict[str, Any]]:
    """The index entries of one page: `relpath` relative to its language's site_src, `source` the whole page
    (front matter included), `meta` its front matter as MkDocs reads it."""
    found = meta.get("search")
    search: dict[str, Any] = found if isinstance(found, dict) else {}
    if search.get("exclude"):
        return []
    body = source
    if body.startswith("---"):
        end = re.search(r"^(?:---|\.\.\.)[ \t]*$", body[3:], re.M)
        body = body[3 + end.end() :] if end else body
    url = location(relpath)
    title = meta.get("title")
    sections = [_Section(_text(str(title)) if isinstance(title, str) else "", "")]
    ids: set[str] = set()
    region: list[str] | None = None
    block: list[str] = []
    fence: str | None = None
    first_heading = True

    def flush() -> None:
        if block:
            text = _markdown_text(block)
            if text:
                sections[-1].parts.append(text)
            block.clear()

    for line in body.split("\n"):
        if region is not None:
            if line == END:
                sections[-1].parts.append(html_text("\n".join(region)))
                region = None
            else:
                region.append(line)
            continue
        if fence is None and line == START:
            flush()
            region = []
            continue
        opened = _FENCE.match(line)
        if opened:
            if fence is None:
                fence = opened.group(1)
            elif line.strip().startswith(fence):
                fence = None
            block.append(line)
            continue
        heading = _HEADING.match(line) if fence is None else None
        if not heading:
            block.append(line)
            continue
        flush()
        text, explicit, excluded = _heading(heading.group(2))
        anchor = unique(explicit or slugify(html.unescape(re.sub(r"<[^>]+>", "", text)), "-"), ids)
        if first_heading and len(heading.group(1)) == 1 and not sections[0].parts:
            # The page's first heading names its first section (Material: the first entry is at the page's
            # own address, titled by that heading), unless text came before it.
            sections[0] = _Section(text, "", excluded)
        else:
            sections.append(_Section(text, anchor, excluded))
        first_heading = False
    flush()
    if region is not None:
        sections[-1].parts.append(html_text("\n".join(region)))

    boost = search.get("boost")
    entries = []
    for section in sections:
        if section.excluded:
            continue
        text = _EMPTY.sub("", _SPACE.sub(" ", " ".join(section.parts))).strip()
        entry: dict[str, Any] = {
            "location": url + (f"#{section.anchor}" if section.anchor else ""),
            "title": _SPACE.sub(" ", section.title).strip(),
            "text": text,
        }
        if boost is not None:
            entry["boost"] = boost
        entries.append(entry)
    return entries


def entries_json(entries: Iterable[dict[str, Any]]) -> str:
    """Entries as they sit in the index's `docs` list, comma-separated: a page's part of the file, kept as
    text until the file is written (at 10,000 seed-profile facts, dicts held ~200 MB more than their JSON)."""
    return ",".join(json.dumps(entry, separators=(",", ":"), ensure_ascii=False) for entry in entries)


def index_json(language: str, entries: Iterable[dict[str, Any]]) -> str:
    """Material's search_index.json for one language's site: its config (Material's defaults, as its plugin
    writes them) and the entries."""
    return index_from_parts(language, [entries_json(entries)])


def index_from_parts(language: str, parts: Iterable[str]) -> str:
    """The same file from the pages' parts (entries_json), in order; byte for byte what index_json writes."""
    config = {
        "lang": [language],
        "separator": r"[\s\-]+",
        "pipeline": ["stopWordFilter"],
        "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}},
    }
    head = json.dumps({"config": config}, separators=(",", ":"), ensure_ascii=False)[:-1]
    return head + ',"docs":[' + ",".join(part for part in parts if part) + "]}"
