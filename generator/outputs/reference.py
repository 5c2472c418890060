"""Output stage: the fact-file format reference, generated from the schema so it is never written twice.

Every model of generator/model/schema.py, every field with its type, default and description,
the functions a formula may call, the units a fact may use and the input limits.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from generator.compute.formula import FUNCTIONS
from generator.model import limits, percent, periods, schema, units
from generator.outputs import i18n
from generator.outputs.context import Gathered
from generator.outputs.escape import md_text

#: The models in the order a contributor meets them.
MODELS: tuple[type[BaseModel], ...] = (
    schema.DataFile,
    schema.Fact,
    schema.Value,
    schema.Quote,
    schema.HistoryEntry,
    schema.Retraction,
    schema.Source,
    schema.DocumentUnavailable,
    schema.Entity,
    schema.Metric,
    schema.Derived,
    schema.Check,
    schema.Expectation,
    schema.Chart,
    schema.ChartSeries,
    schema.FactTexts,
    schema.SourceTexts,
    schema.EntityTexts,
    schema.MetricTexts,
    schema.DerivedTexts,
    schema.CheckTexts,
    schema.ChartTexts,
    schema.SeriesTexts,
    schema.ReasonTexts,
)


def type_name(annotation: Any) -> str:
    """A short readable name of a field's type: text, number, list of Fact, one of: a | b, ..."""
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin is typing.Literal:
        return "one of: " + " | ".join(str(a) for a in typing.get_args(annotation))
    if origin in (list, tuple):
        return f"list of {type_name(args[0])}"
    if origin is not None and args:  # a union with None
        return " or ".join(type_name(a) for a in args)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__
    return {str: "text", float: "number", int: "whole number", bool: "true or false"}.get(annotation, str(annotation))


def field_rows(model: type[BaseModel]) -> list[tuple[str, str, str, str]]:
    """(name, type, required or default, description) for each field of a model."""
    rows = []
    for name, info in model.model_fields.items():
        if info.is_required():
            need = "required"
        elif info.default_factory is not None:
            need = "optional (empty)"
        else:
            need = f"optional ({info.default!r})" if info.default is not None else "optional"
        rows.append((name, type_name(info.annotation), need, info.description or ""))
    return rows


def page(standalone: bool = False) -> str:
    """The reference page as Markdown; every text escaped. `standalone`: the copy in docs/."""
    schema_link = "../schema/facts.schema.json" if standalone else "../data/facts.schema.json"
    lines = (
        []
        if standalone
        else [
            "---",
            'title: "Fact file format"',
            'description: "Every field of a fact file, generated from the schema."',
            "---",
            "",
        ]
    )
    lines += [
        "# Fact file format",
        "",
        "Generated from the models in `generator/model/schema.py` (`python -m generator schema`), like the JSON "
        f"Schema ([facts.schema.json]({schema_link})) that editors use to autocomplete.",
        "",
    ]
    for model in MODELS:
        lines += [f"## {model.__name__}", "", md_text((model.__doc__ or "").strip()), ""]
        lines += ["| field | type | | meaning |", "| --- | --- | --- | --- |"]
        for name, kind, need, text in field_rows(model):
            lines.append(f"| `{name}` | {md_text(kind)} | {md_text(need)} | {md_text(text)} |")
        lines.append("")
    lines += [
        "## Formula functions",
        "",
        "Formulas may use numbers, `{id}` references, `+ - * /`, "
        "parentheses and these functions; nothing else is accepted.",
        "",
    ]
    lines += ["| function | what it does |", "| --- | --- |"]
    # Entities are not decoded inside a Markdown code span, so escaped code goes in <code>.
    lines += [f"| <code>{md_text(f.signature)}</code> | {md_text(f.doc)} |" for f in FUNCTIONS.values()]
    lines += [
        "",
        "## Units",
        "",
        "Units are names joined by `/` or `*`, for example `token/day` or `USD/chip`. "
        "Each currency is its own dimension: adding CNY to USD is an error; convert with `convert()`.",
        "",
    ]
    lines += ["Known names: " + ", ".join(f"`{u}`" for u in units.KNOWN_UNITS) + ".", ""]
    lines += [
        "**One percent convention.** "
        + md_text("; ".join(percent.SCALES.values()).replace("`", ""))
        + ". "
        + md_text(
            "Facts, derived figures and checks all use it; a number on the wrong scale (a quoted 57% "
            "written 0.57 percent, a check in percent expecting 0.5) is the error percent-scale, whose "
            "hint names the scale."
        ),
        "",
        "## Periods",
        "",
        md_text(
            f"A period is {periods.PERIOD_FORMS}. A fiscal year is named by the calendar year it ends in "
            "and is resolved through the entity's fiscal_year_start_month (7 for a year starting on 1 July: "
            "FY2025 is July 2024 to June 2025); a range is written {start: 2025-03, end: 2025-09} or "
            "2025-03/2025-09 and covers the first day of its start to the last day of its end. Facts are "
            "sorted and charted by these real dates."
        ),
        "",
    ]
    lines += ["## Limits", "", "| limit | value |", "| --- | --- |"]
    for name in sorted(n for n in dir(limits) if n.isupper()):
        lines.append(f"| `{name}` | {getattr(limits, name):,} |")
    return "\n".join(lines) + "\n"


name = "reference"


def outputs(ctx: Gathered) -> Iterable[tuple[str, str]]:
    """Stage entry point for the build: the format reference page."""
    if i18n.current() == i18n.DEFAULT:
        yield "reference/index.md", page()
        return
    # Written in English only: other languages show it marked as English. The schema is a download at
    # the site root, outside that language's project: an HTML link, which MkDocs does not resolve.
    text = page().replace(
        "[facts.schema.json](../data/facts.schema.json)", '<a href="../../data/facts.schema.json">facts.schema.json</a>'
    )
    yield "reference/index.md", i18n.english_notice(text)
