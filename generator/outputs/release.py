"""Dataset releases: `python -m generator release X.Y.Z` and the versioned downloads.

A release is a committed, never-rewritten folder releases/vX.Y.Z/ with the data as it was
(facts, derived figures and sources as CSV and JSON, and a Frictionless datapackage.json).
The version follows SemVer for data: major when the schema changes, minor when facts are
added or removed, patch for corrections only. CHANGELOG.md (Keep a Changelog) must have
the release's dated section first. The build stage copies every release into
data/vX.Y.Z/ and writes the current data into data/latest/.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.inputs.dataset import Dataset
from generator.inputs.releases import (
    CHANGELOG,
    RELEASES_DIR,
    changelog_versions,
    latest_version,
    parse_version,
    releases,
    version_key,
)
from generator.model.schema import SCHEMA_VERSION
from generator.outputs import export, i18n
from generator.outputs.columns import COLUMNS, DERIVED_COLUMNS, FACT_COLUMNS, SOURCE_COLUMNS
from generator.outputs.context import Gathered
from generator.outputs.pages import Site

FILES = ("facts.csv", "facts.json", "derived.csv", "derived.json", "sources.csv", "datapackage.json")


def source_rows(dataset: Dataset) -> list[dict[str, Any]]:
    """One row per source, in id order."""
    rows = []
    for sid in sorted(dataset.sources):
        source = dataset.sources[sid].model
        row = source.model_dump()
        row["cites"] = " ".join(source.cites)
        rows.append({c: row.get(c) for c in SOURCE_COLUMNS})
    return rows


def _schema(columns: list[str], foreign: list[dict] | None = None, root: Path | None = None) -> dict[str, Any]:
    # A description per site language: Table Schema's `description` is English, and `descriptions`
    # (a custom property, which Table Schema allows) holds every language's, from the catalogs.
    catalogs = {language: i18n.translations(root, language) for language in i18n.languages(root)} if root else {}
    fields = [
        {
            "name": c,
            "type": COLUMNS[c].type,
            "description": COLUMNS[c].description,
            **(
                {"descriptions": {lang: cat.gettext(COLUMNS[c].description) for lang, cat in catalogs.items()}}
                if len(catalogs) > 1
                else {}
            ),
        }
        for c in columns
    ]
    schema: dict[str, Any] = {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def datapackage(dataset: Dataset, version: str, site: Site) -> dict[str, Any]:
    """A Frictionless Data Package descriptor for the three CSV files."""
    sources = [
        {"title": f"{s.model.publisher}: {s.model.title}", **({"path": s.model.url} if s.model.url else {})}
        for s in dataset.sources.values()
    ]
    on_source = {"fields": ["source"], "reference": {"resource": "sources", "fields": ["id"]}}
    return {
        "name": site.slug,
        "title": site.name,
        "description": "Sourced, checkable facts about AI infrastructure, each with its source and quote, "
        "and figures derived from them.",
        "version": version,
        "schema_version": SCHEMA_VERSION,
        "homepage": site.url,
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "license_note": "The data is CC-BY-4.0. Quotes remain the words of their publishers and are "
        "reproduced as short citations.",
        "sources": sources,
        "resources": [
            {
                "name": "facts",
                "path": "facts.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(FACT_COLUMNS, [on_source], dataset.root),
            },
            {
                "name": "derived",
                "path": "derived.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(DERIVED_COLUMNS, root=dataset.root),
            },
            {
                "name": "sources",
                "path": "sources.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(SOURCE_COLUMNS, root=dataset.root),
            },
        ],
    }


def release_files(gathered: Gathered, version: str) -> dict[str, str]:
    """The six files of one release (or of data/latest), by file name."""
    dataset, derivation = gathered.dataset, gathered.derivation
    downloads = export.downloads(dataset, derivation)
    files = {name.removeprefix("data/"): text for name, text in downloads.items()}
    files["sources.csv"] = export.to_csv(source_rows(dataset), SOURCE_COLUMNS)
    files["datapackage.json"] = export.to_json(datapackage(dataset, version, gathered.site))
    return {name: files[name] for name in FILES}


name = "release"


def outputs(ctx: Gathered) -> Iterable[tuple[str, str | bytes]]:
    """Stage entry point for the build: data/vX.Y.Z/ for every release and data/latest/."""
    for version, folder in releases(ctx.root).items():
        for file in FILES:
            if (folder / file).is_file():
                yield f"data/v{version}/{file}", (folder / file).read_bytes()
    for file, text in release_files(ctx, latest_version(ctx.root)).items():
        yield f"data/latest/{file}", text


def required_bump(previous: Path, gathered: Gathered) -> str:
    """major, minor or patch: what the data changed since the release in `previous`."""
    package = json.loads((previous / "datapackage.json").read_text(encoding="utf-8"))
    if package.get("schema_version") != SCHEMA_VERSION:
        return "major"
    old_ids = {row["id"] for row in json.loads((previous / "facts.json").read_text(encoding="utf-8"))}
    return "minor" if old_ids != set(gathered.dataset.facts) else "patch"


def bump_of(old: tuple[int, int, int], new: tuple[int, int, int]) -> str:
    """Which part a version step raises."""
    return "major" if new[0] > old[0] else "minor" if new[1] > old[1] else "patch"


def check(root: Path, version: str, gathered: Gathered) -> list[str]:
    """Everything that stops releasing `version`, as messages (empty when it may go)."""
    new = parse_version(version)
    if new is None:
        return [f"'{version}' is not a version X.Y.Z (e.g. 0.2.0)"]
    problems = []
    if (root / RELEASES_DIR / f"v{version}").exists():
        return [f"{RELEASES_DIR}/v{version}/ already exists: releases are immutable (choose a new version)"]
    path = root / CHANGELOG
    sections = changelog_versions(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if version not in sections:
        problems.append(
            f"{CHANGELOG} has no section '## [{version}] - YYYY-MM-DD': add one listing what was "
            "Added, Corrected and Retracted"
        )
    elif not sections[version]:
        problems.append(f"{CHANGELOG}: the section for {version} has no date: write '## [{version}] - YYYY-MM-DD'")
    past = releases(root)
    if past:
        last = list(past)[-1]
        old = version_key(last)
        if new <= old:
            problems.append(f"{version} is not greater than the last release {last}")
        else:
            needed = required_bump(past[last], gathered)
            order = ["patch", "minor", "major"]
            if order.index(bump_of(old, new)) < order.index(needed):
                problems.append(
                    f"{version} is a {bump_of(old, new)} release after {last}, but the data needs a "
                    f"{needed} release (major: schema changed; minor: facts added or removed; "
                    "patch: corrections only)"
                )
    if gathered.report.errors:
        problems.append(f"the data has {len(gathered.report.errors)} errors: run `python -m generator validate`")
    return problems


def write_release(root: Path, version: str, gathered: Gathered) -> Path:
    """Write releases/vX.Y.Z/ (the caller has run `check`); return the folder."""
    folder = root / RELEASES_DIR / f"v{version}"
    folder.mkdir(parents=True)
    for name, text in release_files(gathered, version).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
