"""Escaping for generated Markdown: untrusted text can never become markup, links or script.

Every character that HTML or Markdown could read as syntax is written as a numeric
character reference. Python-Markdown leaves those alone and the browser shows the
character, so `<script>`, `[x](javascript:...)`, `*`, `|` in a table cell all stay text.
Five characters are syntax only where a line starts: `-` and `:` open a list item, a rule or a
definition, `1. ` and `1) ` an ordered list (`(` and `)` are nothing without the `[` or `<` that
stays escaped). A value gets them escaped only at its own start, so the bulk of the text (dates,
decimals, "(est.)") stays plain and cheap for Python-Markdown, whose inline
patterns run once per character reference.

This is the one place where text meets Markdown: body text goes through `md_text`, front-matter
values through `yaml_quoted`, and the writer reads every page's front matter back
(`front_matter`), so a value YAML cannot read is a build error, never a page without a title.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from markupsafe import Markup

_SPECIAL = set("&<>\"'`*_[]{}#|!\\~+=@$^")
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
#: Syntax only at a line's start: a list marker or rule (`-`, `:` of a definition), `1.` / `1)`.
#: A value may land at the start of a line, so its own start is escaped; inside a line they are text.
_LEADING = re.compile(r"^(\s*)(?:([-:])|([0-9]+)([.)])(?=\s|$))")
#: Four columns of leading white space open an indented code block: its first character is escaped.
_INDENT = re.compile(r"^(?:[ ]{4}|[ ]{0,3}\t)")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # \r among them; tab and newline stay


def md_text(value: Any) -> Markup:
    """Escape any value for Markdown or HTML text or a quoted attribute; Markup passes through."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    # Controls are refused at load; dropping them here too keeps Python-Markdown's own placeholders
    # (STX ... ETX marks its stash of raw HTML) out of reach of any text that arrives another way.
    text = _CONTROLS.sub("", str(value)).translate(_TABLE).replace("\n", " ")
    text = _LEADING.sub(_leading, text, count=1)
    return Markup("&#32;" + text[1:] if _INDENT.match(text) else text)


def _leading(match: re.Match[str]) -> str:
    space, mark, digits, after = match.groups()
    return space + (f"&#{ord(mark)};" if mark else digits + f"&#{ord(after)};")


def finalize(value: Any) -> Any:
    """Jinja `finalize`: every `{{ }}` output is escaped unless it is already Markup."""
    return md_text(value)


#: What XML 1.0 does not allow in a document (its `Char` production), even as a character reference.
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: Any) -> str:
    """Text an XML 1.0 document can hold: any character XML forbids becomes U+FFFD.

    Validation already refuses those characters in fact files (generator.inputs.load); this keeps the
    Atom feed well-formed even if one ever reaches it by another way.
    """
    return _NOT_XML.sub("\ufffd", str(value))


#: Characters written as themselves in a front-matter string: YAML's printable set, less the quote,
#: the backslash, the characters PyYAML or libyaml take as line breaks or a byte-order mark, and
#: the invisible direction controls (a reader of the Markdown source sees them as escapes).
_YAML_RAW = re.compile(
    r"[\x20-\x21\x23-\x5b\x5d-\x7e\xa0-\u061b\u061d-\u200d\u2010-\u2027\u202f-\u2065\u206a-\ud7ff"
    r"\ue000-\ufdcf\ufdf0-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_YAML_SHORT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _yaml_escape(char: str) -> str:
    if char in _YAML_SHORT:
        return _YAML_SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def yaml_quoted(text: str) -> str:
    """`text` as a one-line YAML double-quoted scalar that PyYAML and libyaml read back exactly.

    Real UTF-8 for every printable character, emoji included (JSON's `\\ud83d\\ude00` surrogate
    pairs are not YAML: libyaml refuses them and MkDocs then silently drops the whole front matter),
    YAML escapes (`\\n`, `\\x85`, `\\u2028`, `\\U0001f600`) for everything else.
    """
    out = []
    for char in text:
        out.append(char if _YAML_RAW.match(char) else _yaml_escape(char))
    return '"' + "".join(out) + '"'


#: MkDocs' own pattern for a page's front matter (mkdocs/utils/meta.py), so the check reads what it reads.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


class FrontMatterError(ValueError):
    """A generated page's front matter does not read back: MkDocs would drop it without a word."""


def front_matter(page: str, both: bool = True) -> dict[str, Any]:
    """The front matter of a generated Markdown page, read as MkDocs reads it, by both YAML parsers.

    Raises FrontMatterError when it is missing, does not parse, is not a mapping, has no string
    title, or reads differently with the C and the pure-Python parser.

    `both=False` reads it with the parser MkDocs uses only (libyaml's when PyYAML has it): the
    writer's check of every page. Both parsers took 0.44 ms a page, libyaml's alone 0.045 ms (3
    December 2026): ~7 s of a 10,000-fact build's 16,461 pages. Every value the templates put in
    front matter goes through `yaml_quoted`, which a property test reads back with both parsers,
    and the tests read every page of the hostile build with both.
    """
    match = FRONT_MATTER.match(page)
    if not match:
        raise FrontMatterError("the page does not start with front matter between '---' lines")
    loaders: list[Any] = []
    if both or not hasattr(yaml, "CSafeLoader"):
        loaders.append(yaml.SafeLoader)
    if hasattr(yaml, "CSafeLoader"):
        loaders.append(yaml.CSafeLoader)
    found: list[Any] = []
    for loader in loaders:
        try:
            found.append(yaml.load(match.group(1), Loader=loader))  # noqa: S506 - safe loaders only
        except yaml.YAMLError as exc:
            raise FrontMatterError(f"front matter does not parse ({loader.__name__}): {exc}") from None
    data = found[0]
    if not isinstance(data, dict):
        raise FrontMatterError("front matter is not a mapping")
    if any(other != data for other in found[1:]):
        raise FrontMatterError("front matter reads differently with the C and the Python YAML parser")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        raise FrontMatterError("front matter has no title")
    return data
