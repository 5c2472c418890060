"""The one number formatter: a table of (value, expected words) for every kind, unit, style and locale."""

from __future__ import annotations

import math

import pytest

from generator.model.fmt import (
    format_amount,
    format_figure,
    format_number,
    format_ratio_words,
    period_label,
    status_label,
    unit_label,
)
from generator.model.values import UNKNOWN_HIGH, UNKNOWN_LOW, Amount

NBSP = "\u00a0"  # CLDR's no-break space (French percent sign, currency sign and short scale words)
NNBSP = "\u202f"  # CLDR's narrow no-break space (French digit groups)
MINUS = "\u2212"

point, rng, lower, upper = Amount.point, Amount.range, Amount.lower_bound, Amount.upper_bound

# (amount, locale, style, keyword arguments, expected)
CASES = [
    # Currencies: long spells yuan, keeps the $ and € signs; short uses the sign and bn/tn.
    (point(160e9, "CNY"), "en", "long", {}, "160 billion yuan"),
    (point(160e9, "CNY"), "en", "short", {}, "¥160 bn"),
    (point(23e9, "USD", approximate=True), "en", "long", {}, "about $23 billion"),
    (point(23e9, "USD", approximate=True), "en", "short", {}, "≈ $23 bn"),
    (point(5e9, "EUR"), "en", "long", {}, "€5 billion"),
    (point(-5e9, "USD"), "en", "short", {}, f"{MINUS}$5 bn"),
    (point(999.96e6, "USD"), "en", "short", {}, "$1 bn"),  # rounding to 1000 M moves up a scale
    (point(1.234e12, "USD"), "en", "short", {}, "$1.23 tn"),
    # Ranges share one scale word: en dash in short style, "to" in long style.
    (rng(350e9, 400e9, "USD"), "en", "short", {}, "$350–400 bn"),
    (rng(350e9, 400e9, "USD"), "en", "long", {}, "$350 to 400 billion"),
    (rng(350e9, 400e9, "USD", approximate=True), "en", "long", {}, "about $350 to 400 billion"),
    (rng(0.5e9, 1.2e9, "USD"), "en", "short", {}, "$0.5–1.2 bn"),
    (rng(40000, 80000, "chip"), "en", "short", {}, "40,000–80,000 chips"),
    (rng(40000, 80000, "chip"), "en", "long", {}, "40,000 to 80,000 chips"),
    # Bounds: strict, non-strict, approximate; lower and upper.
    (lower(30e12, "token/day"), "en", "long", {}, "more than 30 trillion tokens a day"),
    (lower(30e12, "token/day"), "en", "short", {}, "> 30 tn tokens/day"),
    (lower(30e12, "token/day", strict=False), "en", "long", {}, "at least 30 trillion tokens a day"),
    (lower(30e12, "token/day", strict=False), "en", "short", {}, "≥ 30 tn tokens/day"),
    (
        lower(30e12, "token/day", approximate=True),
        "en",
        "long",
        {},
        "more than about 30 trillion tokens a day",
    ),
    (lower(30e12, "token/day", approximate=True), "en", "short", {}, "≳ 30 tn tokens/day"),
    (upper(5, "chip"), "en", "long", {}, "less than 5 chips"),
    (upper(5, "chip", strict=False), "en", "long", {}, "at most 5 chips"),
    (upper(5, "chip", strict=False), "en", "short", {}, "≤ 5 chips"),
    (upper(5, "chip", approximate=True), "en", "short", {}, "≲ 5 chips"),
    # Counts, singular and plural.
    (point(20000, "chip"), "en", "long", {}, "20,000 chips"),
    (point(1, "chip"), "en", "long", {}, "1 chip"),
    (point(1, "chip"), "en", "short", {}, "1 chip"),
    (point(1e6, "chip"), "en", "long", {}, "1 million chips"),
    (point(157e6, "user"), "en", "long", {}, "157 million users"),
    (point(157e6, "user"), "en", "short", {}, "157 M users"),
    (point(5e15, "token/year"), "en", "long", {}, "5,000 trillion tokens a year"),
    (point(1.5e6, "server"), "en", "long", {}, "1.5 million servers"),  # unlisted noun: English plural
    (point(3, "GW"), "en", "short", {}, "3 GW"),
    (point(1, "GW"), "en", "long", {}, "1 gigawatt"),
    # Percentages: `percent` holds percent, `dimensionless` is a share; 2 significant figures by default.
    (point(53.125, "percent"), "en", "short", {}, "53%"),
    (point(53.1, "percent"), "en", "short", {"sig": 3}, "53.1%"),
    (point(0.5, "dimensionless"), "en", "long", {}, "50%"),
    (point(0.0347, "dimensionless"), "en", "long", {}, "3.5%"),
    (upper(0.6667, "dimensionless"), "en", "long", {"signed": True}, "less than +67%"),
    (upper(0.6667, "dimensionless"), "en", "short", {"signed": True}, "< +67%"),
    (point(-0.03, "dimensionless"), "en", "long", {"signed": True}, f"{MINUS}3%"),
    (point(0.0, "dimensionless"), "en", "long", {"signed": True}, "0%"),
    (rng(-0.05, 0.03, "dimensionless"), "en", "short", {"signed": True}, f"{MINUS}5% to +3%"),
    (point(2.5, "dimensionless"), "en", "long", {"as_percent": False}, "2.5"),
    # Rates and money per thing.
    (point(6.96, "CNY/USD"), "en", "long", {}, "6.96 yuan per US dollar"),
    (point(6.96, "CNY/USD"), "en", "short", {}, "6.96 CNY/USD"),
    (point(6.9565, "CNY/USD"), "en", "short", {}, "6.96 CNY/USD"),
    (point(6.9565, "CNY/USD"), "en", "short", {"sig": 2}, "7 CNY/USD"),
    (point(20000, "USD/chip"), "en", "long", {}, "$20,000 per chip"),
    (point(20000, "USD/chip"), "en", "short", {}, "$20,000/chip"),
    # Ranks ignore `signed`: a rank is not a change.
    (point(1, "rank"), "en", "short", {}, "No. 1"),
    (point(1, "rank"), "en", "long", {"signed": True}, "rank 1"),
    (rng(1, 3, "rank"), "en", "short", {}, "No. 1–3"),
    # Rounding: no invented precision, half-up on the decimal text, explicit significant figures.
    (point(157.3e6, "user"), "en", "long", {}, "157 million users"),
    (point(157e6, "user"), "en", "long", {"sig": 2}, "160 million users"),
    (point(0.125, "CNY/USD"), "en", "short", {"sig": 2}, "0.13 CNY/USD"),
    (point(1234.5, "chip"), "en", "long", {}, "1,235 chips"),
    (point(0.000123, "chip"), "en", "long", {}, "0.000123 chips"),
    # Unknown: neither end known.
    (Amount(UNKNOWN_LOW, UNKNOWN_HIGH, "USD"), "en", "long", {}, "unknown"),
    (Amount(UNKNOWN_LOW, UNKNOWN_HIGH, "USD"), "fr", "short", {}, "inconnu"),
    # French: CLDR digits, scale words and sign placement; "de" before the noun, elided before a vowel.
    (point(160e9, "CNY"), "fr", "long", {}, "160 milliards de yuans"),
    (point(160e9, "CNY"), "fr", "short", {}, f"160{NBSP}Md{NBSP}¥"),
    (point(23e9, "USD", approximate=True), "fr", "long", {}, "environ 23 milliards de dollars"),
    (point(1e9, "USD"), "fr", "long", {}, "1 milliard de dollars"),
    (point(157e6, "user"), "fr", "long", {}, "157 millions d'utilisateurs"),
    (point(157e6, "user"), "fr", "short", {}, f"157{NBSP}M utilisateurs"),
    (rng(40000, 80000, "chip"), "fr", "long", {}, f"40{NNBSP}000 à 80{NNBSP}000 puces"),
    (rng(40000, 80000, "chip"), "fr", "short", {}, f"40{NNBSP}000–80{NNBSP}000 puces"),
    (point(1, "chip"), "fr", "long", {}, "1 puce"),
    (
        lower(30e12, "token/day", approximate=True),
        "fr",
        "long",
        {},
        f"plus d'environ 30{NNBSP}000 milliards de jetons par jour",
    ),
    (upper(0.6667, "dimensionless"), "fr", "long", {"signed": True}, f"moins de +67{NBSP}%"),
    (point(6.96, "CNY/USD"), "fr", "long", {}, "6,96 yuans par dollar"),
    (point(1, "rank"), "fr", "short", {}, "nº 1"),
    # The French site's figures as French news writes them (issue 18): "dollars", and no "billions"
    # (10^12 in French): the scale stops at "milliards".
    (rng(350e9, 400e9, "USD"), "fr", "long", {}, "350 à 400 milliards de dollars"),
    (lower(30e12, "token/day"), "fr", "long", {}, f"plus de 30{NNBSP}000 milliards de jetons par jour"),
    (lower(30e12, "token/day"), "fr", "short", {}, f"> 30{NNBSP}000{NBSP}Md jetons/jour"),
    (point(2.5e12, "USD"), "fr", "long", {}, f"2{NNBSP}500 milliards de dollars"),
]


@pytest.mark.parametrize(("amount", "locale", "style", "options", "expected"), CASES)
def test_format_amount(amount: Amount, locale: str, style: str, options: dict, expected: str) -> None:
    assert format_amount(amount, locale, style, **options) == expected


def test_cases_cover_every_kind_and_both_locales() -> None:
    kinds = {case[0].kind for case in CASES}
    assert kinds == {"point", "range", "lower-bound", "upper-bound", "unknown"}
    assert {case[1] for case in CASES} == {"en", "fr"}


@pytest.mark.parametrize(
    ("x", "locale", "options", "expected"),
    [
        (160e9, "en", {}, "160 billion"),
        (160e9, "en", {"style": "short"}, "160 bn"),
        (30e12, "en", {"style": "short"}, "30 tn"),
        (157e6, "en", {"style": "short"}, "157 M"),
        (160e9, "fr", {}, "160 milliards"),
        (1.5e9, "fr", {}, "1,5 milliard"),  # French singular below 2
        (1234.5, "fr", {"sig": 5}, f"1{NNBSP}234,5"),
        (1234.5, "en", {"sig": 5}, "1,234.5"),
        (20000, "en", {}, "20,000"),
        (6.9565, "en", {}, "6.96"),
        (-3, "en", {}, f"{MINUS}3"),
        (3, "en", {"signed": True}, "+3"),
        (1234, "de", {}, "1.234"),  # any Babel locale gets its digits
    ],
)
def test_format_number(x: float, locale: str, options: dict, expected: str) -> None:
    assert format_number(x, locale, **options) == expected


