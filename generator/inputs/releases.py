"""The committed releases (releases/vX.Y.Z/) and the versions CHANGELOG.md names: read-only inputs."""

from __future__ import annotations

import re
from pathlib import Path

RELEASES_DIR = "releases"
CHANGELOG = "CHANGELOG.md"
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\](?: - (\d{4}-\d{2}-\d{2}))?\s*$", re.MULTILINE)


def parse_version(text: str) -> tuple[int, int, int] | None:
    """(major, minor, patch) of an X.Y.Z version, or None."""
    match = _VERSION.match(text)
    if not match:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch)


def version_key(text: str) -> tuple[int, int, int]:
    """(major, minor, patch) of a version already known to be X.Y.Z (a release folder or changelog heading)."""
    parsed = parse_version(text)
    if parsed is None:  # pragma: no cover - callers pass only versions matched by _VERSION or _HEADING
        raise ValueError(f"'{text}' is not a version X.Y.Z")
    return parsed


def changelog_versions(text: str) -> dict[str, str | None]:
    """{version: date or None} of every release section of a Keep a Changelog file."""
    return {m.group(1): m.group(2) for m in _HEADING.finditer(text)}


def releases(root: Path) -> dict[str, Path]:
    """Every committed release folder, {X.Y.Z: path}, oldest first."""
    base = root / RELEASES_DIR
    found = (
        {p.name[1:]: p for p in base.glob("v*") if p.is_dir() and parse_version(p.name[1:])} if base.is_dir() else {}
    )
    return dict(sorted(found.items(), key=lambda item: version_key(item[0])))


def latest_version(root: Path) -> str:
    """The newest version named in CHANGELOG.md, else the newest release, else 0.0.0."""
    path = root / CHANGELOG
    versions = list(changelog_versions(path.read_text(encoding="utf-8"))) if path.is_file() else []
    versions += list(releases(root))
    return max(versions, key=version_key, default="0.0.0")
