"""The site's two languages: which exist, where each lives, and the gettext catalogs of its words.

English is at the site root, French under /fr/: two MkDocs projects (mkdocs.yml and mkdocs.fr.yml,
Material's documented way: one `theme.language` and one search index per project) built from the
same generated Markdown, so Zensical builds them the same way.

The words of the pages (templates and the sentences generator/pages.py makes) are English in the
source and translated through gettext catalogs: `locales/<language>/LC_MESSAGES/messages.po`,
extracted by Babel (`pybabel extract -F babel.cfg`, see `make messages`) and read here. The .po is
compiled to a catalog in memory at build time (Babel's `write_mo`), so no binary .mo file sits in
git and none can be stale: what a build says is always what the committed .po says.

Which language a page is being made in is a context variable set by `using(language)` around the
render of one language, so the formatter calls in generator/pages.py need no extra argument.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from generator.outputs.escape import FRONT_MATTER, md_text, yaml_quoted

#: The site's languages, the first at the root; each other under /<language>/.
LANGUAGES = ("en", "fr")
DEFAULT = LANGUAGES[0]
#: Each language's name in itself, for the language switcher.
NAMES = {"en": "English", "fr": "Français"}
#: Folder of the catalogs, under the project root.
LOCALES = "locales"
DOMAIN = "messages"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT)
_catalog: contextvars.ContextVar[gettext.NullTranslations | None] = contextvars.ContextVar("catalog", default=None)
_SOURCE = gettext.NullTranslations()  # English, the source language: the words as written


def prefix(language: str) -> str:
    """Where a language's pages live under site_src/ and site/: "" for English, "fr/" for French."""
    return "" if language == DEFAULT else f"{language}/"


def other(language: str) -> str:
    """The other language of the two."""
    return LANGUAGES[1] if language == DEFAULT else DEFAULT


def po_path(root: Path, language: str) -> Path:
    """The catalog of one language."""
    return root / LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def _compiled(path: Path, mtime_ns: int) -> gettext.GNUTranslations:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)  # a fuzzy (unchecked) translation is not used
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translations(root: Path, language: str) -> gettext.NullTranslations:
    """The catalog of a language, compiled from its .po; English (the source language) has none."""
    if language == DEFAULT:
        return gettext.NullTranslations()
    path = po_path(root, language)
    return _compiled(path, path.stat().st_mtime_ns)


@contextlib.contextmanager
def using(root: Path, language: str) -> Iterator[gettext.NullTranslations]:
    """Make pages in `language` inside this block: `current()` and `_()` follow it."""
    catalog = translations(root, language)
    token, token_catalog = _current.set(language), _catalog.set(catalog)
    try:
        yield catalog
    finally:
        _current.reset(token)
        _catalog.reset(token_catalog)


def current() -> str:
    """The language pages are being made in."""
    return _current.get()


def _(message: str) -> str:
    """A sentence of generator/pages.py in the current language (extracted by Babel with the templates)."""
    return (_catalog.get() or _SOURCE).gettext(message)


def N_(message: str) -> str:
    """Mark a constant for extraction; it is translated where it is shown, with `_(constant)`."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a sentence, in the current language."""
    return (_catalog.get() or _SOURCE).ngettext(singular, plural, n)


#: The marker after a text shown in another language than the page's, in the text's own language.
FALLBACK_MARK = {"en": "(in English)", "fr": "(en français)"}


def english_notice(page: str) -> str:
    """An English page for another language's project: its title marked "(in English)", a notice in the
    page's language under the heading, and the English body tagged lang="en", so the gap is visible."""
    match = FRONT_MATTER.match(page)
    meta: dict[str, Any] = dict(yaml.safe_load(match.group(1)) or {}) if match else {}
    body = page[match.end() :] if match else page
    lines = body.split("\n")
    at = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1)
    title = str(meta.get("title") or (lines[at][2:].strip() if at >= 0 else "Page"))
    meta["title"] = f"{title} {FALLBACK_MARK[DEFAULT]}"
    head = ["---", *(f"{key}: {yaml_quoted(str(value))}" for key, value in meta.items()), "---"]
    notice = _("This page has not been translated yet; here it is in English.")
    block = ['<p class="aif-fallback-page" markdown="0">' + str(md_text(notice)) + "</p>", ""]
    rest = [f'<div lang="{DEFAULT}" markdown>', "", *lines[at + 1 :], "", "</div>"]
    return "\n".join([*head, *lines[: at + 1], "", *block, *rest]) + "\n"
