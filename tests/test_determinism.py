"""Two builds of the same inputs give byte-identical sites."""

from __future__ import annotations

import gzip
import hashlib
import subprocess
from pathlib import Path

import pytest

from generator.pipeline import engine
from generator.pipeline.build import build

ROOT = Path(__file__).resolve().parent.parent


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_two_builds_are_byte_identical(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # 2025-12-01, as git would give
    build(project, out=project / "site-a")
    build(project, out=project / "site-b")
    a, b = _hashes(project / "site-a"), _hashes(project / "site-b")
    assert len(a) > 20
    differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    assert differing == []
    sitemap = (project / "site-a" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2025-12-01</lastmod>" in sitemap
    gz = (project / "site-a" / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(gz[4:8], "little") <= 1764547200  # gzip header mtime comes from the epoch
    assert gzip.decompress(gz).decode("utf-8") == sitemap


def test_source_date_epoch_comes_from_git_when_unset(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    try:
        expected = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    assert engine.source_date_epoch(ROOT) == expected
    assert engine.source_date_epoch(tmp_path) is None  # outside a repository: MkDocs uses the date
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "42")
    assert engine.source_date_epoch(ROOT) == "42"
