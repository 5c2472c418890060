"""The one number formatter: every page, table cell, chart label and alt text says a value through it.

Decisions (so that a value reads the same honest way everywhere):

- Two styles. `short` is for tables and charts ("¥160 bn", "> 30 tn tokens/day", "≈ $23 bn");
  `long` is for sentences and alt text ("160 billion yuan", "more than 30 trillion tokens a day").
- Yuan are spelled "yuan" in long style (the ¥ sign is shared with the Japanese yen); US dollars and
  euros keep their sign ("$23 billion"), as English news writing does. A rate reads "6.96 yuan per
  US dollar" (long) or "6.96 CNY/USD" (short).
- No invented precision. An integer mantissa prints as is (160e9 -> "160 billion"); otherwise at most
  3 significant figures (percentages: 2), never rounding away integer digits (6.9565 -> "6.96",
  66.67 % -> "67%", 1234.5 -> "1,235"). `sig=n` rounds to exactly n significant figures instead.
  Rounding is half-up on the decimal text of the number, so 0.125 never becomes 0.12 by binary error.
  Trailing zeros are never printed.
- Negative numbers use the true minus sign U+2212 ("−3%"), which screen readers say as "minus";
  `signed=True` also puts "+" before positive values ("less than +67%").
- A `dimensionless` value is a share or a growth rate, shown as a percentage (0.5 -> "50%") unless
  `as_percent=False`. A `percent` value already holds percent (53.1 -> "53%").
- A range shares one scale word ("$350–400 bn") with an en dash in short style and "to" in long style;
  a range with a negative end uses "to" in both styles so the dash is never read as a minus.
- Approximate bounds: "more than about …" (long) and "≳" / "≲" (short).
- A computed ratio is said as the kind of figure it is (`figure_kind`, `format_figure`): a share
  below 1 as a percentage ("57%"), a change as a signed percentage ("+6.7%", "less than +67%"),
  also when the formula gives the ratio itself and it lies between 1 and 2 (1.0127 -> "+1.3%"),
  and a larger ratio as a multiple ("15–17×" short, "15 to 17 times" long).
- Locales: digits, separators and scale words come from Babel/CLDR for any locale ("1 234,5",
  "160 milliards"; the separators are CLDR's narrow no-break spaces). French stops at "milliards"
  ("30 000 milliards", never the false friend "billions") and says "dollars", as French news does. Connecting words and unit
  words exist in English and French; other locales fall back to the English words.
  English uses ordinary spaces between a number and its words; French keeps CLDR's no-break spaces.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal

from generator.model import periods
from generator.model.values import Amount, Endpoint

Style = Literal["long", "short"]
MINUS = "\u2212"
EN_DASH = "\u2013"
_SCALES = (12, 9, 6)
_CURRENCIES = ("CNY", "USD", "EUR")
# CLDR's English short scale words are "B" and "T"; the FT-style "bn"/"tn" cannot be misread.
_EN_SHORT_SCALE = {6: " M", 9: " bn", 12: " tn"}


@dataclass(frozen=True)
class UnitWords:
    """How one unit is spelled: nouns for long style, a label or sign for short style."""

    one: str
    other: str
    short_one: str | None = None
    short_other: str | None = None
    sign: str | None = None  # a currency sign, placed where the locale places ¤ in short style
    sign_in_long: bool = False  # long style also uses the sign ("$23 billion")


_EN_UNITS = {
    "CNY": UnitWords("yuan", "yuan", sign="¥"),
    "USD": UnitWords("US dollar", "US dollars", sign="$", sign_in_long=True),
    "EUR": UnitWords("euro", "euros", sign="€", sign_in_long=True),
    "chip": UnitWords("chip", "chips"),
    "user": UnitWords("user", "users"),
    "token": UnitWords("token", "tokens"),
    "token/day": UnitWords("token a day", "tokens a day", "token/day", "tokens/day"),
    "token/month": UnitWords("token a month", "tokens a month", "token/month", "tokens/month"),
    "token/year": UnitWords("token a year", "tokens a year", "token/year", "tokens/year"),
    "percent": UnitWords("percent", "percent", "%", "%"),
    "dimensionless": UnitWords("", ""),  # a bare number; its label is "percent" (see unit_label)
    "rank": UnitWords("rank", "rank", "No.", "No."),
    "multiple": UnitWords("time", "times", "×", "×"),  # display only: a ratio said as "15 times"
    "W": UnitWords("watt", "watts", "W", "W"),
    "kW": UnitWords("kilowatt", "kilowatts", "kW", "kW"),
    "MW": UnitWords("megawatt", "megawatts", "MW", "MW"),
    "GW": UnitWords("gigawatt", "gigawatts", "GW", "GW"),
}
_FR_UNITS = {
    "CNY": UnitWords("yuan", "yuans", sign="¥"),
    "USD": UnitWords("dollar", "dollars", sign="$"),  # French news writing: "350 milliards de dollars"
    "EUR": UnitWords("euro", "euros", sign="€"),
    "chip": UnitWords("puce", "puces"),
    "user": UnitWords("utilisateur", "utilisateurs"),
    "token": UnitWords("jeton", "jetons"),
    "token/day": UnitWords("jeton par jour", "jetons par jour", "jeton/jour", "jetons/jour"),
    "token/month": UnitWords("jeton par mois", "jetons par mois", "jeton/mois", "jetons/mois"),
    "token/year": UnitWords("jeton par an", "jetons par an", "jeton/an", "jetons/an"),
    "percent": UnitWords("pour cent", "pour cent", "%", "%"),
    "dimensionless": UnitWords("", ""),  # a bare number; its label is "percent" (see unit_label)
    "rank": UnitWords("rang", "rang", "nº", "nº"),
    "multiple": UnitWords("fois", "fois", "×", "×"),
}
_UNITS = {"en": _EN_UNITS, "fr": _FR_UNITS}

_EN_WORDS = {
    "about": "about",
    "more": "more than",
    "at-least": "at least",
    "less": "less than",
    "at-most": "at most",
    "to": "to",
    "per": "per",
    "unknown": "unknown",
    "scale-joiner": "",
    "quarter": "Q",
    "half-year": "H",
}
_FR_WORDS = {
    "about": "environ",
    "more": "plus de",
    "at-least": "au moins",
    "less": "moins de",
    "at-most": "au plus",
    "to": "à",
    "per": "par",
    "unknown": "inconnu",
    "scale-joiner": "de ",
    "quarter": "T",
    "half-year": "S",
}
_WORDS = {"en": _EN_WORDS, "fr": _FR_WORDS}

_STATUS = {
    "en": {
        "reported": "reported",
        "planned": "planned",
        "estimated": "estimate",
        "announced": "announced",
        "intention": "intention (not a commitment)",
        "forecast": "forecast",
    },
    "fr": {
        "reported": "rapporté",
        "planned": "prévu",
        "estimated": "estimation",
        "announced": "annoncé",
        "intention": "intention (pas un engagement)",
        "forecast": "prévision",
    },
}

# (fraction, English words, French words), for ratios quoted in words by the consistency checks.
_FRACTIONS = (
    (1 / 4, "a quarter", "un quart"),
    (1 / 3, "a third", "un tiers"),
    (1 / 2, "half", "la moitié"),
    (2 / 3, "two thirds", "deux tiers"),
    (3 / 4, "three quarters", "trois quarts"),
)
# Decimal arithmetic with room for every digit of any finite float (1e308 has 309, 5e-324 sits 324
# places after the point): the default 28 digits made Babel's quantize fail from about 1e25 up.
_EXACT = Context(prec=400)


_language = periods.language_of  # one home: the periods module words dates too


def _words(locale: str) -> dict[str, str]:
    """Connecting words for a locale, English when the language has none."""
    return _WORDS.get(_language(locale), _EN_WORDS)


def _unit_words(unit: str, locale: str) -> UnitWords:
    """Spelling of a unit in a locale: the table, then English, then a spelling made from its name."""
    table = _UNITS.get(_language(locale), _EN_UNITS)
    if unit in table:
        return table[unit]
    if unit in _EN_UNITS:
        return _EN_UNITS[unit]
    if "/" in unit:
        top, bottom = unit.split("/", 1)
        top_words, bottom_words = _unit_words(top, locale), _unit_words(bottom, locale)
        per = _words(locale)["per"]
        return UnitWords(
            f"{top_words.one} {per} {bottom_words.one}",
            f"{top_words.other} {per} {bottom_words.one}",
            f"{top}/{bottom}",
            f"{top}/{bottom}",
        )
    # An unlisted lowercase word is an English count noun; anything else (a symbol) stays as written.
    plural = unit + "s" if re.fullmatch(r"[a-z]+", unit) else unit
    return UnitWords(unit, plural)


def _round(value: Decimal, sig: int | None, default_sig: int) -> Decimal:
    """Round without inventing precision (see the module docstring), half-up, trailing zeros dropped."""
    if value == 0:
        return Decimal(0)
    if sig is None:
        if value == value.to_integral_value():
            return value.normalize()
        decimals = max(0, default_sig - 1 - value.adjusted())
    else:
        decimals = sig - 1 - value.adjusted()
    rounded = value.scaleb(decimals).quantize(Decimal(1), rounding=ROUND_HALF_UP).scaleb(-decimals)
    return rounded.normalize()


@functools.cache  # a handful of locales; Babel parses a locale name again on every call given a string
def _babel(locale: str) -> Locale:
    """Babel's Locale for a locale name, parsed once (0.15 s of deriving 10,000 facts was parsing "en")."""
    return Locale.parse(locale)


