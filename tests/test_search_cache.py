"""The search index's page cache (generator/pipeline/search_cache.py): a rebuild reads for the index only the
pages whose source changed, and writes the same index as a build that reads every page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.outputs import search
from generator.pipeline import search_cache
from generator.pipeline.build import build
from tests.conftest import copy_project

INDEXES = ("site_src/search/search_index.json", "site_src/fr/search/search_index.json")


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A copy of the project in both languages, built once (no engine): its search cache is saved."""
    root = copy_project(tmp_path / "project", languages=True)
    build(root, run_engine=False)
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages the build reads for the index (search.page_entries' calls), by path in their language."""
    seen: list[str] = []
    real = search.page_entries

    def spy(relpath, source, meta):
        seen.append(relpath)
        return real(relpath, source, meta)

    monkeypatch.setattr(search, "page_entries", spy)
    return seen


def _read(cache: Path) -> tuple[dict, dict[str, list[str]]]:
    """The cache's first line and its pages: {page: [digest, entries' JSON]}."""
    head, *lines = cache.read_text(encoding="utf-8").splitlines()
    return json.loads(head), {page: [digest, entries] for page, digest, entries in map(json.loads, lines)}


def _write(cache: Path, head: dict, pages: dict[str, list]) -> None:
    lines = [json.dumps(head), *(json.dumps([page, *value]) for page, value in pages.items())]
    cache.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _indexes(root: Path) -> list[bytes]:
    return [(root / path).read_bytes() for path in INDEXES]


def test_a_rebuild_reads_only_the_changed_pages_and_writes_the_index_a_full_read_writes(built, reads):
    cache = built / search_cache.CACHE
    head, pages = _read(cache)
    assert head["code"] == search_cache.code_key()
    assert "index.md" in pages and "fr/index.md" in pages, sorted(pages)[:5]

    build(built, run_engine=False)
    assert reads == [], f"nothing changed, yet {len(reads)} pages were read again: {reads[:5]}"

    about = built / "site_src" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n\nA sentence about zebras.\n", encoding="utf-8")
    build(built, run_engine=False)
    assert "about.md" in reads
    assert len(reads) < 40, f"one page edited, {len(reads)} pages read: {reads}"
    warm = _indexes(built)
    assert "zebras" in warm[0].decode("utf-8")

    cache.unlink()
    reads.clear()
    build(built, run_engine=False)
    pages = _read(cache)[1]
    assert len(reads) == len(pages) > 100 and any(page.startswith("fr/") for page in pages)  # every page read
    assert _indexes(built) == warm, "the index made from the cache differs from the one made by reading every page"


def test_an_entry_is_taken_only_for_the_source_it_was_made_from(built, reads):
    """An entry whose digest is not the page's, a cache made by other code or a file of another shape is not read."""
    cache = built / search_cache.CACHE
    head, pages = _read(cache)
    clean = _indexes(built)
    planted = '{"location":"","title":"<img src=x onerror=alert(1)>","text":"planted"}'
    pages["index.md"] = ["0" * 64, planted]  # not the page's digest
    _write(cache, head, pages)
    build(built, run_engine=False)
    assert reads == ["index.md"]
    assert _indexes(built) == clean

    digest = _read(cache)[1]["index.md"][0]
    for broken_head, broken_page in (
        ({"code": "other code"}, [digest, planted]),  # the right digest, from other code
        (head, [digest, 1]),  # not a string
        (head, [digest]),  # not a pair
    ):
        _write(cache, broken_head, {**pages, "index.md": broken_page})
        reads.clear()
        build(built, run_engine=False)
        assert "index.md" in reads and b"planted" not in b"".join(_indexes(built))
        assert _indexes(built) == clean
    cache.write_text("{not json\n", encoding="utf-8")
    build(built, run_engine=False)
    assert _indexes(built) == clean
