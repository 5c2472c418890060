"""Units: one spelling per unit, currencies and counts as separate dimensions, exact factors."""

from __future__ import annotations

import pytest

from generator.model.units import (
    UnitError,
    combine,
    conversion_factor,
    currency_powers,
    dimension_name,
    is_currency,
    is_exchange_rate,
    matches_dimension,
    parse_unit,
    registry,
)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("CNY", "CNY"),
        ("USD", "USD"),
        ("EUR", "EUR"),
        ("chip", "chip"),
        ("user", "user"),
        ("rank", "rank"),
        ("token/day", "token/day"),
        ("token / day", "token/day"),
        ("USD/chip", "USD/chip"),
        ("CNY/USD", "CNY/USD"),
        ("percent", "percent"),
        ("token/year", "token/year"),
        ("dimensionless", "dimensionless"),
    ],
)
def test_parse_unit_returns_canonical_text(text, canonical):
    assert parse_unit(text) == canonical


@pytest.mark.parametrize(
    ("text", "hint_part"),
    [
        ("CNYY", "did you mean 'CNY'?"),
        ("cny", "did you mean 'CNY'?"),
        ("tokens/day", "did you mean 'token'?"),
        ("USD/chips", "did you mean 'chip'?"),
        ("%", "did you mean 'percent'?"),
        ("$", "did you mean 'USD'?"),
        ("dollars", "did you mean 'USD'?"),
        ("yuan", "did you mean 'CNY'?"),
        ("", "dimensionless"),
        ("1e9 token", "names joined by '/'"),
        ("d", "known units:"),
    ],
)
def test_unknown_units_are_refused_with_a_hint(text, hint_part):
    with pytest.raises(UnitError) as caught:
        parse_unit(text)
    assert caught.value.code == "unknown-unit"
    assert hint_part in caught.value.hint


def test_unknown_unit_message_names_the_unit():
    with pytest.raises(UnitError) as caught:
        parse_unit("CNYY")
    assert "'CNYY'" in caught.value.message


def test_currency_names_are_ours_not_pint_defaults():
    ureg = registry()
    for code in ("USD", "CNY", "EUR"):
        assert dict(ureg.parse_units(code).dimensionality) == {f"[currency_{code}]": 1}
    assert dict(ureg.parse_units("rank").dimensionality) == {"[rank]": 1}


def test_currencies_are_separate_dimensions():
    with pytest.raises(UnitError) as caught:
        conversion_factor("CNY", "USD")
    assert caught.value.code == "unit-mismatch"
    assert "'CNY' (currency CNY)" in caught.value.message
    assert "'USD' (currency USD)" in caught.value.message
    assert "convert(" in caught.value.hint


def test_counts_are_separate_dimensions():
    with pytest.raises(UnitError) as caught:
        conversion_factor("chip", "user")
    assert caught.value.code == "unit-mismatch"


def test_year_is_julian_so_per_day_to_per_year_is_365_25():
    assert conversion_factor("token/day", "token/year") == pytest.approx(365.25)
    assert conversion_factor("token/year", "token/day") == pytest.approx(1 / 365.25)


def test_percent_is_a_hundredth():
    assert conversion_factor("percent", "dimensionless") == pytest.approx(0.01)
    assert conversion_factor("dimensionless", "percent") == pytest.approx(100)


@pytest.mark.parametrize(
    ("unit", "currency", "rate"),
    [("CNY", True, False), ("USD/chip", False, False), ("CNY/USD", False, True), ("chip", False, False)],
)
def test_currency_and_rate_predicates(unit, currency, rate):
    assert is_currency(unit) is currency
    assert is_exchange_rate(unit) is rate


def test_currency_powers():
    assert currency_powers("CNY/USD") == {"CNY": 1, "USD": -1}
    assert currency_powers("token/day") == {}


@pytest.mark.parametrize(
    ("unit", "name"),
    [
        ("CNY", "currency CNY"),
        ("CNY/USD", "CNY per USD"),
        ("token/day", "token per time"),
        ("USD/chip", "USD per chip"),
        ("percent", "dimensionless"),
    ],
)
def test_dimension_name(unit, name):
    assert dimension_name(unit) == name


@pytest.mark.parametrize(
    ("unit", "dimension", "expected"),
    [
        ("CNY", "currency", True),
        ("EUR", "currency", True),
        ("CNY/USD", "currency", False),
        ("chip", "currency", False),
        ("CNY/USD", "exchange-rate", True),
        ("USD/CNY", "exchange-rate", True),
        ("CNY", "exchange-rate", False),
        ("USD/chip", "exchange-rate", False),
        (None, "event", True),
        ("", "event", True),
        ("chip", "event", False),
        (None, "chip", False),
        ("token/year", "token/day", True),
        ("token", "token/day", False),
        ("USD/chip", "currency/chip", True),
        ("CNY/chip", "currency/chip", True),
        ("CNY/user", "currency/chip", False),
        ("CNY/USD", "currency/chip", False),
        ("percent", "dimensionless", True),
        ("user", "user", True),
        ("chip", "user", False),
    ],
)
def test_matches_dimension(unit, dimension, expected):
    assert matches_dimension(unit, dimension) is expected


def test_matches_dimension_refuses_an_unreadable_dimension():
    with pytest.raises(UnitError) as caught:
        matches_dimension("chip", "chips")
    assert caught.value.code == "unknown-unit"


@pytest.mark.parametrize(
    ("left", "right", "operation", "expected"),
    [
        ("CNY", "CNY/USD", "/", (1.0, "USD")),
        ("USD/chip", "CNY/USD", "*", (1.0, "CNY/chip")),
        ("token/day", "year", "*", (365.25, "token")),
        ("token/day", "token/day", "/", (1.0, "dimensionless")),
        ("USD", "percent", "*", (0.01, "USD")),
        ("percent", "dimensionless", "*", (1.0, "percent")),
        ("chip", "dimensionless", "*", (1.0, "chip")),
    ],
)
def test_combine(left, right, operation, expected):
    factor, unit = combine(left, right, operation)
    assert (pytest.approx(factor), unit) == expected
