"""Shared fixtures: the project root and throwaway copies of the project to break; Hypothesis profiles."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.cases import dropper  # noqa: F401 - the case harness's fixture, shared by its two suites

ROOT = Path(__file__).resolve().parent.parent
#: The checkout's chart cache (content-addressed renders, warmed by `make site`), shared by every copy.
CHART_CACHE = ROOT / ".generator-cache" / "charts"

# One place for the property tests' budgets. No deadline: on a loaded 2-core machine a 200 ms
# deadline fails at random. `dev` for everyday runs, `ci` (the default under CI=true) tries more,
# `fuzz` is `make fuzz`'s long run. HYPOTHESIS_PROFILE picks one.
_QUIET = [HealthCheck.too_slow]
settings.register_profile("dev", max_examples=100, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("ci", max_examples=400, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("fuzz", max_examples=5_000, deadline=None, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"))


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
    if CHART_CACHE.is_dir():
        # Hard links, not a copy: renders are written by rename, never in place, so a test that
        # adds to or deletes its cache never changes the checkout's. A cold build per test cost ~10 s.
        shutil.copytree(CHART_CACHE, dest / ".generator-cache" / "charts", copy_function=os.link)
    return dest


@pytest.fixture
def cold_project(project: Path) -> Path:
    """A copy of the project without the shared chart cache: every image is drawn anew."""
    shutil.rmtree(project / ".generator-cache", ignore_errors=True)
    return project
