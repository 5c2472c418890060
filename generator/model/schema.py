"""The one schema of fact files: pydantic models, each field documented where it is declared.

The JSON Schema in schema/facts.schema.json and the format reference page are generated
from these models (`python -m generator schema`); never edit those by hand.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

from generator.model import periods
from generator.model.limits import MAX_MAGNITUDE, MAX_TEXT_CHARS, MIN_MAGNITUDE
from generator.model.periods import Date, Period
from generator.model.units import KNOWN_UNITS

#: The schema version this code writes. Older versions are migrated on load.
SCHEMA_VERSION = 1

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=100)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS)]


def _in_range(value: float) -> float:
    """Refuse a number whose size the formatter, the charts and the exports cannot say exactly."""
    if value != 0 and not MIN_MAGNITUDE <= abs(value) <= MAX_MAGNITUDE:
        raise PydanticCustomError(
            "number-out-of-range",
            "{value} is outside the range of numbers accepted: 0, or {low} to {high} in size",
            {"value": f"{value:g}", "low": f"{MIN_MAGNITUDE:g}", "high": f"{MAX_MAGNITUDE:g}"},
        )
    return value


Number = Annotated[float, Field(allow_inf_nan=False), AfterValidator(_in_range)]
#: A number that cannot be below zero (a tolerance).
NonNegative = Annotated[float, Field(allow_inf_nan=False, ge=0), AfterValidator(_in_range)]

Status = Literal["reported", "planned", "estimated", "announced", "intention", "forecast"]
SourceRole = Literal["document-read", "primary-reporter", "data-provider", "company-statement", "official"]
EntityKind = Literal["company", "product", "government", "group", "person", "organisation", "currency"]

# Kept as names of this module for the callers that check one text at a time.
parse_period = periods.parse_period
parse_date = periods.parse_date


class Model(BaseModel):
    """Base: strict types, unknown keys refused, no NaN or infinity."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


#: A language other than English that the site is published in, as a BCP 47 primary tag (`fr`).
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]


def _translations(what: str) -> Any:
    """The `translations` field of a model whose reader-facing texts can be given per language."""
    return Field(
        default_factory=dict,
        description=f"The {what} in other languages, by language: `fr: {{field: text}}`. English is the source; "
        'a text without a translation is shown in English, marked "(in English)", and `validate` warns.',
    )


class Quote(Model):
    """The words of the source that support a fact, as written, with a translation."""

    text: Text = Field(description="The supporting passage, verbatim, in the source's original language.")
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = Field(
        description="Language of `text` as a BCP 47 tag, e.g. `fr`."
    )
    translation: Text | None = Field(
        default=None, description="English translation of `text`; required when `language` is not `en`."
    )
    translations: dict[Language, Text] = Field(
        default_factory=dict,
        description="Translations of `text` into the site's other languages (`fr: ...`), for a page in a language "
        "that is neither the quote's nor English; such a page shows the English `translation` otherwise, marked.",
    )

    @model_validator(mode="after")
    def _translation_needed(self) -> Quote:
        if self.language != "en" and not self.translation:
            raise PydanticCustomError(
                "missing-translation",
                "a quote in '{language}' needs an English `translation`",
                {"language": self.language},
            )
        return self


