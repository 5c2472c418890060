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
        cmd = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site_dir), "--quiet"]
        return cmd + (["--strict"] if strict else [])
    if engine == "zensical":
        exe = Path(sys.executable).with_name("zensical")
        return [str(exe), "build", "--clean"]
    raise EngineError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")


def run(root: Path, out: Path, engine: str = "mkdocs", strict: bool = True) -> None:
    """Build the site into a sibling temporary folder and swap it into `out` only on success."""
    out = out.resolve()
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    try:
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        if engine == "zensical":
            # Zensical reads site_dir from mkdocs.yml only; build there via a copy of the config.
            config = _zensical_config(root, tmp)
            cmd = command(engine, tmp, strict) + ["--config-file", str(config)]
        else:
            cmd = command(engine, tmp, strict)
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise EngineError(f"{engine} build failed:\n{proc.stdout}{proc.stderr}".rstrip())
        swap(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _zensical_config(root: Path, site_dir: Path) -> Path:
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = root / ".zensical.yml"
    lines = [line for line in text.splitlines() if not line.startswith("site_dir:")]
    config.write_text("\n".join(lines) + f"\nsite_dir: {site_dir}\n", encoding="utf-8")
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
