"""Stage 2, validate: schema and types per item, then references, units and sources across files.

Each item is validated on its own, so one bad fact does not hide the others and every
problem of the run is reported at once, at the line and column of the node at fault.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.inputs import files, migrate, series
from generator.inputs.dataset import SECTIONS, Dataset, Record
from generator.inputs.files import FACTS_DIR
from generator.inputs.load import Located, load_file
from generator.model import percent, periods, units
from generator.model.errors import Problem, Report
from generator.model.hints import (
    choice_hint,
    closest,
    did_you_mean,
    mark_differences,
    nearest_passage,
    number_as_written,
    scalar_text,
)
from generator.model.limits import MAX_FACTS

#: The folder under site_src/ where each section's items get a page or folder named by their id.
#: Derived figures share the facts' namespace but have their own folder; checks are anchors.
PAGE_FOLDERS = {
    "facts": ("facts",),
    "derived": ("derived",),
    "entities": ("entities",),
    "metrics": ("metrics",),
    "sources": ("sources",),
    "charts": ("charts", "embed"),
}
#: Names the generator itself writes in every one of those folders: `id: index` would replace
#: the section's own index page (facts/index.md is "All facts"), or shadow its URL.
GENERATED_NAMES = frozenset({"index"})

_TYPE_NAMES = {
    "string_type": "text",
    "float_type": "a number",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "model_type": "a mapping",
    "dict_type": "a mapping",
    "model_attributes_type": "a mapping",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
}


def _shorten(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _written(located: Located, at: tuple, value: Any) -> str:
    """A value as the contributor wrote it (85e9, not 85000000000.0), shortened when long."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = scalar_text(located.text, *located.where(at))
        if text:
            return number_as_written(text)
        return number_as_written(str(value))
    return _shorten(value)


#: The shape to write when a mapping is expected and a bare value was given.
_SHAPES = {
    "value": "{{point: {v}}}; a range is {{low: ..., high: ...}}, a bound {{more_than: ...}}",
    "quote": "{{text: {v}, language: en}}, with `translation:` when not in English",
    "expect": "{{approximately: {v}, tolerance: ...}}",
    "retracted": "{{date: YYYY-MM-DD, reason: ...}}",
    "previous_value": "{{point: {v}}}",
}


def schema_problems(located: Located, base: tuple, error: Mapping[str, Any], model: type[BaseModel]) -> Problem:
    """Turn one pydantic error into a Problem at the node it names."""
    loc = tuple(error["loc"])
    at = (*base, *loc)
    kind = error["type"]
    field = str(loc[-1]) if loc else f"{base[0]} item" if base else "item"  # loc is empty for the item itself
    if kind == "extra_forbidden":
        parent_model = _model_at(model, loc[:-1])
        allowed = list(parent_model.model_fields) if parent_model else []
        hint = did_you_mean(field, allowed) or f"allowed keys: {', '.join(allowed)}"
        return located.problem(at, "unknown-key", f"unknown key '{field}'", hint, key=True)
    if kind == "missing":
        return located.problem(
            at[:-1], "missing-field", f"required field '{field}' is missing", f"add '{field}:' to this item"
        )
    value = error.get("input")
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    fits = isinstance(value, str) if field == "quote" else numeric and field != "retracted"
    if kind in ("model_type", "model_attributes_type", "dict_type") and field in _SHAPES and fits:
        written = _written(located, at, value)
        shape = _SHAPES[field].format(v=written if len(written) <= 40 else "...")
        return located.problem(
            at, "bare-value", f"'{field}' must be a mapping, not the bare value {written}", f"write {field}: {shape}"
        )
    if kind in ("float_type", "float_parsing", "int_from_float") and isinstance(value, int) and abs(value) > 1e308:
        return located.problem(
            at,
            "number-too-large",
            f"the number {_written(located, at, value)} is too large: the limit is about 1.8e308",
            "check the digits; write large numbers with an exponent, such as 30e12",
        )
    if kind in _TYPE_NAMES:
        return located.problem(
            at,
            "wrong-type",
            f"'{field}' must be {_TYPE_NAMES[kind]}, not {_written(located, at, value)}",
            "check the value's type; quote text that looks like a number",
        )
    if kind == "string_pattern_mismatch" and field == "language":
        return located.problem(
            at,
            "invalid-language",
            f"'{error.get('input')}' is not a language tag",
            "write a BCP 47 tag such as fr, en or zh-Hans",
        )
    if kind == "string_pattern_mismatch":
        return located.problem(
            at,
            "invalid-id",
            f"'{error.get('input')}' in '{field}' is not a lowercase slug",
            "use lowercase ASCII letters, digits and single hyphens, e.g. bytedance-ai-budget-2026",
        )
    if kind == "literal_error":
        choices = re.findall(r"'([^']+)'", str(error.get("ctx", {}).get("expected", "")))
        return located.problem(
            at,
            "invalid-choice",
            f"'{field}' is {_shorten(value)}, which is not one of its choices",
            choice_hint(value, choices),
        )
    if kind == "finite_number":
        return located.problem(
            at,
            "non-finite-number",
            f"'{field}' is {error.get('input')}, not a finite number",
            "write a real number such as 30e12",
        )
    if kind == "string_too_short":
        return located.problem(at, "empty-text", f"'{field}' is empty", "write the text or remove the key")
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return located.problem(
            at,
            "text-too-long",
            f"'{field}' is longer than the limit",
            f"write at most {limit:,} characters" if isinstance(limit, int) else "shorten it",
        )
    if kind == "too_short":
        return located.problem(at, "empty-list", f"'{field}' needs at least one item", "")
    if kind == "range-inverted" and isinstance(value, dict):
        low, high = (_written(located, (*at, end), value.get(end)) for end in ("low", "high"))
        return located.problem(at, kind, f"range low {low} is greater than high {high}", _HINTS[kind], key=True)
    if "-" in kind:  # our own PydanticCustomError codes are kebab-case slugs
        # An error about a whole mapping (a value, a quote) points at its key, not its first child.
        on_mapping = isinstance(error.get("input"), dict)
        return located.problem(at, kind, error["msg"], _HINTS.get(kind, ""), key=on_mapping)
    said = str(error.get("msg", "")).rstrip(".")
    said = said[:1].lower() + said[1:] if said else "it is not accepted here"
    return located.problem(
        at,
        "invalid-value",
        f"'{field}' is {_written(located, at, value)}: {said}",
        "see docs/format-reference.md for what this field takes",
    )


_HINTS = {
    "invalid-period": "write 2026, 2026-H1, 2026-Q1, 2025-08, 2025-12-08, FY2025, FY2025-Q3 or a range "
    "{start: 2025-03, end: 2025-09}",
    "period-inverted": "swap start and end: a range's start comes first",
    "invalid-date": "write YYYY, YYYY-MM or YYYY-MM-DD with a real month and day",
    "range-inverted": "swap low and high",
    "invalid-value-form": "e.g. value: {point: 160e9} or {low: 350e9, high: 400e9} or {more_than: 30e12}",
    "missing-translation": "add `translation:` with the English text",
    "missing-unit": "add `unit:` (CNY, USD, chip, user, token/day, ...)",
    "unit-without-value": "remove `unit:` for an event, or add `value:`",
    "unsafe-url": "only http:// and https:// addresses are allowed",
    "number-out-of-range": "check the exponent; a number this size needs another unit",
    "year-out-of-range": "write a four-digit year from 0001 to 9999",
    "document-conflict": "keep `document:` if you have the text, else `document_unavailable:`",
}


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The pydantic model class that a location inside `model` points into."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return None
        annotation = field.annotation
        for candidate in getattr(annotation, "__args__", ()) or (annotation,):
            inner = getattr(candidate, "__args__", None)
            for c in inner or (candidate,):
                if hasattr(c, "model_fields"):
                    current = c
                    break
    return current if hasattr(current, "model_fields") else None


def _item_problems(located: Located, path: tuple, errors: Sequence[Mapping[str, Any]], model: type) -> list[Problem]:
    """Problems of one item; a misspelt key is reported once, not also as a missing field."""
    misspelt = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            parent = _model_at(model, tuple(error["loc"][:-1]))
            close = closest(error["loc"][-1], list(parent.model_fields) if parent else [])
            if close:
                misspelt.add((*error["loc"][:-1], close))
    return [
        schema_problems(located, path, error, model)
        for error in errors
        if not (error["type"] == "missing" and tuple(error["loc"]) in misspelt)
    ]