class Value(Model):
    """A number as the source states it: exactly one of a point, a range or a bound."""

    point: Number | None = Field(default=None, description="A single value, e.g. `160e9`.")
    low: Number | None = Field(default=None, description="Lower end of a range (with `high`), e.g. `350e9`.")
    high: Number | None = Field(default=None, description="Upper end of a range (with `low`), e.g. `400e9`.")
    more_than: Number | None = Field(default=None, description='Lower bound, excluded: "more than 30 trillion".')
    at_least: Number | None = Field(default=None, description='Lower bound, included: "at least".')
    less_than: Number | None = Field(default=None, description='Upper bound, excluded: "less than".')
    at_most: Number | None = Field(default=None, description='Upper bound, included: "at most", "up to".')

    @model_validator(mode="after")
    def _one_form(self) -> Value:
        given = [name for name in type(self).model_fields if getattr(self, name) is not None]
        forms = [{"point"}, {"low", "high"}, {"more_than"}, {"at_least"}, {"less_than"}, {"at_most"}]
        if set(given) not in forms:
            raise PydanticCustomError(
                "invalid-value-form",
                "value has {given}; give exactly one of: point | low and high | more_than | at_least "
                "| less_than | at_most",
                {"given": ", ".join(given) or "nothing"},
            )
        if self.low is not None and self.high is not None and self.low > self.high:
            raise PydanticCustomError(
                "range-inverted",
                "range low {low} is greater than high {high}",
                {"low": self.low, "high": self.high},
            )
        return self

    @property
    def form(self) -> str:
        """Which form the value takes: point, range, more_than, at_least, less_than or at_most."""
        if self.point is not None:
            return "point"
        if self.low is not None:
            return "range"
        return next(n for n in ("more_than", "at_least", "less_than", "at_most") if getattr(self, n) is not None)

    def numbers(self) -> list[float]:
        """Every number given, for sign and magnitude checks."""
        return [
            v
            for v in (self.point, self.low, self.high, self.more_than, self.at_least, self.less_than, self.at_most)
            if v is not None
        ]


class ReasonTexts(Model):
    """A correction's or retraction's reason in one other language."""

    reason: Text | None = Field(default=None, description="Why, for readers, in that language.")


class HistoryEntry(Model):
    """An earlier value of a corrected fact: corrections are never silent edits."""

    changed: Date = Field(description="Date the value changed, YYYY-MM-DD.")
    previous_value: Value | None = Field(default=None, description="The value before this correction.")
    previous_unit: str | None = Field(default=None, description="The unit before, if it changed.")
    previous_status: Status | None = Field(default=None, description="The status before, if it changed.")
    previous_quote: Quote | None = Field(default=None, description="The quote before, if it changed.")
    reason: Text = Field(description="Why the fact was corrected, for readers.")
    source: Slug | None = Field(default=None, description="Source id that supports the correction, if any.")
    translations: dict[Language, ReasonTexts] = _translations("reason of the correction")


class Retraction(Model):
    """A withdrawn fact: kept, marked and linked, never deleted."""

    date: Date = Field(description="Date of the retraction, YYYY-MM-DD.")
    reason: Text = Field(description="Why the fact was retracted.")
    replaced_by: Slug | None = Field(default=None, description="Id of the fact that replaces it, if any.")
    translations: dict[Language, ReasonTexts] = _translations("reason of the retraction")


class FactTexts(Model):
    """A fact's texts in one other language."""

    statement: Text | None = Field(default=None, description="The statement.")
    note: Text | None = Field(default=None, description="The caveats for readers, in that language.")


