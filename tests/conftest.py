"""Shared fixtures: the project root and throwaway copies of the project to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's inputs (facts, archive, templates, site_src, mkdocs.yml) in a temp folder."""
    dest = tmp_path / "project"
    dest.mkdir()
    for name in ("facts", "archive", "templates", "site_src"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns(".generated.json"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest
