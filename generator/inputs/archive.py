"""The chart archive: every published Vega-Lite spec of every chart, as committed, untrusted JSON.

archive/charts/<chart>/<hash>.json is written only by `python -m generator archive-charts`, an
explicit step whose result is reviewed and committed like any other change; the build and `serve`
only read it (a build never writes into facts/ or archive/). Each version is dated from the commit
it was archived at (SOURCE_DATE_EPOCH, else the HEAD commit's date), never from the clock.

Everything read back is validated as strictly as the YAML: a schema (pydantic, unknown keys
refused), ids as slugs, the hash as 12 hex digits equal to the file name and to the content hash
of the spec, dates as real ISO dates, and no external reference anywhere in the spec (`url` or
`href` keys, image marks), so vl-convert is never asked to fetch. Every problem is a located
Problem (file:line:column of the JSON value) with a stable code, never a traceback.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]
from json.scanner import NUMBER_RE
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from generator.inputs import git
from generator.inputs.load import Located
from generator.model.errors import Problem
from generator.model.limits import MAX_FILE_BYTES, MAX_NESTING, MAX_NODES
from generator.model.schema import SLUG_PATTERN, Slug

ARCHIVE_DIR = Path("archive") / "charts"
HASH_PATTERN = r"^[0-9a-f]{12}$"
LANGUAGE_PATTERN = r"^[a-z]{2}$"
#: The language of a version without `language`: English, the site's first (generator/outputs/i18n.py).
SOURCE_LANGUAGE = "en"
_FILE_NAME = re.compile(r"^[0-9a-f]{12}\.json$")
_SLUG = re.compile(SLUG_PATTERN)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Keys that make Vega load or link something outside the spec (data, images, links), any case.
EXTERNAL_KEYS = frozenset({"url", "href"})
#: Control characters (but tab and newline), bidirectional controls and marks, and noncharacters:
#: never written by the build, and they can make text display otherwise than it is stored.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]"
)
_SCHEMA_URL = re.compile(r"^https://vega\.github\.io/schema/vega-lite/v[0-9]+(\.[0-9]+)*\.json$")


class ChartVersion(BaseModel):
    """One archived version of a chart: what an embed of that version shows, forever."""

    model_config = ConfigDict(extra="forbid", strict=True)

    chart: Slug = Field(description="Id of the chart (the folder name).")
    hash: Annotated[str, StringConstraints(pattern=HASH_PATTERN)] = Field(
        description="12 hex digits of the SHA-256 of the spec's canonical JSON (the file name)."
    )
    published: str = Field(description="Date the version was archived: the commit date, YYYY-MM-DD.")
    sequence: int = Field(ge=1, le=1_000_000, description="1 for the chart's first version, then 2, 3, ...")
    spec: dict[str, Any] = Field(description="The Vega-Lite spec, with inline data only.")
    compact: dict[str, Any] | None = Field(
        default=None,
        description="The same chart in the compact layout (phones), with inline data only; versions archived "
        "before compact layouts existed have none, and their embeds show the wide layout at every width.",
    )
    language: Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)] | None = Field(
        default=None,
        description="The language the chart is drawn in (its titles, axis, key and alt text), for a language "
        "other than English: each language's pages archive their own versions. Absent: English.",
    )

    @field_validator("published")
    @classmethod
    def _iso_date(cls, value: str) -> str:
        if not _ISO_DATE.match(value):
            raise ValueError("not a date YYYY-MM-DD")
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("not a real date") from None
        return value


@dataclass(frozen=True)
class Archive:
    """Every valid archived version, by chart id, oldest first; and what was wrong with the rest."""

    versions: dict[str, list[ChartVersion]]
    problems: list[Problem]

    def of(self, chart_id: str, language: str = SOURCE_LANGUAGE) -> list[ChartVersion]:
        """The versions of one chart drawn in one language, oldest first."""
        return [v for v in self.versions.get(chart_id, []) if (v.language or SOURCE_LANGUAGE) == language]


# --- JSON with positions ---------------------------------------------------------------------


class _Bad(Exception):
    def __init__(self, offset: int, code: str, message: str, hint: str = ""):
        super().__init__(message)
        self.offset, self.code, self.message, self.hint = offset, code, message, hint


def _positions(text: str) -> tuple[dict[tuple, int], dict[tuple, int]]:
    """Offsets of every value and every object key of valid JSON text, by path.

    json.loads has already accepted the text; this walk only records where things are, and
    refuses duplicate keys, nesting deeper than MAX_NESTING and more than MAX_NODES values.
    """
    marks: dict[tuple, int] = {}
    key_marks: dict[tuple, int] = {}
    nodes = 0

    def skip(i: int) -> int:
        while i < len(text) and text[i] in " \t\n\r":
            i += 1
        return i

    def value(i: int, path: tuple, depth: int) -> int:
        nonlocal nodes
        nodes += 1
        if nodes > MAX_NODES:
            raise _Bad(i, "chart-version-too-large", f"more than {MAX_NODES:,} JSON values")
        i = skip(i)
        marks[path] = i
        char = text[i]
        if char in "{[":
            if depth >= MAX_NESTING:
                raise _Bad(i, "chart-version-too-deep", f"nested deeper than {MAX_NESTING} levels")
            close = "}" if char == "{" else "]"
            i = skip(i + 1)
            if text[i] == close:
                return i + 1
            index, seen = 0, set()
            while True:
                if char == "{":
                    start = i
                    key, i = scanstring(text, i + 1)
                    if key in seen:
                        raise _Bad(
                            start, "chart-version-duplicate-key", f"key '{key}' appears twice in one object", "keep one"
                        )
                    seen.add(key)
                    key_marks[(*path, key)] = start
                    i = skip(skip(i) + 1)  # the colon
                    i = value(i, (*path, key), depth + 1)
                else:
                    i = value(i, (*path, index), depth + 1)
                    index += 1
                i = skip(i)
                if text[i] == close:
                    return i + 1
                i = skip(i + 1)  # the comma
        if char == '"':
            return scanstring(text, i + 1)[1]
        match = NUMBER_RE.match(text, i)
        if match:
            return match.end()
        for literal in ("true", "false", "null"):
            if text.startswith(literal, i):
                return i + len(literal)
        # json.loads takes NaN and Infinity; JSON does not, and neither does the spec hash.
        raise _Bad(i, "chart-version-invalid-json", "not valid JSON: NaN and Infinity are not JSON numbers")

    value(0, (), 0)
    return marks, key_marks


def parse_json(text: str, display: str) -> tuple[Located | None, list[Problem]]:
    """Strict JSON (no NaN, no duplicate keys, bounded depth) as Located data with line:column marks."""
    try:
        data = json.loads(text)  # NaN and Infinity pass here and are refused, located, by _positions
    except json.JSONDecodeError as exc:
        return None, [
            Problem(
                display,
                exc.lineno,
                exc.colno,
                "chart-version-invalid-json",
                f"not valid JSON: {exc.msg}",
                "restore the file from git: the archive is written by `python -m generator "
                "archive-charts`, not by hand",
            )
        ]
    except RecursionError:
        return None, [Problem(display, 1, 1, "chart-version-too-deep", f"nested deeper than {MAX_NESTING} levels")]
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        return None, [Problem(display, 1, 1, "chart-version-invalid-json", f"not valid JSON: {exc}")]
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_col(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    try:
        marks, key_marks = _positions(text)
    except _Bad as bad:
        line, column = line_col(bad.offset)
        return None, [Problem(display, line, column, bad.code, bad.message, bad.hint)]
    located = Located(display, data)
    located.marks.update({path: line_col(offset) for path, offset in marks.items()})
    located.key_marks.update({path: line_col(offset) for path, offset in key_marks.items()})
    return located, []


# --- what a spec may hold ---------------------------------------------------------------------


def external_references(spec: Any) -> list[tuple[tuple, str]]:
    """Every place a spec could make Vega fetch or link outside it: (path, what), in document order.

    Refused: any key named url or href (data.url, lookup data, image and href channels, mark
    properties, config), any image mark, and a $schema other than Vega-Lite's own address. Only
    inline `data.values` remain, so rendering needs no network at all.
    """
    found: list[tuple[tuple, str]] = []
    stack: list[tuple[tuple, Any]] = [((), spec)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                if isinstance(key, str) and key.lower() in EXTERNAL_KEYS:
                    found.append(((*path, key), f"key '{key}' refers to something outside the spec"))
                elif key == "mark" and (item == "image" or (isinstance(item, dict) and item.get("type") == "image")):
                    found.append(((*path, key), "an image mark loads an image from an address"))
                elif key == "$schema" and not (isinstance(item, str) and _SCHEMA_URL.match(item)):
                    found.append(((*path, key), "$schema is not a Vega-Lite schema address"))
            stack.extend(((*path, k), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(node))))
    return sorted(found, key=lambda item: [str(p) for p in item[0]])


def _strings(data: Any) -> list[tuple[tuple, str]]:
    """Every key and string value of JSON data with its path, in document order."""
    out: list[tuple[tuple, str]] = []
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            out.append((path, node))
        elif isinstance(node, dict):
            out.extend(((*path, k), k) for k in node)
            stack.extend(((*path, k), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(node))))
    return out


# --- reading the archive ----------------------------------------------------------------------


def _read_bounded(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The text of one regular file (no symlink, FIFO or device), at most MAX_FILE_BYTES, strict UTF-8."""
    try:
        info = path.lstat()
    except OSError as exc:
        return None, [Problem(display, 1, 1, "chart-version-unreadable", f"cannot read file: {exc.strerror}")]
    if not stat.S_ISREG(info.st_mode):
        kind = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a regular file"
        return None, [
            Problem(
                display, 1, 1, "chart-version-not-a-file", f"{kind}: the archive holds only JSON files", "remove it"
            )
        ]
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [Problem(display, 1, 1, "chart-version-unreadable", f"cannot read file: {exc.strerror}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            Problem(
                display, 1, 1, "chart-version-too-large", f"file is more than the limit of {MAX_FILE_BYTES:,} bytes"
            )
        ]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line, column = before.count(b"\n") + 1, exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(display, line, column, "chart-version-not-utf8", "file is not valid UTF-8")]


