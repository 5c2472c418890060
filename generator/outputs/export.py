"""Data downloads: facts and derived figures as JSON and CSV, from the one value model.

CSV cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR)
are neutralised with a leading apostrophe, as OWASP recommends.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from typing import Any

from generator.compute.derive import Derivation, fact_amount
from generator.inputs import series
from generator.inputs.dataset import Dataset
from generator.model.values import Amount
from generator.outputs.columns import DERIVED_COLUMNS, FACT_COLUMNS
from generator.outputs.context import Gathered


def amount_fields(amount: Amount | None) -> dict[str, Any]:
    """kind/value/low/high/bound_strict/unit/approximate for one amount; unknown ends are empty."""
    if amount is None:
        return {
            "kind": "event",
            "value": None,
            "low": None,
            "high": None,
            "bound_strict": None,
            "unit": None,
            "approximate": None,
        }

    def end(e) -> float | None:
        return e.value if e.known and math.isfinite(e.value) else None

    kind = amount.kind
    strict = amount.low.strict if kind == "lower-bound" else amount.high.strict if kind == "upper-bound" else None
    return {
        "kind": kind,
        "value": amount.central if kind == "point" else None,
        "low": end(amount.low),
        "high": end(amount.high),
        "bound_strict": strict,
        "unit": amount.unit,
        "approximate": amount.approximate,
    }


def fact_rows(dataset: Dataset) -> list[dict[str, Any]]:
    """One row per fact, in id order."""
    rows = []
    for fid in sorted(dataset.facts):
        fact = dataset.facts[fid].model
        start, end = dataset.period_span(fact)
        rows.append(
            {
                "id": fid,
                "entity": fact.entity,
                "metric": fact.metric,
                "period": fact.period,
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                **amount_fields(fact_amount(fact)),
                "status": fact.status,
                "as_of": fact.as_of,
                "source": fact.source,
                "attributed_to": " ".join(fact.attributed_to),
                "quote": fact.quote.text,
                "quote_language": fact.quote.language,
                "translation": fact.quote.translation,
                "statement": fact.statement,
                "note": fact.note,
                "retracted": fact.retracted.date if fact.retracted else None,
                "standing": series.standing(dataset, fact, dataset.superseded_by),
                "revision_kind": series.revision_kind(fact) or None,
                "supersedes": fact.supersedes,
                "superseded_by": dataset.superseded_by.get(fid),
            }
        )
    return rows


def derived_rows(derivation: Derivation) -> list[dict[str, Any]]:
    """One row per derived figure, in id order, with its lineage flattened."""
    rows = []
    for did in sorted(derivation.values):
        value = derivation.values[did]
        rows.append(
            {
                "id": did,
                "title": value.definition.title,
                **amount_fields(value.amount),
                "significant_figures": value.significant_figures,
                "formula": value.definition.formula,
                "inputs": " ".join(i.ref for i in value.inputs),
                "rates_used": " ".join(value.rates_used),
                "explanation": value.definition.explanation,
            }
        )
    return rows


def derived_json(derivation: Derivation) -> list[dict[str, Any]]:
    """Derived figures with full lineage: each input with the value used."""
    out = []
    for row, did in zip(derived_rows(derivation), sorted(derivation.values), strict=True):
        value = derivation.values[did]
        row = {
            **row,
            "inputs": [{"id": i.ref, "kind": i.kind, **amount_fields(i.amount)} for i in value.inputs],
            "rates_used": list(value.rates_used),
            "exact": amount_fields(value.exact),
        }
        out.append(row)
    return out


def neutralise(cell: Any) -> str:
    """A CSV cell as text that no spreadsheet will run as a formula."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return repr(cell) if not cell.is_integer() or abs(cell) >= 1e16 else str(int(cell))
    text = str(cell)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """Rows as CSV text with a header, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row.get(c)) for c in columns])
    return buffer.getvalue()


def to_json(data: Any) -> str:
    """Stable, readable JSON; `<`, `>` and `&` escaped so it is safe inside HTML too."""
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


name = "export"


def outputs(ctx: Gathered) -> Iterable[tuple[str, str]]:
    """Stage entry point for the build: the data downloads."""
    return downloads(ctx.dataset, ctx.derivation).items()


def downloads(dataset: Dataset, derivation: Derivation) -> dict[str, str]:
    """The data files under data/: facts and derived figures as JSON and CSV."""
    facts = fact_rows(dataset)
    return {
        "data/facts.json": to_json(facts),
        "data/facts.csv": to_csv(facts, FACT_COLUMNS),
        "data/derived.json": to_json(derived_json(derivation)),
        "data/derived.csv": to_csv(derived_rows(derivation), DERIVED_COLUMNS),
    }
