"""Shared fixtures: the project root and throwaway copies of the project to break."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _generated_files(folder: str, names: list[str]) -> set[str]:
    """copytree's ignore: the manifest and every file a build wrote into site_src/ (listed in it)."""
    manifest = ROOT / "site_src" / ".generated.json"
    generated = set(json.loads(manifest.read_text(encoding="utf-8"))) if manifest.is_file() else set()
    here = Path(folder).relative_to(ROOT / "site_src")
    return {n for n in names if n == ".generated.json" or (here / n).as_posix() in generated}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's inputs (facts, archive, templates, site_src, mkdocs.yml) in a temp folder.

    site_src/ is copied without what an earlier build of this checkout generated there (`make site` runs
    before the suite), so a copy starts as a fresh clone does."""
    dest = tmp_path / "project"
    dest.mkdir()
    for name in ("facts", "archive", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copytree(ROOT / "site_src", dest / "site_src", ignore=_generated_files)
    for folder in sorted((dest / "site_src").rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):  # held only generated files
            folder.rmdir()
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest
