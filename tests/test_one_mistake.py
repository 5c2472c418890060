"""One mistake, one error (issue 16): a broken item or file is reported once, at its root cause.

Each case breaks one seed file in one place, in a copy of the project, and expects exactly one
problem in the whole report: references to the broken items, derived figures and checks
computed from them and charts plotting them stay quiet, because they are "defined, with errors".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.model.causes import cause
from generator.model.errors import Problem, Report
from generator.pipeline.build import gather

BUDGET = "bytedance-ai-infrastructure-budget-2026"
VALUE = "    value: {point: 160e9}\n    unit: CNY\n    status: planned"


def _break(project: Path, name: str, old: str, new: str) -> None:
    path = project / "facts" / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _codes(project: Path) -> list[tuple[str, str]]:
    return [(p.file, p.code) for p in gather(project).report.sorted()]


CASES = {
    "tab-before-a-field": (VALUE, VALUE.replace("    unit: CNY", "\tunit: CNY"), "tab-indent"),
    "yaml-syntax-error": (VALUE, VALUE.replace("{point: 160e9}", "{point: 160e9"), "yaml-syntax"),
    "unknown-unit-on-a-used-fact": (VALUE, VALUE.replace("unit: CNY", "unit: CNYY"), "unknown-unit"),
    "wrong-dimension-on-a-used-fact": (VALUE, VALUE.replace("unit: CNY", "unit: chip"), "unit-dimension-mismatch"),
    "bad-status-on-a-used-fact": (VALUE, VALUE.replace("planned", "rumoured"), "invalid-choice"),
    "misspelt-id-field": (f"  - id: {BUDGET}\n", f"  - idd: {BUDGET}\n", "unknown-key"),
    "unknown-entity-on-a-used-fact": (
        "    entity: bytedance\n    metric: ai-infrastructure-budget\n    period: 2026\n",
        "    entity: bytedanse\n    metric: ai-infrastructure-budget\n    period: 2026\n",
        "unknown-reference",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_mistake_in_a_used_fact_gives_one_error(case: str, project: Path):
    old, new, code = CASES[case]
    if case == "unknown-entity-on-a-used-fact":
        text = (project / "facts" / "investment.yaml").read_text(encoding="utf-8")
        start = text.index(f"  - id: {BUDGET}\n")
        old = text[start : text.index("    period: 2026\n", start) + len("    period: 2026\n")]
        new = old.replace("entity: bytedance\n", "entity: bytedanse\n")
    _break(project, "investment.yaml", old, new)
    assert _codes(project) == [("facts/investment.yaml", code)]


def test_a_file_with_a_future_schema_version_hides_nothing_else(project: Path):
    _break(project, "sources.yaml", "schema_version: 1\n", "schema_version: 99\n")
    assert _codes(project) == [("facts/sources.yaml", "schema-version-unsupported")]


def test_root_causes_print_first_whatever_the_file_names():
    report = Report()
    report.add(Problem("facts/a.yaml", 3, 1, "check-failed", "m", severity="warning"))
    report.add(Problem("facts/a.yaml", 1, 1, "unknown-reference", "m"))
    report.add(Problem("facts/b.yaml", 9, 1, "invalid-choice", "m"))
    report.add(Problem("facts/z.yaml", 5, 1, "yaml-syntax", "m"))
    report.add(Problem("facts/c.yaml", 2, 1, "tab-indent", "m"))
    assert [(p.file, p.code) for p in report.sorted()] == [
        ("facts/c.yaml", "tab-indent"),
        ("facts/z.yaml", "yaml-syntax"),
        ("facts/b.yaml", "invalid-choice"),
        ("facts/a.yaml", "unknown-reference"),
        ("facts/a.yaml", "check-failed"),
    ]
    assert [cause(p.code) for p in report.sorted()] == [0, 0, 1, 2, 3]


def test_two_independent_mistakes_give_two_errors_in_cause_order(project: Path):
    _break(project, "investment.yaml", VALUE, VALUE.replace("planned", "rumoured"))
    _break(project, "tokens.yaml", "schema_version: 1\n", "schema_version: 1\n  oops: [\n")
    assert _codes(project) == [("facts/tokens.yaml", "yaml-syntax"), ("facts/investment.yaml", "invalid-choice")]
