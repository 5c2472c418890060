"""Units of facts and derived figures: parsing, dimensions and conversion factors, backed by pint.

Contributors write units as short expressions (`CNY`, `token/day`, `USD/chip`, `CNY/USD`). Each
currency is its own base dimension and each counted thing (chip, user, token, rank) its own too,
so pint refuses to add CNY to USD or chips to users. Only the names in `KNOWN_UNITS` are accepted,
spelled one way, so the same unit never appears under two spellings on the site.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import cast

import pint

from generator.model import paths
from generator.model.errors import CodedError
from generator.model.hints import UNIT_ALIASES, did_you_mean
from generator.model.limits import MAX_UNIT_CHARS, MAX_UNIT_NESTING, MAX_UNIT_POWER

DEFINITIONS = paths.UNIT_DEFINITIONS

#: Currencies, each a separate base dimension (defined in units.txt).
CURRENCIES = ("USD", "CNY", "EUR")
#: Counted things, each a separate base dimension (defined in units.txt).
COUNTS = ("chip", "user", "token", "rank")
#: Time units from pint's defaults. pint's `year` is the Julian year of 365.25 days.
TIMES = ("hour", "day", "week", "month", "year")
#: Every unit name a contributor may write, in the one spelling accepted.
KNOWN_UNITS = CURRENCIES + COUNTS + TIMES + ("percent", "dimensionless")

#: Dimension words a metric may declare besides a unit expression.
DIMENSION_WORDS = ("currency", "exchange-rate", "event")

_NAME = re.compile(r"[A-Za-z_]+")
# Names, the two operators and parentheses: no numbers, powers or symbols such as '%'.
_ALLOWED_TEXT = re.compile(r"^[A-Za-z_\s/*()]*$")
_POWER = re.compile(r"(\*\*|\^)\s*-?[0-9]+")
_CURRENCY_DIMENSION = re.compile(r"^\[currency_([A-Z]{3})\]$")


class UnitError(CodedError):
    """A unit that cannot be parsed, or two units that cannot be combined; carries a stable code."""


@functools.cache
def registry() -> pint.UnitRegistry:
    """The one unit registry: pint's defaults plus our currencies and counts from units.txt."""
    ureg: pint.UnitRegistry = pint.UnitRegistry()
    # Our names must be new to pint; otherwise a default meaning would silently win or clash.
    clashes = [name for name in CURRENCIES + COUNTS if name in ureg]
    if clashes:
        raise RuntimeError(f"pint already defines {clashes}; rename them in {DEFINITIONS.name}")
    ureg.load_definitions(str(DEFINITIONS))
    return ureg


def _suggest(name: str) -> str:
    """A 'did you mean' hint for an unknown unit name, compared case-insensitively."""

    return did_you_mean(name, KNOWN_UNITS, UNIT_ALIASES) or "known units: " + ", ".join(KNOWN_UNITS)


def _alias_hint(text: str) -> str:
    """'did you mean USD?' for a word or sign written instead of a unit name ($, %, dollars)."""

    meant = UNIT_ALIASES.get(text.strip().lower())
    return f"did you mean '{meant}'?" if meant else ""


def _check_size(text: str) -> None:
    """Refuse a unit expression pint cannot be trusted with: too long, too deeply nested, too high a power.

    pint's parser recurses once per term and per parenthesis (thousands of either exhaust the
    stack) and turns a power such as `day**99999` into an integer too large for a float.
    """
    if len(text) > MAX_UNIT_CHARS:
        raise UnitError(
            "unit-too-long",
            f"unit '{text[:40]}...' is {len(text):,} characters long, more than the limit of {MAX_UNIT_CHARS}",
            "write the unit as a few names joined by '/' or '*', for example 'token/day'",
        )
    depth = deepest = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_UNIT_NESTING:
        raise UnitError(
            "unit-too-deep",
            f"unit '{_short(text)}' nests parentheses {deepest} deep, more than the limit of {MAX_UNIT_NESTING}",
            "remove the extra parentheses, for example 'USD/(chip*day)'",
        )
    for match in _POWER.finditer(text):
        power = int(re.sub(r"[^0-9-]", "", match.group(0)))
        if abs(power) > MAX_UNIT_POWER:
            raise UnitError(
                "unit-power-too-large",
                f"unit '{_short(text)}' raises a unit to the power {power}, more than the limit of {MAX_UNIT_POWER}",
                "no quantity here needs such a power: check the unit",
            )


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


