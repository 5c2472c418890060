"""Periods and dates (issue 15): every kind of period resolved to real days, said honestly, refused when wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import TypeAdapter, ValidationError

from generator.model import fmt, periods
from generator.model.periods import Date, Period

D = dt.date
PERIOD = TypeAdapter(Period)
DATE = TypeAdapter(Date)


@pytest.mark.parametrize(
    ("period", "fiscal_start", "first", "last"),
    [
        ("2025", None, D(2025, 1, 1), D(2025, 12, 31)),
        ("2025-H2", None, D(2025, 7, 1), D(2025, 12, 31)),
        ("2025-Q1", None, D(2025, 1, 1), D(2025, 3, 31)),
        ("2024-02", None, D(2024, 2, 1), D(2024, 2, 29)),
        ("2025-12-08", None, D(2025, 12, 8), D(2025, 12, 8)),
        ("FY2025", 7, D(2024, 7, 1), D(2025, 6, 30)),
        ("FY2025-H1", 7, D(2024, 7, 1), D(2024, 12, 31)),
        ("FY2025-H2", 7, D(2025, 1, 1), D(2025, 6, 30)),
        ("FY2025-Q1", 7, D(2024, 7, 1), D(2024, 9, 30)),
        ("FY2025-Q3", 7, D(2025, 1, 1), D(2025, 3, 31)),
        ("FY2025", 1, D(2025, 1, 1), D(2025, 12, 31)),  # a fiscal year that is the calendar year
        ("FY2026-Q4", 10, D(2026, 7, 1), D(2026, 9, 30)),  # October start (the US federal year)
        ("2025-03/2025-09", None, D(2025, 3, 1), D(2025, 9, 30)),
        ("2025-03-15/2025-09-02", None, D(2025, 3, 15), D(2025, 9, 2)),
        ("2024/2025", None, D(2024, 1, 1), D(2025, 12, 31)),
    ],
)
def test_every_kind_of_period_covers_its_real_days(period: str, fiscal_start: int | None, first: D, last: D):
    assert PERIOD.validate_python(period) == period
    assert periods.span(period, fiscal_start) == (first, last)


@pytest.mark.parametrize(
    ("period", "fiscal_start", "said"),
    [
        ("FY2025", 7, "fiscal year 2025 (July 2024 – June 2025)"),
        ("FY2025-Q3", 7, "Q3 of fiscal year 2025 (January – March 2025)"),
        ("FY2025-H1", 7, "H1 of fiscal year 2025 (July – December 2024)"),
        ("FY2025", None, "fiscal year 2025"),  # never a calendar year when the months are not known
        ("2025-03/2025-09", None, "March – September 2025"),
        ("2025-03-15/2025-09-02", None, "15 March 2025 – 2 September 2025"),
        ("2025-Q3", None, "Q3 2025"),
        ("2025-08", None, "August 2025"),
    ],
)
def test_periods_are_said_with_what_they_cover(period: str, fiscal_start: int | None, said: str):
    assert fmt.period_label(period, "en", fiscal_start) == said


def test_french_says_fiscal_years_too():
    assert fmt.period_label("FY2025", "fr", 7) == "exercice 2025 (juillet 2024 – juin 2025)"


def test_a_range_mapping_and_an_unquoted_year_are_accepted():
    assert PERIOD.validate_python({"start": "2025-03", "end": "2025-09"}) == "2025-03/2025-09"
    assert PERIOD.validate_python({"start": 2024, "end": 2025}) == "2024/2025"
    assert PERIOD.validate_python(2026) == "2026"
    assert DATE.validate_python(2026) == "2026"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("FY2025-Q5", "invalid-period"),
        ("FY25", "invalid-period"),
        ("FY2025-03", "invalid-period"),
        ("2025-13", "invalid-period"),
        ("2025-Q1-02", "invalid-period"),
        ("2025-02-30/2025-03", "invalid-period"),
        ("2025-Q1/2025-Q3", "invalid-period"),
        ("2025-09/2025-03", "period-inverted"),
        ("FY0000", "year-out-of-range"),
        ({"start": "2025-03"}, "invalid-period"),
        ({"start": "2025-03", "end": "2025-09", "note": "x"}, "invalid-period"),
    ],
)
def test_wrong_periods_are_refused_with_their_code(written: object, code: str):
    with pytest.raises(ValidationError) as caught:
        PERIOD.validate_python(written)
    assert caught.value.errors()[0]["type"] == code


def test_a_fiscal_period_without_a_fiscal_year_start_cannot_be_resolved():
    with pytest.raises(periods.PeriodError, match="fiscal year start is not known"):
        periods.span("FY2025")


def test_sorting_is_by_real_dates_across_kinds():
    written = ["2025", "FY2025", "2025-03/2025-09", "2024-11", "FY2025-Q3"]
    ordered = sorted(written, key=lambda p: periods.sort_key(p, 7))
    # FY2025 starts in July 2024, before November 2024; its third quarter (January to March 2025)
    # starts with the year 2025 and ends first.
    assert ordered == ["FY2025", "2024-11", "FY2025-Q3", "2025", "2025-03/2025-09"]


@pytest.mark.parametrize(
    ("period", "short"),
    [
        ("2025", "2025"),
        ("2025-Q3", "Q3 2025"),
        ("2025-08", "Aug 2025"),
        ("FY2025", "FY2025"),
        ("2025-03/2025-09", "Mar–Sep 2025"),
        ("2024-11/2025-02", "Nov 2024–Feb 2025"),
    ],
)
def test_short_labels_for_chart_axes(period: str, short: str):
    assert periods.short_label(period) == short


def test_dates_and_timestamps():
    assert periods.date_label("2025-07-23") == "23 July 2025"
    assert periods.date_label("2025-07") == "July 2025"
    assert periods.timestamp("2025") == "2025-01-01T00:00:00Z"
    with pytest.raises(ValidationError):
        DATE.validate_python("2025-Q1")


def test_derived_figures_over_different_periods_say_why(project):
    from generator.pipeline.build import gather

    text = (project / "facts" / "derived.yaml").read_text(encoding="utf-8")
    # Without its reason, the seed's August-to-October growth is refused, at its formula.
    reason = '    across_periods: "A change from August to October 2025."\n'
    assert reason in text
    (project / "facts" / "derived.yaml").write_text(text.replace(reason, ""), encoding="utf-8")
    found = [(p.code, p.message) for p in gather(project).report.problems]
    assert found == [
        ("periods-differ", "the formula combines facts of different periods (October 2025 and August 2025)")
    ]


def test_a_conversion_at_another_months_rate_is_not_a_mix_of_periods():
    from generator.pipeline.build import gather
    from tests.conftest import ROOT

    gathered = gather(ROOT)
    converted = gathered.dataset.derived["bytedance-ai-budget-2026-in-usd"].model
    assert converted.across_periods is None  # 2026 budget at the December 2025 rate: accepted as it is
    assert "bytedance-ai-budget-2026-in-usd" in gathered.derivation.values
