"""The one percent convention: `percent` is the per-cent scale, `dimensionless` the fraction scale.

- `unit: percent` holds per cent: 50 means 50 %, 0.5 means half of one per cent.
- `unit: dimensionless` holds a plain ratio: 0.5 means a half (shown as 50 %), 2 means twice.

Facts, derived figures and checks all use it, and `arithmetic.to_unit` converts between the two
(0.5 dimensionless is 50 percent). A number written on the wrong scale is an error that names the
scale: a fact whose quote says "50%" but whose value is 0.5 percent, or a check whose expected
value only fits its computed result on the other scale.
"""

from __future__ import annotations

import math
import re

#: What each scale means, as the hints say it.
SCALES = {
    "percent": "`percent` is the per-cent scale: 50 means 50 %",
    "dimensionless": "`dimensionless` is the fraction scale: 0.5 means 50 %",
}
_QUOTED = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:%|per\s?cent\b|percent\b|pour\s?cent\b)", re.IGNORECASE)


def quoted_percentages(text: str) -> list[float]:
    """The numbers a text gives in per cent ("57%", "53 %", "12,5 pour cent", "50 per cent")."""
    return [float(m.group(1).replace(",", ".")) for m in _QUOTED.finditer(text)]


def _among(value: float, candidates: list[float]) -> bool:
    return any(math.isclose(value, c, rel_tol=1e-9, abs_tol=1e-12) for c in candidates)


def fact_scale_problem(unit: str | None, numbers: list[float], quote: str) -> tuple[str, str] | None:
    """(message, hint) when a fact's value is its quoted percentage written on the wrong scale, else None."""
    if unit not in SCALES or not numbers:
        return None
    quoted = quoted_percentages(quote)
    if not quoted:
        return None
    if (
        unit == "percent"
        and not any(_among(n, quoted) for n in numbers)
        and all(_among(n * 100, quoted) for n in numbers)
    ):
        shown = ", ".join(f"{n:g}" for n in numbers)
        said = ", ".join(f"{n * 100:g}" for n in numbers)
        return (
            f"the value {shown} percent is the quote's {said} % written as a fraction",
            f"{SCALES['percent']}: write {said}, or keep {shown} with `unit: dimensionless`",
        )
    if unit == "dimensionless" and all(_among(n, quoted) for n in numbers) and any(abs(n) > 1 for n in numbers):
        shown = ", ".join(f"{n:g}" for n in numbers)
        return (
            f"the value {shown} is the quote's per-cent figure in a fraction unit",
            f"{SCALES['dimensionless']}: write {', '.join(f'{n / 100:g}' for n in numbers)}, "
            f"or keep {shown} with `unit: percent`",
        )
    return None


def check_scale_problem(
    unit: str, approximately: float, tolerance: float, low: float, high: float
) -> tuple[str, str] | None:
    """(message, hint) when a check's expected value misses its result on the check's scale but fits it on the
    other one (0.5 expected of a result of 57 percent), else None."""
    if unit not in SCALES:
        return None
    near = lambda lo, hi: lo <= approximately + tolerance and hi >= approximately - tolerance  # noqa: E731
    if near(low, high):
        return None
    factor = 0.01 if unit == "percent" else 100.0
    if not near(low * factor, high * factor):
        return None
    other = "dimensionless" if unit == "percent" else "percent"
    written = f"{approximately * (100 if unit == 'percent' else 0.01):g}"
    return (
        f"the expected value {approximately:g} fits the result only on the {other} scale",
        f"{SCALES[unit]}: write `approximately: {written}` (and scale `tolerance` the same way), "
        f"or set `unit: {other}`",
    )
