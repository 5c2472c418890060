"""Hints that fix: one did-you-mean for every choice, numbers as written, the nearest passage of a text.

Every "did you mean" of the generator comes from `did_you_mean`, so units, statuses, roles,
kinds, keys, sections and ids are all suggested the same way (case-insensitively, with
common aliases such as "dollars" for USD).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

#: Words contributors write for a unit, and the unit name meant.
UNIT_ALIASES: dict[str, str] = {
    "dollar": "USD",
    "dollars": "USD",
    "us$": "USD",
    "$": "USD",
    "usd$": "USD",
    "us dollars": "USD",
    "yuan": "CNY",
    "rmb": "CNY",
    "renminbi": "CNY",
    "¥": "CNY",
    "cny¥": "CNY",
    "yuans": "CNY",
    "euro": "EUR",
    "euros": "EUR",
    "€": "EUR",
    "chips": "chip",
    "gpu": "chip",
    "gpus": "chip",
    "accelerators": "chip",
    "users": "user",
    "people": "user",
    "tokens": "token",
    "%": "percent",
    "pct": "percent",
    "per cent": "percent",
    "days": "day",
    "hours": "hour",
    "weeks": "week",
    "months": "month",
    "years": "year",
    "ratio": "dimensionless",
    "none": "dimensionless",
    "1": "dimensionless",
}


def closest(word: object, choices: Iterable[str], aliases: Mapping[str, str] | None = None) -> str | None:
    """The choice a misspelt word most likely means, compared case-insensitively, or None."""
    text = str(word).strip()
    options = list(dict.fromkeys(str(c) for c in choices))
    if not text or not options:
        return None
    lowered = {c.lower(): c for c in options}
    if text.lower() in lowered:
        return lowered[text.lower()]
    if aliases and text.lower() in aliases and aliases[text.lower()] in options:
        return aliases[text.lower()]
    close = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.6)
    if close:
        return lowered[close[0]]
    if aliases:
        close = difflib.get_close_matches(text.lower(), list(aliases), n=1, cutoff=0.75)
        if close and aliases[close[0]] in options:
            return aliases[close[0]]
    return None


def did_you_mean(word: object, choices: Iterable[str], aliases: Mapping[str, str] | None = None) -> str:
    """A 'did you mean' hint, or an empty string when nothing is close."""
    match = closest(word, choices, aliases)
    return f"did you mean '{match}'?" if match is not None and match != str(word) else ""


def choice_hint(word: object, choices: Iterable[str], aliases: Mapping[str, str] | None = None) -> str:
    """'did you mean X?' when one choice is close, else the list of the choices."""
    options = list(choices)
    return did_you_mean(word, options, aliases) or "one of: " + ", ".join(options)


_DIGITS = re.compile(r"\d")


def number_as_written(text: str) -> str:
    """A number as the contributor wrote it, shortened sensibly when it is very long."""
    text = text.strip()
    digits = len(_DIGITS.findall(text))
    if len(text) <= 40:
        return text
    return f"{text[:12]}…{text[-6:]} (a number of {digits:,} digits)"


def scalar_text(source: str, line: int, column: int) -> str | None:
    """The plain scalar that starts at line:column (1-based) of a YAML text, as written."""
    if not source or line < 1:
        return None
    start = 0
    for _ in range(line - 1):
        start = source.find("\n", start) + 1
        if start == 0:
            return None
    end = source.find("\n", start)
    row = source[start : end if end != -1 else len(source)]
    match = re.match(r"[^,\]}#\n]*", row[column - 1 :])
    token = match.group().strip() if match else ""
    if token.startswith(("'", '"')) and len(token) > 1:
        token = token[1:-1]
    return token or None


def nearest_passage(quote: str, document: str) -> tuple[str, float] | None:
    """The passage of a document closest to a quote (same length in words) and how similar it is."""
    words = list(re.finditer(r"\S+", document))
    size = max(1, len(quote.split()))
    if not words:
        return None
    best: tuple[float, int] = (-1.0, 0)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)
    step = 1 if len(words) <= 20_000 else max(1, size // 4)
    for i in range(0, max(1, len(words) - size + 1), step):
        passage = document[words[i].start() : words[min(i + size, len(words)) - 1].end()]
        matcher.set_seq1(passage)
        if matcher.real_quick_ratio() <= best[0] or matcher.quick_ratio() <= best[0]:
            continue
        ratio = matcher.ratio()
        if ratio > best[0]:
            best = (ratio, i)
    ratio, i = best
    passage = document[words[i].start() : words[min(i + size, len(words)) - 1].end()]
    punctuation = ",.;:!?)»”\"'"
    if passage[-1:] in punctuation and quote[-1:] != passage[-1:]:
        passage = passage[:-1]
    return passage, ratio


def mark_differences(expected: str, written: str) -> str:
    """The expected text with the characters that differ from `written` in [brackets]."""
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, written, expected, autojunk=False)
    for op, _, _, j1, j2 in matcher.get_opcodes():
        chunk = expected[j1:j2]
        if op == "equal":
            out.append(chunk)
        elif chunk:
            out.append(f"[{chunk}]")
        else:
            out.append("[]")  # something of the quote is not in the document here
    return "".join(out)
