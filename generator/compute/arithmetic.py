"""Arithmetic on `Amount`s: intervals carried through, bounds kept in the right direction.

Every operation works on the two ends of each interval (interval arithmetic), so a range stays a
range and "more than 30 trillion" stays a bound. Three rules come on top of plain intervals:

- An end computed from an unknown end is unknown. "more than 30" has an unknown upper end (+inf);
  `50 / (more than 30)` is "less than 1.667" and says nothing about its low end, even though
  mathematically it is above 0. The unknown end keeps that mathematical limit as its value, so
  the interval stays a true (if unstated) enclosure.
- An end that can only be approached, never reached, is strict: "more than 30" + 5 is "more than
  35", while "at least 30" + 5 is "at least 35".
- Units go through pint: CNY / (CNY/USD) is USD; adding CNY to USD is an error, not a number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

from generator.model.errors import CodedError
from generator.model.units import UnitError, combine, conversion_factor, currency_powers, is_exchange_rate, parse_unit
from generator.model.values import Amount, Endpoint

#: Fewest significant figures a derived figure is shown with, however rough its inputs.
MIN_SIGNIFICANT_FIGURES = 2
# Floats carry about 15-17 digits; beyond 15 the digits are noise, not precision.
_MAX_SIGNIFICANT_FIGURES = 15


class ArithmeticProblem(CodedError):
    """An operation that has no meaningful result (unit mismatch, division by zero, overflow)."""


@dataclass(frozen=True)
class _Corner:
    """One candidate end of a product: its value, whether the data states it, whether it is reached."""

    value: float
    known: bool
    reached: bool


def show(amount: Amount) -> str:
    """A short plain-text rendering of an amount for error messages, e.g. 'more than 3e+13 token/day'."""
    low, high = amount.low, amount.high
    unit = "" if amount.unit == "dimensionless" else f" {amount.unit}"
    kind = amount.kind
    if kind == "point":
        return f"{low.value:g}{unit}"
    if kind == "range":
        return f"{low.value:g} to {high.value:g}{unit}"
    if kind == "lower-bound":
        return f"{'more than' if low.strict else 'at least'} {low.value:g}{unit}"
    if kind == "upper-bound":
        return f"{'less than' if high.strict else 'at most'} {high.value:g}{unit}"
    return f"an unknown amount{unit}"


def _reached(end: Endpoint) -> bool:
    """True when the true value can equal this end: stated by the data and not strict."""
    return end.known and not end.strict


def _end(value: float, known: bool, strict: bool) -> Endpoint:
    """An endpoint; an unknown end is never strict (strictness is a claim the data does not make)."""
    return Endpoint(value, known=known, strict=strict and known)


def _times(x: float, y: float) -> float:
    """x * y with 0 * inf = 0, the limit interval arithmetic needs at an unbounded end."""
    if x == 0 or y == 0:
        return 0.0
    return x * y


def _checked(amount: Amount, operation: str) -> Amount:
    """Refuse results a reader cannot use: known infinite ends, or NaN anywhere."""
    for end in (amount.low, amount.high):
        if math.isnan(end.value) or (end.known and not math.isfinite(end.value)):
            raise ArithmeticProblem(
                "non-finite-result",
                f"{operation} gives a value that is not a finite number ({end.value})",
                "check the magnitudes and units of the inputs; a value may be off by many orders",
            )
    return amount


def _convert_into(amount: Amount, unit: str, operation: str) -> Amount:
    """The same amount expressed in `unit`, or ArithmeticProblem('unit-mismatch')."""
    try:
        factor = conversion_factor(amount.unit, unit)
    except UnitError as error:
        raise ArithmeticProblem("unit-mismatch", f"{operation}: {error.message}", error.hint) from None
    return _scaled(amount, factor, unit)


def _scaled(amount: Amount, factor: float, unit: str) -> Amount:
    """Multiply both ends by a positive unit factor, keeping every flag."""
    low = _end(amount.low.value * factor, amount.low.known, amount.low.strict)
    high = _end(amount.high.value * factor, amount.high.known, amount.high.strict)
    return Amount(low, high, unit, amount.approximate)


def _sum(x: Endpoint, y: Endpoint) -> Endpoint:
    """One end of a sum: known when both are, strict when either is."""
    return _end(x.value + y.value, x.known and y.known, x.strict or y.strict)


def add(a: Amount, b: Amount) -> Amount:
    """a + b, with b converted into a's unit first."""
    operation = f"adding {show(b)} to {show(a)}"
    b = _convert_into(b, a.unit, operation)
    result = Amount(_sum(a.low, b.low), _sum(a.high, b.high), a.unit, a.approximate or b.approximate)
    return _checked(result, operation)