_TYPES = {"string_type": "text", "int_type": "a whole number", "dict_type": "an object", "bool_type": "true or false"}


def _schema_problems(located: Located, error: Any) -> Problem:
    at = tuple(error["loc"])
    field = ".".join(str(part) for part in at)
    kind = error["type"]
    if kind == "missing":
        return located.problem((), "chart-version-missing-field", f"required key '{field}' is missing")
    if kind == "extra_forbidden":
        return located.problem(
            at,
            "chart-version-unknown-key",
            f"unknown key '{field}'",
            "keys: chart, hash, published, sequence, spec, compact, language",
            key=True,
        )
    if kind in _TYPES:
        return located.problem(at, "chart-version-wrong-type", f"'{field}' must be {_TYPES[kind]}")
    if kind == "string_pattern_mismatch" and field == "language":
        return located.problem(
            at, "chart-version-invalid-value", "'language' is not a two-letter language code", "fr, for French"
        )
    if kind == "string_pattern_mismatch" and field == "hash":
        return located.problem(at, "chart-version-invalid-hash", "'hash' is not 12 lowercase hex digits")
    if kind == "string_pattern_mismatch":
        return located.problem(at, "chart-version-invalid-id", f"'{field}' is not a lowercase slug")
    if field == "published":
        return located.problem(
            at,
            "chart-version-invalid-date",
            f"'published' is {error['msg'].lower()}",
            "the date is written by archive-charts as YYYY-MM-DD",
        )
    return located.problem(at, "chart-version-invalid-value", f"'{field}': {error['msg']}")


#: check_file's answers by (SHA-256 of the text, display, folder, stem): a process that reads the archive
#: again (`serve` after every edit, `diff` on two trees, the test suite hundreds of times) checks each
#: file once; about 90% of `gather` on the seed was this check. Bounded, and keyed by a digest so
#: a large file is not held in memory.
_CHECKED: dict[tuple[str, str, str, str], tuple[ChartVersion | None, tuple[Problem, ...]]] = {}
_CHECKED_MAX = 4096


def check_file(text: str, display: str, folder: str, stem: str) -> tuple[ChartVersion | None, list[Problem]]:
    """Validate one archive file's text; the version, or the problems that keep it out (remembered: see _CHECKED).

    The version is shared between the callers that read the same file: the outputs only read it."""
    key = (hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), display, folder, stem)
    if key not in _CHECKED:
        if len(_CHECKED) >= _CHECKED_MAX:
            _CHECKED.clear()
        checked, found = _check_file(text, display, folder, stem)
        _CHECKED[key] = (checked, tuple(found))
    version, problems = _CHECKED[key]
    return version, list(problems)


def _check_file(text: str, display: str, folder: str, stem: str) -> tuple[ChartVersion | None, list[Problem]]:
    """check_file's work, done once per file content."""

    located, problems = parse_json(text, display)
    if located is None:
        return None, problems
    if not isinstance(located.data, dict):
        return None, [located.problem((), "chart-version-wrong-type", "an archived version is a JSON object")]
    try:
        version = ChartVersion.model_validate(located.data)
    except ValidationError as exc:
        return None, [_schema_problems(located, error) for error in exc.errors()]
    if version.chart != folder:
        problems.append(
            located.problem(
                ("chart",),
                "chart-version-chart-mismatch",
                f"'chart' is '{version.chart}' but the file is in the folder of '{folder}'",
            )
        )
    if version.hash != stem:
        problems.append(
            located.problem(
                ("hash",), "chart-version-hash-mismatch", f"'hash' is {version.hash} but the file is named {stem}.json"
            )
        )
    for field, spec in (("spec", version.spec), ("compact", version.compact or {})):
        for path, what in external_references(spec):
            problems.append(
                located.problem(
                    (field, *path),
                    "chart-spec-external-reference",
                    f"{field}: {what}",
                    "a chart's data is inline (data.values); nothing is fetched",
                    key=True,
                )
            )
    for path, text in _strings(located.data):
        if _INVISIBLE.search(text):
            problems.append(
                located.problem(
                    path,
                    "chart-version-invalid-character",
                    "text holds a control, bidirectional or non-character code point",
                    "an archived spec holds only what the build wrote: restore it from git",
                )
            )
            break
    description = version.spec.get("description")
    if description is not None and not isinstance(description, str):
        problems.append(
            located.problem(("spec", "description"), "chart-version-wrong-type", "'spec.description' must be text")
        )
    if not problems:
        try:
            actual = spec_hash(version.spec)
        except ValueError:  # a number too large for a float (1e400) reads as infinity: no valid hash
            actual = "(none: the spec holds a number JSON cannot write)"
        if actual != version.hash:
            problems.append(
                located.problem(
                    ("hash",),
                    "chart-version-hash-mismatch",
                    f"'hash' is {version.hash} but the spec's content hash is {actual}",
                    "an archived spec is never edited: restore it from git",
                )
            )
    return (None if problems else version), problems


