"""The one value model: a point, a range or a bound, with its unit and approximate flag.

Every fact value and every derived result is an `Amount`. Pages, charts, CSV and JSON
all read it through the same properties, so a range stays a range and "more than"
stays a bound everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Kind = Literal["point", "range", "lower-bound", "upper-bound", "unknown"]


@dataclass(frozen=True)
class Endpoint:
    """One end of an interval.

    `known` is False when the data says nothing about this end (the open end of
    "more than 30 trillion", or anything computed from it); then `value` is the
    mathematical limit (±inf, or a value such as -1 reached only through the unknown end).
    `strict` is True when the end is excluded ("more than" rather than "at least").
    """

    value: float
    known: bool = True
    strict: bool = False


UNKNOWN_LOW = Endpoint(-math.inf, known=False)
UNKNOWN_HIGH = Endpoint(math.inf, known=False)


@dataclass(frozen=True)
class Amount:
    """A quantity as the source gives it: an interval whose ends may be unknown."""

    low: Endpoint
    high: Endpoint
    unit: str
    approximate: bool = False

    @classmethod
    def point(cls, value: float, unit: str, approximate: bool = False) -> Amount:
        """A single value."""
        return cls(Endpoint(value), Endpoint(value), unit, approximate)

    @classmethod
    def range(cls, low: float, high: float, unit: str, approximate: bool = False) -> Amount:
        """A closed range low..high."""
        return cls(Endpoint(low), Endpoint(high), unit, approximate)

    @classmethod
    def lower_bound(cls, value: float, unit: str, strict: bool = True, approximate: bool = False) -> Amount:
        """'more than value' (strict) or 'at least value'."""
        return cls(Endpoint(value, strict=strict), UNKNOWN_HIGH, unit, approximate)

    @classmethod
    def upper_bound(cls, value: float, unit: str, strict: bool = True, approximate: bool = False) -> Amount:
        """'less than value' (strict) or 'at most value'."""
        return cls(UNKNOWN_LOW, Endpoint(value, strict=strict), unit, approximate)

    @property
    def kind(self) -> Kind:
        """point, range, lower-bound, upper-bound, or unknown (neither end known)."""
        if self.low.known and self.high.known:
            return "point" if self.low.value == self.high.value else "range"
        if self.low.known:
            return "lower-bound"
        if self.high.known:
            return "upper-bound"
        return "unknown"

    @property
    def central(self) -> float | None:
        """The value to plot as a single mark: the point, a range's midpoint, a bound's limit."""
        if self.kind == "point":
            return self.low.value
        if self.kind == "range":
            return (self.low.value + self.high.value) / 2
        if self.kind == "lower-bound":
            return self.low.value
        if self.kind == "upper-bound":
            return self.high.value
        return None
