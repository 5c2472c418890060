"""Whole builds made once per test run and shared by every test (and every xdist worker) that reads them.

A whole build of a copy of the project (engine included) costs 15-40 s on this 2-core machine. The
read-only suites that look at the same built site (the hostile-text site from the unit tests and from
the browser tests, the seed site whose links are checked) used to build it once per module and per
worker: up to four builds of one site in a run. `built_once` builds it the first time any test asks
and hands the same folder to the rest. Tests given a shared build must only read it.

Workers of one run share the parent of their base temp folder (pytest-xdist gives each worker
`.../pytest-N/popen-gwK`); a file lock there makes the other worker wait for the build instead of
making its own. A build that fails leaves no `.done` mark, so the next test asking tries again and
reports its own failure.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.pipeline.build import build
from tests.conftest import copy_project


def _shared_base(factory: pytest.TempPathFactory) -> Path:
    """The folder every worker of this run shares (the base temp itself without xdist)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """`shared/<name>/`, filled by `make(folder)` the first time in this run; the same folder afterwards."""
    base = _shared_base(factory) / "shared"
    base.mkdir(exist_ok=True)
    folder, done = base / name, base / f"{name}.done"
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            make(folder)
            done.touch()
    return folder


#: The commit time every shared seed build is made at (2025-12-01): builds made apart compare equal.
EPOCH = "1764547200"


def build_at_epoch(root: Path, **options: object) -> None:
    """A whole build of `root` dated EPOCH (SOURCE_DATE_EPOCH set for the build only)."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build(root, **options)  # type: ignore[arg-type]
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def seed_site(factory: pytest.TempPathFactory, engine: str = "mkdocs") -> Path:
    """The seed project in both languages, copied and built strictly with `engine` once per run; its root.

    The copy shares the checkout's chart cache (hard links), so no chart is drawn anew."""

    def make(root: Path) -> None:
        copy_project(root, languages=True)
        build_at_epoch(root, strict=True, engine_name=engine)

    return built_once(factory, f"seed-{engine}", make)


def built_project(factory: pytest.TempPathFactory, dest: Path) -> Path:
    """At `dest`, a copy of the seed project (English) as one whole build left it: site/, site_src/ and the
    chart cache filled. For tests whose subject is the build after that one (a fault in it, a kill); the
    first build is made once per run instead of once per test. Returns dest."""

    def make(root: Path) -> None:
        copy_project(root)
        build(root)

    shutil.copytree(built_once(factory, "seed-en-built", make), dest, symlinks=True)
    return dest