def _id_of(item: Any) -> str | None:
    """The id an invalid item means to define: its `id`, or the value of a misspelt `id` key."""
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("id"), str):
        return item["id"]
    for key, value in item.items():
        if isinstance(value, str) and closest(key, ["id"]):
            return value
    return None


def _read_file(dataset: Dataset, located: Located, report: Report) -> None:
    """Check the top level of one file and validate each item of each section."""
    data = located.data
    if not isinstance(data, dict):
        report.add(
            located.problem(
                (),
                "wrong-top-level",
                f"a fact file is a mapping of sections, not {type(data).__name__}",
                "start with 'schema_version: 1' and a section such as 'facts:'",
            )
        )
        return
    version_problem = migrate.check_version(located)
    if version_problem:
        report.add(version_problem)
        return
    data = migrate.upgrade(located)
    for key in data:
        if key == "schema_version":
            continue
        if key not in SECTIONS:
            report.add(
                located.problem(
                    (key,),
                    "unknown-key",
                    f"unknown section '{key}'",
                    did_you_mean(key, SECTIONS) or f"sections: {', '.join(SECTIONS)}",
                    key=True,
                )
            )
            continue
        items = data[key]
        if not isinstance(items, list):
            report.add(
                located.problem(
                    (key,), "wrong-type", f"section '{key}' must be a list of items", "start each item with '- id: ...'"
                )
            )
            continue
        model = SECTIONS[key]
        target = dataset.section(key)
        for index, item in enumerate(items):
            path = (key, index)
            try:
                parsed = model.model_validate(item)
            except ValidationError as exc:
                report.extend(_item_problems(located, path, exc.errors(), model))
                item_id = _id_of(item)
                if item_id:
                    dataset.mark_with_errors(key, item_id)  # defined, with errors: not "not defined"
                continue
            record = Record(parsed, located, path)
            clash = _reserved(key, parsed)
            if clash:
                report.add(record.problem(*clash))
                continue
            if parsed.id in target:
                first = target[parsed.id]
                report.add(
                    record.problem(
                        ("id",),
                        "duplicate-id",
                        f"id '{parsed.id}' is already used in {first.file}:{first.line}",
                        "ids are unique and never reused: pick another",
                    )
                )
                continue
            target[parsed.id] = record


@functools.cache  # one small table per section, asked for by every record: callers only read it
def reserved_names(section: str) -> dict[str, str]:
    """{casefolded name: the page it would collide with} of the names an id of this section may not take.

    Compared case-insensitively (ids are lowercase slugs, but on a case-insensitive file system
    `Index.md` and `index.md` are one file, so the rule does not lean on the slug pattern).
    Hand-written pages in these folders are not looked for: site_src/ holds none there, and which
    files in it are generated depends on the last build, which validation must not.
    """
    return {
        name.casefold(): f"the generated page {folder}/{name}.md"
        for folder in reversed(PAGE_FOLDERS.get(section, ()))
        for name in GENERATED_NAMES
    }


def _reserved(section: str, item: Any) -> tuple[tuple, str, str, str] | None:
    """(where, code, message, hint) when an item's id, or a fact's old id, is a reserved name."""
    names = reserved_names(section)
    olds = [(("renamed_from", i), old) for i, old in enumerate(getattr(item, "renamed_from", []))]
    for where, name in [(("id",), item.id), *olds]:
        holder = names.get(name.casefold())
        if holder:
            return (
                where,
                "reserved-id",
                f"the id '{name}' is reserved: its page would collide with {holder}",
                f"pick another id, such as '{name}-1' or a more descriptive one",
            )
    return None


