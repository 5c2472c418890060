"""Output stage: the corrections log (corrections/index.md) and its Atom feed, from the data.

Every correction is a `history` entry of a fact and every retraction its `retracted`
mapping, so the log can never disagree with the facts. The feed carries no build
timestamp: its `updated` is the newest entry's date, so an unchanged log gives the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator.inputs.dataset import Dataset
from generator.model import periods
from generator.model.fmt import status_label
from generator.model.schema import Fact
from generator.outputs import i18n, pages
from generator.outputs.context import Gathered
from generator.outputs.escape import xml_text
from generator.outputs.i18n import _

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    """One correction or retraction of one fact, for the log and the feed."""

    kind: str  # "correction" or "retraction"
    date: str
    fact_id: str
    statement: str
    old: str
    new: str
    reason: str
    source: str | None
    replaced_by: str | None = None

    @property
    def title(self) -> str:
        """A one-line title for the feed."""
        if self.kind == "retraction":
            return _("Retracted: {fact}").format(fact=self.fact_id)
        return _("Corrected: {fact}: {old} -> {new}").format(fact=self.fact_id, old=self.old, new=self.new)


def describe(fact: Fact, value: Any = None, unit: str | None = None, status: str | None = None) -> str:
    """A fact's value (or the given earlier value, unit, status) in the house format."""
    changed = fact.model_copy(update={"value": value if value is not None else fact.value, "unit": unit or fact.unit})
    return f"{pages.say(pages.amount_of(changed), 'short')} ({status_label(status or fact.status, i18n.current())})"


def entries(dataset: Dataset) -> list[Entry]:
    """Every correction and retraction across the data, newest first."""
    out: list[Entry] = []
    for fid, record in dataset.facts.items():
        fact = record.model
        # history is newest first: the value after entry i is the one entry i-1 replaced.
        after = (fact.value, fact.unit, fact.status)
        for entry in fact.history:
            before = (
                entry.previous_value or after[0],
                entry.previous_unit or after[1],
                entry.previous_status or after[2],
            )
            out.append(
                Entry(
                    "correction",
                    entry.changed,
                    fid,
                    fact.statement,
                    describe(fact, *before),
                    describe(fact, *after),
                    entry.reason,
                    entry.source,
                )
            )
            after = before
        if fact.retracted:
            out.append(
                Entry(
                    "retraction",
                    fact.retracted.date,
                    fid,
                    fact.statement,
                    describe(fact),
                    _("retracted"),
                    fact.retracted.reason,
                    fact.source,
                    fact.retracted.replaced_by,
                )
            )
    return sorted(out, key=lambda e: (e.date, e.kind, e.fact_id), reverse=True)


def _timestamp(date: str) -> str:
    """An RFC 3339 time for a date as precise as known (2026, 2026-11 or 2026-11-26): its first day."""
    return periods.timestamp(date)


def feed(items: list[Entry], site: pages.Site, fallback_date: str) -> bytes:
    """The Atom feed: one entry per correction or retraction, with stable ids."""
    base_url, tag = site.url, f"tag:{site.slug},2026:"
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
        # ElementTree writes any character, even those XML 1.0 forbids (U+FFFE, U+FFFF, controls),
        # and the feed would then not parse: every text and attribute goes through xml_text.
        element = ET.SubElement(parent, f"{{{ATOM}}}{name}", {k: xml_text(v) for k, v in attrs.items()})
        if text is not None:
            element.text = xml_text(text)
        return element

    # The feed's language: English feeds say nothing (as before), another language's says it (Atom's xml:lang).
    language = {} if i18n.current() == i18n.DEFAULT else {"{http://www.w3.org/XML/1998/namespace}lang": i18n.current()}
    root = ET.Element(f"{{{ATOM}}}feed", language)
    sub(root, "id", f"{tag}corrections")
    sub(root, "title", _("{site}: corrections and retractions").format(site=site.name))
    sub(root, "updated", _timestamp(items[0].date if items else fallback_date))
    sub(root, "link", href=f"{base_url}corrections/", rel="alternate", type="text/html")
    sub(root, "link", href=f"{base_url}corrections/feed.xml", rel="self", type="application/atom+xml")
    author = sub(root, "author")
    sub(author, "name", site.name)
    seen: dict[str, int] = {}
    for item in items:
        key = f"{tag}{item.kind}/{item.fact_id}/{item.date}"
        seen[key] = seen.get(key, 0) + 1
        entry = sub(root, "entry")
        sub(entry, "id", key if seen[key] == 1 else f"{key}/{seen[key]}")
        sub(entry, "title", item.title)
        sub(entry, "updated", _timestamp(item.date))
        sub(entry, "link", href=f"{base_url}facts/{item.fact_id}/", rel="alternate", type="text/html")
        summary = _("{statement} Was: {old}. Now: {new}. Reason: {reason}").format(
            statement=i18n.marked(item.statement), old=item.old, new=item.new, reason=i18n.marked(item.reason)
        )
        if item.replaced_by:
            summary += _(" Replaced by: {fact}.").format(fact=item.replaced_by)
        sub(entry, "summary", summary)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


name = "corrections"


def outputs(ctx: Gathered) -> Iterable[tuple[str, str | bytes]]:
    """Stage entry point for the build: the corrections page and feed."""
    items = entries(ctx.dataset)
    fallback = max((r.model.as_of for r in ctx.dataset.facts.values()), default="2026")
    page = ctx.templates.get_template("corrections.md.j2").render(entries=items)
    yield "corrections/index.md", page
    yield "corrections/feed.xml", feed(items, ctx.site, fallback)
