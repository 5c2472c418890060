"""The one column dictionary of the downloads: each column's Table Schema type and meaning.

Used by the CSV and JSON downloads (their column order), the /downloads/ page (what each column
means) and the Data Package of every release (field types and descriptions), so the three can
never word a column differently. A test fails when a column has no entry.
"""

from __future__ import annotations

from typing import NamedTuple

from generator.outputs.i18n import N_


class Column(NamedTuple):
    """One column: its Table Schema type and what it holds."""

    type: str
    description: str


COLUMNS: dict[str, Column] = {
    "id": Column("string", N_("Stable identifier, also the page URL: /facts/<id>/, /derived/<id>/ or /sources/<id>/.")),
    "entity": Column("string", N_("Id of the company, product or group the fact is about (see /entities/).")),
    "metric": Column("string", N_("Id of what is measured (see /metrics/).")),
    "period": Column(
        "string",
        N_(
            "When the fact applies, as written: YYYY, YYYY-Qn, YYYY-Hn, YYYY-MM, YYYY-MM-DD, a fiscal period FY2025, "
            "FY2025-Qn, FY2025-Hn (the entity's fiscal year, named by the year it ends in) or a range start/end."
        ),
    ),
    "period_start": Column(
        "date", N_("First day the period covers, YYYY-MM-DD (fiscal periods through the entity's fiscal-year start).")
    ),
    "period_end": Column("date", N_("Last day the period covers, YYYY-MM-DD.")),
    "standing": Column(
        "string", N_("current; superseded (the source later revised the figure: see superseded_by); or retracted.")
    ),
    "revision_kind": Column(
        "string",
        N_(
            "How the record was last revised: correction (our record was wrong; the old value is in its history), "
            "update (it supersedes an earlier statement of the source), or empty."
        ),
    ),
    "supersedes": Column("string", N_("Id of the earlier fact this one updates (the source revised its figure).")),
    "superseded_by": Column("string", N_("Id of the later fact that updates this one; empty when it is the latest.")),
    "kind": Column("string", N_("point, range, lower-bound, upper-bound, or event (no number).")),
    "value": Column("number", N_("The value of a point; empty for ranges and bounds.")),
    "low": Column("number", N_("Lower end of a range, or the bound of a lower bound; empty when unknown.")),
    "high": Column("number", N_("Upper end of a range, or the bound of an upper bound; empty when unknown.")),
    "bound_strict": Column("boolean", N_("For a bound: true for 'more/less than', false for 'at least/at most'.")),
    "unit": Column("string", N_("Unit of value, low and high (CNY, USD, token/day, percent, ...).")),
    "approximate": Column("boolean", N_("True when the source hedges ('about', 'environ').")),
    "status": Column(
        "string", N_("How sure the source is: reported, planned, estimated, announced, intention or forecast.")
    ),
    "as_of": Column("string", N_("Date the claim was made or is valid at, as precise as known.")),
    "source": Column("string", N_("Id of the document the quote was read in (see /sources/).")),
    "attributed_to": Column("string", N_("Space-separated ids of the sources the document credits for the claim.")),
    "quote": Column("string", N_("The supporting words of the source, verbatim, in its language.")),
    "quote_language": Column("string", N_("Language of the quote (BCP 47).")),
    "translation": Column("string", N_("English translation of the quote.")),
    "statement": Column("string", N_("The fact in one English sentence.")),
    "note": Column("string", N_("Caveats and ambiguities.")),
    "retracted": Column("string", N_("Date of the retraction when the fact was withdrawn; empty otherwise.")),
    "title": Column("string", N_("Title of the derived figure, or of the source document.")),
    "significant_figures": Column(
        "integer", N_("Significant figures the inputs justify; the value is rounded to them.")
    ),
    "formula": Column("string", N_("The formula over {fact-id} references.")),
    "inputs": Column("string", N_("Ids of the facts and derived figures used (JSON: each with the value used).")),
    "rates_used": Column("string", N_("Ids of the exchange-rate facts used for currency conversions.")),
    "explanation": Column("string", N_("What the figure means, in one line.")),
    "role": Column("string", N_("Place in the source chain: document-read, primary-reporter, data-provider, ...")),
    "publisher": Column("string", N_("Who published the source.")),
    "url": Column("string", N_("http(s) address of the source, where known.")),
    "published": Column("string", N_("Publication date, as precise as known.")),
    "language": Column("string", N_("Language of the source (BCP 47).")),
    "accessed": Column("string", N_("Date the source was read.")),
    "cites": Column("string", N_("Space-separated ids of the sources it relies on.")),
    "document": Column("string", N_("Path under facts/ of a local copy of the text.")),
}

#: The columns of each download, in order.
FACT_COLUMNS = [
    "id",
    "entity",
    "metric",
    "period",
    "period_start",
    "period_end",
    "kind",
    "value",
    "low",
    "high",
    "bound_strict",
    "unit",
    "approximate",
    "status",
    "as_of",
    "source",
    "attributed_to",
    "quote",
    "quote_language",
    "translation",
    "statement",
    "note",
    "retracted",
    "standing",
    "revision_kind",
    "supersedes",
    "superseded_by",
]
DERIVED_COLUMNS = [
    "id",
    "title",
    "kind",
    "value",
    "low",
    "high",
    "bound_strict",
    "unit",
    "approximate",
    "significant_figures",
    "formula",
    "inputs",
    "rates_used",
    "explanation",
]
SOURCE_COLUMNS = [
    "id",
    "role",
    "publisher",
    "title",
    "url",
    "published",
    "language",
    "accessed",
    "cites",
    "document",
    "note",
]
