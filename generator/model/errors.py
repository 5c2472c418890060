"""Errors as data: one typed record per problem, gathered in a report, printed once."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

from generator.model.causes import cause

Severity = Literal["error", "warning"]

#: What must not reach a terminal or a log raw: C0 and C1 controls (escape sequences, newlines that
#: would forge a line of their own), DEL, the bidirectional controls, the Unicode line and paragraph
#: separators, and lone surrogates (a file name that is not UTF-8, decoded by Python).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def printable(text: str) -> str:
    """`text` safe to print on one line of a terminal or a log: every control shown as an escape (`\\x1b`, `\\n`).

    File names and mapping keys come from the input, and a problem's message quotes them: a key
    holding "\\n" and a made-up problem line must not print as a line of its own.
    """
    return _UNPRINTABLE.sub(_visible, text)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in the input: where it is, a stable code, what and how to fix."""

    file: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    def text(self) -> str:
        """Render as `file:line:col: [code] message (hint)`."""
        where = f"{printable(self.file)}:{self.line}:{self.column}"
        label = "" if self.severity == "error" else "warning "
        hint = f" ({printable(self.hint)})" if self.hint else ""
        return f"{where}: {label}[{printable(self.code)}] {printable(self.message)}{hint}"

    def github(self) -> str:
        """Render as a GitHub Actions workflow command, so it lands on the PR's diff line."""

        def escape_data(value: str) -> str:
            # The runner's own escapes for line breaks, then no other control reaches the log raw.
            return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))

        def escape_property(value: str) -> str:
            return escape_data(value).replace(":", "%3A").replace(",", "%2C")

        message = self.message + (f" ({self.hint})" if self.hint else "")
        return (
            f"::{self.severity} file={escape_property(self.file)},line={self.line},"
            f"col={self.column},title={escape_property(self.code)}::{escape_data(message)}"
        )


#: Warnings that are counted and shown but never fail a run, --strict included: a missing translation
#: (the page shows the English text, marked "(in English)"), so a contributor writing only English is
#: never blocked, and the gap is still known.
NEVER_STRICT = frozenset({"untranslated"})


@dataclass
class Report:
    """Every problem of one run, errors and warnings, in a stable order."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Record one problem."""
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems."""
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """Problems that fail the run."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that fail the run only with --strict."""
        return [p for p in self.problems if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        """Problems ordered by cause (syntax, schema, references, checks), then file and line; no duplicates."""

        return sorted(set(self.problems), key=lambda p: (cause(p.code), p.file, p.line, p.column, p.code, p.message))

    @property
    def counted(self) -> list[Problem]:
        """Warnings that never fail the run (NEVER_STRICT): counted and shown only."""
        return [p for p in self.warnings if p.code in NEVER_STRICT]

    def failed(self, strict: bool = False) -> bool:
        """True when the run must stop: any error, or when strict any warning but those of NEVER_STRICT."""
        return bool(self.errors) or (strict and any(p.code not in NEVER_STRICT for p in self.warnings))

    def flatten(self, keys: Iterable[str] = ("file", "line", "code")) -> list[tuple]:
        """Flat tuples for tests, like frictionless's report.flatten()."""
        keys = list(keys)
        return [tuple(getattr(p, k) for k in keys) for p in self.sorted()]

    def render(self, fmt: str = "text") -> str:
        """The whole report in one of the formats `validate --format` accepts."""
        problems = self.sorted()
        if fmt == "json":
            # json.dumps escapes C0 controls; C1 controls (\x9b is a terminal's CSI), direction
            # controls and line separators are written as \\u escapes too: the same JSON value.
            return _JSON_UNSAFE.sub(
                lambda m: f"\\u{ord(m.group()):04x}",
                json.dumps(
                    {
                        "valid": not self.errors,
                        "errors": len(self.errors),
                        "warnings": len(self.warnings),
                        "untranslated": len(self.counted),
                        "problems": [asdict(p) for p in problems],
                    },
                    indent=2,
                    ensure_ascii=False,
                ),
            )
        if fmt == "github":
            return "\n".join(p.github() for p in problems)
        lines = [p.text() for p in problems]
        lines.append(self.summary())
        return "\n".join(lines)

    def summary(self) -> str:
        """One closing line with the counts."""
        e, w, u = len(self.errors), len(self.warnings), len(self.counted)
        if not e and not w:
            return "valid: no problems found"
        counted = f" ({u} untranslated: shown in English, marked; never a failure, even with --strict)" if u else ""
        return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}{counted}"


class CodedError(Exception):
    """An error about the input raised deep in a stage, carrying what its Problem will say."""

    def __init__(self, code: str, message: str, hint: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


class FatalInputError(Exception):
    """Raised to abort a stage with problems already recorded; never shown as a traceback."""

    def __init__(self, report: Report):
        super().__init__(report.summary())
        self.report = report

    def __reduce__(self) -> tuple[type, tuple[Report]]:
        """Pickled with its report, so a build in another process (the benchmark's) raises it whole here:
        an exception is re-made from its args, which would have been the summary's text (the benchmark
        then said "internal error: BrokenProcessPool" for a dataset over a limit)."""
        return (type(self), (self.report,))
