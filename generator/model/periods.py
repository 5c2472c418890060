"""The one home of periods and dates: how they are written, checked, resolved to days and said.

A *date* is as precise as known: `2025`, `2025-07` or `2025-07-23`.
A *period* is when a fact applies, one of:

- a calendar year, half, quarter, month or day: `2025`, `2025-H1`, `2025-Q3`, `2025-08`, `2025-12-08`;
- a fiscal year, half or quarter of the fact's entity: `FY2025`, `FY2025-H1`, `FY2025-Q3`. A fiscal
  year is named by the calendar year it ends in (Microsoft's FY2025 runs July 2024 to June 2025),
  and resolved through the entity's `fiscal_year_start_month`;
- an explicit range of two dates, `2025-03/2025-09` (ISO 8601's interval form), written in a fact
  file either so or as a mapping `{start: 2025-03, end: 2025-09}`; it covers the first day of its
  start to the last day of its end.

`Period` and `Date` are the pydantic types the schema uses; `span` gives the first and last day a
period covers, `label` says it for readers, `sort_key` orders by real dates. Nothing else parses them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from typing import Annotated, Any

from babel.dates import format_date
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from generator.model.limits import MAX_YEAR, MIN_YEAR

_CALENDAR = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]|\d{2})(?:-(\d{2}))?)?$")
_FISCAL = re.compile(r"^FY(\d{4})(?:-(Q[1-4]|H[12]))?$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

#: What a period may be, for messages and hints.
PERIOD_FORMS = (
    "a year (2026), half (2026-H1), quarter (2026-Q1), month (2025-08) or day (2025-12-08), "
    "a fiscal year, half or quarter (FY2025, FY2025-H1, FY2025-Q3), or a range (2025-03/2025-09)"
)
#: The words for a fiscal year, by language.
_FISCAL_WORDS = {"en": ("fiscal year", "of"), "fr": ("exercice", "de l'")}
_PART_WORDS = {"en": {"Q": "Q", "H": "H"}, "fr": {"Q": "T", "H": "S"}}


class PeriodError(ValueError):
    """A period that cannot be resolved: a fiscal period of an entity whose fiscal year is not known."""


def _check_year(year: str, what: str) -> None:
    """Refuse a year outside the range every date library used here accepts (year 0000 is none)."""
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise PydanticCustomError(
            "year-out-of-range",
            "{what}: year {year} is outside the years accepted, {low} to {high}",
            {"what": what, "year": year, "low": f"{MIN_YEAR:04d}", "high": f"{MAX_YEAR:04d}"},
        )


def _check_date_parts(year: str, month: str | None, day: str | None, what: str) -> None:
    code = f"invalid-{what}"
    _check_year(year, what)
    if month is None:
        return
    if not 1 <= int(month) <= 12:
        raise PydanticCustomError(code, f"{what}: month {month} does not exist")
    if day is not None:
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            raise PydanticCustomError(code, f"{what}: {year}-{month}-{day} is not a real date") from None


def parse_date(value: str) -> str:
    """Accept a date as precise as known: YYYY, YYYY-MM or YYYY-MM-DD, and only real dates."""
    match = _DATE.match(value)
    if not match:
        raise PydanticCustomError("invalid-date", "date '{value}' is not YYYY, YYYY-MM or YYYY-MM-DD", {"value": value})
    year, month, day = match.groups()
    _check_date_parts(year, month, day, "date")
    return value


def parse_period(value: str) -> str:
    """Accept a calendar, fiscal or range period (see the module docstring), and only real dates."""
    if "/" in value:
        start, _, end = value.partition("/")
        for side in (start, end):
            if not _DATE.match(side):
                raise PydanticCustomError(
                    "invalid-period",
                    "period '{value}': each end of a range is a date, YYYY, YYYY-MM or YYYY-MM-DD ('{side}' is not)",
                    {"value": value, "side": side},
                )
            year, month, day = _DATE.match(side).groups()  # type: ignore[union-attr]
            _check_date_parts(year, month, day, "period")
        if date_span(end)[1] < date_span(start)[0]:
            raise PydanticCustomError(
                "period-inverted", "period range '{value}' ends before it starts", {"value": value}
            )
        return value
    fiscal = _FISCAL.match(value)
    if fiscal:
        _check_year(fiscal.group(1), "period")
        return value
    match = _CALENDAR.match(value)
    if not match:
        raise PydanticCustomError("invalid-period", "period '{value}' is not " + PERIOD_FORMS, {"value": value})
    year, part, day = match.groups()
    if part and part[0] in "QH":
        _check_year(year, "period")
        if day:
            raise PydanticCustomError("invalid-period", "a quarter or half has no day: '{value}'", {"value": value})
        return value
    _check_date_parts(year, part, day, "period")
    return value


def _as_text(value: Any) -> Any:
    """Let contributors write `period: 2026` unquoted (YAML gives an int) and a range as a mapping."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict) and set(value) == {"start", "end"}:
        start, end = (_as_text(value[k]) for k in ("start", "end"))
        if isinstance(start, str) and isinstance(end, str):
            return f"{start}/{end}"
    if isinstance(value, dict):
        raise PydanticCustomError(
            "invalid-period",
            "a period range is a mapping of exactly `start` and `end` (got {keys})",
            {"keys": ", ".join(map(str, value)) or "nothing"},
        )
    return value


