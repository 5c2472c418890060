"""Golden copy of the whole generated tree: every file a seed build writes into site_src/.

Text files are kept whole under tests/golden/tree/ (a review diff shows what a reader will see
change); binary files (PNG) and the vendored Vega bundle are kept as a SHA-256 in
tests/golden/tree.sha256, so a change to any byte shows too. `make golden` rewrites both after an
intended change. The build runs on a copy of the project outside git, with a fixed date, so the
tree depends on the inputs and the generator only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from generator.pipeline.build import build

GOLDEN = Path(__file__).parent / "golden"
TREE = GOLDEN / "tree"
HASHES = GOLDEN / "tree.sha256"
TEXT_SUFFIXES = {".md", ".json", ".csv", ".xml", ".html", ".svg", ".txt", ".css"}
#: Larger text files (the Vega bundle) are kept by hash only: their diff says nothing to a reviewer.
MAX_TEXT_BYTES = 200_000


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> dict[str, bytes]:
    """{path under site_src/: bytes} of every generated file of the seed build."""
    from tests.conftest import ROOT, _generated_files

    project = tmp_path_factory.mktemp("golden") / "project"
    project.mkdir()
    for name in ("facts", "archive", "templates", "releases"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copytree(ROOT / "site_src", project / "site_src", ignore=_generated_files)
    for name in ("mkdocs.yml", "CHANGELOG.md"):
        shutil.copy(ROOT / name, project / name)
    cache = ROOT / ".generator-cache" / "charts"
    if cache.is_dir():
        shutil.copytree(cache, project / ".generator-cache" / "charts", copy_function=os.link)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # 2026-01-01
    try:
        build(project, run_engine=False)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    site_src = project / "site_src"
    generated = json.loads((site_src / ".generated.json").read_text(encoding="utf-8"))
    return {path: (site_src / path).read_bytes() for path in sorted(generated)}


def _is_text(path: str, data: bytes) -> bool:
    return Path(path).suffix in TEXT_SUFFIXES and len(data) <= MAX_TEXT_BYTES


def _hash_lines(tree: dict[str, bytes]) -> str:
    return "".join(
        f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in tree.items() if not _is_text(path, data)
    )


def test_golden_tree(tree: dict[str, bytes]):
    assert len(tree) > 100, "the seed build wrote too few files to compare"
    texts = {path: data for path, data in tree.items() if _is_text(path, data)}
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(TREE, ignore_errors=True)
        for path, data in texts.items():
            (TREE / path).parent.mkdir(parents=True, exist_ok=True)
            (TREE / path).write_bytes(data)
        HASHES.write_text(_hash_lines(tree), encoding="utf-8")
    assert TREE.is_dir() and HASHES.is_file(), "no golden tree yet: run `make golden`"
    kept = {p.relative_to(TREE).as_posix() for p in TREE.rglob("*") if p.is_file()}
    assert sorted(kept - set(texts)) == [], "files the build no longer writes: run `make golden` if intended"
    assert sorted(set(texts) - kept) == [], "new files: run `make golden` and review them"
    changed = [path for path, data in texts.items() if (TREE / path).read_bytes() != data]
    assert changed == [], f"{len(changed)} files changed (first: {changed[:5]}); if intended, run `make golden`"
    assert _hash_lines(tree) == HASHES.read_text(encoding="utf-8"), "a binary file changed: run `make golden`"
