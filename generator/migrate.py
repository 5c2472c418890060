"""Schema versions: check a file's `schema_version` and upgrade older files in memory."""

from __future__ import annotations

from typing import Any, Callable

from generator.errors import Problem
from generator.load import Located
from generator.schema import SCHEMA_VERSION

#: One function per version step: MIGRATIONS[n] turns a version-n document into version n+1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def check_version(located: Located) -> Problem | None:
    """A problem when the file has no usable schema_version, else None."""
    data = located.data
    if "schema_version" not in data:
        return located.problem((), "missing-schema-version", "the file does not declare schema_version",
                               f"add 'schema_version: {SCHEMA_VERSION}' as the first key")  # fmt: skip
    version = data["schema_version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return located.problem(("schema_version",), "invalid-schema-version",
                               f"schema_version must be a whole number, not {version!r}",
                               f"the current version is {SCHEMA_VERSION}")  # fmt: skip
    if version > SCHEMA_VERSION:
        return located.problem(("schema_version",), "schema-version-unsupported",
                               f"schema_version {version} is newer than this generator knows ({SCHEMA_VERSION})",
                               "update the generator (git pull) before editing this file")  # fmt: skip
    if version < SCHEMA_VERSION and any(v not in MIGRATIONS for v in range(version, SCHEMA_VERSION)):
        return located.problem(("schema_version",), "schema-version-unsupported",
                               f"no migration from schema_version {version}",
                               f"known versions: {sorted(MIGRATIONS) + [SCHEMA_VERSION]}")  # fmt: skip
    return None


def upgrade(located: Located) -> dict[str, Any]:
    """The file's data upgraded to the current schema version, in memory."""
    data = located.data
    version = data["schema_version"]
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["schema_version"] = version
    return data