@functools.lru_cache(maxsize=4096)  # pure and hot: called for every fact and formula node
def _units(text: str) -> pint.Unit:
    """Parse a unit expression made only of known names, or raise UnitError('unknown-unit')."""
    if not text or not text.strip():
        raise UnitError("unknown-unit", "the unit is empty", "write 'dimensionless' for a pure number")
    _check_size(text)
    # Integer powers are allowed only after '**' or '^' (pint writes a combined unit as USD**2/CNY).
    without_powers = _POWER.sub("", text)
    if not _ALLOWED_TEXT.match(without_powers):
        bad = next(ch for ch in without_powers if not _ALLOWED_TEXT.match(ch))
        raise UnitError(
            "unknown-unit",
            f"unit '{text}' contains '{bad}', which a unit cannot contain",
            _alias_hint(text) or "write units as names joined by '/' or '*', for example 'token/day' or 'USD/chip'",
        )
    for name in _NAME.findall(text):
        if name not in KNOWN_UNITS:
            raise UnitError("unknown-unit", f"unit '{name}' is not known (in '{text}')", _suggest(name))
    try:
        return registry().parse_units(text)
    except (pint.errors.PintError, SyntaxError, TypeError, ValueError) as error:
        raise UnitError(
            "unknown-unit",
            f"unit '{text}' cannot be read: {error}",
            "write units as names joined by '/' or '*', for example 'token/day' or 'USD/chip'",
        ) from None


def format_unit(unit: pint.Unit) -> str:
    """The canonical text of a pint unit, e.g. 'token/day'; 'dimensionless' for a pure number."""
    text = f"{unit:C}"
    return text or "dimensionless"


@functools.lru_cache(maxsize=4096)  # pure and hot: called for every fact and formula node
def parse_unit(text: str) -> str:
    """Check a contributor's unit and return its canonical text, or raise UnitError('unknown-unit')."""
    return format_unit(_units(text))


def _dimensionality(unit: str) -> dict[str, float]:
    """The unit's dimensions and powers, e.g. {'[token]': 1, '[time]': -1}."""
    # pint types powers as any scalar (complex, Decimal, ...); unit expressions only ever have real ones.
    return dict(cast("Mapping[str, float]", _units(unit).dimensionality))


def _currencies(dimensions: dict[str, float]) -> dict[str, float]:
    """The currency codes among these dimensions, with their powers."""
    found = {}
    for dimension, power in dimensions.items():
        match = _CURRENCY_DIMENSION.match(dimension)
        if match:
            found[match.group(1)] = power
    return found


def currency_powers(unit: str) -> dict[str, float]:
    """The currencies in a unit with their powers, e.g. 'CNY/USD' -> {'CNY': 1, 'USD': -1}."""
    return _currencies(_dimensionality(unit))


def is_currency(unit: str) -> bool:
    """True when the unit is exactly one currency to the power 1 (CNY, USD, EUR)."""
    dimensions = _dimensionality(unit)
    return len(dimensions) == 1 and list(_currencies(dimensions).values()) == [1]


def is_exchange_rate(unit: str) -> bool:
    """True when the unit is one currency per another, different, currency (e.g. CNY/USD)."""
    dimensions = _dimensionality(unit)
    powers = sorted(_currencies(dimensions).values())
    return len(dimensions) == 2 and powers == [-1, 1]


def _dimension_word(dimension: str) -> str:
    """'[currency_CNY]' -> 'CNY', '[time]' -> 'time'."""
    match = _CURRENCY_DIMENSION.match(dimension)
    return match.group(1) if match else dimension.strip("[]")


