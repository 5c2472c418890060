"""Shared fixtures: the project root and throwaway copies of the project to break; Hypothesis profiles."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, settings

from tests.cases import dropper  # noqa: F401 - the case harness's fixture, shared by its two suites

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
#: The checkout's chart cache (content-addressed renders, warmed by `make site`), shared by every copy.
CHART_CACHE = ROOT / ".generator-cache" / "charts"

# One place for the property tests' budgets. No deadline: on a loaded 2-core machine a 200 ms
# deadline fails at random. `dev` for everyday runs, `ci` (the default under CI=true) tries twice as
# many (400 cost ~110 s of a 6-minute suite; the long search is `make fuzz`'s), `fuzz` is that run.
# HYPOTHESIS_PROFILE picks one.
_QUIET = [HealthCheck.too_slow]
settings.register_profile("dev", max_examples=100, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("fuzz", max_examples=5_000, deadline=None, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"))


def cover(items: Iterable[T], features: Callable[[T], set[str]]) -> list[T]:
    """A few items that between them have every feature any item has (greedy set cover, in order).

    For checks that cost ~0.3-1 s an item (Altair's own chart specs): every shape and kind of value is
    checked once, instead of every chart."""
    pool = [(item, features(item)) for item in items]
    wanted = set().union(*(f for _, f in pool))
    chosen: list[T] = []
    while wanted:
        item, has = max(pool, key=lambda pair: len(pair[1] & wanted))
        chosen.append(item)
        wanted -= has
    return chosen


def _generated_files(folder: str, names: list[str]) -> set[str]:
    """copytree's ignore: the manifest and every file a build wrote into site_src/ (listed in it)."""
    manifest = ROOT / "site_src" / ".generated.json"
    generated = set(json.loads(manifest.read_text(encoding="utf-8"))) if manifest.is_file() else set()
    here = Path(folder).relative_to(ROOT / "site_src")
    return {n for n in names if n == ".generated.json" or (here / n).as_posix() in generated}


def copy_project(dest: Path, languages: bool = False) -> Path:
    """A copy of the project's inputs (facts, archive, templates, site_src, mkdocs.yml) at `dest`.

    site_src/ is copied without what an earlier build of this checkout generated there (`make site` runs
    before the suite), so a copy starts as a fresh clone does. `languages` copies the other languages'
    projects too (mkdocs.fr.yml, locales/): a copy builds English only unless asked."""
    dest.mkdir(parents=True)
    for name in ("facts", "archive", "templates", *(("locales",) if languages else ())):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copytree(ROOT / "site_src", dest / "site_src", ignore=_generated_files)
    for folder in sorted((dest / "site_src").rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):  # held only generated files
            folder.rmdir()
    for config in ("mkdocs.yml", *(sorted(p.name for p in ROOT.glob("mkdocs.*.yml")) if languages else ())):
        shutil.copy(ROOT / config, dest / config)
    return share_chart_cache(dest)


def share_chart_cache(dest: Path) -> Path:
    """Give a project copy at `dest` the checkout's chart renders (warmed by `make site`); returns dest.

    Hard links, not a copy: renders are written by rename, never in place, so a test that adds to or
    deletes its cache never changes the checkout's. A cold build costs ~10-20 s per test."""
    if CHART_CACHE.is_dir() and not (dest / ".generator-cache").exists():
        shutil.copytree(CHART_CACHE, dest / ".generator-cache" / "charts", copy_function=os.link)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's inputs in a temp folder (see copy_project), English only."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def cold_project(project: Path) -> Path:
    """A copy of the project without the shared chart cache: every image is drawn anew."""
    shutil.rmtree(project / ".generator-cache", ignore_errors=True)
    return project
