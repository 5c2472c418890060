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
import dataclasses
import functools
import gettext
import io
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import babel
import yaml
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from generator.compute import derive
from generator.compute.derive import Derivation
from generator.inputs.dataset import Dataset
from generator.model import fmt
from generator.model.errors import Problem
from generator.model.schema import Quote
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


def languages(root: Path) -> tuple[str, ...]:
    """The languages a project publishes: English, and each language with its own project file
    (mkdocs.<language>.yml, as generator/pipeline/engine.py builds them), in LANGUAGES' order."""
    return tuple(lang for lang in LANGUAGES if lang == DEFAULT or (root / f"mkdocs.{lang}.yml").is_file())


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
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: the catalog of {language!r} is missing (mkdocs.{language}.yml asks for it); "
            "run `make messages` and translate it"
        )
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


def date_words(value: Any) -> str:
    """A date (YYYY-MM-DD, YYYY-MM or YYYY) as the page's language says it: English pages keep the ISO
    date they always showed; other languages say it in words ("8 décembre 2025")."""
    text = str(value)
    if current() == DEFAULT:
        return text
    try:
        return fmt.period_label(text, current())
    except ValueError:
        return text


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
    if at >= 0 and "{" not in lines[at]:  # the heading is the English title: tagged, like the body (attr_list)
        lines[at] += f' {{ lang="{DEFAULT}" }}'
    meta["title"] = f"{title} {FALLBACK_MARK[DEFAULT]}"
    meta["toc_lang"] = DEFAULT  # its table of contents is English headings: tagged (templates/theme/partials/toc.html)
    head = ["---", *(f"{key}: {yaml_quoted(str(value))}" for key, value in meta.items()), "---"]
    notice = _("This page has not been translated yet; here it is in English.")
    block = ['<p class="aif-fallback-page" markdown="0">' + str(md_text(notice)) + "</p>", ""]
    rest = [f'<div lang="{DEFAULT}" markdown>', "", *lines[at + 1 :], "", "</div>"]
    return "\n".join([*head, *lines[: at + 1], "", *block, *rest]) + "\n"


class Fallback(str):
    """A text shown in another language than the page's, because its translation is missing: templates
    show it tagged with its language and marked "(in English)" (see outputs/templates.py)."""

    language: str = DEFAULT

    def __new__(cls, text: str, language: str = DEFAULT) -> Fallback:
        made = super().__new__(cls, text)
        made.language = language
        return made


def marked(text: Any) -> str:
    """A text for plain-text outputs (the Atom feed): a fallback gets its marker, "… (in English)"."""
    if isinstance(text, Fallback):
        return f"{text} {FALLBACK_MARK.get(text.language, f'({text.language})')}"
    return "" if text is None else str(text)


def quote_translation(quote: Quote) -> str | None:
    """What a page shows under a quote: nothing when the quote is in the page's language (a French page
    shows the French words alone); else its translation into the page's language, else the English
    translation marked as a fallback."""
    language = current()
    if quote.language.split("-")[0] == language:
        return None
    if language == DEFAULT:
        return quote.translation
    given = (getattr(quote, "translations", None) or {}).get(language)
    if given:
        return str(given)
    return Fallback(quote.translation) if quote.translation else None


def localized(model: Any, language: str) -> Any:
    """A model with its reader-facing texts in `language`: each one its translation when given, else the
    English text as a Fallback (shown marked). Nested series are localized too; English is the model."""
    translations = getattr(model, "translations", None)
    if language == DEFAULT or translations is None:
        return model
    given = translations.get(language)
    fields = type(model).model_fields["translations"].annotation
    texts = typing.get_args(fields)[1] if fields is not None else None
    update: dict[str, Any] = {}
    for name in getattr(texts, "model_fields", {}):
        original = getattr(model, name)
        if original is None:
            continue
        said = getattr(given, name, None) if given is not None else None
        update[name] = said if said else Fallback(original)
    if hasattr(model, "series"):
        update["series"] = [localized(series, language) for series in model.series]
    if hasattr(model, "history"):  # a fact's corrections and retraction say their reasons in the language too
        update["history"] = [localized(entry, language) for entry in model.history]
    if getattr(model, "retracted", None) is not None:
        update["retracted"] = localized(model.retracted, language)
    return model.model_copy(update=update)


def localize(dataset: Dataset, derivation: Derivation, language: str) -> tuple[Dataset, Derivation]:
    """The dataset and derivation with every text in `language` (see `localized`); the numbers are the same
    objects, so the pages of every language say the same figures. Call it inside `using(language)`: the
    formulas in words are said through that language's catalog."""
    if language == DEFAULT:
        return dataset, derivation
    sections: dict[str, Any] = {}  # section name -> its records, localized (dataclasses.replace's keywords)
    for name in ("sources", "entities", "metrics", "facts", "derived", "checks", "charts"):
        records = dataset.section(name)
        sections[name] = {key: dataclasses.replace(r, model=localized(r.model, language)) for key, r in records.items()}
    local = dataclasses.replace(dataset, **sections)
    values = {
        k: dataclasses.replace(
            v,
            definition=local.derived[k].model if k in local.derived else v.definition,
            # the formula in words names its inputs by their titles in this language, in its words
            formula_words=derive.formula_words(local, v.definition, v.kind, language, _),
        )
        for k, v in derivation.values.items()
    }
    checks = {
        k: dataclasses.replace(c, definition=local.checks[k].model if k in local.checks else c.definition)
        for k, c in derivation.checks.items()
    }
    return local, dataclasses.replace(derivation, values=values, checks=checks)


def untranslated(dataset: Dataset, languages: tuple[str, ...] = LANGUAGES) -> list[Problem]:
    """One warning per item whose reader-facing texts lack a translation into a site language: the gap is
    counted (`validate`), and pages show the English text marked "(in English)"."""
    problems = []
    for name in ("sources", "entities", "metrics", "facts", "derived", "checks", "charts"):
        for record in dataset.section(name).values():
            model = record.model
            for language in (lang for lang in languages if lang != DEFAULT):
                missing = [field for field, value in _texts(model, language) if value is None]
                if missing:
                    problems.append(
                        record.problem(
                            (),
                            "untranslated",
                            f"{name[:-1] if name != 'entities' else 'entity'} '{model.id}' has no {_english_name(language)} "
                            f"text for {', '.join(missing)}: its {_english_name(language)} page shows the English, marked",
                            f"add `translations: {{{language}: {{{missing[0]}: ...}}}}` to the item",
                            severity="warning",
                        )
                    )
    return problems


def _texts(model: Any, language: str) -> list[tuple[str, str | None]]:
    """(field, its translation or None) for every reader-facing text the model has, series included."""
    translations = getattr(model, "translations", None)
    if translations is None:
        return []
    texts = typing.get_args(type(model).model_fields["translations"].annotation)[1]
    given = translations.get(language)
    found = [
        (name, getattr(given, name, None) if given is not None else None)
        for name in texts.model_fields
        if getattr(model, name) is not None
    ]
    for index, series in enumerate(getattr(model, "series", [])):
        found += [(f"series[{index}].{name}", said) for name, said in _texts(series, language)]
    for index, entry in enumerate(getattr(model, "history", [])):
        found += [(f"history[{index}].{name}", said) for name, said in _texts(entry, language)]
    if getattr(model, "retracted", None) is not None:
        found += [(f"retracted.{name}", said) for name, said in _texts(model.retracted, language)]
    return found


def _english_name(language: str) -> str:
    """A language's name in English, for messages ("French")."""
    return str(babel.Locale("en").languages.get(language, language))
