"""Faults of the machine: a full disk, a read-only or immutable output, a kill, a reader during the swap.

Each is exit 1 with a plain message naming the path and what to do (never a traceback or "internal
error"), and leaves site/ and site_src/ as they were. The swap of site/ is one atomic step: a
watcher polling site/index.html during hundreds of swaps never misses it. Cases that need root
(a tmpfs, a read-only bind mount, chattr +i) are skipped elsewhere; the same faults are also
injected with monkeypatch so they run everywhere.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import engine, writer
from generator.pipeline.build import build
from tests.shared import built_project

ROOT = Path(__file__).resolve().parent.parent
FACT_FILE = "assistants.yaml"


def _hashes(folder: Path) -> dict[str, tuple[str, int]]:
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _leftovers(root: Path) -> list[str]:
    names = (".site-build-*", ".site-old*", ".site-link-*", ".site_src-build-*", ".mkdocs-build-*", ".zensical-build-*")
    return sorted(p.name for pattern in names for p in root.glob(pattern))


def _change_a_fact(project: Path) -> None:
    """An edit whose build changes generated pages (so a build that went ahead would change site_src/)."""
    path = project / "facts" / FACT_FILE
    text = path.read_text(encoding="utf-8")
    assert text.count("{point: 159e6}") == 1
    path.write_text(text.replace("{point: 159e6}", "{point: 158e6}"), encoding="utf-8")


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(project), "-q", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )


def _assert_plain(output: str, *words: str) -> None:
    assert "Traceback" not in output and "internal error" not in output, output
    for word in words:
        assert word in output, output


# --- the swap ----------------------------------------------------------------------------------------


def _swaps_seen_by_a_watcher(site: Path, swap: Callable[[Path, Path], None], count: int, pause: float = 0) -> int:
    """Swap `count` new folders into site while a thread polls site/index.html; how often it was missing."""
    missing = 0
    stop = threading.Event()

    def watch() -> None:
        nonlocal missing
        index = os.path.join(site, "index.html")
        while not stop.is_set():
            if not os.path.isfile(index):
                missing += 1

    thread = threading.Thread(target=watch)
    thread.start()
    try:
        for i in range(count):
            new = site.with_name(f".site-build-{os.getpid()}-{i}")
            new.mkdir()
            (new / "index.html").write_text(str(i), encoding="utf-8")
            swap(new, site)
            time.sleep(pause)
    finally:
        stop.set()
        thread.join()
    return missing


def _two_renames(new: Path, out: Path) -> None:  # what engine.swap did before: a moment without site/
    old = out.with_name(".site-old")
    os.rename(out, old)
    os.rename(new, out)
    shutil.rmtree(old)


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("first", encoding="utf-8")
    return site


def test_the_watcher_sees_the_gap_of_two_renames(tmp_path: Path) -> None:
    """The watcher is able to fail: two renames leave a moment without site/, and it sees one."""
    site = _site(tmp_path)
    assert any(_swaps_seen_by_a_watcher(site, _two_renames, 500) for _ in range(10))


def test_a_reader_never_finds_no_site_during_swaps(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    if not engine.exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("no atomic exchange on this system (the link flip is tested below)")
    site = _site(tmp_path)
    assert _swaps_seen_by_a_watcher(site, engine.swap, 1000) == 0
    assert (site / "index.html").read_text(encoding="utf-8") == "999"
    assert site.is_dir() and not site.is_symlink(), "site/ stays a real folder where exchange exists"
    assert _leftovers(tmp_path) == []


def test_without_exchange_site_becomes_a_link_that_is_flipped_atomically(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(engine, "exchange", lambda a, b: False)
    site = _site(tmp_path)
    new = tmp_path / f".site-build-{os.getpid()}-x"
    new.mkdir()
    (new / "index.html").write_text("second", encoding="utf-8")
    engine.swap(new, site)  # the one conversion from a folder to a link
    assert site.is_symlink() and (site / "index.html").read_text(encoding="utf-8") == "second"
    # The link itself is renamed over atomically, so the watcher can only miss when its one stat()
    # resolved the link to a folder and was then descheduled across two more flips: the previous
    # folder is kept one flip, the one before it is deleted. Builds are minutes apart; here flips come
    # every 10 ms, and a CI run with browser tests beside it once stalled the watcher that long (one
    # miss in 300). Flips 50 ms apart leave a reader a window five times wider than that stall.
    assert _swaps_seen_by_a_watcher(site, engine.swap, 60, pause=0.05) == 0
    assert (site / "index.html").read_text(encoding="utf-8") == "59"
    live = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-live-")]
    assert os.readlink(site) in live and len(live) == 2, "the live folder and the one before it are kept"
    assert engine.clean_leftovers(site) == [] and site.is_symlink() and (site / "index.html").is_file()
    assert _leftovers(tmp_path) == []


# --- faults injected where the files are written (run everywhere) ---------------------------------------


def test_disk_full_in_the_writer_is_exit_1_and_leaves_site_src(project: Path, monkeypatch, capsys) -> None:
    before = _hashes(project / "site_src")
    real = writer.Writer.write
    calls = []

    def write(self, relpath, content, owner=""):
        calls.append(relpath)
        if len(calls) > 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self._target(relpath)))
        return real(self, relpath, content, owner)

    monkeypatch.setattr(writer.Writer, "write", write)
    assert main(["build", "--root", str(project), "--pages-only", "-q"]) == 1
    err = capsys.readouterr().err
    _assert_plain(err, "(site_src/", "disk is full", "free some disk space")
    assert _hashes(project / "site_src") == before
    assert _leftovers(project) == []


def test_engine_output_of_a_full_disk_becomes_a_plain_message(tmp_path: Path) -> None:
    output = (
        "INFO    -  Building documentation to directory: /p/.site-build-1-x\n"
        "Traceback (most recent call last):\n"
        '  File "mkdocs/utils/__init__.py", line 129, in write_file\n'
        "OSError: [Errno 28] No space left on device: '/p/.site-build-1-x/assets/x.js'\n"
    )
    fault = engine.engine_output_error(output, Path("/p"))
    assert fault is not None and fault.errno == errno.ENOSPC
    assert "(site/assets/x.js)" in str(fault) and "/p/" not in str(fault)
    assert engine.engine_output_error("ERROR - Config value 'theme': unknown\n", Path("/p")) is None
    assert engine.engine_output_error("Error: No space left on device (os error 28)", Path("/p")) is not None


@pytest.mark.slow
def test_a_read_only_site_is_exit_1_naming_it(project: Path, monkeypatch, capsys) -> None:
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")

    def refuse(a: Path, b: Path) -> bool:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(b))

    monkeypatch.setattr(engine, "exchange", refuse)
    assert main(["build", "--root", str(project), "-q"]) == 1
    _assert_plain(capsys.readouterr().err, "(site)", "read-only", "writable copy")
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
    assert _leftovers(project) == []


def test_an_ordinary_bug_is_still_an_internal_error(project: Path, monkeypatch, capsys) -> None:
    """Only the machine's errors become exit 1: a bug (here a missing file) stays exit 3 for a report."""

    def broken(self):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "x")

    monkeypatch.setattr(writer.Writer, "begin", broken)
    assert main(["build", "--root", str(project), "--pages-only", "-q"]) == 3
    assert "internal error" in capsys.readouterr().err