def _digits(value: Decimal, locale: str, signed: bool) -> str:
    """Locale digits of an already rounded number, with a true minus sign and an optional plus."""
    text = format_decimal(abs(value), locale=_babel(locale), decimal_quantization=False)
    if value < 0:
        return MINUS + text
    return ("+" + text) if signed and value > 0 else text


def _scale_word(exponent: int, mantissa: Decimal, locale: str, style: Style) -> str:
    """The affix for a power of ten, from CLDR's compact formats (" billion", " milliards", " bn")."""
    if _language(locale) == "en" and style == "short":
        return _EN_SHORT_SCALE[exponent]
    parsed = _babel(locale)
    formats = parsed.compact_decimal_formats.get(style) or _babel("en").compact_decimal_formats[style]
    category = parsed.plural_form(abs(mantissa))
    by_size = formats.get(category) or formats["other"]
    pattern = by_size.get(str(10**exponent)) or formats["other"][str(10**exponent)]
    return pattern.pattern.replace("0", "").replace("'", "")


def _scales(locale: str) -> tuple[int, ...]:
    """The scale words a locale uses: French news writing stops at "milliards" ("30 000 milliards"),
    since "billion" means 10^12 in French and 10^9 in English, a confusion no reader should have to undo."""
    return _SCALES[1:] if _language(locale) == "fr" else _SCALES