def validate(root: Path) -> tuple[Dataset, Report]:
    """Load and validate every fact file under root/facts; every problem is in the report."""
    dataset = Dataset(root)
    report = Report()
    paths, refused = files.scan(root, FACTS_DIR)
    report.extend(refused)
    for path in paths:
        display = files.display(path.relative_to(root).as_posix())
        dataset.files.append(display)
        located, problems = load_file(path, display)
        report.extend(problems)
        if located is not None:
            before = len(report.problems)
            _read_file(dataset, located, report)
            if any(p.code in FILE_LEVEL_CODES for p in report.problems[before:]):
                dataset.unreadable_ids.update(ids_in_data(located.data))
        else:
            dataset.unreadable_ids.update(ids_in_text(path))
    if not dataset.files and not refused:
        report.add(
            Problem(
                f"{FACTS_DIR}/",
                1,
                1,
                "no-fact-files",
                f"no *.yaml file under {root / FACTS_DIR}",
                "run from the project root",
            )
        )
    report.extend(check_references(dataset))
    return dataset, report


#: Problems of a whole file that leave its items unread (their ids are excused as references).
FILE_LEVEL_CODES = frozenset(
    {"wrong-top-level", "missing-schema-version", "invalid-schema-version", "schema-version-unsupported"}
)
_ID_LINE = re.compile(r"""^[ -]*id:[ ]*["']?([A-Za-z0-9][A-Za-z0-9_.-]*)""", re.MULTILINE)


def ids_in_text(path: Path) -> set[str]:
    """Ids written in a file that could not be parsed, read leniently from its `id:` lines."""
    data, _problems = files.read_bounded(path, path.name)  # the same bounded, link-refusing read as load_file
    if data is None:
        return set()
    return set(_ID_LINE.findall(data.decode("utf-8", errors="replace")))