def neg(a: Amount) -> Amount:
    """-a: the ends swap, so 'more than 30' becomes 'less than -30'."""
    low = _end(-a.high.value, a.high.known, a.high.strict)
    high = _end(-a.low.value, a.low.known, a.low.strict)
    return Amount(low, high, a.unit, a.approximate)


def sub(a: Amount, b: Amount) -> Amount:
    """a - b: 100 - (more than 30) is less than 70."""
    operation = f"subtracting {show(b)} from {show(a)}"
    b = _convert_into(b, a.unit, operation)
    result = Amount(_sum(a.low, neg(b).low), _sum(a.high, neg(b).high), a.unit, a.approximate or b.approximate)
    return _checked(result, operation)


def _corner(x: Endpoint, y: Endpoint) -> _Corner:
    """The product of one end of each factor; a factor fixed at exactly 0 decides alone."""
    zero_x = x.value == 0 and _reached(x)
    zero_y = y.value == 0 and _reached(y)
    return _Corner(
        value=_times(x.value, y.value),
        known=(x.known and y.known) or zero_x or zero_y,
        reached=(_reached(x) and _reached(y)) or zero_x or zero_y,
    )


def _pick(corners: list[_Corner], value: float) -> Endpoint:
    """The end at `value`: known if any corner giving it is known, strict if none is reached."""
    tied = [corner for corner in corners if corner.value == value]
    known = any(corner.known for corner in tied)
    return _end(value, known, not any(corner.reached for corner in tied))


def _product(a: Amount, b: Amount) -> tuple[Endpoint, Endpoint]:
    """The ends of a * b from the four products of their ends."""
    corners = [_corner(x, y) for x in (a.low, a.high) for y in (b.low, b.high)]
    values = [corner.value for corner in corners]
    if any(math.isnan(value) for value in values):
        return Endpoint(math.nan, known=False), Endpoint(math.nan, known=False)
    return _pick(corners, min(values)), _pick(corners, max(values))


def _combined_unit(a: Amount, b: Amount, operation: str, symbol: str) -> tuple[float, str]:
    """Result unit of a * b or a / b, and the factor that merges units of one dimension."""
    try:
        return combine(a.unit, b.unit, symbol)
    except UnitError as error:
        raise ArithmeticProblem(error.code, f"{operation}: {error.message}", error.hint) from None


def mul(a: Amount, b: Amount) -> Amount:
    """a * b: (more than 30) * (more than 2) is more than 60 for positive values."""
    operation = f"multiplying {show(a)} by {show(b)}"
    factor, unit = _combined_unit(a, b, operation, "*")
    low, high = _product(a, b)
    result = _scaled(Amount(low, high, unit, a.approximate or b.approximate), factor, unit)
    return _checked(result, operation)


def _reciprocal(b: Amount) -> Amount:
    """1 / b for an interval that does not contain or touch zero; 1 / inf is an unknown 0."""
    low = _end(1.0 / b.high.value, b.high.known, b.high.strict)
    high = _end(1.0 / b.low.value, b.low.known, b.low.strict)
    return Amount(low, high, "dimensionless", b.approximate)


def div(a: Amount, b: Amount) -> Amount:
    """a / b, refused when b contains or touches zero (an open end counts as containing it)."""
    operation = f"dividing {show(a)} by {show(b)}"
    if b.low.value <= 0 <= b.high.value:
        raise ArithmeticProblem(
            "division-by-zero",
            f"{operation}: the divisor can be zero (it spans {b.low.value:g} to {b.high.value:g})",
            "divide only by an amount that is surely positive or surely negative",
        )
    factor, unit = _combined_unit(a, b, operation, "/")
    low, high = _product(a, _reciprocal(b))
    result = _scaled(Amount(low, high, unit, a.approximate or b.approximate), factor, unit)
    return _checked(result, operation)


def scale(a: Amount, k: float) -> Amount:
    """a * k for a plain number k (a negative k swaps the ends)."""
    operation = f"multiplying {show(a)} by {k:g}"
    low, high = _product(a, Amount.point(float(k), "dimensionless"))
    return _checked(Amount(low, high, a.unit, a.approximate), operation)


def to_unit(a: Amount, unit: str) -> Amount:
    """The amount in another unit of the same dimension, e.g. token/day -> token/year (x 365.25)."""
    try:
        canonical = parse_unit(unit)
    except UnitError as error:
        raise ArithmeticProblem(error.code, error.message, error.hint) from None
    return _checked(_convert_into(a, canonical, f"converting {show(a)} to {canonical}"), "conversion")


