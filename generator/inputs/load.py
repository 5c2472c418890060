"""Stage 1, load: read fact files as untrusted YAML into plain data with line/column marks.

The loader never constructs Python objects from tags, refuses aliases (no alias bombs),
bounds file size and nesting, reports duplicate mapping keys (PyYAML silently keeps the
last one), and resolves scalars with the YAML 1.2 core schema so that `no` stays a string
and `160e9` is a number. It walks PyYAML's event stream iteratively, so deep nesting
cannot exhaust the Python stack.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.inputs.files import read_bounded
from generator.model.errors import Problem
from generator.model.limits import MAX_NESTING, MAX_NODES

try:  # libyaml's C parser is ~10x faster; the pure-Python one gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple  # a path into the data: ("facts", 3, "value", "point")

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"^[-+]?[0-9][0-9_]*$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = {
    ".inf": math.inf,
    ".Inf": math.inf,
    ".INF": math.inf,
    "+.inf": math.inf,
    "+.Inf": math.inf,
    "+.INF": math.inf,
    "-.inf": -math.inf,
    "-.Inf": -math.inf,
    "-.INF": -math.inf,
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
}
#: Characters refused in any scalar and any key, even when written as an escape ("\\0", "\\x1b",
#: "\\u202e", "\\uffff"). One decision, applied here to every text field of every file:
#: - C0/C1 controls other than tab and newline corrupt output and terminals (`control-character`);
#: - every bidirectional control (Unicode's Bidi_Control: the marks U+061C, U+200E, U+200F, the
#:   embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069) can make a page show text
#:   in another order than it is stored ("Trojan Source"): "Budget \\u061c2025-2026" reads
#:   "2026-2025", so a number could read differently from its value (`control-character`);
#: - Unicode noncharacters (U+FDD0-U+FDEF and the last two code points of every plane, U+FFFE and
#:   U+FFFF among them) and surrogates are not text, and XML 1.0 forbids U+FFFE, U+FFFF and
#:   surrogates, so the Atom feed could not carry them (`invalid-character`).
#: With these gone, every character left is one XML 1.0 allows (tab, newline and carriage return
#: are the only controls) and none changes how the text around it is ordered.
_REFUSED_BMP = (
    r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    r"\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
)
_REFUSED_ASTRAL = (
    r"\U0001fffe\U0001ffff\U0002fffe\U0002ffff"
    r"\U0003fffe\U0003ffff\U0004fffe\U0004ffff\U0005fffe\U0005ffff\U0006fffe\U0006ffff"
    r"\U0007fffe\U0007ffff\U0008fffe\U0008ffff\U0009fffe\U0009ffff\U000afffe\U000affff"
    r"\U000bfffe\U000bffff\U000cfffe\U000cffff\U000dfffe\U000dffff\U000efffe\U000effff"
    r"\U000ffffe\U000fffff\U0010fffe\U0010ffff"
)
_CONTROL = re.compile(f"[{_REFUSED_BMP}{_REFUSED_ASTRAL}]")
#: The same search for a text with no character past U+FFFF: the astral half of the class makes a scan of a
#: whole file 5-6 times slower (0.33 s against 0.06 s for the 7.8 M characters of 10,000 synthetic facts).
_CONTROL_BMP = re.compile(f"[{_REFUSED_BMP}]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def first_refused(text: str) -> re.Match[str] | None:
    """The first character of `text` that `_CONTROL` refuses, found by the cheaper search when it can be."""
    return (_CONTROL_BMP if _ASTRAL.search(text) is None else _CONTROL).search(text)


_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def refused_character(char: str) -> tuple[str, str, str]:
    """(code, message, hint) for a character `_CONTROL` refuses, by its class."""
    point = f"U+{ord(char):04X}"
    if char in _BIDI:
        return (
            "control-character",
            f"text contains the invisible bidirectional control character {point}",
            "remove it: direction marks and overrides can make text read in another order than it is "
            "stored; the page sets the direction of right-to-left text itself",
        )
    if 0xD800 <= ord(char) <= 0xDFFF or ord(char) >= 0xFDD0:
        return (
            "invalid-character",
            f"text contains {point}, which is not a character (a Unicode "
            "noncharacter or surrogate, which XML and the Atom feed cannot carry)",
            "remove it; if it came from a copy and paste, retype the text around it",
        )
    return (
        "control-character",
        f"text contains the invisible control character {point}",
        "remove it; write plain text without control or direction-override characters",
    )


#: A line whose indentation (after any spaces) starts with a tab.
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class Located:
    """Plain data from one YAML file plus where each value and key stands in it."""

    path: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    #: Paths of scalars written in quotes: their text starts one column after the mark.
    quoted: set[Path_] = field(default_factory=set)
    #: The file's text, so messages can show a value as it was written (85e9, not 85000000000.0).
    text: str = field(default="", repr=False)

    def where(self, at: Path_, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at `at`, or of its nearest known parent."""
        at = tuple(at)
        if key and at in self.key_marks:
            return self.key_marks[at]
        while at:
            if at in self.marks:
                return self.marks[at]
            at = at[:-1]
        return self.marks.get((), (1, 1))

    def problem(
        self, at: Path_, code: str, message: str, hint: str = "", *, key: bool = False, severity: str = "error"
    ) -> Problem:
        """A Problem located at the node `at` of this file."""
        line, column = self.where(at, key=key)
        return Problem(self.path, line, column, code, message, hint, severity)  # type: ignore[arg-type]