def read(root: Path) -> Archive:
    """Every archived version under root/archive/charts, validated; invalid files are left out."""
    base = root / ARCHIVE_DIR
    display_base = ARCHIVE_DIR.as_posix()
    versions: dict[str, list[ChartVersion]] = {}
    problems: list[Problem] = []
    if not base.exists() and not base.is_symlink():
        return Archive(versions, problems)
    if base.is_symlink() or not base.is_dir():
        return Archive(
            versions,
            [
                Problem(
                    f"{display_base}/",
                    1,
                    1,
                    "chart-version-not-a-file",
                    f"{display_base} must be a folder, not a link or a file",
                )
            ],
        )
    for folder in sorted(base.iterdir(), key=lambda p: p.name):
        shown = f"{display_base}/{_printable(folder.name)}"
        if folder.is_symlink() or not folder.is_dir() or not _SLUG.match(folder.name):
            problems.append(
                Problem(
                    shown,
                    1,
                    1,
                    "chart-version-unexpected-entry",
                    "the archive holds one folder per chart id (a slug) and nothing else",
                    "remove it",
                )
            )
            continue
        found: list[ChartVersion] = []
        for path in sorted(folder.iterdir(), key=lambda p: p.name):
            display = f"{shown}/{_printable(path.name)}"
            if not _FILE_NAME.match(path.name):
                problems.append(
                    Problem(
                        display,
                        1,
                        1,
                        "chart-version-unexpected-entry",
                        "an archived version is named <12 hex digits>.json",
                        "remove it",
                    )
                )
                continue
            text, read_problems = _read_bounded(path, display)
            problems.extend(read_problems)
            if text is None:
                continue
            version, file_problems = check_file(text, display, folder.name, path.name[:-5])
            problems.extend(file_problems)
            if version is not None:
                found.append(version)
        by_sequence: dict[tuple[str, int], str] = {}  # each language numbers its own versions
        kept = []
        for version in found:
            key = (version.language or SOURCE_LANGUAGE, version.sequence)
            if key in by_sequence:
                problems.append(
                    Problem(
                        f"{shown}/{version.hash}.json",
                        1,
                        1,
                        "chart-version-duplicate-sequence",
                        f"sequence {version.sequence} is also {by_sequence[key]}.json",
                        "each version of a chart has its own sequence number",
                    )
                )
                continue
            by_sequence[key] = version.hash
            kept.append(version)
        if kept:
            versions[folder.name] = sorted(kept, key=lambda v: (v.published, v.sequence))
    return Archive(versions, problems)