#: A period as the schema takes it: text (an unquoted year or a `{start, end}` mapping is accepted).
Period = Annotated[str, BeforeValidator(_as_text), AfterValidator(parse_period)]
#: A date as precise as known, YYYY, YYYY-MM or YYYY-MM-DD (an unquoted year is accepted).
Date = Annotated[str, BeforeValidator(_as_text), AfterValidator(parse_date)]


def is_fiscal(period: str) -> bool:
    """Whether a period is a fiscal year, half or quarter (FY2025, FY2025-Q3)."""
    return period.startswith("FY")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) `months` after the given month."""
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


@functools.lru_cache(maxsize=16384)  # pure, and asked for the same few hundred dates by every fact
def date_span(date: str) -> tuple[dt.date, dt.date]:
    """First and last day covered by a date as precise as known (2026, 2026-08, 2026-08-12)."""
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 1), _month_end(parts[0], parts[1])
    day = dt.date(*parts)
    return day, day


def _months(first: tuple[int, int], count: int) -> tuple[dt.date, dt.date]:
    last = _add_months(*first, count - 1)
    return dt.date(first[0], first[1], 1), _month_end(*last)


@functools.lru_cache(maxsize=16384)  # pure; a PeriodError is raised again each time, never cached
def span(period: str, fiscal_start_month: int | None = None) -> tuple[dt.date, dt.date]:
    """First and last day a period covers; PeriodError for a fiscal period without a fiscal-year start."""
    if "/" in period:
        start, _, end = period.partition("/")
        return date_span(start)[0], date_span(end)[1]
    fiscal = _FISCAL.match(period)
    if fiscal:
        if fiscal_start_month is None:
            raise PeriodError(f"period '{period}' is a fiscal period, but the entity's fiscal year start is not known")
        end_year = int(fiscal.group(1))
        # The fiscal year ends in end_year: it starts in the start month of that year, or of the year before.
        first = (end_year, 1) if fiscal_start_month == 1 else (end_year - 1, fiscal_start_month)
        part = fiscal.group(2)
        if part is None:
            return _months(first, 12)
        size = 3 if part[0] == "Q" else 6
        return _months(_add_months(*first, size * (int(part[1]) - 1)), size)
    match = _CALENDAR.match(period)
    if not match:
        raise PeriodError(f"period {period!r} is not " + PERIOD_FORMS)
    year, part, _day = match.groups()
    if part and part[0] in "QH":
        size = 3 if part[0] == "Q" else 6
        return _months((int(year), size * (int(part[1]) - 1) + 1), size)
    return date_span(period)


def sort_key(period: str, fiscal_start_month: int | None = None) -> tuple[dt.date, dt.date]:
    """Order of periods by real dates: first day, then last day (January sorts before the year 2025)."""
    return span(period, fiscal_start_month)


@functools.cache  # a handful of locales, asked for on every label
def language_of(locale: str) -> str:
    """The language part of a locale, for word tables ("fr_FR" -> "fr")."""
    return re.split(r"[-_]", locale)[0].lower()


def _month_words(first: dt.date, last: dt.date, locale: str) -> str:
    """ "July 2024 – June 2025", "January – March 2025", "March 2025" for whole months."""
    if (first.year, first.month) == (last.year, last.month):
        return format_date(first, "LLLL y", locale=locale)
    if first.year == last.year:
        return f"{format_date(first, 'LLLL', locale=locale)} – {format_date(last, 'LLLL y', locale=locale)}"
    return f"{format_date(first, 'LLLL y', locale=locale)} – {format_date(last, 'LLLL y', locale=locale)}"


def date_label(date: str, locale: str = "en") -> str:
    """A date for people: "2025", "July 2025", "23 July 2025"."""
    parts = date.split("-")
    if len(parts) == 1:
        return date
    first, _ = date_span(date)
    if len(parts) == 2:
        return format_date(first, "LLLL y", locale=locale)
    return format_date(first, "d MMMM y", locale=locale)


def label(period: str, locale: str = "en", fiscal_start_month: int | None = None, words: dict | None = None) -> str:
    """A period for people, honest about what it covers.

    "2026", "Q1 2026", "H2 2025", "August 2025", "8 December 2025", "fiscal year 2025 (July 2024 –
    June 2025)", "Q3 of fiscal year 2025 (January – March 2025)", "March – September 2025".
    `words` gives the quarter and half prefixes of the locale ("Q", "H" in English).
    """
    language = language_of(locale)
    prefixes = words or {
        "quarter": _PART_WORDS.get(language, _PART_WORDS["en"])["Q"],
        "half-year": _PART_WORDS.get(language, _PART_WORDS["en"])["H"],
    }
    if "/" in period:
        start, _, end = period.partition("/")
        if len(start) == len(end) == 7 or (len(start) == len(end) == 4):
            return _month_words(span(period)[0], span(period)[1], locale) if len(start) == 7 else f"{start} – {end}"
        return f"{date_label(start, locale)} – {date_label(end, locale)}"
    fiscal = _FISCAL.match(period)
    if fiscal:
        name, of = _FISCAL_WORDS.get(language, _FISCAL_WORDS["en"])
        year, part = fiscal.groups()
        said = f"{name} {year}"
        if part:
            prefix = prefixes["quarter"] if part[0] == "Q" else prefixes["half-year"]
            said = f"{prefix}{part[1]} {of}{'' if of.endswith(chr(39)) else ' '}{said}"
        if fiscal_start_month is None:
            return said
        first, last = span(period, fiscal_start_month)
        return f"{said} ({_month_words(first, last, locale)})"
    match = _CALENDAR.match(period)
    if not match:
        raise ValueError(f"period {period!r} is not " + PERIOD_FORMS)
    year, part, day = match.groups()
    if part is None:
        return year
    if part[0] in "QH" and day is not None:
        raise ValueError(f"period {period!r}: a quarter or half has no day")
    if part[0] == "Q":
        return f"{prefixes['quarter']}{part[1]} {year}"
    if part[0] == "H":
        return f"{prefixes['half-year']}{part[1]} {year}"
    return date_label(period, locale)


def timestamp(date: str) -> str:
    """An RFC 3339 time for a date as precise as known (its first day, at midnight UTC)."""
    return f"{date_span(date)[0].isoformat()}T00:00:00Z"


def short_label(period: str, locale: str = "en") -> str:
    """A period in few characters, for a chart's axis: "Aug 2025", "Q3 2025", "FY2025", "Mar–Sep 2025"."""
    if "/" in period:
        start, _, end = period.partition("/")
        first, last = date_span(start)[0], date_span(end)[1]
        if first.year == last.year:
            return f"{format_date(first, 'LLL', locale=locale)}–{format_date(last, 'LLL y', locale=locale)}"
        return f"{format_date(first, 'LLL y', locale=locale)}–{format_date(last, 'LLL y', locale=locale)}"
    if is_fiscal(period):
        return period
    year, part, day = _CALENDAR.match(period).groups()  # type: ignore[union-attr]
    if part is None:
        return year
    if part[0] in "QH":
        return f"{part} {year}"
    first = date_span(period)[0]
    return format_date(first, "LLL y" if day is None else "d LLL y", locale=locale)
