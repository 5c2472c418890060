"""Releases: CHANGELOG and SemVer checks, immutable release folders, Frictionless data packages."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.outputs import release
from generator.pipeline.build import build, gather
from tests.conftest import ROOT
from tests.test_contributor_scenario import BUDGET_2026, HISTORY, VALUE_2026, cli, edit

#: Slow (the release command and builds in subprocesses): `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow

FRICTIONLESS = Path(sys.executable).parent / "frictionless"


@pytest.fixture
def project_with_changelog(project: Path) -> Path:
    shutil.copy(ROOT / "CHANGELOG.md", project / "CHANGELOG.md")
    return project


def add_section(root: Path, version: str, date: str | None = "2026-12-01") -> None:
    path = root / "CHANGELOG.md"
    heading = f"## [{version}]" + (f" - {date}" if date else "")
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "## [Unreleased]\n", f"## [Unreleased]\n\n{heading}\n\n### Corrected\n\n- something\n"
        ),
        encoding="utf-8",
    )


def frictionless_valid(descriptor: Path) -> None:
    done = subprocess.run([str(FRICTIONLESS), "validate", "--json", str(descriptor)], capture_output=True, text=True)
    report = json.loads(done.stdout)
    assert report["valid"], json.dumps(report, indent=1)[:3000]


def test_changelog_sections_are_parsed():
    versions = release.changelog_versions((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert versions["0.1.0"] == "2026-11-26"


def test_committed_first_release_matches_its_changelog_and_validates():
    folder = ROOT / "releases" / "v0.1.0"
    assert sorted(p.name for p in folder.iterdir()) == sorted(release.FILES)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == "0.1.0" and package["licenses"][0]["name"] == "CC-BY-4.0"
    frictionless_valid(folder / "datapackage.json")


def test_release_command_checks_then_writes_an_immutable_folder(project_with_changelog: Path):
    root = project_with_changelog
    missing = cli(root, "release", "0.2.0")
    assert missing.returncode == 1
    assert "CHANGELOG.md has no section '## [0.2.0] - YYYY-MM-DD'" in missing.stderr
    assert cli(root, "release", "1.2").stderr.strip() == "release: '1.2' is not a version X.Y.Z (e.g. 0.2.0)"
    first = cli(root, "release", "0.1.0")
    assert first.returncode == 0, first.stderr
    written = {p.name: p.read_bytes() for p in (root / "releases" / "v0.1.0").iterdir()}
    assert sorted(written) == sorted(release.FILES)
    again = cli(root, "release", "0.1.0")
    assert again.returncode == 1 and "already exists: releases are immutable" in again.stderr
    assert {p.name: p.read_bytes() for p in (root / "releases" / "v0.1.0").iterdir()} == written

    add_section(root, "0.0.9")
    assert "0.0.9 is not greater than the last release 0.1.0" in cli(root, "release", "0.0.9").stderr
    add_section(root, "0.1.1", date=None)
    assert "the section for 0.1.1 has no date" in cli(root, "release", "0.1.1").stderr


def test_bump_must_match_what_the_data_changed(project_with_changelog: Path):
    root = project_with_changelog
    assert cli(root, "release", "0.1.0").returncode == 0
    edit(root / "facts" / "investment.yaml", VALUE_2026, HISTORY)  # a correction only: patch
    add_section(root, "0.1.1")
    assert cli(root, "release", "0.1.1").returncode == 0
    text = (root / "facts" / "investment.yaml").read_text(encoding="utf-8")
    start = text.index(f"  - id: {BUDGET_2026}\n")
    end = text.index("  - id:", start + 1)
    extra = text[start:end].replace(f"id: {BUDGET_2026}\n", f"id: {BUDGET_2026}-copy\n")
    (root / "facts" / "investment.yaml").write_text(text + extra, encoding="utf-8")
    add_section(root, "0.1.2")
    refused = cli(root, "release", "0.1.2")
    assert refused.returncode == 1
    assert "0.1.2 is a patch release after 0.1.1, but the data needs a minor release" in refused.stderr
    add_section(root, "0.2.0")
    assert cli(root, "release", "0.2.0").returncode == 0


def test_build_publishes_releases_and_latest(project_with_changelog: Path):
    root = project_with_changelog
    assert cli(root, "release", "0.1.0").returncode == 0
    build(root, run_engine=False)
    data = root / "site_src" / "data"
    for folder in ("v0.1.0", "latest"):
        assert sorted(p.name for p in (data / folder).iterdir()) == sorted(release.FILES)
    assert (data / "v0.1.0" / "facts.csv").read_bytes() == (root / "releases" / "v0.1.0" / "facts.csv").read_bytes()
    assert (data / "facts.json").is_file()  # the export stage's files are untouched
    frictionless_valid(data / "latest" / "datapackage.json")
    package = json.loads((data / "latest" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == "0.1.0"
    facts = next(r for r in package["resources"] if r["name"] == "facts")
    assert facts["schema"]["foreignKeys"][0]["reference"] == {"resource": "sources", "fields": ["id"]}
    assert all(f.get("description") for r in package["resources"] for f in r["schema"]["fields"])


def test_sources_csv_neutralises_formulas(project_with_changelog: Path):
    root = project_with_changelog
    edit(root / "facts" / "sources.yaml", "    publisher: Financial Times\n", '    publisher: =HYPERLINK("x")\n')
    files = release.release_files(gather(root), "0.1.0")
    assert '\'=HYPERLINK(""x"")' in files["sources.csv"]