def test_format_number_refuses_infinity() -> None:
    with pytest.raises(ValueError, match="finite"):
        format_number(math.inf)


@pytest.mark.parametrize(
    ("x", "locale", "expected"),
    [
        (85 / 160, "en", "about half"),
        (85 / 160, "fr", "environ la moitié"),
        (0.55, "en", "about half"),  # exactly 5 points away still counts
        (0.56, "en", "56%"),
        (0.30, "en", "about a third"),
        (0.28, "en", "about a quarter"),  # nearest fraction wins
        (0.70, "en", "about two thirds"),
        (0.74, "fr", "environ trois quarts"),
        (0.10, "en", "10%"),
    ],
)
def test_format_ratio_words(x: float, locale: str, expected: str) -> None:
    assert format_ratio_words(x, locale) == expected


@pytest.mark.parametrize(
    ("unit", "plural", "style", "locale", "expected"),
    [
        ("CNY", True, "long", "en", "yuan"),
        ("CNY", True, "short", "en", "¥"),
        ("USD", True, "long", "en", "US dollars"),
        ("USD", False, "long", "en", "US dollar"),
        ("USD", True, "short", "en", "$"),
        ("EUR", True, "long", "en", "euros"),
        ("chip", True, "long", "en", "chips"),
        ("chip", False, "long", "en", "chip"),
        ("user", True, "long", "en", "users"),
        ("token/day", True, "long", "en", "tokens a day"),
        ("token/day", True, "short", "en", "tokens/day"),
        ("token/year", True, "long", "en", "tokens a year"),
        ("percent", True, "long", "en", "percent"),
        ("percent", True, "short", "en", "%"),
        ("dimensionless", True, "short", "en", "%"),
        ("rank", True, "long", "en", "rank"),
        ("USD/chip", True, "long", "en", "US dollars per chip"),
        ("chip", True, "long", "fr", "puces"),
        ("token/day", True, "long", "fr", "jetons par jour"),
    ],
)
def test_unit_label(unit: str, plural: bool, style: str, locale: str, expected: str) -> None:
    assert unit_label(unit, plural, style, locale) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("reported", "reported"),
        ("planned", "planned"),
        ("estimated", "estimate"),
        ("announced", "announced"),
        ("intention", "intention (not a commitment)"),
        ("forecast", "forecast"),
    ],
)
def test_status_label(status: str, expected: str) -> None:
    assert status_label(status) == expected