def _printable(name: str) -> str:
    """A file name safe to print: control and non-ASCII characters escaped."""
    return name.encode("ascii", "backslashreplace").decode("ascii") if not name.isprintable() else name


# --- writing: the explicit archive-charts step ------------------------------------------------


class ArchiveError(Exception):
    """Archiving cannot run (no commit to date it from, or the data has problems)."""


def commit_date(root: Path) -> str:
    """The date to stamp a new version with: SOURCE_DATE_EPOCH, else the HEAD commit's date (UTC)."""
    epoch = git.source_date_epoch(root)
    if epoch is None:
        raise ArchiveError("no commit to date the versions from: commit the change first, or set SOURCE_DATE_EPOCH")
    return git.epoch_date(epoch)


def entry_text(version: ChartVersion) -> str:
    """The file text of one archived version (stable: sorted keys, one-space indent)."""
    data = version.model_dump(exclude_none=True)  # no "compact": null in a version archived without one
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def pending(root: Path, plotted: list[Any], archive: Archive, language: str = SOURCE_LANGUAGE) -> list[ChartVersion]:
    """The versions archive-charts would write for the charts of one language (`plotted`, drawn in it):
    every chart whose current spec is not archived yet, and the current version archived without its
    compact layout (completed with the one this same spec is drawn with: the data and the wide spec,
    whose hash names the version, stay as they were)."""
    new = []
    for item in plotted:
        known = archive.of(item.chart.id, language)
        same = next((v for v in known if v.hash == item.hash), None)
        if same is not None:
            if same.compact is None and item.compact is not None and not external_references(item.compact):
                new.append(same.model_copy(update={"compact": item.compact}))
            continue
        if external_references(item.spec):  # pragma: no cover - charts.chart_spec never writes one
            raise ArchiveError(f"chart '{item.chart.id}': its spec refers to something outside it")
        sequence = max((v.sequence for v in known), default=0) + 1
        new.append(
            ChartVersion(
                chart=item.chart.id,
                hash=item.hash,
                published="1970-01-01",
                sequence=sequence,
                spec=item.spec,
                compact=item.compact,
                language=None if language == SOURCE_LANGUAGE else language,
            )
        )
    return new


def add_versions(root: Path, new: list[ChartVersion], date: str) -> list[tuple[Path, ChartVersion]]:
    """Write each new version under archive/charts/<chart>/<hash>.json, dated `date`."""
    written = []
    for version in new:
        if version.published == "1970-01-01":  # a new version; a completed one keeps its date
            version = version.model_copy(update={"published": date})
        target = root / ARCHIVE_DIR / version.chart / f"{version.hash}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(entry_text(version), encoding="utf-8")
        written.append((target, version))
    return written


def spec_json(spec: dict[str, Any]) -> str:
    """The spec as stable, readable JSON (what is written and what the hash is taken of)."""
    return json.dumps(spec, indent=2, ensure_ascii=False, sort_keys=True, allow_nan=False) + "\n"


def compact_json(spec: dict[str, Any]) -> str:
    """The spec as compact canonical JSON: spec_json's keys and values without its indentation, which
    Python's C encoder writes (indented JSON is written in pure Python, about ten times slower)."""
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, allow_nan=False, separators=(",", ":"))


def spec_digest(spec: dict[str, Any]) -> str:
    """The SHA-256 (hex) of the spec's compact canonical JSON.

    Equal specs have equal digests, like spec_hash, at a fraction of its cost; it is not the content
    address a frozen version is published under (spec_hash is, of the indented text), so it names
    what is never published: the drawings in the image cache (charts.render_key)."""
    return hashlib.sha256(compact_json(spec).encode("utf-8")).hexdigest()


#: spec_hash's answers, keyed by spec_digest (see spec_hash).
_HASHES: dict[str, str] = {}


def spec_hash(spec: dict[str, Any]) -> str:
    """12 hex digits of the SHA-256 of the canonical spec JSON.

    The canonical JSON is indented, and `json` writes indented JSON in pure Python, about ten times
    slower than its C encoder writes compact JSON. A build hashes each spec 5-6 times (its cache keys,
    its archive check, its pages), so the answer is remembered by the digest of the compact JSON, which
    the C encoder writes: the indented text is a function of the compact one (same tokens, whitespace
    added), so equal compact texts have equal hashes. A spec changed after hashing has another key."""
    key = spec_digest(spec)
    known = _HASHES.get(key)
    if known is None:
        known = _HASHES[key] = hashlib.sha256(spec_json(spec).encode("utf-8")).hexdigest()[:12]
    return known
