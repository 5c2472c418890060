"""The one Jinja environment: templates/ folder, strict undefined, every output escaped.

Templates lay out; what they show is prepared by the page modules. Escaping happens in
`finalize` for Markdown *and* HTML at once (generator.outputs.escape), so a template cannot forget it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from babel import Locale
from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from generator.model import paths
from generator.model.schema import SLUG_PATTERN
from generator.outputs import i18n, pages
from generator.outputs.escape import finalize, md_text, yaml_quoted


class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per process, shared by every environment made here.

    A build makes one environment per language, and `serve`, `diff` and the tests make one per
    gather; compiling the page templates was half of the render stage each time. Jinja checks each
    entry against the SHA-1 of the template's source before using it, so an edited template is
    compiled anew. The key is the template's name alone, not its path, so copies of the project share
    it (their sources are compared all the same); every environment comes from `environment()`, whose
    settings, which the compiled code depends on, never vary.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """The template's name: a copy of the project in another folder finds it too."""
        return name

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill the bucket from memory (Jinja drops it when the source's checksum differs)."""
        code = self._compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a freshly compiled template."""
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def environment(root: Path) -> Environment:
    """The Jinja environment: templates/ folder, strict undefined, every output escaped."""
    env = Environment(
        loader=FileSystemLoader(root / paths.TEMPLATES),
        bytecode_cache=_COMPILED,
        undefined=StrictUndefined,
        finalize=marked_finalize,
        autoescape=False,  # finalize escapes for Markdown *and* HTML, which autoescape alone would not
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Template words go through the gettext catalog of the language being rendered (generator.i18n);
    # new-style calls, `_("... {name} ...", name=value)`, escape every value like any other output.
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(gettext=template_gettext, _=template_gettext, ngettext=template_ngettext)
    env.globals["language"] = i18n.current
    env.globals["quote_translation"] = i18n.quote_translation
    env.filters["e"] = md_text
    env.filters["yaml_str"] = yaml_str
    env.filters["slug"] = slug
    env.filters["fill"] = fill
    env.filters["plain"] = lambda value: md_text(str(value))  # words from the catalog, escaped as text
    env.globals["anchor"] = anchor
    env.globals["unsearched"] = UNSEARCHED_SECTION
    env.filters["date_words"] = i18n.date_words
    env.filters["code_spans"] = code_spans
    env.globals["kind_label"] = lambda kind: i18n._(pages.KIND_LABELS[kind]) if kind in pages.KIND_LABELS else kind
    env.globals["language_name"] = language_name
    env.globals["role_label"] = lambda role: i18n._(pages.ROLE_LABELS[role]) if role in pages.ROLE_LABELS else role
    return env


#: After a heading: its section is left out of the search index (Material's search plugin drops a section
#: whose heading has `data-search-exclude`). For the boilerplate every fact, derived figure and chart page
#: repeats (how to cite it, how to correct it, the embed code): at 10,000 realistic facts, the "Cite this"
#: and "Check or correct it" sections were ~40% of a 46 MB index that every searching reader downloads.
UNSEARCHED_SECTION = Markup(" { data-search-exclude }")


def anchor(name: str) -> Markup:
    """An explicit heading id for a heading that links point at, in languages other than English (where
    the id MkDocs makes from the words is already `name`): the same anchor in every language."""
    return Markup("") if i18n.current() == i18n.DEFAULT else Markup(f" {{ #{slug(name)} }}")


def fill(template: Any, **values: Any) -> str:
    """Plain-text %-formatting of translated words, for front matter (yaml_str escapes it once, after)."""
    return str(template) % {k: str(v) for k, v in values.items()}


def code_spans(value: Any) -> Markup:
    """Words of the catalog with `codes` in backticks (data values a download holds, the same in every
    language: `reported`, `range`) shown as code; every piece escaped. Text without backticks is unchanged."""
    pieces = str(value).split("`")
    if len(pieces) % 2 == 0:  # an unpaired backtick: plain text
        return md_text(str(value))
    return Markup("").join(
        Markup("<code>") + escape(piece) + Markup("</code>") if odd else md_text(piece)
        for odd, piece in ((i % 2 == 1, p) for i, p in enumerate(pieces))
    )


def language_name(code: str) -> str:
    """A language code as the page's language names it: "fr" is "French" in English, "français" in French;
    the code itself on English pages, as they always showed it."""
    if i18n.current() == i18n.DEFAULT:
        return code
    return Locale(i18n.current()).languages.get(code.split("-")[0], code)


def template_gettext(message: str, **variables: Any) -> Markup:
    """A template's words in the current language. The catalog is the project's own text, like the
    templates, so it is markup; the values put into it are escaped (fact text is untrusted)."""
    translated = Markup(i18n._(message))
    return translated % {k: md_text(v) for k, v in variables.items()} if variables else translated


def template_ngettext(singular: str, plural: str, n: int, **variables: Any) -> Markup:
    """The singular or plural form of a template's words, in the current language (`num` is n)."""
    translated = Markup(i18n.ngettext(singular, plural, n))
    return translated % {"num": n, **{k: md_text(v) for k, v in variables.items()}}


def marked_finalize(value: Any) -> Any:
    """`finalize` (every output escaped), and a missing translation shown tagged with its language and
    marked, "(in English)": a reader sees the gap, a screen reader reads it in the right voice."""
    if isinstance(value, i18n.Fallback):
        mark = i18n.FALLBACK_MARK.get(value.language, f"({value.language})")
        return Markup(
            f'<span lang="{value.language}">{md_text(value)}</span> '
            f'<span class="aif-fallback" lang="{value.language}">{md_text(mark)}</span>'
        )
    return finalize(value)


def yaml_str(value: Any) -> Markup:
    """A front-matter scalar: HTML-escaped (themes print title and description unescaped into
    <title>, <meta> and the navigation), then a YAML double-quoted string in real UTF-8 that cannot
    leave its line and reads back exactly (generator.outputs.escape.yaml_quoted; the writer checks it)."""
    if isinstance(value, i18n.Fallback):  # a title in another language: marked in the navigation too
        value = i18n.marked(value)
    return Markup(yaml_quoted(str(escape(str(value)))))


def slug(value: Any) -> Markup:
    """An id for an HTML anchor or URL; ids are validated slugs, so anything else is a bug."""
    text = str(value)
    if not re.fullmatch(SLUG_PATTERN, text):
        raise ValueError(f"not a slug: {text!r}")
    return Markup(text)
