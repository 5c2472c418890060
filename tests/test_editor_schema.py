"""The editor schema tells the truth (issue 16): it accepts what `validate` accepts, read as editors read YAML.

Editors (VS Code's YAML extension, check-jsonschema) read fact files as YAML 1.2, where
`period: 2026` is an integer. Every committed fact file must pass `check-jsonschema` against
schema/facts.schema.json, and every case of tests/broken/ must be rejected by it too, unless
its mistake is one JSON Schema cannot express (listed below with the reason).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_broken_inputs import CASES, expected

SCHEMA = ROOT / "schema" / "facts.schema.json"
CHECK = Path(sys.executable).with_name("check-jsonschema")

#: Mistakes that need more than one file, the calendar, arithmetic or the source's text.
NOT_EXPRESSIBLE = {
    "as-of-after-source": "compares with the source's publication date, in another file",
    "period-after-source": "compares with the source's publication date, in another file",
    "chart-series-without-value": "depends on the referenced fact, in another file",
    "chart-unit-mismatch": "depends on the referenced fact's unit, in another file",
    "duplicate-id": "ids are unique across files",
    "event-with-value": "depends on the metric, in another file",
    "negative-value": "depends on the metric, in another file",
    "unit-dimension-mismatch": "depends on the metric, in another file",
    "unknown-reference": "references are between files",
    "no-document": "a warning about quotes, not a format error",
    "quote-not-found": "needs the source document's text",
    "range-inverted": "JSON Schema cannot compare two values",
    "period-inverted": "JSON Schema cannot compare two dates",
    "periods-differ": "depends on the periods of the facts the formula uses, in other files",
    "fiscal-year-unknown": "depends on the entity, in another file",
    "supersedes-mismatch": "depends on the superseded fact, in another file",
    "supersedes-newer": "depends on the superseded fact, in another file",
    "superseded-twice": "depends on the other facts",
    "supersedes-itself": "JSON Schema cannot compare two fields",
    "supersedes-cycle": "depends on the other facts",
    "percent-scale": "compares the value with the numbers of the quote (or a check with its computed result)",
    "non-finite-number": "YAML's .nan compares false with every bound",
    "check-failed": "computes the check's formula",
    "check-now-passes": "computes the check's formula",
    "formula-argument": "parses the formula",
    "formula-arity": "parses the formula",
    "formula-bad-number": "parses the formula",
    "formula-syntax": "parses the formula",
    "non-finite-result": "computes the formula",
    "not-an-exchange-rate": "depends on the rate fact's unit, in another file",
    "unit-mismatch": "depends on the units of the facts the formula uses, in other files",
    "missing-value": "depends on the metric, in another file",
}


def check(paths: list[Path]) -> set[str]:
    """The files check-jsonschema rejects (schema errors or YAML it cannot parse)."""
    done = subprocess.run(
        [str(CHECK), "--schemafile", str(SCHEMA), "-o", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode in (0, 1), done.stderr
    result = json.loads(done.stdout)
    return {Path(e["filename"]).name for e in [*result.get("errors", []), *result.get("parse_errors", [])]}


def test_every_committed_fact_file_passes_the_editor_schema():
    files = sorted(p for p in (ROOT / "facts").rglob("*.yaml") if "documents" not in p.parts)
    assert len(files) >= 10
    assert check(files) == set()


def test_a_year_written_as_a_number_is_accepted(tmp_path: Path):
    seed = (ROOT / "facts" / "investment.yaml").read_text(encoding="utf-8")
    assert "    period: 2026\n" in seed  # an integer to YAML 1.2, accepted by validate
    bad = tmp_path / "bad.yaml"
    bad.write_text(seed.replace("    period: 2026\n", "    period: 26\n", 1), encoding="utf-8")
    assert check([bad]) == {"bad.yaml"}


def test_the_broken_corpus_is_rejected_where_json_schema_can_say_it():
    rejected = check(CASES)
    wrong = []
    for case in CASES:
        (code,) = {c for _, _, c in expected(case)}
        expressible = code not in NOT_EXPRESSIBLE
        if expressible != (case.name in rejected):
            wrong.append(f"{case.name} ({code}): schema {'accepts' if case.name not in rejected else 'rejects'} it")
    assert wrong == []


@pytest.mark.parametrize("code", sorted(NOT_EXPRESSIBLE))
def test_every_exception_is_used_by_a_case(code: str):
    assert any(code in {c for _, _, c in expected(case)} for case in CASES)
