"""Two builds of the same inputs give byte-identical sites."""

from __future__ import annotations

import gzip
import hashlib
import subprocess
from pathlib import Path

import pytest

from generator.inputs.git import epoch_date
from generator.pipeline import engine
from tests.conftest import copy_project
from tests.shared import EPOCH, build_at_epoch, seed_site

ROOT = Path(__file__).resolve().parent.parent


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Two builds of the same inputs, in two folders (so no path leaks into the output), both languages."""
    first = seed_site(tmp_path_factory) / "site"  # shared with test_links: made by another copy, maybe another worker
    again = copy_project(tmp_path / "project", languages=True)
    build_at_epoch(again, strict=True)
    a, b = _hashes(first), _hashes(again / "site")
    assert len(a) > 20 and any(k.startswith("fr/") for k in a)
    differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    assert differing == []
    sitemap = (first / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<lastmod>{epoch_date(EPOCH)}</lastmod>" in sitemap
    gz = (first / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(gz[4:8], "little") <= int(EPOCH)  # gzip header mtime comes from the epoch
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