def dimension_name(unit: str) -> str:
    """The unit's dimension in words for messages, e.g. 'token per time' or 'CNY per USD'."""
    dimensions = _dimensionality(unit)
    if not dimensions:
        return "dimensionless"

    def part(items: list[tuple[str, float]]) -> str:
        words = []
        for dimension, power in items:
            power = abs(power)
            exponent = "" if power == 1 else f"^{power:g}"
            words.append(_dimension_word(dimension) + exponent)
        return " × ".join(words)

    if is_currency(unit):
        return f"currency {_dimension_word(next(iter(dimensions)))}"
    above = sorted((d, p) for d, p in dimensions.items() if p > 0)
    below = sorted((d, p) for d, p in dimensions.items() if p < 0)
    if not below:
        return part(above)
    return f"{part(above) if above else '1'} per {part(below)}"


def check_dimension(dimension: str) -> None:
    """Raise UnitError('unknown-unit') when a metric's declared dimension is not readable."""
    if dimension in DIMENSION_WORDS:
        return
    for currency in CURRENCIES[:1]:
        _units(re.sub(r"\bcurrency\b", currency, dimension))


@functools.lru_cache(maxsize=4096)  # pure and hot: called for every fact and formula node
def matches_dimension(unit: str | None, dimension: str) -> bool:
    """True when a fact's unit fits the dimension its metric declares.

    The dimension is 'currency' (any one currency), 'exchange-rate' (one currency per another),
    'event' (no unit at all), or a unit expression whose dimensions must equal the unit's; inside
    an expression the word 'currency' stands for any one currency, e.g. 'currency/chip'.
    """
    if dimension == "event":
        return not unit
    if not unit:
        return False
    if dimension == "currency":
        return is_currency(unit)
    if dimension == "exchange-rate":
        return is_exchange_rate(unit)
    check_dimension(dimension)
    actual = _dimensionality(unit)
    if not re.search(r"\bcurrency\b", dimension):
        return actual == _dimensionality(dimension)
    return any(actual == _dimensionality(re.sub(r"\bcurrency\b", currency, dimension)) for currency in CURRENCIES)


@functools.lru_cache(maxsize=4096)  # pure and hot: called for every fact and formula node
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """The number to multiply a value in `from_unit` by to express it in `to_unit`.

    Raises UnitError('unit-mismatch') when the dimensions differ, e.g. CNY to USD, which needs a
    rate fact and convert(), not a unit conversion.
    """
    source, target = _units(from_unit), _units(to_unit)
    try:
        return float(registry().Quantity(1.0, source).to(target).magnitude)
    except pint.DimensionalityError:
        raise UnitError(
            "unit-mismatch",
            f"cannot convert '{from_unit}' ({dimension_name(from_unit)}) to '{to_unit}' ({dimension_name(to_unit)})",
            'between currencies use convert(amount, {rate-fact-id}, "CUR") with an exchange-rate fact'
            if is_currency(from_unit) and is_currency(to_unit)
            else "the two units measure different things; check the formula and the declared unit",
        ) from None


@functools.lru_cache(maxsize=4096)  # pure and hot: called for every fact and formula node
def combine(left: str, right: str, operation: str) -> tuple[float, str]:
    """Unit of `left * right` or `left / right` and the factor to apply to the number.

    Units of the same dimension are merged (token/day × year -> 365.25 token); a percent met with
    a unit of another dimension becomes a plain fraction (USD × percent -> 0.01 USD).
    """
    ureg = registry()
    quantity_left = ureg.Quantity(1.0, _units(left))
    quantity_right = ureg.Quantity(1.0, _units(right))
    if quantity_left.dimensionless != quantity_right.dimensionless:
        # Keep 'percent' only where the result is itself a ratio; 'USD*percent' helps no reader.
        quantity_left = quantity_left.to("dimensionless") if quantity_left.dimensionless else quantity_left
        quantity_right = quantity_right.to("dimensionless") if quantity_right.dimensionless else quantity_right
    if operation == "*":
        result = quantity_left * quantity_right
    elif operation == "/":
        result = quantity_left / quantity_right
    else:
        raise ValueError(f"operation must be '*' or '/', not {operation!r}")
    if result.units != ureg.percent:
        result = result.to_reduced_units()
    return float(result.magnitude), format_unit(result.units)