def convert(amount: Amount, rate: Amount, target: str, rate_name: str = "the rate") -> Amount:
    """Amount in currency `target` at an exchange rate: amount / rate or amount * rate, whichever fits.

    A rate in CNY/USD turns CNY into USD by division and USD/chip into CNY/chip by multiplication.
    """
    if not is_exchange_rate(rate.unit):
        raise ArithmeticProblem(
            "not-an-exchange-rate",
            f"converting needs an exchange rate, but {rate_name} is in '{rate.unit}'",
            "refer to a fact whose unit is one currency per another, e.g. CNY/USD",
        )
    for operation in (div, mul):
        result = operation(amount, rate)
        if currency_powers(result.unit) == {target: 1}:
            return result
    raise ArithmeticProblem(
        "unit-mismatch",
        f"cannot convert '{amount.unit}' into {target} with {rate_name} in '{rate.unit}'",
        f"use a rate between {target} and the currency of the amount",
    )


def significant_figures(literal: float | int | str) -> int:
    """Significant digits of a number as written: 160e9 -> 2, 157e6 -> 3, 20000 -> 1, 6.96 -> 3.

    Trailing zeros of a whole number are not counted (20000 -> 1); a string keeps the zeros
    written after a decimal point ("1.50" -> 3), a float cannot (1.50 == 1.5 -> 2).
    """
    if isinstance(literal, str):
        mantissa = literal.strip().lstrip("+-").lower().split("e")[0]
        if "." in mantissa:
            digits = mantissa.replace(".", "").lstrip("0")
            return max(len(digits), 1)
        return max(len(mantissa.lstrip("0").rstrip("0")), 1)
    if not math.isfinite(literal):
        raise ValueError(f"{literal} has no significant figures")
    if literal == 0:
        return 1
    # repr() is the shortest text that reads back as the same float, i.e. the number as written.
    return len(Decimal(repr(float(literal))).normalize().as_tuple().digits)


def justified_figures(literals: Iterable[float | int | str]) -> int:
    """Significant figures a result deserves: the fewest among its inputs, never below 2."""
    counts = [significant_figures(literal) for literal in literals]
    return max(min(counts, default=MIN_SIGNIFICANT_FIGURES), MIN_SIGNIFICANT_FIGURES)


def _round(value: float, sig: int, rounding: str) -> float:
    """value rounded to sig significant figures in the given Decimal rounding mode."""
    if value == 0 or not math.isfinite(value):
        return value

    def quantize(number: Decimal, figures: int, mode: str) -> Decimal:
        exponent = number.adjusted() - figures + 1
        return number.quantize(Decimal(1).scaleb(exponent), rounding=mode)

    # First drop float noise (60.000000000000007 must not round up to 61), then round for real.
    clean = quantize(Decimal(repr(value)), _MAX_SIGNIFICANT_FIGURES - 3, ROUND_HALF_EVEN)
    return float(quantize(clean, sig, rounding))


def round_amount(a: Amount, sig: int) -> Amount:
    """Round the known ends to `sig` significant figures (at least 2); a bound rounds outward.

    Rule: a derived figure is shown with as many significant figures as its least precise input
    (see `justified_figures`), never fewer than 2. Points and the ends of a range round to nearest,
    as a reader checking the arithmetic expects (400/23 = 17.39 -> 17). The known end of a bound
    rounds outward (a lower bound down, an upper bound up), so "less than 0.6642" becomes "less
    than 0.67", never "less than 0.66": a bound is a claim, and rounding must keep it true. A
    range whose ends would round to the same number rounds outward, so it stays a range.
    """
    sig = min(max(sig, MIN_SIGNIFICANT_FIGURES), _MAX_SIGNIFICANT_FIGURES)
    kind = a.kind
    low, high = a.low, a.high
    if low.known:
        mode = ROUND_FLOOR if kind == "lower-bound" else ROUND_HALF_EVEN
        low = Endpoint(_round(low.value, sig, mode), strict=low.strict)
    if high.known:
        mode = ROUND_CEILING if kind == "upper-bound" else ROUND_HALF_EVEN
        high = Endpoint(_round(high.value, sig, mode), strict=high.strict)
    if kind == "range" and low.value == high.value:
        # A range must not collapse into a point: keep its width by rounding outward instead.
        low = Endpoint(_round(a.low.value, sig, ROUND_FLOOR), strict=a.low.strict)
        high = Endpoint(_round(a.high.value, sig, ROUND_CEILING), strict=a.high.strict)
    return Amount(low, high, a.unit, a.approximate)
