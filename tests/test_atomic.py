"""A failed build leaves the previous site/ exactly as it was; the next build cleans up. (A killed build:
tests/test_faults.py, test_killed_in_the_engine_leaves_site_src_and_the_next_build_commits.)"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.model.errors import FatalInputError
from generator.pipeline import engine
from generator.pipeline.build import build

ROOT = Path(__file__).resolve().parent.parent


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _leftovers(root: Path) -> list[Path]:
    return sorted(root.glob(".site-build-*")) + sorted(root.glob(".site-old"))


def test_failed_build_leaves_site_untouched(project: Path) -> None:
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    facts = project / "facts" / "assistants.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("status: reported", "status: rumoured", 1), encoding="utf-8"
    )
    with pytest.raises(FatalInputError):
        build(project)
    assert _hashes(site) == {"index.html": hashlib.sha256(b"previous site").hexdigest()}
    assert _leftovers(project) == []


def test_engine_failure_leaves_site_untouched(project: Path) -> None:
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: x\ntheme: {name: no-such-theme}\n", encoding="utf-8")
    with pytest.raises(engine.EngineError):
        engine.run(project, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
    assert _leftovers(project) == []


def test_leftovers_of_dead_builds_are_removed_but_not_of_live_ones(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    ).stdout.strip()
    (tmp_path / f".site-build-{dead}-abc").mkdir()
    (tmp_path / f".site-build-{os.getpid()}-def").mkdir()
    removed = engine.clean_leftovers(tmp_path / "site")
    assert [p.name for p in removed] == [f".site-build-{dead}-abc"]
    assert (tmp_path / f".site-build-{os.getpid()}-def").is_dir()