def _scale_of(values: list[Decimal], scaled: bool, locale: str = "en") -> int:
    """The power of ten that every number of a range shares: that of the largest end."""
    largest = max(abs(v) for v in values)
    if not scaled:
        return 0
    return next((e for e in _scales(locale) if largest >= Decimal(10) ** e), 0)


def _numbers(
    values: list[Decimal], scaled: bool, sig: int | None, default_sig: int, locale: str = "en"
) -> tuple[int, list[Decimal]]:
    """Pick the shared scale and round each mantissa, moving up a scale if rounding reached 1000."""
    exponent = _scale_of(values, scaled, locale)
    mantissas = [_round(v.scaleb(-exponent), sig, default_sig) for v in values]
    if exponent and exponent < _scales(locale)[0] and max(abs(m) for m in mantissas) >= 1000:
        exponent += 3
        mantissas = [_round(v.scaleb(-exponent), sig, default_sig) for v in values]
    return exponent, mantissas


def _is_plural(number: Decimal, exponent: int, locale: str) -> bool:
    """Whether the noun after this number takes its plural ("1 chip", "1 million chips")."""
    return bool(exponent) or _babel(locale).plural_form(abs(number)) != "one"


def _currency_sign_first(locale: str) -> bool:
    """Whether the locale writes the currency sign before the number ("$23" in en, "23 $" in fr)."""
    return str(_babel(locale).currency_formats["standard"].pattern).lstrip("-").startswith("¤")


