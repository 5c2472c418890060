"""Everything read from git, in one place: the build's date and each fact's last change.

Read-only and optional: outside a repository (a tarball, a copy in a temporary folder) every
answer has a fallback, so a build never needs git. Each value is read once per build, by the
build context (generator.outputs.context), never per page.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any


def _git(root: Path, *args: str, timeout: int = 30) -> subprocess.CompletedProcess[bytes] | None:
    """Run a read-only git command in root; None when git cannot run."""
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return None


def source_date_epoch(root: Path) -> str | None:
    """SOURCE_DATE_EPOCH if set, else the HEAD commit's time, else None (outside a repository).

    What makes two builds of one commit identical: the engine, the pages' dates and the chart
    archive all take their date from here, never from the clock.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return epoch if epoch.isdigit() else None
    done = _git(root, "log", "-1", "--format=%ct", "HEAD")
    stamp = done.stdout.decode("ascii", "replace").strip() if done is not None and done.returncode == 0 else ""
    return stamp if stamp.isdigit() else None


def epoch_date(epoch: str) -> str:
    """YYYY-MM-DD (UTC) of a Unix time."""
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()


def build_date(root: Path) -> str:
    """The build's date: from source_date_epoch, else today (a folder outside git is not reproducible)."""
    epoch = source_date_epoch(root)
    return epoch_date(epoch) if epoch else dt.date.today().isoformat()


def blame(root: Path, file: str) -> list[tuple[str, int]]:
    """(commit, committer time) of every line of one file, from one `git blame` run ([] outside git)."""
    done = _git(root, "blame", "--line-porcelain", "--", file, timeout=60)
    if done is None or done.returncode != 0:
        return []
    lines: list[tuple[str, int]] = []
    commit, when = "", 0
    for raw in done.stdout.split(b"\n"):
        if raw.startswith(b"\t"):
            lines.append((commit, when))
        elif raw.startswith(b"committer-time "):
            when = int(raw.split()[1])
        elif len(raw) >= 40 and raw[:40].isalnum() and b" " in raw and not raw.startswith((b"author", b"committer")):
            head = raw.split(b" ", 1)[0]
            if len(head) in (40, 64):
                commit = head.decode()
    return lines


def last_changed(root: Path, facts: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """{fact id: (YYYY-MM-DD, commit)} of the newest commit touching each fact's lines; {} outside git.

    `facts` maps ids to records with `.file` and `.line` (where the fact starts); one blame per file.
    """
    inside = _git(root, "rev-parse", "--is-inside-work-tree", timeout=10)
    if inside is None or inside.returncode != 0:
        return {}
    by_file: dict[str, list[tuple[int, str]]] = {}
    for fid, record in facts.items():
        by_file.setdefault(record.file, []).append((record.line, fid))
    with ThreadPoolExecutor(max_workers=8) as pool:
        blames = dict(zip(by_file, pool.map(lambda f: blame(root, f), by_file), strict=True))
    out: dict[str, tuple[str, str]] = {}
    for file, starts in by_file.items():
        lines = blames[file]
        starts.sort()
        for i, (start, fid) in enumerate(starts):
            end = starts[i + 1][0] - 1 if i + 1 < len(starts) else len(lines)
            # Uncommitted lines (all-zero commit) have no reproducible date: left out.
            span = [(when, commit) for commit, when in lines[start - 1 : end] if commit and set(commit) != {"0"}]
            if span:
                when, commit = max(span)
                out[fid] = (dt.datetime.fromtimestamp(when, dt.UTC).strftime("%Y-%m-%d"), commit)
    return out
