"""Schema migrations: a version-0 file validates like its version-1 form, in memory and on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.inputs import migrate
from generator.inputs.load import parse_yaml
from generator.pipeline.build import gather
from tests.conftest import ROOT
from tests.test_contributor_scenario import cli

FIXTURES = ROOT / "tests" / "fixtures"
#: One fixture folder per past schema version: every file in it replaces the project's file of that name.
PAST_VERSIONS = {0: FIXTURES / "schema-v0"}


def facts_of(root: Path) -> dict:
    gathered = gather(root)
    assert gathered.report.errors == []
    # `featured` came after version 0, so a migrated file has its default; compare without it.
    return {fid: record.model.model_copy(update={"featured": False}) for fid, record in gathered.dataset.facts.items()}


def install(project: Path, version: int) -> list[str]:
    names = sorted(p.name for p in PAST_VERSIONS[version].glob("*.yaml"))
    assert names, "a past-version fixture folder holds no file"
    for name in names:
        text = (PAST_VERSIONS[version] / name).read_text(encoding="utf-8")
        assert f"schema_version: {version}\n" in text
        shutil.copy(PAST_VERSIONS[version] / name, project / "facts" / name)
    return names


def test_every_past_version_has_a_migration_and_a_fixture():
    assert sorted(PAST_VERSIONS) == sorted(migrate.MIGRATIONS)


def test_past_versions_validate_in_memory_like_the_current_files(project: Path):
    expected = facts_of(project)
    for version in PAST_VERSIONS:
        install(project, version)
        assert facts_of(project) == expected


@pytest.mark.slow  # a build or the command line in a subprocess
def test_migrate_command_rewrites_files_and_check_agrees(project: Path):
    expected = facts_of(project)
    for version in PAST_VERSIONS:
        names = install(project, version)
        check = cli(project, "migrate", "--check")
        assert check.returncode == 1
        assert f"facts/{names[0]}: schema_version {version} needs migrating to 1" in check.stderr
        done = cli(project, "migrate")
        assert done.returncode == 0, done.stderr
        assert f"migrated facts/{names[0]}: schema_version {version} -> 1" in done.stdout
        text = (project / "facts" / names[0]).read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../schema/facts.schema.json\n")
        assert "\nschema_version: 1\n" in text and "\n  source_quote:" not in text
        assert cli(project, "migrate", "--check").returncode == 0
        assert facts_of(project) == expected


def test_problems_in_migrated_facts_keep_their_lines(project: Path):
    install(project, 0)
    path = project / "facts" / "investment.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    low = next(i for i, line in enumerate(lines) if line.strip() == "low: 350e9")
    lines[low] = "  low: 450e9"  # now greater than high
    language = next(i for i, line in enumerate(lines) if line.strip() == "source_language: fr")
    lines[language] = "  source_language: french!"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = {(p.line, p.column, p.code) for p in gather(project).report.errors if p.file == "facts/investment.yaml"}
    # The version-1 `value` mapping did not exist in the file: its problems point at the `kind:` line it came from.
    assert found == {(low, 3, "range-inverted"), (language + 1, 20, "invalid-language")}


def test_lower_bound_and_unknown_kind():
    located, _ = parse_yaml(
        "schema_version: 0\nfacts:\n  - {id: a, value: 30e12, kind: lower-bound}\n  - {id: b, value: 1, kind: guess}\n",
        "facts/x.yaml",
    )
    data = migrate.upgrade(located)
    assert data["schema_version"] == 1
    assert data["facts"][0]["value"] == {"more_than": 30e12} and "kind" not in data["facts"][0]
    assert data["facts"][1]["kind"] == "guess"  # left for validation to report as an unknown key


def test_future_negative_and_missing_versions_are_clear_errors():
    for text, code in [
        ("schema_version: 99\n", "schema-version-unsupported"),
        ("schema_version: -1\n", "invalid-schema-version"),
        ("schema_version: '1'\n", "invalid-schema-version"),
        ("facts: []\n", "missing-schema-version"),
    ]:
        located, _ = parse_yaml(text, "facts/x.yaml")
        assert migrate.check_version(located).code == code