def ids_in_data(data: Any) -> set[str]:
    """Every `id` of the items of a file whose top level could not be used."""
    out: set[str] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                out.add(node["id"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out


class _Known(dict):
    """The records of some sections plus the ids defined there with errors (never reported again)."""

    def __init__(self, dataset: Dataset, *sections: str):
        super().__init__()
        for name in sections:
            self.update(dataset.section(name))
        self.excused = {i for name in sections for i in dataset.with_errors.get(name, ())} | dataset.unreadable_ids

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.excused


def _ref(record: Record[Any], sub: tuple, target: dict, kind: str, value: str | None) -> Problem | None:
    if value is None or value in target:
        return None
    return record.problem(
        sub,
        "unknown-reference",
        f"{kind} '{value}' is not defined",
        did_you_mean(value, target) or f"add it to the {kind} file first",
    )


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u202f", " ").replace("\xa0", " ")).strip()


def check_references(dataset: Dataset) -> list[Problem]:
    """Cross-file checks: references, units against metrics, signs, dates, quotes in sources."""
    out: list[Problem | None] = []  # _ref gives None when a reference is fine; filtered at the end
    record: Record[Any]  # one name for the records of every section, each loop its own type
    if len(dataset.facts) > MAX_FACTS:
        out.append(
            Problem(
                dataset.files[0],
                1,
                1,
                "too-many-facts",
                f"{len(dataset.facts):,} facts, more than the limit of {MAX_FACTS:,}",
                "",
            )
        )
    all_ids = {**{k: v for k, v in dataset.facts.items()}, **dataset.derived}
    # Targets of references: the records, plus the ids defined with errors (already reported once).
    known_sources, known_entities = _Known(dataset, "sources"), _Known(dataset, "entities")
    known_metrics, known_facts = _Known(dataset, "metrics"), _Known(dataset, "facts")
    known_plotted = _Known(dataset, "facts", "derived")
    for fid, record in dataset.derived.items():
        if fid in dataset.facts:
            first = dataset.facts[fid]
            out.append(
                record.problem(
                    ("id",),
                    "duplicate-id",
                    f"id '{fid}' is already a fact in {first.file}:{first.line}",
                    "facts and derived figures share one namespace",
                )
            )
    documents: dict[str, str | None] = {}
    for sid, record in dataset.sources.items():
        for i, cited in enumerate(record.model.cites):
            out.append(_ref(record, ("cites", i), known_sources, "source", cited))
        if record.model.document:
            raw, reason = files.read_under(dataset.root / FACTS_DIR, record.model.document, FACTS_DIR)
            if raw is None:
                out.append(
                    record.problem(
                        ("document",),
                        "document-not-found",
                        f"document '{files.display(record.model.document)}' {reason}",
                        "give the path of a regular file relative to facts/, e.g. documents/article.fr.txt",
                    )
                )
                documents[sid] = None
            else:
                documents[sid] = _normalise(raw.decode("utf-8", errors="replace"))
    for record in dataset.metrics.values():
        try:
            units.check_dimension(record.model.dimension)
        except units.UnitError as exc:
            out.append(record.problem(("dimension",), exc.code, f"dimension: {exc.message}", exc.hint))
    for record in dataset.entities.values():
        out.append(_ref(record, ("parent",), known_entities, "entity", record.model.parent))
        for i, member in enumerate(record.model.members):
            out.append(_ref(record, ("members", i), known_entities, "entity", member))
    renamed: dict[str, Record] = {}
    for record in dataset.facts.values():
        fact = record.model
        first_of_fact = len(out)
        out.append(_ref(record, ("entity",), known_entities, "entity", fact.entity))
        out.append(_ref(record, ("metric",), known_metrics, "metric", fact.metric))
        out.append(_ref(record, ("source",), known_sources, "source", fact.source))
        for i, attributed in enumerate(fact.attributed_to):
            out.append(_ref(record, ("attributed_to", i), known_sources, "source", attributed))
        for i, entry in enumerate(fact.history):
            out.append(_ref(record, ("history", i, "source"), known_sources, "source", entry.source))
        if fact.retracted:
            out.append(_ref(record, ("retracted", "replaced_by"), known_facts, "fact", fact.retracted.replaced_by))
        out.append(_ref(record, ("supersedes",), known_facts, "fact", fact.supersedes))
        for i, old in enumerate(fact.renamed_from):
            if old in all_ids or old in renamed:
                out.append(
                    record.problem(
                        ("renamed_from", i), "duplicate-id", f"old id '{old}' is still in use", "an id is never reused"
                    )
                )
            renamed[old] = record
        out.extend(_check_value(dataset, record))
        scale = percent.fact_scale_problem(fact.unit, fact.value.numbers() if fact.value else [], fact.quote.text)
        if scale is not None:
            out.append(record.problem(("value",), "percent-scale", *scale))
        out.extend(_check_history_units(dataset, record))
        out.extend(_check_dates(dataset, record))
        text = documents.get(fact.source)
        if text is not None and _normalise(fact.quote.text) not in text:
            out.append(_quote_not_found(record, fact.source, _normalise(fact.quote.text), text))
        if any(p is not None and p.severity == "error" for p in out[first_of_fact:]):
            dataset.mark_with_errors("facts", fact.id)  # derived figures and charts using it stay quiet
    out.extend(series.problems(dataset))
    out.extend(undocumented_sources(dataset))
    for record in dataset.charts.values():
        try:
            units.parse_unit(record.model.unit)
        except units.UnitError as exc:
            out.append(record.problem(("unit",), exc.code, exc.message, exc.hint))
        for i, plotted in enumerate(record.model.series):
            out.append(_ref(record, ("series", i, "ref"), known_plotted, "fact or derived figure", plotted.ref))
    return [p for p in out if p is not None]


def undocumented_sources(dataset: Dataset) -> list[Problem]:
    """A warning for each source quotes are read from that has no document and says not why."""
    quoted = {record.model.source for record in dataset.facts.values()}
    out = []
    for sid, record in dataset.sources.items():
        source = record.model
        if source.document or source.document_unavailable:
            continue
        if sid in quoted or source.role == "document-read":
            out.append(
                record.problem(
                    ("id",),
                    "no-document",
                    f"source '{sid}' has no local document, so its quotes are not checked",
                    f"save its text as facts/documents/{sid}.{source.language}.txt and add `document:`, or say why "
                    "there is none: `document_unavailable: {reason: paywalled, note: ...}`",
                    severity="warning",
                )
            )
    return out


def _quote_not_found(record: Record[Any], source: str, quote: str, document: str) -> Problem:
    """quote-not-found, with the document's nearest passage and what differs marked in [brackets]."""
    nearest = nearest_passage(quote, document)
    if nearest is None or nearest[1] < 0.5:
        return record.problem(
            ("quote", "text"),
            "quote-not-found",
            f"the quote is not in the text of source '{source}', nor anything close to it",
            "copy the words verbatim from the document; is it the right source?",
        )
    passage = nearest[0]
    return record.problem(
        ("quote", "text"),
        "quote-not-found",
        f"the quote is not in the text of source '{source}'; the nearest passage is \"{_clip(passage)}\"",
        f'the document differs where marked: "{_clip(mark_differences(passage, quote))}"; '
        "copy the words verbatim: only spacing and the apostrophe ’ may differ",
    )


def _clip(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_value(dataset: Dataset, record: Record) -> list[Problem]:
    fact = record.model
    metric = dataset.metrics.get(fact.metric)
    out: list[Problem] = []
    if metric is None:
        return out
    dimension = metric.model.dimension
    if dimension == "event":
        if fact.value is not None:
            out.append(
                record.problem(
                    ("value",),
                    "event-with-value",
                    f"metric '{fact.metric}' is an event and takes no value",
                    "remove value and unit, or use a quantitative metric",
                )
            )
        return out
    if fact.value is None:
        out.append(
            record.problem(
                ("metric",),
                "missing-value",
                f"metric '{fact.metric}' is measured in {dimension}: the fact needs a value",
                "add value: and unit:",
            )
        )
        return out
    try:
        unit = units.parse_unit(fact.unit or "")
    except units.UnitError as exc:
        out.append(record.problem(("unit",), exc.code, exc.message, exc.hint))
        return out
    try:
        fits = units.matches_dimension(unit, dimension)
    except units.UnitError:
        return out  # the metric's unreadable dimension is reported once, on the metric
    if not fits:
        out.append(
            record.problem(
                ("unit",),
                "unit-dimension-mismatch",
                f"unit '{fact.unit}' does not measure '{dimension}' (metric '{fact.metric}')",
                f"use a unit of {dimension}",
            )
        )
    if metric.model.non_negative and any(v < 0 for v in fact.value.numbers()):
        out.append(
            record.problem(
                ("value",),
                "negative-value",
                f"metric '{fact.metric}' cannot be negative ({min(fact.value.numbers()):g})",
                "check the sign",
            )
        )
    return out


def _check_history_units(dataset: Dataset, record: Record) -> list[Problem]:
    """An earlier unit of a corrected fact is read like the current one: known, and of the metric's dimension."""
    metric = dataset.metrics.get(record.model.metric)
    out: list[Problem] = []
    for i, entry in enumerate(record.model.history):
        if entry.previous_unit is None:
            continue
        at = ("history", i, "previous_unit")
        try:
            units.parse_unit(entry.previous_unit)
        except units.UnitError as exc:
            out.append(record.problem(at, exc.code, f"previous_unit: {exc.message}", exc.hint))
            continue
        if metric is None or metric.model.dimension == "event":
            continue  # an unknown metric is reported on `metric`; an event's value is reported by _check_value
        try:
            fits = units.matches_dimension(entry.previous_unit, metric.model.dimension)
        except units.UnitError:
            continue  # the metric's unreadable dimension is reported once, on the metric
        if not fits:
            out.append(
                record.problem(
                    at,
                    "unit-dimension-mismatch",
                    f"previous_unit '{entry.previous_unit}' does not measure "
                    f"'{metric.model.dimension}' (metric '{record.model.metric}')",
                    f"use a unit of {metric.model.dimension}",
                )
            )
    return out


def _check_dates(dataset: Dataset, record: Record) -> list[Problem]:
    fact = record.model
    source = dataset.sources.get(fact.source)
    if source is None or not source.model.published:
        return []
    _, published_end = periods.date_span(source.model.published)
    out = []
    try:
        period_start, _ = dataset.period_span(fact)
    except periods.PeriodError:
        return []  # a fiscal period of an entity without a fiscal year: reported once, as fiscal-year-unknown
    if fact.status == "reported" and period_start > published_end:
        out.append(
            record.problem(
                ("period",),
                "period-after-source",
                f"a reported fact for {fact.period} cannot come from a source published {source.model.published}",
                "use status planned, forecast or intention for future periods",
            )
        )
    as_of_start, _ = periods.date_span(fact.as_of)
    if as_of_start > published_end:
        out.append(
            record.problem(
                ("as_of",),
                "as-of-after-source",
                f"as_of {fact.as_of} is after the source was published ({source.model.published})",
                "as_of is when the claim was made: at most the publication date",
            )
        )
    return out