class Fact(Model):
    """One sourced claim: a number (point, range or bound) or an event without a number."""

    id: Slug = Field(description="Stable lowercase slug used in URLs; never changed or reused.")
    entity: Slug = Field(description="Id of the entity the fact is about (see entities.yaml).")
    metric: Slug = Field(description="Id of the metric measured (see metrics.yaml).")
    period: Period = Field(
        description="When the fact applies: a year 2026, half 2026-H1, quarter 2026-Q1, month 2025-08 or day "
        "2025-12-08; a fiscal year, half or quarter of the entity, FY2025, FY2025-H1 or FY2025-Q3 (named by the "
        "year it ends in; needs the entity's `fiscal_year_start_month`); or a range `{start: 2025-03, end: "
        "2025-09}`, also written 2025-03/2025-09."
    )
    statement: Text = Field(description="One English sentence saying the fact, as honestly as the source does.")
    value: Value | None = Field(default=None, description="The number; omit for an event without a number.")
    unit: str | None = Field(default=None, description="Unit of the value: CNY, USD, chip, user, token/day, ...")
    approximate: bool = Field(default=False, description='True when the source hedges: "environ", "about".')
    status: Status = Field(
        description="The source's epistemics: reported, planned, estimated, announced, intention or forecast."
    )
    as_of: Date = Field(description="Date the claim was made or is valid at, as precise as known.")
    source: Slug = Field(description="Id of the document the quote was read in.")
    attributed_to: list[Slug] = Field(
        default_factory=list,
        description="Ids of the sources the document credits for the claim (reporter, data provider).",
    )
    quote: Quote = Field(description="The supporting words of the source, verbatim, with a translation.")
    note: Text | None = Field(default=None, description="Caveats and ambiguities, in English, for readers.")
    featured: bool = Field(default=False, description="True to show the fact among the home page's headline figures.")
    renamed_from: list[Slug] = Field(default_factory=list, description="Earlier ids of this fact, kept as redirects.")
    history: list[HistoryEntry] = Field(default_factory=list, description="Earlier values, newest first.")
    retracted: Retraction | None = Field(default=None, description="Set when the fact is withdrawn.")
    supersedes: Slug | None = Field(
        default=None,
        description="Id of the earlier fact this one updates, when the source itself revised its figure (a new "
        "outlook, a restated number) for the same entity, metric and period. The earlier fact stays published "
        "as what was said as of its date, marked superseded and left out of the latest values. An update is "
        "not a correction: when our record was wrong, correct the fact in place with a `history` entry.",
    )
    translations: dict[Language, FactTexts] = _translations("texts of the fact (statement, note)")

    @model_validator(mode="after")
    def _value_and_unit(self) -> Fact:
        if self.value is not None and not self.unit:
            raise PydanticCustomError("missing-unit", "a fact with a value needs a `unit`")
        if self.value is None and self.unit:
            raise PydanticCustomError("unit-without-value", "a `unit` is given but no `value`")
        return self


#: Why a source has no local copy of its text to check quotes against.
UnavailableReason = Literal["paywalled", "audio", "video", "print-only", "offline", "licence", "not-read"]


class DocumentUnavailable(Model):
    """Why a source has no local document: quotes from it cannot be checked word for word."""

    reason: UnavailableReason = Field(
        description="paywalled, audio, video, print-only, offline (taken down), licence (copying not allowed) "
        "or not-read (known only through another source)."
    )
    note: Text = Field(description="For reviewers: where the text can be read, or what was done instead.")


class SourceTexts(Model):
    """A source's texts in one other language."""

    publisher: Text | None = Field(default=None, description="The publisher, when it is a description, not a name.")
    title: Text | None = Field(
        default=None, description="The title or description, when it is a description, not the document's own title."
    )
    note: Text | None = Field(default=None, description="The note about the source, in that language.")


class Source(Model):
    """A document or organisation in a fact's source chain."""

    id: Slug = Field(description="Stable slug of the source.")
    role: SourceRole = Field(
        description="Its place in the chain: document-read, primary-reporter, "
        "data-provider, company-statement or official."
    )
    publisher: Text = Field(description="Who published it, e.g. Financial Times.")
    title: Text = Field(description="Title of the document, or a description when unknown.")
    url: str | None = Field(default=None, description="http(s) address where known.")
    published: Date | None = Field(default=None, description="Publication date, as precise as known.")
    language: str = Field(description="Language of the document, BCP 47, e.g. fr.")
    accessed: Date | None = Field(default=None, description="Date the document was read, YYYY-MM-DD.")
    cites: list[Slug] = Field(default_factory=list, description="Ids of the sources this document relies on.")
    document: str | None = Field(
        default=None, description="Path (under facts/) of a local copy of the text, to check quotes against."
    )
    document_unavailable: DocumentUnavailable | None = Field(
        default=None,
        description="Why there is no `document` (paywalled, audio, ...); without either, "
        "quotes from this source are unchecked and `validate` warns (an error under --strict).",
    )
    note: Text | None = Field(default=None, description="What is known or not about this source.")
    translations: dict[Language, SourceTexts] = _translations("texts of the source (publisher, title, note)")

    @model_validator(mode="after")
    def _one_document_answer(self) -> Source:
        if self.document and self.document_unavailable:
            raise PydanticCustomError(
                "document-conflict", "a source has either `document` or `document_unavailable`, not both"
            )
        return self

    @field_validator("url", mode="after")
    @classmethod
    def _http_only(cls, url: str | None) -> str | None:
        if url is not None and not re.match(r"^https?://[^\s/$.?#][^\s\"'<>`{}|\\^]*$", url, re.IGNORECASE):
            raise PydanticCustomError("unsafe-url", "source url '{url}' is not an http(s) address", {"url": url[:80]})
        return url