def _percent_affix(locale: str) -> str:
    """The locale's percent suffix ("%" in en, no-break space and "%" in fr)."""
    pattern = _babel(locale).percent_formats[None].pattern
    return re.sub(r"[#,0.]", "", pattern.split(";")[0]) or "%"


def _quantity(
    values: list[float], unit: str, locale: str, style: Style, sig: int | None, signed: bool, as_percent: bool
) -> str:
    """One number or a range of two, with scale word and unit, without bound or approximation words."""
    with localcontext(_EXACT):
        return _quantity_exact(values, unit, locale, style, sig, signed, as_percent)


def _quantity_exact(
    values: list[float], unit: str, locale: str, style: Style, sig: int | None, signed: bool, as_percent: bool
) -> str:
    decimals = [Decimal(repr(v)) for v in values]
    words = _words(locale)
    if unit == "dimensionless" and as_percent:
        decimals, unit = [d * 100 for d in decimals], "percent"
    top, _, bottom = unit.partition("/")
    rate = bool(bottom) and top in _CURRENCIES  # money per something: CNY/USD, USD/chip
    plain = unit in ("percent", "rank", "dimensionless", "multiple")
    exponent, mantissas = _numbers(decimals, not plain, sig, 2 if unit == "percent" else 3, locale)
    texts = [_digits(m, locale, signed) for m in mantissas]
    negative = any(m < 0 for m in mantissas)
    dash = f" {words['to']} " if style == "long" or negative else EN_DASH
    if unit == "percent":
        suffix = _percent_affix(locale)
        return dash.join(t + suffix for t in texts) if negative else dash.join(texts) + suffix
    if unit == "rank":
        return f"{unit_label('rank', True, style, locale)} {dash.join(texts)}"
    if unit == "multiple":
        spelled = _unit_words(unit, locale)
        noun = spelled.one if len(mantissas) == 1 and abs(mantissas[0]) == 1 else spelled.other
        return dash.join(texts) + ("×" if style == "short" else f" {noun}")
    number = dash.join(texts) + (_scale_word(exponent, mantissas[-1], locale, style) if exponent else "")
    plural = len(mantissas) > 1 or _is_plural(mantissas[-1], exponent, locale)
    if rate and style == "short" and bottom in _CURRENCIES:
        return f"{number} {unit}"
    spelled = _unit_words(top if rate else unit, locale)
    if spelled.sign and (style == "short" or spelled.sign_in_long):
        if _currency_sign_first(locale):
            # The sign goes after a leading minus or plus: "−$5 bn", "+$3 bn".
            lead = number[0] if number[0] in (MINUS, "+") else ""
            text = lead + spelled.sign + number[len(lead) :]
        else:
            text = f"{number}\u00a0{spelled.sign}"
    else:
        if style == "short" and not rate:
            noun = (spelled.short_other or spelled.other) if plural else (spelled.short_one or spelled.one)
        else:
            noun = spelled.other if plural else spelled.one
        joiner = _joiner(words, exponent) if style == "long" else " "
        text = f"{number}{joiner}{noun}" if noun else number
    if not rate:
        return text
    per = _unit_words(bottom, locale)
    if style == "short":
        return f"{text}/{per.short_one or per.one}"
    return f"{text} {words['per']} {per.one}"


