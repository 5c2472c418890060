"""One percent convention (issue 15): `percent` is per cent (50 = 50 %), `dimensionless` a fraction (0.5 = 50 %)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.model import percent
from generator.pipeline.build import gather

SHARE_FACT = """schema_version: 1
metrics:
  - id: test-share
    name: A test share
    description: A share, for a test.
    dimension: {dimension}
sources:
  - id: test-source
    role: document-read
    publisher: Test
    title: Test
    language: en
    published: 2025-12
    document_unavailable: {{reason: not-read, note: A test source.}}
facts:
  - id: test-share-fact
    entity: bytedance
    metric: test-share
    period: 2025
    statement: A test fact.
    value: {{point: {value}}}
    unit: {unit}
    status: reported
    as_of: 2025-12
    source: test-source
    quote:
      text: {quote}
      language: en
"""


def _problems(project: Path, text: str) -> list[tuple[str, str]]:
    (project / "facts" / "zz-test.yaml").write_text(text, encoding="utf-8")
    return [(p.code, p.hint) for p in gather(project).report.problems if p.file == "facts/zz-test.yaml"]


@pytest.mark.parametrize(
    ("unit", "value", "quote", "dimension", "refused"),
    [
        ("percent", 57, "57% of the budget", "percent", False),
        ("percent", 0.57, "57% of the budget", "percent", True),  # the quote's 57 % written as a fraction
        ("percent", 0.5, "0.5% of the budget", "percent", False),  # half of one per cent is fine when quoted so
        ("dimensionless", 0.57, "57 per cent of the budget", "dimensionless", False),
        ("dimensionless", 57, "57 per cent of the budget", "dimensionless", True),  # a per-cent figure as a fraction
        ("percent", 57, "more than half the budget", "percent", False),  # no percentage quoted: nothing to compare
    ],
)
def test_a_fact_on_the_wrong_scale_is_an_error_naming_the_scale(
    project: Path, unit: str, value: float, quote: str, dimension: str, refused: bool
):
    found = _problems(project, SHARE_FACT.format(unit=unit, value=value, quote=quote, dimension=dimension))
    if refused:
        assert [code for code, _ in found] == ["percent-scale"]
        assert percent.SCALES[unit] in found[0][1]
    else:
        assert found == []


CHECK = """schema_version: 1
checks:
  - id: test-check
    title: A test check
    claim: About half.
    formula: "{{bytedance-ai-processor-budget-2025}} / {{bytedance-ai-infrastructure-budget-2025}}"
    unit: {unit}
    expect: {{approximately: {expected}, tolerance: {tolerance}}}
    acknowledged: The result is 57%, kept as the article gives it.
"""


@pytest.mark.parametrize(
    ("unit", "expected", "tolerance", "code"),
    [
        ("dimensionless", 0.5, 0.1, None),
        ("percent", 50, 10, None),
        ("percent", 0.5, 0.1, "percent-scale"),  # a fraction in a per-cent check
        ("dimensionless", 50, 10, "percent-scale"),  # per cent in a fraction check
        ("percent", 50, 1, None),  # misses on both scales: a failed check (acknowledged here), not a scale error
    ],
)
def test_a_check_on_the_wrong_scale_is_an_error_not_a_failed_check(
    project: Path, unit: str, expected: float, tolerance: float, code: str | None
):
    found = _problems(project, CHECK.format(unit=unit, expected=expected, tolerance=tolerance))
    codes = [c for c, _ in found]
    if code is None:
        assert "percent-scale" not in codes
    else:
        assert codes == [code]
        assert percent.SCALES[unit] in found[0][1]


def test_the_seed_uses_one_convention():
    report = gather(Path(__file__).resolve().parent.parent).report
    assert [p for p in report.problems if p.code == "percent-scale"] == []


def test_quoted_percentages_are_read_in_english_and_french():
    assert percent.quoted_percentages("57%, 53 % et 12,5 pour cent; 50 per cent") == [57, 53, 12.5, 50]
