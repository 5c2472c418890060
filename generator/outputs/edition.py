"""The newest dataset release, which every "Cite this" names, and what it held (read once per build)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.inputs import releases

#: Fields compared with the newest release: a change in any of them is a change readers would cite.
COMPARED = ("kind", "value", "low", "high", "bound_strict", "unit", "status", "retracted")


@dataclass(frozen=True)
class Edition:
    """The newest dataset release, which citations name, and what it held; read once per build."""

    version: str | None
    date: str | None
    rows: dict[str, dict[str, dict[str, Any]]]  # "facts.json" / "derived.json" -> {id: released row}

    def data_url(self, site_url: str, name: str) -> str:
        """The versioned permalink of one download of this release."""
        return f"{site_url.rstrip('/')}/data/v{self.version}/{name}"

    def state(self, name: str, row: dict[str, Any]) -> str:
        """released, changed, added or unreleased: how a current row stands against this release."""
        if self.version is None:
            return "unreleased"
        old = self.rows.get(name, {}).get(str(row.get("id")))
        if old is None:
            return "added"
        return "changed" if any(old.get(k) != row.get(k) for k in COMPARED if k in row or k in old) else "released"


def read_edition(root: Path) -> Edition:
    """The newest folder in releases/ with its facts and derived figures (an empty edition before any)."""
    found = releases.releases(root)
    if not found:
        return Edition(None, None, {})
    version, folder = list(found.items())[-1]
    changelog = root / releases.CHANGELOG
    dates = releases.changelog_versions(changelog.read_text(encoding="utf-8")) if changelog.is_file() else {}
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    for name in ("facts.json", "derived.json"):
        try:
            data = json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = []  # a release without this file holds none of its rows: pages say "added after"
        rows[name] = {str(r.get("id")): r for r in data if isinstance(r, dict)}
    return Edition(version, dates.get(version), rows)