class EntityTexts(Model):
    """An entity's texts in one other language."""

    name: Text | None = Field(default=None, description="The display name, when it differs.")
    description: Text | None = Field(default=None, description="The description.")


class Entity(Model):
    """A company, product, government or group that facts are about."""

    id: Slug = Field(description="Stable slug of the entity.")
    name: Text = Field(description="Display name.")
    kind: EntityKind = Field(description="company, product, government, group, person, organisation or currency.")
    description: Text | None = Field(default=None, description="One line for readers.")
    parent: Slug | None = Field(default=None, description="Owning entity, e.g. bytedance for doubao.")
    members: list[Slug] = Field(default_factory=list, description="For a group: the member entities.")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 country code.")
    fiscal_year_start_month: Annotated[int, Field(ge=1, le=12)] | None = Field(
        default=None,
        description="Month (1-12) on whose first day the entity's fiscal year begins, e.g. 7 for Microsoft "
        "(fiscal year 2025: July 2024 - June 2025). Needed by facts with a fiscal period (FY2025).",
    )
    translations: dict[Language, EntityTexts] = _translations("texts of the entity (name, description)")


class MetricTexts(Model):
    """A metric's texts in one other language."""

    name: Text | None = Field(default=None, description="The display name.")
    description: Text | None = Field(default=None, description="The description.")


class Metric(Model):
    """A measure that facts report, with the dimension its unit must have."""

    id: Slug = Field(description="Stable slug of the metric.")
    name: Text = Field(description="Display name.")
    description: Text = Field(description="What is measured, in one or two sentences.")
    dimension: str = Field(
        description="Allowed units: `currency`, `exchange-rate`, `event`, or a unit "
        "expression such as `chip` or `token/day`."
    )
    non_negative: bool = Field(default=True, description="True when negative values are impossible.")
    translations: dict[Language, MetricTexts] = _translations("texts of the metric (name, description)")


class Expectation(Model):
    """What the source's words imply about a computed number."""

    approximately: Number | None = Field(default=None, description="Expected value, within `tolerance`.")
    tolerance: NonNegative | None = Field(
        default=None, description="Allowed absolute difference for `approximately` (zero or more)."
    )
    less_than: Number | None = Field(default=None, description="The number must be below this.")
    greater_than: Number | None = Field(default=None, description="The number must be above this.")


class DerivedTexts(Model):
    """A derived figure's texts in one other language."""

    title: Text | None = Field(default=None, description="The figure's title, in that language.")
    explanation: Text | None = Field(default=None, description="The explanation.")
    note: Text | None = Field(default=None, description="The note about the figure, in that language.")
    across_periods: Text | None = Field(default=None, description="Why it combines periods, in that language.")


class Derived(Model):
    """A figure computed from facts by a formula, with its lineage."""

    id: Slug = Field(description="Stable slug of the derived figure.")
    title: Text = Field(description="Display title.")
    explanation: Text = Field(description="One line saying what the figure means.")
    formula: Text = Field(description="Formula over `{fact-id}` references: + - * / and named functions.")
    unit: str = Field(description="Unit wanted for the result, e.g. USD, percent, dimensionless.")
    note: Text | None = Field(default=None, description="Caveats for readers.")
    across_periods: Text | None = Field(
        default=None,
        description="Why the formula combines facts of different periods (a change from one period to "
        "another, a 2026 budget against 2025 spending), in one line for readers. Without it, such a formula is "
        "refused (`periods-differ`): figures of different periods rarely belong in one number. Exchange rates "
        "used by convert() do not count.",
    )
    translations: dict[Language, DerivedTexts] = _translations(
        "texts of the figure (title, explanation, note, across_periods)"
    )


class CheckTexts(Model):
    """A check's texts in one other language."""

    title: Text | None = Field(default=None, description="The check's title, in that language.")
    claim: Text | None = Field(default=None, description="The claim, said in that language.")
    acknowledged: Text | None = Field(default=None, description="Why the disagreement is kept.")


class Check(Model):
    """A consistency check: what the source says against what its numbers give."""

    id: Slug = Field(description="Stable slug of the check.")
    title: Text = Field(description="Display title.")
    claim: Text = Field(description="What the text says, in English.")
    quote: Quote | None = Field(default=None, description="The words of the source that make the claim.")
    formula: Text = Field(description="Formula over `{fact-id}` references giving the number to test.")
    unit: str = Field(default="dimensionless", description="Unit the formula's result is compared in.")
    expect: Expectation = Field(description="What the claim implies about the result.")
    acknowledged: Text | None = Field(
        default=None,
        description="Why a known disagreement between text and numbers is kept: it is then shown on the "
        "consistency page but is not a warning. A newly failing check is a warning.",
    )
    translations: dict[Language, CheckTexts] = _translations("texts of the check (title, claim, acknowledged)")


class SeriesTexts(Model):
    """A series' texts in one other language."""

    label: Text | None = Field(default=None, description="The series' label, in that language.")
    group: Text | None = Field(default=None, description="The colour group's name.")


class ChartSeries(Model):
    """One mark or bar of a chart: a fact or derived figure with its label."""

    ref: Slug = Field(description="Id of a fact or derived figure.")
    label: Text | None = Field(default=None, description="Label shown; defaults to the entity and period.")
    group: Text | None = Field(default=None, description="Colour group, e.g. the entity name.")
    translations: dict[Language, SeriesTexts] = _translations("texts of the series (label, group)")


class ChartTexts(Model):
    """A chart's texts in one other language."""

    title: Text | None = Field(default=None, description="The chart's title, in that language.")
    subtitle: Text | None = Field(default=None, description="The subtitle.")
    notes: Text | None = Field(default=None, description="The chart's notes, in that language.")


class Chart(Model):
    """A chart declared over facts and derived figures."""

    id: Slug = Field(description="Stable slug of the chart, used in its URLs.")
    kind: Literal["comparison", "time-series"] = Field(description="comparison (bars) or time-series.")
    title: Text = Field(description="Chart title.")
    subtitle: Text | None = Field(default=None, description="One line under the title.")
    notes: Text | None = Field(default=None, description="Notes shown under the chart.")
    unit: str = Field(description="Unit the chart plots in; every series is converted to it.")
    series: list[ChartSeries] = Field(min_length=1, description="What is plotted, in order.")
    translations: dict[Language, ChartTexts] = _translations("texts of the chart (title, subtitle, notes)")


class DataFile(Model):
    """One YAML file under facts/: a schema version and one or more sections."""

    schema_version: int = Field(description="Version of this format; the current one is 1.")
    sources: list[Source] = Field(default_factory=list, description="Sources (in sources.yaml).")
    entities: list[Entity] = Field(default_factory=list, description="Entities (in entities.yaml).")
    metrics: list[Metric] = Field(default_factory=list, description="Metrics (in metrics.yaml).")
    facts: list[Fact] = Field(default_factory=list, description="Facts (in topic files).")
    derived: list[Derived] = Field(default_factory=list, description="Derived figures (in derived.yaml).")
    checks: list[Check] = Field(default_factory=list, description="Consistency checks (in checks.yaml).")
    charts: list[Chart] = Field(default_factory=list, description="Charts (in charts.yaml).")


#: The patterns the validators check, in JSON Schema's (ECMA 262) dialect.
_DATE_JSON = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
_DATE_BODY = r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?"
_PERIOD_JSON = (
    r"^(\d{4}(-(Q[1-4]|H[12]|(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?))?|FY\d{4}(-(Q[1-4]|H[12]))?|"
    + _DATE_BODY
    + "/"
    + _DATE_BODY
    + ")$"
)
_URL_JSON = "^[hH][tT][tT][pP][sS]?://[^\\s/$.?#][^\\s\"'<>`{}|\\\\^]*$"
#: Fields where an unquoted year (`period: 2026`, an integer to YAML) is accepted as text.
_YEAR_AS_NUMBER = {"Fact": ("period", "as_of"), "Source": ("published", "accessed")}
_VALUE_FORMS = (("point",), ("low", "high"), ("more_than",), ("at_least",), ("less_than",), ("at_most",))