# --- real faults: a tiny tmpfs, an immutable site/, a read-only bind mount, a kill (slow; some need root) ----


@contextlib.contextmanager
def _mounted(target: Path, *args: str) -> Iterator[None]:
    target.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount here: {proc.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


def _fill(folder: Path, leave: int) -> Path:
    """Fill the file system of `folder` up to `leave` free bytes."""
    filler = folder / "filler"
    # Unbuffered: a buffered file that hit ENOSPC mid-chunk kept the rest and raised it again on close,
    # outside the suppress (seen once in a fresh-clone CI run).
    with filler.open("wb", buffering=0) as handle:
        with contextlib.suppress(OSError):
            while True:
                handle.write(b"\0" * (1 << 20))
    while shutil.disk_usage(folder).free < leave:
        size = filler.stat().st_size
        os.truncate(filler, max(0, size - leave))
    return filler


@pytest.mark.slow
def test_disk_full_in_the_writer_and_in_the_engine_is_exit_1_and_changes_nothing(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line in this process (its start-up is not what is tested; MkDocs runs in its own)."""

    def cli() -> tuple[int, str]:
        capsys.readouterr()
        code = main(["build", "--root", str(small), "-q"])
        return code, capsys.readouterr().err

    disk = tmp_path / "disk"
    with _mounted(disk, "-t", "tmpfs", "-o", "size=256m", "tmpfs"):
        small = built_project(tmp_path_factory, disk / "project")  # as a first build left it
        # 1. The disk fills while the changed pages are written: site_src/ stays as it was.
        _change_a_fact(small)
        site, pages = _hashes(small / "site"), _hashes(small / "site_src")
        filler = _fill(disk, 100_000)
        code, err = cli()
        assert code == 1, err
        _assert_plain(err, "disk is full", "free some disk space")
        # the path of the file that did not fit: a page, or a chart drawn into the cache
        assert re.search(r"cannot write the output \((site_src|\.generator-cache)/[^)]+\)", err)
        assert (_hashes(small / "site"), _hashes(small / "site_src")) == (site, pages)
        filler.unlink()
        # 2. The pages are written, and the disk fills while MkDocs writes the site: its traceback
        # becomes one plain line, and site/ stays as it was.
        build(small, run_engine=False)
        site, pages = _hashes(small / "site"), _hashes(small / "site_src")
        filler = _fill(disk, 600_000)
        code, err = cli()
        assert code == 1, err
        _assert_plain(err, "(site", "disk is full", "while the engine wrote the site")
        assert (_hashes(small / "site"), _hashes(small / "site_src")) == (site, pages)
        filler.unlink()
        assert cli()[0] == 0
        assert _hashes(small / "site") != site
        assert _leftovers(small) == []


@pytest.mark.slow
def test_an_immutable_site_is_exit_1_and_left_as_it_was(project: Path) -> None:
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(site)]).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        proc = _cli(project)
    finally:
        subprocess.run(["chattr", "-i", str(site)], check=True)
    assert proc.returncode == 1, proc.stderr
    _assert_plain(proc.stderr, "(site)", "not permitted", "chattr -i")
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
    assert _leftovers(project) == []


@pytest.mark.slow
def test_a_read_only_project_is_exit_1(tmp_path: Path, project: Path) -> None:
    view = tmp_path / "read-only"
    with _mounted(view, "--bind", str(project)), _mounted(view, "-o", "remount,ro,bind"):
        before = _hashes(project / "site_src")
        proc = _cli(view)
        assert proc.returncode == 1, proc.stderr
        _assert_plain(proc.stderr, "(site_src)", "read-only", "writable copy")
        assert _hashes(project / "site_src") == before


@pytest.mark.slow
def test_killed_in_the_engine_leaves_site_src_and_the_next_build_commits(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """SIGKILL to the build and its engine while the engine writes: site/ and site_src/ stay as they were,
    the killed build's stages are left as evidence, and the next build commits and cleans up. One fact and
    one hand-written page change (a stage with new pages, and a change only the engine carries)."""
    project = built_project(tmp_path_factory, tmp_path / "project")  # as a first build left it
    _change_a_fact(project)
    about = project / "site_src" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nA changed line.\n", encoding="utf-8")
    site, pages = _hashes(project / "site"), _hashes(project / "site_src")
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--root", str(project), "-q"],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 300
        while not list(project.glob(".site-build-*")):  # the engine has started
            assert proc.poll() is None, f"the build ended early: {proc.stderr.read()!r}"  # type: ignore[union-attr]
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.3)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert _hashes(project / "site") == site
    assert _hashes(project / "site_src") == pages, "the killed build's pages stay in its stage"
    assert list(project.glob(".site_src-build-*")), "the stage is the evidence"
    assert list(project.glob(".site-build-*")), "the killed engine's temporary site is the evidence"
    build(project)
    assert _leftovers(project) == []
    after = _hashes(project / "site_src")
    changed = {k for k in after if pages.get(k) != after[k]}
    assert changed and changed < set(after), "only the changed pages are rewritten"
    assert "A changed line." in (project / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert _hashes(project / "site") != site


def test_engine_runs_keep_a_linked_site_linked(tmp_path: Path, monkeypatch) -> None:
    """Where no exchange exists, whole engine runs flip the link; no older version piles up."""
    monkeypatch.setattr(engine, "exchange", lambda a, b: False)
    (tmp_path / "mkdocs.yml").write_text("site_name: t\ndocs_dir: docs\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    site = tmp_path / "site"
    for run in range(3):
        (tmp_path / "docs" / "index.md").write_text(f"# Run {run}\n", encoding="utf-8")
        engine.run(tmp_path, site, strict=False)
        assert f"Run {run}" in (site / "index.html").read_text(encoding="utf-8")
    assert site.is_symlink()
    live = sorted(p.name for p in tmp_path.glob(".site-live-*"))
    assert os.readlink(site) in live and len(live) <= 2
    assert _leftovers(tmp_path) == []
