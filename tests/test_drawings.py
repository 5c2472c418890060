"""Inline drawings lifted out of the engine's Markdown and put back in its HTML (pipeline/drawings.py).

The site must come out byte for byte the same as when the engine reads the drawings itself; a page
naming a drawing that is missing or altered must fail the build with site/ left as it was.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from generator.outputs.figures import DRAWING_START, LATER
from generator.pipeline import drawings, engine
from generator.pipeline.build import build
from tests.conftest import copy_project
from tests.shared import build_at_epoch, seed_site

DRAWING = DRAWING_START + 'viewBox="0 0 10 10"><text>a &lt;/svg&gt; b</text><path d="M0,0"/></svg>'
OTHER = DRAWING_START + 'viewBox="0 0 20 10"><rect width="3"/></svg>'
PAGE = f'# T\n\n<div class="aif-chart" markdown="0"><div class="aif-variant">{DRAWING}</div>{OTHER}</div>\n'


def test_lifting_then_splicing_gives_the_page_back(tmp_path: Path):
    lifter = drawings.Lifter()
    page, files = lifter.lift(PAGE)
    assert DRAWING_START not in page and page.count("data-aif-drawing") == 2
    assert [path for path, _ in files] == [
        f"{drawings.FOLDER}/{hashlib.sha256(d.encode()).hexdigest()}.svg" for d in (DRAWING, OTHER)
    ]
    # The same drawing on a second page is given once.
    again, more = lifter.lift(PAGE)
    assert again == page and more == []
    for path, text in files:
        (tmp_path / Path(path).name).write_text(text, encoding="utf-8")
    assert drawings.splice(page, {}, tmp_path) == PAGE


def test_a_page_without_drawings_is_left_as_it_is():
    text = "# Plain\n\nA <svg> in text stays: &#60;svg aria-hidden&#62;\n"
    assert drawings.Lifter().lift(text) == (text, [])
    assert drawings.splice(text, {}, Path("/nonexistent")) is text


def test_a_missing_or_altered_drawing_is_an_error(tmp_path: Path):
    page, files = drawings.Lifter().lift(PAGE)
    with pytest.raises(drawings.DrawingError, match="does not hold"):
        drawings.splice(page, {}, tmp_path)
    for path, text in files:
        (tmp_path / Path(path).name).write_text(text.replace("M0,0", "M1,1"), encoding="utf-8")
    with pytest.raises(drawings.DrawingError, match="does not match"):
        drawings.splice(page, {}, tmp_path)


@pytest.mark.slow
def test_the_site_is_the_same_with_drawings_lifted_and_left_inline(tmp_path_factory: pytest.TempPathFactory):
    lifted = seed_site(tmp_path_factory)  # the default: drawings lifted
    inline = copy_project(tmp_path_factory.mktemp("inline") / "p", languages=True)
    build_at_epoch(inline, strict=True, lift_drawings=False)
    # The engine read placeholders, not drawings; the pages it wrote have them back.
    chart_md = (lifted / "site_src" / "charts" / "bytedance-ai-budget-2025-2026" / "index.md").read_text("utf-8")
    assert DRAWING_START not in chart_md and "data-aif-drawing" in chart_md
    assert DRAWING_START in (inline / "site_src" / "charts" / "bytedance-ai-budget-2025-2026" / "index.md").read_text(
        "utf-8"
    )
    assert not (lifted / "site" / drawings.FOLDER).exists()
    files = sorted(p.relative_to(lifted / "site") for p in (lifted / "site").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(inline / "site") for p in (inline / "site").rglob("*") if p.is_file())
    differ = [f for f in files if (lifted / "site" / f).read_bytes() != (inline / "site" / f).read_bytes()]
    assert differ == []
    drawn = [f for f in files if f.suffix == ".html" and DRAWING_START in (lifted / "site" / f).read_text("utf-8")]
    assert len(drawn) > 20  # chart pages, entity and metric pages (their series), in both languages
    # What is left of a placeholder is a drawing many pages share, published once (next test).
    left = [f for f in files if f.suffix == ".html" and '"></svg>' in (lifted / "site" / f).read_text("utf-8")]
    assert not any(drawings._PLACEHOLDER.search((lifted / "site" / f).read_text("utf-8")) for f in left)


def test_a_drawing_many_pages_share_is_published_once_and_keeps_its_place(tmp_path: Path):
    page = (
        f'<p>x</p><div class="aif-chart aif-static"><div class="aif-variant aif-wide" {LATER} data-search-exclude>'
        f'{DRAWING}</div><div class="aif-variant aif-compact" data-search-exclude>{OTHER}</div></div>'
    )
    published: dict[str, str] = {}
    out = drawings.defer(page, "../../", published)
    digest = hashlib.sha256(DRAWING.encode()).hexdigest()
    src = f"../../assets/drawings/{digest}.svg"
    # The marked layout: a box of the drawing's viewBox naming its file, and the file as an image for a reader
    # without scripts; the unmarked one is left inline.
    assert out == page.replace(
        DRAWING,
        f'<svg data-aif-drawing="{digest}" data-aif-src="{src}" viewBox="0 0 10 10" aria-hidden="true"></svg>'
        f'<noscript><img src="{src}" alt=""></noscript>',
    )
    assert OTHER in out and DRAWING not in out
    # The published file is the drawing with the namespace an SVG file needs; the same drawing on another
    # page (another depth) names the same file.
    assert published == {digest: '<svg xmlns="http://www.w3.org/2000/svg" ' + DRAWING[len("<svg ") :]}
    again = drawings.defer(page, "../../../", published)
    assert f'data-aif-src="../../../assets/drawings/{digest}.svg"' in again and len(published) == 1
    drawings.remove(tmp_path, published)
    assert (tmp_path / drawings.PUBLISHED / f"{digest}.svg").read_text("utf-8") == published[digest]
    assert drawings.defer("<p>no drawing</p>", "", published) == "<p>no drawing</p>"


@pytest.mark.slow
def test_the_built_site_publishes_each_shared_drawing_once(tmp_path_factory: pytest.TempPathFactory):
    """Chart pages, and the fact, derived, entity and metric pages that redraw their charts: each drawing is
    one file that every such page names, holding the drawing of the chart (as its embed holds it inline)."""
    site = seed_site(tmp_path_factory) / "site"
    named: dict[str, set[str]] = {}
    for page in site.rglob("*.html"):
        text = page.read_text("utf-8")
        for digest, src in re.findall(r'<svg data-aif-drawing="([0-9a-f]{64})" data-aif-src="([^"]+)"', text):
            assert (page.parent / src).resolve() == (site / drawings.PUBLISHED / f"{digest}.svg").resolve()
            named.setdefault(digest, set()).add(page.relative_to(site).parts[0])
    files = {p.stem: p.read_text("utf-8") for p in (site / drawings.PUBLISHED).iterdir()}
    assert set(files) == set(named) and len(files) >= 12  # 6 charts, 2 layouts, both languages' labels
    embeds = "".join(p.read_text("utf-8") for p in (site / "embed").glob("*/index.html"))
    for digest, text in files.items():
        inline = "<svg " + text.removeprefix(drawings.STANDALONE)
        assert hashlib.sha256(inline.encode()).hexdigest() == digest
        if "fr" not in named[digest]:
            assert "charts" in named[digest] and inline in embeds  # the chart's own page names it too
    assert {"charts", "facts", "derived", "entities", "metrics"} <= set().union(*named.values())


@pytest.mark.slow
def test_a_build_whose_drawing_goes_missing_fails_and_keeps_the_site(tmp_path: Path, monkeypatch):
    root = copy_project(tmp_path / "p")
    build(root)
    before = {p: p.read_bytes() for p in (root / "site").rglob("*.html")}
    real = engine.squeeze_site

    def lose_a_drawing(folder: Path, *rest: object) -> int:
        # Every lifted drawing: the build is a warm one (engine.run), which splices only the pages it rebuilt.
        for path in (folder / drawings.FOLDER).iterdir():
            path.unlink()
        return real(folder, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "squeeze_site", lose_a_drawing)
    # A change, so the pages differ from the site's: the build must fail before the swap.
    facts = root / "facts" / "tokens.yaml"
    facts.write_text(re.sub(r"Exceeded", "Went past", facts.read_text("utf-8"), count=1), encoding="utf-8")
    with pytest.raises(engine.EngineError, match="could not get their charts back"):
        build(root)
    assert {p: p.read_bytes() for p in (root / "site").rglob("*.html")} == before
