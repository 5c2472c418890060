"""`python -m generator new fact|source|derived|chart`: write a valid skeleton in the right file.

Each field comes from a flag, or from a prompt when a terminal is attached; without a
terminal a missing required field is a usage error (exit 2) naming the flag. The record is
appended to its section (a fact to the topic file of its metric, a source to sources.yaml
with a document file under facts/documents/ for its quotes, a derived figure to
derived.yaml, a chart to charts.yaml), then the project is validated and the new record's
problems, if any, are printed with their fix.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.inputs.files import FACTS_DIR
from generator.model.errors import Problem
from generator.pipeline.build import gather

HEADER = "# yaml-language-server: $schema=../schema/facts.schema.json\nschema_version: 1\n"
DOCUMENT_PLACEHOLDER = (
    "Replace this file's content with the text of the source, copied as it is published\n"
    "(plain UTF-8 text; keep the original language). Quotes are checked against it word for word.\n"
)


@dataclass(frozen=True)
class Ask:
    """One field of a skeleton: its flag, its prompt, and a default (None: required)."""

    flag: str
    prompt: str
    default: str | Callable[[dict[str, str]], str] | None = None
    optional: bool = False


FIELDS: dict[str, tuple[Ask, ...]] = {
    "source": (
        Ask("publisher", "Publisher (e.g. Reuters)"),
        Ask("title", "Title of the document"),
        Ask("url", "Address (http or https)", optional=True),
        Ask("published", "Publication date (YYYY-MM-DD, YYYY-MM or YYYY)"),
        Ask("language", "Language of the document (BCP 47, e.g. en, fr)", "en"),
        Ask(
            "role",
            "Role (document-read, primary-reporter, data-provider, company-statement, official)",
            "document-read",
        ),
        Ask("id", "Id (lowercase-with-hyphens)", lambda v: _slug(f"{v['publisher']} {v['title']}")[:60].strip("-")),
        Ask("text_file", "A text file holding the document's text (empty: write a placeholder)", optional=True),
    ),
    "fact": (
        Ask("entity", "Entity id (see facts/entities.yaml)"),
        Ask("metric", "Metric id (see facts/metrics.yaml)"),
        Ask("period", "Period (2026, 2026-H1, 2026-Q1, 2025-08, 2025-12-08)"),
        Ask("id", "Id", lambda v: _slug(f"{v['entity']}-{v['metric']}-{v['period']}")),
        Ask("statement", "One English sentence saying the fact"),
        Ask(
            "value",
            "Value: 85e9, a range 350e9..400e9, or a bound >30e12 >=30e12 <5 <=5 (empty: an event)",
            optional=True,
        ),
        Ask("unit", "Unit (USD, CNY, chip, user, token/day, ...)", optional=True),
        Ask("status", "Status (reported, planned, estimated, announced, intention, forecast)", "reported"),
        Ask("as_of", "As of (the date the claim was made)", lambda v: v["period"]),
        Ask("source", "Source id (the document read, in facts/sources.yaml)"),
        Ask("quote", "The supporting words, verbatim, in the source's language"),
        Ask("quote_language", "Language of the quote", "en"),
        Ask("translation", "English translation of the quote (required when not in English)", optional=True),
        Ask("file", "Topic file under facts/ (default: where facts of that metric are)", optional=True),
    ),
    "derived": (
        Ask("id", "Id"),
        Ask("title", "Title"),
        Ask("explanation", "One line saying what the figure means"),
        Ask("formula", "Formula over {fact-id} references, e.g. {a} / {b} - 1"),
        Ask("unit", "Unit of the result (USD, percent, dimensionless, ...)"),
        Ask("across_periods", "Why it combines facts of different periods, if it does", optional=True),
    ),
    "chart": (
        Ask("id", "Id"),
        Ask("kind", "Kind (comparison or time-series)", "comparison"),
        Ask("title", "Title"),
        Ask("unit", "Unit the chart plots in"),
        Ask("series", "Fact or derived ids to plot, separated by commas"),
    ),
}
#: Which file and section each kind of record goes to.
TARGETS = {
    "source": ("sources.yaml", "sources"),
    "fact": (None, "facts"),
    "derived": ("derived.yaml", "derived"),
    "chart": ("charts.yaml", "charts"),
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.()/'’%+-]*[A-Za-z0-9.)%]$")
_LOOKS_SPECIAL = re.compile(r"^(true|false|yes|no|on|off|null|~)$", re.IGNORECASE)


def yaml_text(value: str) -> str:
    """A string as YAML that reads back as the same string: plain when safe, else double-quoted."""
    if _PLAIN.match(value) and not _LOOKS_SPECIAL.match(value) and ": " not in value and " #" not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def value_yaml(text: str) -> str:
    """`85e9` -> {point: 85e9}; `350e9..400e9` -> {low, high}; `>30e12` -> {more_than: 30e12}; ..."""
    text = text.strip().replace(" ", "")
    number = r"[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?"
    forms = ((r">=", "at_least"), (r"<=", "at_most"), (r">", "more_than"), (r"<", "less_than"))
    for sign, name in forms:
        if text.startswith(sign) and re.fullmatch(number, text[len(sign) :]):
            return f"{{{name}: {text[len(sign) :]}}}"
    if ".." in text:
        low, high = text.split("..", 1)
        if re.fullmatch(number, low) and re.fullmatch(number, high):
            return f"{{low: {low}, high: {high}}}"
    if re.fullmatch(number, text):
        return f"{{point: {text}}}"
    raise ValueError(f"'{text}' is not a number, a range a..b or a bound >a, >=a, <a, <=a")


class UsageError(Exception):
    """A missing or unreadable flag: exit 2 with the message."""


def item_yaml(kind: str, v: dict[str, str], approximate: bool = False) -> str:
    """The record as YAML lines, indented as an item of its section."""
    lines: list[str] = [f"  - id: {v['id']}"]

    def put(key: str, value: str, raw: bool = False, indent: int = 4) -> None:
        if value:
            lines.append(" " * indent + f"{key}: {value if raw else yaml_text(value)}")

    if kind == "source":
        put("role", v["role"])
        put("publisher", v["publisher"])
        put("title", v["title"])
        put("url", v["url"])
        put("published", v["published"], raw=re.fullmatch(r"[0-9-]+", v["published"]) is not None)
        put("language", v["language"])
        put("document", f"documents/{v['id']}.{v['language']}.txt")
    elif kind == "fact":
        for key in ("entity", "metric"):
            put(key, v[key])
        put("period", v["period"], raw=re.fullmatch(r"[0-9A-Z-]+", v["period"]) is not None)
        put("statement", v["statement"])
        if v["value"]:
            put("value", value_yaml(v["value"]), raw=True)
            put("unit", v["unit"])
        if approximate:
            put("approximate", "true", raw=True)
        put("status", v["status"])
        put("as_of", v["as_of"], raw=re.fullmatch(r"[0-9-]+", v["as_of"]) is not None)
        put("source", v["source"])
        lines.append("    quote:")
        put("text", v["quote"], indent=6)
        put("language", v["quote_language"], indent=6)
        put("translation", v["translation"], indent=6)
    elif kind == "derived":
        for key in ("title", "explanation", "formula", "unit", "across_periods"):
            put(key, v.get(key) or "")
    else:
        for key in ("kind", "title", "unit"):
            put(key, v[key])
        lines.append("    series:")
        lines.extend(f"      - ref: {ref.strip()}" for ref in v["series"].split(",") if ref.strip())
    return "\n".join(lines) + "\n"


def insert_item(path: Path, section: str, item: str) -> None:
    """Append an item at the end of a section of a fact file (creating the file or section if needed)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    if not text.endswith("\n"):
        text += "\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(rf"^{section}:\s*(#.*)?$", line)), None)
    if start is None:
        path.write_text(text + f"{section}:\n" + item, encoding="utf-8")
        return
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^[A-Za-z_]", lines[i])), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # keep blank lines after the section where they were
    path.write_text("".join(lines[:end]) + item + "".join(lines[end:]), encoding="utf-8")


def _fact_file(root: Path, v: dict[str, str]) -> Path:
    """The topic file a new fact goes to: --file, else the file holding facts of the same metric."""
    base = root / FACTS_DIR
    if v.get("file"):
        name = v["file"] if v["file"].endswith(".yaml") else v["file"] + ".yaml"
        return base / Path(name).name
    pattern = re.compile(rf"^\s+metric:\s*{re.escape(v['metric'])}\s*$", re.MULTILINE)
    for path in sorted(base.glob("*.yaml")):
        if re.search(r"^facts:", path.read_text(encoding="utf-8"), re.MULTILINE) and pattern.search(
            path.read_text(encoding="utf-8")
        ):
            return path
    return base / f"{v['metric']}.yaml"


@dataclass
class Written:
    """What `new` wrote: the files, notes to show, and the record's problems once validated."""

    target: Path
    files: list[Path]
    notes: list[str]
    problems: list[Problem]


def write_skeleton(root: Path, record: str, values: dict[str, str], approximate: bool = False) -> Written:
    """Append the skeleton to its file (and a document for a source), then validate the project.

    Raises UsageError when a value cannot be written (a bad number, an existing document).
    """
    item = item_yaml(record, values, approximate=approximate)
    name, section = TARGETS[record]
    target = _fact_file(root, values) if name is None else root / FACTS_DIR / name
    written, notes = [target], []
    if record == "source":
        document = root / FACTS_DIR / "documents" / f"{values['id']}.{values['language']}.txt"
        document.parent.mkdir(parents=True, exist_ok=True)
        if values["text_file"]:
            if document.exists():
                raise UsageError(f"new source: {document.relative_to(root)} already exists")
            shutil.copyfile(values["text_file"], document)
            written.append(document)
        elif document.exists():
            notes.append(f"kept {document.relative_to(root)} as the source's document")
        else:
            document.write_text(DOCUMENT_PLACEHOLDER, encoding="utf-8")
            written.append(document)
    insert_item(target, section, item)
    problems = [p for p in gather(root).report.sorted() if p.file == target.relative_to(root).as_posix()]
    return Written(target, written, notes, problems)
