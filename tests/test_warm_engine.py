"""A warm build (engine.run: MkDocs' `build --dirty` on a copy of the previous site) against a clean one.

Only the pages whose Markdown changed are rebuilt; the rest is the previous site's. That is right only
if nothing else the HTML depends on changed, so the test builds the same pages both ways and requires
the same site, file for file and byte for byte, and a clean build whenever the config, the pages' list
or the theme changed.
"""

from __future__ import annotations

import filecmp
import json
import shutil
from pathlib import Path

import pytest
import yaml

from generator.pipeline import engine
from generator.pipeline.build import build
from tests.conftest import copy_project
from tests.shared import EPOCH

#: Slow (several whole builds of both languages): `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def dated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # builds a minute apart make the same pages


def _differences(left: Path, right: Path) -> list[str]:
    """Paths that are not the same file in both trees."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(prefix + name for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return sorted(found)


def test_a_warm_build_makes_the_site_a_clean_build_makes(tmp_path, dated):
    root = copy_project(tmp_path / "project", languages=True)
    assert not build(root).warm_engine  # no site yet
    assert (root / engine.STAMP).is_file()

    # Nothing changed: warm, and the same site.
    before = tmp_path / "before"
    shutil.copytree(root / "site", before, symlinks=True)
    assert build(root).warm_engine
    assert _differences(before, root / "site") == []

    # A fact's value and a hand-written page, in both languages.
    tokens = root / "facts" / "tokens.yaml"
    tokens.write_text(tokens.read_text(encoding="utf-8").replace("{point: 50e12}", "{point: 51e12}"), "utf-8")
    for about in (root / "site_src" / "about.md", root / "site_src" / "fr" / "about.md"):
        about.write_text(about.read_text(encoding="utf-8") + "\nA sentence added by hand.\n", encoding="utf-8")
    assert build(root).warm_engine
    warm = tmp_path / "warm"
    shutil.copytree(root / "site", warm, symlinks=True)
    page = (warm / "facts" / "bytedance-daily-tokens-2025-12" / "index.html").read_text(encoding="utf-8")
    assert "51 trillion tokens a day" in page
    assert "A sentence added by hand." in (warm / "fr" / "about" / "index.html").read_text(encoding="utf-8")
    changed = _differences(before, warm)
    assert "facts/bytedance-daily-tokens-2025-12/index.html" in changed
    assert "facts/doubao-monthly-active-users-2025-10/index.html" not in changed  # not rebuilt, not touched

    (root / engine.STAMP).unlink()
    assert not build(root).warm_engine
    assert _differences(warm, root / "site") == []


def test_what_the_pages_do_not_show_makes_the_next_build_clean(tmp_path, dated):
    root = copy_project(tmp_path / "project", languages=True)
    build(root)
    assert build(root).warm_engine
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    assert not build(root).warm_engine, "a config edit"
    assert build(root).warm_engine
    # A page added is built (it has no HTML yet); a page removed takes its HTML and emptied folder along.
    (root / "site_src" / "notes").mkdir()
    (root / "site_src" / "notes" / "new-page.md").write_text("# A new page\n\nText.\n", encoding="utf-8")
    assert build(root).warm_engine, "a page added"
    assert "A new page" in (root / "site" / "notes" / "new-page" / "index.html").read_text(encoding="utf-8")
    (root / "site_src" / "notes" / "new-page.md").unlink()
    assert build(root).warm_engine, "a page removed"
    assert not (root / "site" / "notes").exists()
    partial = root / "templates" / "theme" / "partials" / "copyright.html"
    partial.write_text(partial.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not build(root).warm_engine, "a theme template edited"
    assert build(root).warm_engine
    # A site that is not the one recorded (replaced by hand, or by another engine) is rebuilt whole.
    shutil.rmtree(root / "site")
    shutil.copytree(tmp_path / "project" / "site_src", root / "site")
    assert not build(root).warm_engine


def test_every_menu_entry_names_its_title():
    """A warm build does not read the pages that did not change; a menu entry without a title would show
    none on the pages it rebuilds."""
    for config in [ROOT / "mkdocs.yml", *sorted(ROOT.glob("mkdocs.*.yml"))]:
        nav = yaml.safe_load(config.read_text(encoding="utf-8"))["nav"]
        pending = list(nav)
        while pending:
            entry = pending.pop()
            assert isinstance(entry, dict) and len(entry) == 1, f"{config.name}: {entry!r} has no title"
            (value,) = entry.values()
            if isinstance(value, list):
                pending.extend(value)


def test_the_stamp_is_gone_while_a_build_runs(tmp_path, dated, monkeypatch):
    """A build that fails after the engine started may have left anything: the next one is clean."""
    root = copy_project(tmp_path / "project")
    build(root)
    stamp = json.loads((root / engine.STAMP).read_text(encoding="utf-8"))
    assert set(stamp) == {"key", "site", "files", "refs"}

    def broken(*args: object, **kwargs: object) -> None:
        raise engine.EngineError("the engine failed")

    monkeypatch.setattr(engine, "_engine", broken)
    with pytest.raises(engine.EngineError):
        build(root)
    assert not (root / engine.STAMP).exists()
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert not build(root).warm_engine
