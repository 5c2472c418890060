"""A killed or failed build leaves the previous site/ exactly as it was; the next build cleans up."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
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


@pytest.mark.slow
def test_killed_build_keeps_previous_site_and_next_build_cleans(project: Path) -> None:
    build(project)
    previous = _hashes(project / "site")
    assert "index.html" in previous
    # Change an input so that a completed build would change site/.
    index = project / "site_src" / "about.md"
    index.write_text(index.read_text(encoding="utf-8") + "\nA changed line.\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--root", str(project), "-q"],
        cwd=project,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 300
        while not list(project.glob(".site-build-*")):
            assert proc.poll() is None, f"the build ended early: {proc.stderr.read()!r}"  # type: ignore[union-attr]
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.3)  # let the engine write some of the temporary site
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the build and its engine subprocess
        proc.wait()
    assert _hashes(project / "site") == previous
    assert list(project.glob(".site-build-*")), "the killed build's temporary folder is the evidence"
    build(project)
    assert _leftovers(project) == []
    assert _hashes(project / "site") != previous


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