class _Stop(Exception):
    """Abort the walk of one file after recording a problem."""


def _scalar(value: str, plain: bool) -> Any:
    """Resolve a scalar with the YAML 1.2 core schema (no timestamps, no yes/no booleans)."""
    if not plain:
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value.replace("_", ""))
    if value in _SPECIAL_FLOAT:
        return _SPECIAL_FLOAT[value]
    if _FLOAT.match(value) and any(c.isdigit() for c in value):
        return float(value.replace("_", ""))
    return value


def _mark(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Read a file as strict UTF-8 within the size limit; problems instead of exceptions."""
    raw, problems = read_bounded(path, display)  # regular files only, never more than the limit
    if raw is None:
        return None, problems
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [
            Problem(
                display,
                1,
                1,
                "byte-order-mark",
                "file starts with a UTF-8 byte-order mark",
                "save the file as UTF-8 without BOM",
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [
            Problem(
                display,
                line,
                column,
                "not-utf8",
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                "save the file as UTF-8",
            )
        ]
    tab = _TAB_INDENT.search(text)  # one regex scan instead of a Python loop over every line
    if tab:
        number = text.count("\n", 0, tab.start()) + 1
        column = tab.end() - tab.start()
        return None, [
            Problem(
                display,
                number,
                column,
                "tab-indent",
                "a tab is used for indentation; YAML allows only spaces",
                "replace the tab with spaces",
            )
        ]
    return text, []


def parse_yaml(text: str, display: str) -> tuple[Located | None, list[Problem]]:
    """Build plain data with marks from YAML text, or return the problems that stop it."""
    located = Located(display, None)
    located.text = text
    problems: list[Problem] = []
    marks, key_marks, quoted = located.marks, located.key_marks, located.quoted
    # Each frame: [container, path, pending key (or _NO_KEY), is a mapping]
    stack: list[list[Any]] = []
    root_set = False
    documents = 0
    nodes = 0

    def fail(mark: Any, code: str, message: str, hint: str = "") -> None:
        line, column = _mark(mark)
        problems.append(Problem(display, line, column, code, message, hint))
        raise _Stop

    def set_root(value: Any, event: Any) -> Path_:
        nonlocal root_set
        if root_set:
            fail(
                event.start_mark,
                "yaml-multiple-documents",
                "more than one YAML document",
                "keep one document per file (remove the extra '---')",
            )
        root_set = True
        located.data = value
        marks[()] = _mark(event.start_mark)
        return ()

    def too_many(event: Any) -> None:  # the loop counts nodes and calls this past the limit
        fail(event.start_mark, "too-many-nodes", f"file has more than {MAX_NODES:,} YAML nodes", "split the file")

    def place(value: Any, mark: tuple[int, int], event: Any) -> Path_:
        """Put a value into the open mapping (under its pending key) or sequence, or make it the root."""
        if not stack:
            return set_root(value, event)
        frame = stack[-1]
        if frame[3]:
            at = (*frame[1], frame[2])
            frame[0][frame[2]] = value
            frame[2] = _NO_KEY
        else:
            at = (*frame[1], len(frame[0]))
            frame[0].append(value)
        marks[at] = mark
        return at

    def bad_tag(event: Any) -> None:
        fail(
            event.start_mark,
            "yaml-tag",
            f"the YAML tag '{event.tag}' is not allowed",
            "fact files are plain data: remove the tag",
        )

    # The loop below runs once per YAML event (~70,000 per MB): it dispatches on the exact event
    # class and inlines the bookkeeping, because this walk is most of the time spent loading.
    control = _CONTROL.search
    # A scalar's text comes from the file's text, except for the escapes of double-quoted ones
    # ("\x1b"): when the file itself holds no refused character, only those need checking (one
    # search of the file instead of one per scalar, a tenth of the time loading takes). Every such
    # escape starts with a backslash: in a file without one, no double-quoted scalar needs its own
    # search either (at 10,000 synthetic facts, 186,000 searches, a sixth of loading).
    check_every_scalar = first_refused(text) is not None
    check_double_quoted = check_every_scalar or "\\" in text
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    skipped = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)
    counted = {scalar_event, mapping_start, sequence_start, *ends}  # the events that are nodes
    event: Any  # dispatched on its exact class below, which the type checker cannot follow
    try:
        for event in yaml.parse(text, Loader=_Loader):
            cls = event.__class__
            if cls in counted:
                nodes += 1
                if nodes > MAX_NODES:
                    too_many(event)
            if cls is scalar_event:
                implicit = event.implicit
                tag = event.tag
                if tag and not (implicit[0] or implicit[1]) and tag not in _CORE_TAGS and tag != "!":
                    bad_tag(event)
                raw = event.value
                style = event.style
                if check_every_scalar or (style == '"' and check_double_quoted):
                    bad = control(raw)
                    if bad:
                        fail(event.start_mark, *refused_character(bad.group()))
                start = event.start_mark
                mark = (start.line + 1, start.column + 1)
                frame = stack[-1] if stack else None
                if frame is not None and frame[3] and frame[2] is _NO_KEY:
                    container, path = frame[0], frame[1]
                    if raw in container:
                        first_line = key_marks[(*path, raw)][0]
                        fail(
                            start,
                            "duplicate-key",
                            f"key '{raw}' appears twice in this mapping (first on line {first_line})",
                            "remove or rename one of them; YAML would silently keep only the last",
                        )
                    frame[2] = raw
                    key_marks[(*path, raw)] = mark
                    continue
                if style or not implicit[0]:
                    value: Any = raw
                else:
                    try:
                        value = _scalar(raw, True)
                    except ValueError:
                        fail(
                            start,
                            "number-too-large",
                            f"the number '{raw[:40]}...' has too many digits",
                            "write large numbers with an exponent, such as 30e12",
                        )
                if frame is None:
                    at = set_root(value, event)
                elif frame[3]:  # place() inlined: a value under the open mapping's pending key
                    at = (*frame[1], frame[2])
                    frame[0][frame[2]] = value
                    frame[2] = _NO_KEY
                    marks[at] = mark
                else:  # ... or the next item of the open sequence
                    at = (*frame[1], len(frame[0]))
                    frame[0].append(value)
                    marks[at] = mark
                if style == '"' or style == "'":
                    quoted.add(at)
            elif cls in ends:
                stack.pop()
            elif cls is mapping_start or cls is sequence_start:
                tag = event.tag
                if tag and not event.implicit and tag not in _CORE_TAGS and tag != "!":
                    bad_tag(event)
                if stack and stack[-1][3] and stack[-1][2] is _NO_KEY:
                    fail(
                        event.start_mark,
                        "yaml-complex-key",
                        "a mapping key must be a plain string",
                        "use a simple 'name: value' key",
                    )
                if len(stack) >= MAX_NESTING:
                    fail(
                        event.start_mark,
                        "yaml-too-deep",
                        f"nesting is deeper than {MAX_NESTING} levels",
                        "fact files need only a few levels of nesting",
                    )
                is_map = cls is mapping_start
                container = {} if is_map else []
                at = place(container, _mark(event.start_mark), event)
                stack.append([container, at, _NO_KEY, is_map])
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    fail(
                        event.start_mark,
                        "yaml-multiple-documents",
                        "more than one YAML document",
                        "keep one document per file (remove the extra '---')",
                    )
            elif cls in skipped:
                continue
            elif cls is yaml.AliasEvent:
                fail(
                    event.start_mark,
                    "yaml-alias",
                    f"alias '*{event.anchor}' is not allowed",
                    "write the value out in full; anchors and aliases are refused in fact files",
                )
            else:  # pragma: no cover - PyYAML has no other event classes
                raise yaml.YAMLError(f"unexpected YAML event {cls.__name__}")
    except _Stop:
        return None, problems
    except yaml.MarkedYAMLError as exc:
        error_mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in str(exc.problem):
            error_mark = exc.context_mark  # an unclosed quote or bracket: point where it opens, not at EOF
        line, column = _mark(error_mark) if error_mark else (1, 1)
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        if "nesting depth" in what:
            return None, [
                Problem(
                    display,
                    line,
                    column,
                    "yaml-too-deep",
                    f"nesting is deeper than the YAML parser allows ({what})",
                    "fact files need only a few levels of nesting",
                )
            ]
        return None, [
            Problem(
                display,
                line,
                column,
                "yaml-syntax",
                f"YAML syntax error: {what}",
                "check indentation, colons and quotes on this line or the one before",
            )
        ]
    except yaml.reader.ReaderError as exc:  # a raw control character: no mark, only a position
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code, message, hint = refused_character(chr(exc.character))
        return None, [Problem(display, line, column, code, message.replace("text contains", "the file contains"), hint)]
    except yaml.YAMLError as exc:  # any other error without a mark
        return None, [Problem(display, 1, 1, "yaml-syntax", f"YAML error: {exc}", "")]
    if not root_set or located.data is None:
        return None, [
            Problem(display, 1, 1, "empty-file", "file holds no data", "a fact file starts with 'schema_version:'")
        ]
    return located, []


class _NoKey:
    def __repr__(self) -> str:
        return "<no key>"


_NO_KEY: Any = _NoKey()


def load_file(path: Path, display: str) -> tuple[Located | None, list[Problem]]:
    """Read and parse one fact file; None with problems when it cannot be used."""
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    return parse_yaml(text, display)