def _joiner(words: dict[str, str], exponent: int) -> str:
    """What goes between a number and its noun: a space, or French "de" after a scale word."""
    joiner = words["scale-joiner"].strip()
    return f" {joiner} " if exponent and joiner else " "


def _elide(text: str, locale: str) -> str:
    """French elides "de" before a vowel: "millions d'utilisateurs", "plus d'environ"."""
    if _language(locale) != "fr":
        return text
    return re.sub(r"\bde ([aeiouéèêAEIOUÉ])", r"d'\1", text)


def format_amount(
    amount: Amount,
    locale: str = "en",
    style: Style = "long",
    sig: int | None = None,
    signed: bool = False,
    as_percent: bool = True,
) -> str:
    """Say an Amount in words (long, for sentences) or compactly (short, for tables and charts)."""
    # A fact's value is said on its page and again in every table that lists it (its entity's, metric's and
    # sources' pages, the facts index): 123,000 times for 10,000 realistic facts, 8 s of a rebuild, mostly
    # Babel's. The words depend on nothing else, so each is made once. By repr: 1 and 1.0, or 0.0 and
    # -0.0, are equal floats that need not be said alike.
    key = (repr(amount), locale, style, sig, signed, as_percent)
    said = _SAID.get(key)
    if said is None:
        if len(_SAID) >= 200_000:
            _SAID.clear()
        said = _SAID[key] = _format_amount(amount, locale, style, sig, signed, as_percent)
    return said


_SAID: dict[tuple[object, ...], str] = {}


def _format_amount(amount: Amount, locale: str, style: Style, sig: int | None, signed: bool, as_percent: bool) -> str:
    kind = amount.kind
    words = _words(locale)
    if kind == "unknown":
        return words["unknown"]
    if kind in ("point", "lower-bound"):
        values = [amount.low.value]
    elif kind == "upper-bound":
        values = [amount.high.value]
    else:
        values = [amount.low.value, amount.high.value]
    text = _quantity(values, amount.unit, locale, style, sig, signed and amount.unit != "rank", as_percent)
    if kind in ("point", "range"):
        if not amount.approximate:
            return _elide(text, locale)
        return _elide(f"≈ {text}" if style == "short" else f"{words['about']} {text}", locale)
    end = amount.low if kind == "lower-bound" else amount.high
    if style == "short":
        if amount.approximate:
            mark = "≳" if kind == "lower-bound" else "≲"
        elif kind == "lower-bound":
            mark = ">" if end.strict else "≥"
        else:
            mark = "<" if end.strict else "≤"
        return f"{mark} {text}"
    if kind == "lower-bound":
        lead = words["more"] if end.strict else words["at-least"]
    else:
        lead = words["less"] if end.strict else words["at-most"]
    return _elide(f"{lead} {words['about']} {text}" if amount.approximate else f"{lead} {text}", locale)


FigureKind = Literal["amount", "share", "change", "ratio-change", "multiple"]
_RATIO_UNITS = ("dimensionless", "percent")


def figure_kind(amount: Amount | None, change: bool = False) -> FigureKind:
    """What kind of figure a computed amount is, so that every page says it the same way.

    `change` is True when the formula already subtracts 1 (`a / b - 1`). Otherwise a ratio
    (unit dimensionless) is a share when every known end is below 1, a change when every known
    end lies from 1 to 2 (1.0127 is "+1.3%", not "101%") and a multiple from 2 up ("15–17×").
    A `percent` unit is the author's choice of a percentage: a share, or a change when `change`.
    Anything with another unit is an amount.
    """
    if amount is None or amount.unit not in _RATIO_UNITS:
        return "amount"
    if change:
        return "change"
    ends = [e.value for e in (amount.low, amount.high) if e.known]
    if amount.unit == "percent" or not ends or all(v < 1 for v in ends):
        return "share"
    if all(1 <= v < 2 for v in ends):
        return "ratio-change"
    return "multiple"


def shift(amount: Amount, delta: int) -> Amount:
    """The amount plus an integer on each known end, in decimal (1.0127 - 1 is exactly 0.0127)."""

    def moved(end: Endpoint) -> Endpoint:
        if not end.known:
            return end
        return Endpoint(float(Decimal(repr(end.value)) + delta), known=True, strict=end.strict)

    return Amount(moved(amount.low), moved(amount.high), amount.unit, amount.approximate)


def as_shown(amount: Amount, kind: FigureKind) -> tuple[Amount, bool]:
    """The amount as `format_figure` says it (a ratio-change minus 1, a multiple in "×"), and its sign."""
    if kind == "ratio-change":
        return shift(amount, -1), True
    if kind == "multiple":
        return Amount(amount.low, amount.high, "multiple", amount.approximate), False
    return amount, kind == "change"


def format_figure(amount: Amount, kind: FigureKind, locale: str = "en", style: Style = "long") -> str:
    """A computed figure said as its kind (see `figure_kind`): "57%", "+1.3%", "15–17×", "$23 billion"."""
    shown, signed = as_shown(amount, kind)
    return format_amount(shown, locale, style, signed=signed)


def format_number(
    x: float, locale: str = "en", sig: int | None = None, style: Style = "long", signed: bool = False
) -> str:
    """A bare number with a scale word from a million up ("160 billion", "160 bn", "160 milliards")."""
    if not math.isfinite(x):
        raise ValueError(f"cannot format {x!r}: only finite numbers have digits")
    with localcontext(_EXACT):
        exponent, (mantissa,) = _numbers([Decimal(repr(x))], True, sig, 3, locale)
        scale = _scale_word(exponent, mantissa, locale, style) if exponent else ""
        return _digits(mantissa, locale, signed) + scale


def format_ratio_words(x: float, locale: str = "en") -> str:
    """A ratio in words when within 5 points of a simple fraction ("about half"), else a percentage."""
    fraction, english, french = min(_FRACTIONS, key=lambda item: abs(item[0] - x))
    if abs(fraction - x) <= 0.05 + 1e-9:
        return f"{_words(locale)['about']} {french if _language(locale) == 'fr' else english}"
    return format_amount(Amount.point(x, "dimensionless"), locale, "short")


def unit_label(unit: str, plural: bool = True, style: Style = "long", locale: str = "en") -> str:
    """A unit spelled for people: "yuan" / "¥", "US dollars" / "$", "tokens a day" / "tokens/day"."""
    spelled = _unit_words(unit, locale)
    if unit == "dimensionless":
        spelled = _unit_words("percent", locale)
    if style == "short":
        if spelled.sign:
            return spelled.sign
        return (spelled.short_other or spelled.other) if plural else (spelled.short_one or spelled.one)
    return spelled.other if plural else spelled.one


def status_label(status: str, locale: str = "en") -> str:
    """How sure the source is, in words: "reported", "estimate", "intention (not a commitment)"."""
    labels = _STATUS.get(_language(locale), _STATUS["en"])
    if status not in labels:
        raise ValueError(f"status {status!r} is not one of {', '.join(labels)}")
    return labels[status]


@functools.lru_cache(maxsize=16384)  # pure; every fact's label and page asks again for the same periods
def period_label(period: str, locale: str = "en", fiscal_start_month: int | None = None) -> str:
    """A period for people: "2026", "Q1 2026", "August 2025", "fiscal year 2025 (July 2024 – June 2025)".

    Parsing and resolving periods lives in generator.model.periods; this adds the locale's words.
    """
    try:
        _babel(locale)
    except (ValueError, UnknownLocaleError):
        raise ValueError(f"locale {locale!r} is not known to Babel") from None
    return periods.label(str(period), locale, fiscal_start_month, _words(locale))