def test_status_label_french_and_unknown() -> None:
    assert status_label("intention", "fr") == "intention (pas un engagement)"
    with pytest.raises(ValueError, match="rumour"):
        status_label("rumour")


@pytest.mark.parametrize(
    ("period", "locale", "expected"),
    [
        ("2026", "en", "2026"),
        ("2026-Q1", "en", "Q1 2026"),
        ("2026-H2", "en", "H2 2026"),
        ("2025-08", "en", "August 2025"),
        ("2025-12-08", "en", "8 December 2025"),
        ("2026-Q1", "fr", "T1 2026"),
        ("2025-08", "fr", "août 2025"),
        ("2025-12-08", "fr", "8 décembre 2025"),
        ("2025-12", "fr", "décembre 2025"),
        ("2026-H2", "fr", "S2 2026"),
    ],
)
def test_period_label(period: str, locale: str, expected: str) -> None:
    assert period_label(period, locale) == expected


@pytest.mark.parametrize("period", ["26", "2026-13", "2026-Q5", "2025-02-30", "2026-Q1-01"])
def test_period_label_rejects_non_periods(period: str) -> None:
    with pytest.raises(ValueError):
        period_label(period)


@pytest.mark.parametrize(
    ("amount", "kind", "long", "short"),
    [
        (Amount.range(15, 17, "dimensionless"), "multiple", "15 à 17 fois", "15–17×"),
        (Amount.point(6.7, "percent"), "change", f"+6,7{NBSP}%", f"+6,7{NBSP}%"),
        (Amount.point(1.0127, "dimensionless"), "ratio-change", f"+1,3{NBSP}%", f"+1,3{NBSP}%"),
        (Amount.point(0.57, "dimensionless"), "share", f"57{NBSP}%", f"57{NBSP}%"),
        (Amount.lower_bound(3, "dimensionless"), "multiple", "plus de 3 fois", "> 3×"),
    ],
)
def test_each_kind_of_figure_in_french(amount: Amount, kind: str, long: str, short: str) -> None:
    assert format_figure(amount, kind, "fr", "long") == long  # type: ignore[arg-type]
    assert format_figure(amount, kind, "fr", "short") == short  # type: ignore[arg-type]
