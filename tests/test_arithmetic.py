"""Interval arithmetic on Amounts: true values stay inside, unknown ends stay unknown, units hold."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.compute.arithmetic import (
    ArithmeticProblem,
    add,
    convert,
    div,
    justified_figures,
    mul,
    neg,
    round_amount,
    scale,
    significant_figures,
    sub,
    to_unit,
)
from generator.model.values import UNKNOWN_HIGH, UNKNOWN_LOW, Amount, Endpoint

ONE = Amount.point(1, "dimensionless")


# --- hand-computed cases -------------------------------------------------------------------------


def test_growth_from_a_lower_bound_is_an_upper_bound_with_unknown_low_end():
    october = Amount.lower_bound(30e12, "token/day")  # "more than 30 trillion"
    december = Amount.point(50e12, "token/day")
    growth = sub(div(december, october), ONE)
    assert growth.kind == "upper-bound"
    assert growth.unit == "dimensionless"
    assert growth.high.value == pytest.approx(2 / 3)
    assert growth.high.strict is True
    assert growth.low.known is False
    assert growth.low.value == pytest.approx(-1)  # the mathematical limit, kept but not stated
    assert to_unit(growth, "percent").high.value == pytest.approx(66.6667, rel=1e-5)


def test_lower_bound_plus_point():
    result = add(Amount.lower_bound(30, "chip"), Amount.point(5, "chip"))
    assert (result.kind, result.low.value, result.low.strict) == ("lower-bound", 35, True)


def test_non_strict_bound_stays_non_strict():
    result = add(Amount.lower_bound(30, "chip", strict=False), Amount.point(5, "chip"))
    assert (result.kind, result.low.value, result.low.strict) == ("lower-bound", 35, False)


def test_point_minus_lower_bound_is_upper_bound():
    result = sub(Amount.point(100, "chip"), Amount.lower_bound(30, "chip"))
    assert (result.kind, result.high.value, result.high.strict) == ("upper-bound", 70, True)


def test_product_of_positive_lower_bounds():
    result = mul(Amount.lower_bound(30, "chip"), Amount.lower_bound(2, "dimensionless"))
    assert (result.kind, result.low.value, result.low.strict, result.unit) == ("lower-bound", 60, True, "chip")


def test_product_with_a_range_spanning_zero_is_unknown():
    result = mul(Amount.lower_bound(30, "chip"), Amount.range(-1, 2, "dimensionless"))
    assert result.kind == "unknown"


def test_zero_times_unbounded_is_zero_and_reached():
    result = mul(Amount.range(0, 1, "dimensionless"), Amount.lower_bound(1, "chip", strict=False))
    assert (result.kind, result.low.value, result.low.strict) == ("lower-bound", 0, False)


def test_ratio_of_range_to_converted_point():
    us_big_four = Amount.range(350e9, 400e9, "USD")
    bytedance_usd = div(Amount.point(160e9, "CNY"), Amount.point(6.96, "CNY/USD", approximate=True))
    assert bytedance_usd.unit == "USD"
    assert bytedance_usd.low.value == pytest.approx(22.988505747e9)
    ratio = div(us_big_four, bytedance_usd)
    assert ratio.kind == "range"
    assert ratio.unit == "dimensionless"
    assert ratio.approximate is True
    assert (ratio.low.value, ratio.high.value) == (pytest.approx(15.225), pytest.approx(17.4))
    assert not ratio.low.strict and not ratio.high.strict


def test_budget_growth_point():
    growth = sub(div(Amount.point(160e9, "CNY"), Amount.point(150e9, "CNY")), ONE)
    assert growth.kind == "point"
    assert growth.low.value == pytest.approx(1 / 15)


def test_adding_converts_into_the_first_unit():
    result = add(Amount.point(1, "token/day"), Amount.point(365.25, "token/year"))
    assert result.unit == "token/day"
    assert result.low.value == pytest.approx(2)


def test_adding_two_currencies_is_a_unit_mismatch():
    with pytest.raises(ArithmeticProblem) as caught:
        add(Amount.point(1, "CNY"), Amount.point(1, "USD"))
    assert caught.value.code == "unit-mismatch"
    assert "CNY" in caught.value.message and "USD" in caught.value.message


def test_subtracting_a_count_from_a_currency_is_a_unit_mismatch():
    with pytest.raises(ArithmeticProblem) as caught:
        sub(Amount.point(1, "CNY"), Amount.point(1, "chip"))
    assert caught.value.code == "unit-mismatch"


@pytest.mark.parametrize(
    "divisor",
    [
        Amount.point(0, "chip"),
        Amount.range(-1, 1, "chip"),
        Amount.range(0, 5, "chip"),
        Amount.lower_bound(0, "chip", strict=True),
        Amount.upper_bound(5, "chip"),
        Amount(UNKNOWN_LOW, UNKNOWN_HIGH, "chip"),
    ],
)
def test_division_by_an_interval_touching_zero(divisor):
    with pytest.raises(ArithmeticProblem) as caught:
        div(Amount.point(1, "chip"), divisor)
    assert caught.value.code == "division-by-zero"


def test_overflow_is_a_non_finite_result():
    with pytest.raises(ArithmeticProblem) as caught:
        mul(Amount.point(1e200, "chip"), Amount.point(1e200, "dimensionless"))
    assert caught.value.code == "non-finite-result"


def test_neg_swaps_ends_and_flags():
    result = neg(Amount.lower_bound(30, "chip"))
    assert (result.kind, result.high.value, result.high.strict) == ("upper-bound", -30, True)


def test_scale_by_negative_swaps_ends():
    result = scale(Amount.range(1, 2, "chip"), -2)
    assert (result.low.value, result.high.value, result.unit) == (-4, -2, "chip")


def test_to_unit_per_day_to_per_year():
    result = to_unit(Amount.lower_bound(30e12, "token/day"), "token/year")
    assert (result.kind, result.unit) == ("lower-bound", "token/year")
    assert result.low.value == pytest.approx(30e12 * 365.25)


def test_to_unit_refuses_other_dimension():
    with pytest.raises(ArithmeticProblem) as caught:
        to_unit(Amount.point(1, "CNY"), "USD")
    assert caught.value.code == "unit-mismatch"


def test_convert_picks_division_or_multiplication():
    rate = Amount.point(7, "CNY/USD", approximate=True)
    in_usd = convert(Amount.range(70, 140, "CNY"), rate, "USD")
    assert (in_usd.unit, in_usd.low.value, in_usd.high.value, in_usd.approximate) == ("USD", 10, 20, True)
    per_chip = convert(Amount.lower_bound(2, "USD/chip"), rate, "CNY")
    assert (per_chip.kind, per_chip.unit, per_chip.low.value) == ("lower-bound", "CNY/chip", 14)


def test_convert_refuses_a_rate_that_is_not_one():
    with pytest.raises(ArithmeticProblem) as caught:
        convert(Amount.point(1, "CNY"), Amount.point(7, "CNY"), "USD", "{budget}")
    assert caught.value.code == "not-an-exchange-rate"
    assert "{budget}" in caught.value.message


def test_approximate_propagates():
    assert add(Amount.point(1, "chip", approximate=True), Amount.point(1, "chip")).approximate
    assert not add(Amount.point(1, "chip"), Amount.point(1, "chip")).approximate


# --- significant figures and rounding ------------------------------------------------------------


@pytest.mark.parametrize(
    ("literal", "count"),
    [(160e9, 2), (157e6, 3), (20000, 1), (6.96, 3), (0.5, 1), (43e12, 2), (0, 1), ("1.50", 3), ("0.050", 2)],
)
def test_significant_figures(literal, count):
    assert significant_figures(literal) == count


def test_justified_figures_is_the_minimum_but_at_least_two():
    assert justified_figures([157e6, 6.96]) == 3
    assert justified_figures([160e9, 6.96]) == 2
    assert justified_figures([20000, 6.96]) == 2


def test_round_point_to_nearest():
    rounded = round_amount(Amount.point(1 / 15, "dimensionless"), 2)
    assert rounded.low.value == rounded.high.value == 0.067


def test_round_upper_bound_outward_and_keep_strictness():
    rounded = round_amount(Amount.upper_bound(0.6642, "dimensionless"), 2)
    assert (rounded.high.value, rounded.high.strict, rounded.low.known) == (0.67, True, False)


def test_round_lower_bound_outward():
    assert round_amount(Amount.lower_bound(0.6678, "dimensionless"), 2).low.value == 0.66


def test_round_range_to_nearest():
    rounded = round_amount(Amount.range(15.225, 17.4, "dimensionless"), 2)
    assert (rounded.low.value, rounded.high.value) == (15, 17)


def test_round_range_never_collapses_to_a_point():
    rounded = round_amount(Amount.range(15.21, 15.29, "dimensionless"), 2)
    assert (rounded.kind, rounded.low.value, rounded.high.value) == ("range", 15, 16)


def test_round_ignores_float_noise():
    assert round_amount(Amount.upper_bound(60.000000000000007, "chip"), 2).high.value == 60


def test_round_never_below_two_figures():
    assert round_amount(Amount.point(0.06666, "dimensionless"), 1).low.value == 0.067


# --- properties ----------------------------------------------------------------------------------

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
width = st.floats(min_value=0, max_value=1e6)
positive_width = st.floats(min_value=1e-3, max_value=1e6)


@st.composite
def amount_and_value(draw, unit="chip", positive=False, kinds=("point", "range", "lower", "upper", "unknown")):
    """An amount and a true value drawn inside it."""
    kind = draw(st.sampled_from(kinds))
    low = draw(st.floats(min_value=1e-3, max_value=1e6)) if positive else draw(finite)
    strict = draw(st.booleans())
    if kind == "point":
        return Amount.point(low, unit), low
    if kind == "range":
        high = low + draw(width)
        return Amount.range(low, high, unit), low + draw(st.floats(0, 1)) * (high - low)
    if kind == "lower":
        step = draw(positive_width if strict else width)
        return Amount.lower_bound(low, unit, strict=strict), low + step
    if kind == "upper":
        step = draw(positive_width if strict else width)
        return Amount.upper_bound(low, unit, strict=strict), low - step
    return Amount(UNKNOWN_LOW, UNKNOWN_HIGH, unit), low


def assert_inside(result: Amount, true: float) -> None:
    """The true value respects every known end, and the mathematical limits of unknown ends."""
    ends = [abs(end.value) for end in (result.low, result.high) if math.isfinite(end.value)]
    tolerance = 1e-9 * max([1.0, abs(true), *ends])
    assert result.low.value <= true + tolerance
    assert true <= result.high.value + tolerance
    for end in (result.low, result.high):
        assert not end.known or math.isfinite(end.value)
        assert end.known or not end.strict


def expected_kind(low_known: bool, high_known: bool, result: Amount) -> str:
    """The kind the known-ness of the ends implies."""
    if low_known and high_known:
        return "point" if result.low.value == result.high.value else "range"
    return {(True, False): "lower-bound", (False, True): "upper-bound"}.get((low_known, high_known), "unknown")


@settings(max_examples=300)
@given(amount_and_value(), amount_and_value())
def test_add_encloses_and_has_expected_kind(left, right):
    (a, x), (b, y) = left, right
    result = add(a, b)
    assert_inside(result, x + y)
    assert result.kind == expected_kind(a.low.known and b.low.known, a.high.known and b.high.known, result)


@settings(max_examples=300)
@given(amount_and_value(), amount_and_value())
def test_sub_encloses_and_has_expected_kind(left, right):
    (a, x), (b, y) = left, right
    result = sub(a, b)
    assert_inside(result, x - y)
    assert result.kind == expected_kind(a.low.known and b.high.known, a.high.known and b.low.known, result)


@settings(max_examples=300)
@given(amount_and_value(), amount_and_value(unit="dimensionless"))
def test_mul_encloses(left, right):
    (a, x), (b, y) = left, right
    assert_inside(mul(a, b), x * y)


@settings(max_examples=300)
@given(
    amount_and_value(positive=True, kinds=("point", "range", "lower")),
    amount_and_value(unit="dimensionless", positive=True, kinds=("point", "range", "lower")),
)
def test_mul_of_positive_amounts_has_expected_kind(left, right):
    (a, _), (b, _) = left, right
    result = mul(a, b)
    assert result.kind == expected_kind(a.low.known and b.low.known, a.high.known and b.high.known, result)


@settings(max_examples=300)
@given(
    amount_and_value(),
    amount_and_value(unit="dimensionless", positive=True, kinds=("point", "range", "lower")),
    st.booleans(),
)
def test_div_encloses(left, right, negative):
    (a, x), (b, y) = left, right
    if negative:
        b, y = neg(b), -y
    result = div(a, b)
    assert result.unit == "chip"
    assert_inside(result, x / y)


@settings(max_examples=300)
@given(
    amount_and_value(positive=True, kinds=("point", "range", "lower")),
    amount_and_value(unit="dimensionless", positive=True, kinds=("point", "range", "lower")),
)
def test_div_of_positive_amounts_has_expected_kind(left, right):
    (a, _), (b, _) = left, right
    result = div(a, b)
    assert result.kind == expected_kind(a.low.known and b.high.known, a.high.known and b.low.known, result)


@settings(max_examples=300)
@given(
    amount_and_value(positive=True),
    amount_and_value(positive=True, kinds=("point", "range", "lower")),
    amount_and_value(unit="dimensionless"),
)
def test_chained_operations_enclose(first, second, third):
    """Unknown ends with finite limits (like the -1 of a growth) must still enclose later results."""
    (a, x), (b, y), (c, z) = first, second, third
    growth = sub(div(a, b), ONE)
    assert_inside(growth, x / y - 1)
    assert_inside(mul(growth, c), (x / y - 1) * z)
    assert_inside(add(neg(growth), c), -(x / y - 1) + z)


@given(amount_and_value(), st.floats(min_value=-1e3, max_value=1e3))
def test_scale_encloses(left, k):
    a, x = left
    assert_inside(scale(a, k), x * k)


@given(amount_and_value(kinds=("range", "lower", "upper")), st.integers(min_value=2, max_value=6))
def test_rounded_bounds_still_enclose(left, sig):
    a, x = left
    assume(a.kind != "point")
    rounded = round_amount(a, sig)
    if a.kind in ("lower-bound", "upper-bound"):
        assert_inside(rounded, x)
    assert rounded.kind == a.kind


def test_strict_end_from_a_zero_fixed_factor_is_reached():
    """0 (exactly) times anything is 0: that end is reached, so it is not strict."""
    result = mul(Amount.point(0, "dimensionless"), Amount.lower_bound(3, "chip"))
    assert result.low == Endpoint(0.0) and result.high == Endpoint(0.0)