def _text_or_year(pattern: str) -> dict[str, Any]:
    return {"anyOf": [{"type": "string", "pattern": pattern}, {"type": "integer", "minimum": 1000, "maximum": 9999}]}


def _editor_truth(schema: dict[str, Any]) -> dict[str, Any]:
    """Make the JSON Schema say what the validators check, as far as JSON Schema can say it.

    pydantic's generated schema leaves out what our own validators add: an unquoted year is
    an integer to an editor reading YAML 1.2, dates and periods have a pattern, a value has
    exactly one form, a non-English quote needs a translation, a value needs a unit. Only
    what JSON Schema cannot say is left to `validate`: real calendar dates, low <= high,
    references between records, units.
    """
    defs = schema["$defs"]
    for model, names in _YEAR_AS_NUMBER.items():
        for name in names:
            prop = defs[model]["properties"][name]
            pattern = _PERIOD_JSON if name == "period" else _DATE_JSON
            described = {k: v for k, v in prop.items() if k in ("description", "title", "default")}
            nullable = any(option.get("type") == "null" for option in prop.get("anyOf", ()))
            shape = _text_or_year(pattern)
            if nullable:
                shape["anyOf"].append({"type": "null"})
            if name == "period":  # a range may also be written as a {start, end} mapping
                end = _text_or_year(_DATE_JSON)
                shape["anyOf"].append(
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["start", "end"],
                        "properties": {"start": end, "end": end},
                    }
                )
            defs[model]["properties"][name] = {**described, **shape}
    for model, name in (("HistoryEntry", "changed"), ("Retraction", "date")):
        defs[model]["properties"][name]["pattern"] = _DATE_JSON
    for option in defs["Source"]["properties"]["url"]["anyOf"]:
        if option.get("type") == "string":
            option["pattern"] = _URL_JSON
    defs["Source"]["not"] = {"required": ["document", "document_unavailable"]}
    fields = [name for form in _VALUE_FORMS for name in form]
    defs["Value"]["oneOf"] = [
        {"required": list(form), "not": {"anyOf": [{"required": [n]} for n in fields if n not in form]}}
        for form in _VALUE_FORMS
    ]
    defs["Quote"]["if"] = {"required": ["language"], "properties": {"language": {"not": {"const": "en"}}}}
    defs["Quote"]["then"] = {"required": ["translation"], "properties": {"translation": {"type": "string"}}}
    defs["Fact"]["dependentRequired"] = {"value": ["unit"], "unit": ["value"]}
    schema["properties"]["schema_version"].update({"minimum": 1, "maximum": SCHEMA_VERSION})
    for model in defs.values():  # every number must fit a float: a 400-digit integer does not
        for prop in model.get("properties", {}).values():
            for option in [prop, *prop.get("anyOf", ())]:
                if option.get("type") == "number":
                    option.update({"minimum": option.get("minimum", -_FLOAT_MAX), "maximum": _FLOAT_MAX})
    for model, name in _UNIT_FIELDS:
        prop = defs[model]["properties"][name]
        for option in [prop, *prop.get("anyOf", ())]:
            if option.get("type") == "string":
                option["pattern"] = _unit_pattern()
    return schema


_FLOAT_MAX = 1.7976931348623157e308
_UNIT_FIELDS = (
    ("Fact", "unit"),
    ("HistoryEntry", "previous_unit"),
    ("Derived", "unit"),
    ("Check", "unit"),
    ("Chart", "unit"),
)


def _unit_pattern() -> str:
    """Unit expressions as `validate` reads them: known names joined by / or *, with integer powers."""

    name = "(" + "|".join(KNOWN_UNITS) + r")(\s*(\*\*|\^)\s*-?[0-9]+)?"
    return rf"^[\s(]*{name}([\s()]*[/*][\s(]*{name})*[\s)]*$"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a fact file, for editors and for the reference page."""
    schema = _editor_truth(DataFile.model_json_schema())
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Fact file"
    return schema
