"""Schema versions: check a file's `schema_version` and upgrade older files, in memory or on disk.

Version history of the fact file format:

- 0: a fact's number was bare (`value: 160e9`) with `kind: point | range | lower-bound`
  (a range gave `low:` and `high:` beside it, a lower bound its number in `value:`), and
  the quote was spread over `source_quote`, `source_language` and `source_translation`.
- 1: `value: {point | low, high | more_than | at_least | less_than | at_most}` and
  `quote: {text, language, translation}`.

Build and validate upgrade old files in memory; `python -m generator migrate` rewrites them
(the leading comment lines are kept; other comments and the layout of the YAML are not,
since files are re-dumped from data).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.inputs.load import Located, load_file
from generator.model.errors import Problem
from generator.model.schema import SCHEMA_VERSION

#: Where each version-1 path of a migrated fact came from in the version-0 file, for marks.
_V0_ORIGIN = {
    ("value", "point"): ("value",),
    ("value", "more_than"): ("value",),
    ("value", "low"): ("low",),
    ("value", "high"): ("high",),
    ("value",): ("kind",),
    ("quote",): ("source_quote",),
    ("quote", "text"): ("source_quote",),
    ("quote", "language"): ("source_language",),
    ("quote", "translation"): ("source_translation",),
}


def _fact_0_to_1(fact: Any) -> Any:
    """One version-0 fact as version 1; anything unexpected is left for validation to report."""
    if not isinstance(fact, dict):
        return fact
    fact = dict(fact)
    kind = fact.pop("kind", None)
    if kind == "range":
        fact["value"] = {"low": fact.pop("low", None), "high": fact.pop("high", None)}
    elif kind == "lower-bound" and "value" in fact:
        fact["value"] = {"more_than": fact["value"]}
    elif kind in (None, "point") and "value" in fact and not isinstance(fact["value"], dict):
        fact["value"] = {"point": fact["value"]}
    elif kind is not None:
        fact["kind"] = kind  # an unknown kind stays, to be reported as an unknown key
    if "source_quote" in fact:
        quote = {"text": fact.pop("source_quote"), "language": fact.pop("source_language", "en")}
        if "source_translation" in fact:
            quote["translation"] = fact.pop("source_translation")
        fact["quote"] = quote
    return fact


def migrate_0_to_1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 to 1: structured `value` and `quote` in facts; other sections are unchanged."""
    data = dict(data)
    if isinstance(data.get("facts"), list):
        data["facts"] = [_fact_0_to_1(fact) for fact in data["facts"]]
    return data


#: One function per version step: MIGRATIONS[n] turns a version-n document into version n+1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: migrate_0_to_1}
#: How paths moved in each step: {new sub-path of a fact: old sub-path}, so problems keep their lines.
PATH_MOVES: dict[int, dict[tuple, tuple]] = {0: _V0_ORIGIN}


def check_version(located: Located) -> Problem | None:
    """A problem when the file has no usable schema_version, else None."""
    data = located.data
    if "schema_version" not in data:
        return located.problem(
            (),
            "missing-schema-version",
            "the file does not declare schema_version",
            f"add 'schema_version: {SCHEMA_VERSION}' as the first key",
        )
    version = data["schema_version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < min(MIGRATIONS, default=1):
        return located.problem(
            ("schema_version",),
            "invalid-schema-version",
            f"schema_version must be a whole number, not {version!r}",
            f"the current version is {SCHEMA_VERSION}",
        )
    if version > SCHEMA_VERSION:
        return located.problem(
            ("schema_version",),
            "schema-version-unsupported",
            f"schema_version {version} is newer than this generator knows ({SCHEMA_VERSION})",
            "update the generator (git pull) before editing this file",
        )
    if version < SCHEMA_VERSION and any(v not in MIGRATIONS for v in range(version, SCHEMA_VERSION)):
        return located.problem(
            ("schema_version",),
            "schema-version-unsupported",
            f"no migration from schema_version {version}",
            f"known versions: {sorted(MIGRATIONS) + [SCHEMA_VERSION]}",
        )
    return None


def _map_marks(located: Located, version: int, data: dict[str, Any]) -> None:
    """Give the migrated paths the line and column of the nodes they came from."""
    moves = PATH_MOVES.get(version, {})
    facts = data.get("facts")
    if not moves or not isinstance(facts, list):
        return
    for index in range(len(facts)):
        base = ("facts", index)
        for new, old in moves.items():
            for marks in (located.marks, located.key_marks):
                if (*base, *old) in marks and (*base, *new) not in marks:
                    marks[(*base, *new)] = marks[(*base, *old)]


def upgrade(located: Located) -> dict[str, Any]:
    """The file's data upgraded to the current schema version, in memory (marks follow the moves)."""
    data = located.data
    version = data["schema_version"]
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        _map_marks(located, version, data)
        version += 1
        data["schema_version"] = version
    return data


def dump(data: dict[str, Any], header: str) -> str:
    """YAML text of upgraded data, schema_version first, after the file's leading comments."""
    ordered = {"schema_version": data["schema_version"], **{k: v for k, v in data.items() if k != "schema_version"}}
    body = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    return header + body


def _leading_comments(text: str) -> list[str]:
    """The comment lines (and blank lines) at the top of a file, such as the yaml-language-server one."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.startswith("#") or not line.strip():
            lines.append(line if line.endswith("\n") else line + "\n")
        else:
            break
    return lines


@dataclass
class Migration:
    """What `migrate` found: files it could not read, files behind, files it rewrote."""

    problems: list[Problem] = field(default_factory=list)
    stale: list[tuple[str, int]] = field(default_factory=list)  # (file, its schema_version)
    migrated: list[str] = field(default_factory=list)


def migrate_files(root: Path, paths: list[Path], check: bool) -> Migration:
    """Rewrite fact files written in an old schema version (with `check`, only say which)."""
    result = Migration()
    for path in paths:
        display = path.relative_to(root).as_posix()
        located, problems = load_file(path, display)
        if located is None or not isinstance(located.data, dict):
            result.problems.extend(problems)
            continue
        version_problem = check_version(located)
        if version_problem:
            result.problems.append(version_problem)
            continue
        version = located.data["schema_version"]
        if version == SCHEMA_VERSION:
            continue
        result.stale.append((display, version))
        if check:
            continue
        text = path.read_text(encoding="utf-8")
        header = "".join(line for line in _leading_comments(text))
        path.write_text(dump(upgrade(located), header), encoding="utf-8")
        result.migrated.append(display)
    return result
