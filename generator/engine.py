"""Stage 6, engine: run MkDocs (or Zensical) into a temporary folder, then swap it in.

A failed or interrupted build leaves the previous site/ exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ENGINES = ("mkdocs", "zensical")


class EngineError(Exception):
    """The site engine failed; its output says why."""


def command(engine: str, site_dir: Path, strict: bool) -> list[str]:
    """The command line that builds mkdocs.yml into site_dir with the chosen engine."""
    if engine == "mkdocs":
        # No --quiet: MkDocs then stops counting warnings and --strict lets broken links pass.
        cmd = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site_dir)]
        return cmd + (["--strict"] if strict else [])
    if engine == "zensical":
        exe = Path(sys.executable).with_name("zensical")
        return [str(exe), "build", "--clean"]
    raise EngineError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")


def run(root: Path, out: Path, engine: str = "mkdocs", strict: bool = True) -> None:
    """Build the site into a sibling temporary folder and swap it into `out` only on success."""
    root, out = root.resolve(), out.resolve()
    clean_leftovers(out, root)
    # The pid in the name lets a later build tell a dead build's leftovers from a running one's.
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-{os.getpid()}-", dir=out.parent))
    config: Path | None = None
    build_dir = tmp
    try:
        env = {**os.environ, "PYTHONWARNINGS": "ignore", "NO_MKDOCS_2_WARNING": "1"}
        epoch = source_date_epoch(root)
        if epoch is not None:
            # MkDocs dates the sitemap's <lastmod> and the .gz header from this: reproducible builds.
            env["SOURCE_DATE_EPOCH"] = epoch
        cmd = command(engine, tmp, strict)
        if engine == "zensical":
            # Zensical takes site_dir from its config only and refuses one outside the project root,
            # so it builds into a folder under root, which is then moved next to `out`.
            build_dir = Path(tempfile.mkdtemp(prefix=f".zensical-build-{os.getpid()}-", dir=root))
            config = _zensical_config(root, build_dir)
            cmd = cmd + (["--strict"] if strict else []) + ["--config-file", str(config)]
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise EngineError(f"{engine} build failed:\n{proc.stdout}{proc.stderr}".rstrip())
        if build_dir != tmp:
            tmp.rmdir()
            shutil.move(str(build_dir), str(tmp))  # a rename when on the same filesystem
        swap(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if engine == "zensical" and build_dir.exists() and build_dir != tmp:
            shutil.rmtree(build_dir, ignore_errors=True)
        if config is not None:
            config.unlink(missing_ok=True)


def source_date_epoch(root: Path) -> str | None:
    """SOURCE_DATE_EPOCH if set, else the last git commit's time, else None (outside a repository)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        proc = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True,
                              text=True, timeout=30)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    stamp = proc.stdout.strip()
    return stamp if proc.returncode == 0 and stamp.isdigit() else None


def clean_leftovers(out: Path, root: Path | None = None) -> list[Path]:
    """Remove temporary build folders left next to `out` (and Zensical's under root) by killed builds."""
    removed = []
    candidates = sorted(out.parent.glob(f".{out.name}-build-*"))
    candidates += sorted((root or out.parent).glob(".zensical-build-*"))
    for folder in candidates:
        pid = folder.name.split("-build-", 1)[1].split("-", 1)[0]
        if pid.isdigit() and _alive(int(pid)):
            continue  # a build running right now in another process
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _zensical_config(root: Path, site_dir: Path) -> Path:
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = root / ".zensical.yml"
    lines = [line for line in text.splitlines() if not line.startswith("site_dir:")]
    config.write_text("\n".join(lines) + f"\nsite_dir: {site_dir.name}\n", encoding="utf-8")
    return config


def swap(new: Path, out: Path) -> None:
    """Replace `out` by `new` with two renames; the old site is deleted only after."""
    old = out.with_name(f".{out.name}-old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        os.rename(out, old)
    os.rename(new, out)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
