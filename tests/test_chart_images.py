"""Reproducible chart images: drawn with the font vl-convert bundles, cached under a key that
holds everything a render depends on, so a warm-cache and a cold build of one commit are byte-identical."""

from __future__ import annotations

import multiprocessing
import os
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from generator.outputs import chart_fonts, charts
from generator.pipeline.build import build, gather
from tests.conftest import copy_project

SPEC_TEXT = {
    "data": {"values": [{"a": "Wg title", "b": 1}]},
    "mark": "bar",
    "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}},
    "title": "Bold title Wg",
}


def test_every_chart_names_the_bundled_font_first_among_real_ones():
    assert charts.FONT.split(", ") == [*chart_fonts.NAMED_FAMILIES, "sans-serif"]
    for item in charts.plot_all(gather(Path(__file__).resolve().parent.parent)):
        assert item.spec["config"]["font"] == charts.FONT


def test_the_bundled_font_is_what_draws_the_text(tmp_path):
    drawn = charts.render({**SPEC_TEXT, "config": {"font": charts.FONT}}, "png", tmp_path)
    bundled = charts.render({**SPEC_TEXT, "config": {"font": "Liberation Sans"}}, "png", tmp_path)
    unknown = charts.render({**SPEC_TEXT, "config": {"font": "No Such Font Anywhere"}}, "png", tmp_path)
    other = charts.render({**SPEC_TEXT, "config": {"font": "DejaVu Serif"}}, "png", tmp_path)
    assert drawn == bundled  # "AIF Chart Sans" is nowhere: Liberation Sans is the first found
    assert drawn != unknown  # and it is a real font, not the renderer's fallback
    if any("DejaVuSerif" in font for font in chart_fonts.fallback_fonts()):
        assert drawn != other


def test_no_machine_copy_of_a_named_family_is_shown_to_the_renderer():
    """fontdb reads folders with their subfolders: none shown holds a font of a family the charts name,
    which would win over the bundled copy (and be read back from its file for every glyph)."""
    shown = chart_fonts.fallback_fonts()
    for entry in shown:
        path = Path(entry.rsplit(":", 1)[0])
        assert chart_fonts._family(path) not in chart_fonts.NAMED_FAMILIES, path
    liberation = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
    if liberation.is_file():  # Debian's chromium brings fonts-liberation: it is on the test machines
        assert liberation.parent not in chart_fonts.fallback_folders()
        assert not any(entry.startswith(f"{liberation.parent}/") for entry in shown)


def test_the_fontconfig_file_lists_the_folders_escaped(tmp_path):
    text = chart_fonts._fontconfig((Path("/fonts/a&b"), Path("/fonts/<c>")), tmp_path)
    assert "<dir>/fonts/a&amp;b</dir><dir>/fonts/&lt;c&gt;</dir>" in text
    # No folder at all would make fontdb read every system folder: an empty one is named instead.
    assert f"<dir>{tmp_path}</dir>" in chart_fonts._fontconfig((), tmp_path)


def test_drawing_leaves_the_environment_as_it_was(tmp_path, monkeypatch):
    """FONTCONFIG_FILE is set only while vl-convert reads it: a browser started later sees the machine's fonts."""
    monkeypatch.setenv("FONTCONFIG_FILE", "/etc/fonts/fonts.conf")
    monkeypatch.setattr(chart_fonts, "_READY", False)
    charts.render({**SPEC_TEXT, "width": 33, "config": {"font": charts.FONT}}, "svg", tmp_path)
    assert os.environ["FONTCONFIG_FILE"] == "/etc/fonts/fonts.conf"


def test_the_image_cache_key_holds_the_fonts_and_the_renderer(monkeypatch):
    spec = {**SPEC_TEXT, "config": {"font": charts.FONT}}
    original = charts.render_key(spec)
    try:
        shown = chart_fonts.fallback_fonts()
        monkeypatch.setattr(chart_fonts, "fallback_fonts", lambda: [*shown, "/usr/share/fonts/new/Extra.ttf:1234"])
        charts.render_environment.cache_clear()
        assert charts.render_key(spec) != original  # a font installed on the machine (a fallback)
        monkeypatch.undo()
        monkeypatch.setattr(charts.importlib.metadata, "version", lambda name: "0.0.0")
        charts.render_environment.cache_clear()
        assert charts.render_key(spec) != original  # another vl-convert (and so another bundled font)
    finally:
        monkeypatch.undo()
        charts.render_environment.cache_clear()
    assert charts.render_key(spec) == original


def _generated(project: Path) -> dict[str, bytes]:
    out = project / "site_src"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_a_warm_and_a_cold_build_are_byte_identical(cold_project, tmp_path, monkeypatch):
    project = cold_project
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    assert not (project / ".generator-cache").exists()
    build(project, run_engine=False)  # cold: every image drawn in this process
    cold = _generated(project)
    images = [p for p in cold if p.endswith(("chart.png", "chart.svg"))]
    assert len(images) >= 10
    before = charts.RENDER_COUNT
    build(project, run_engine=False)  # warm: every image from the cache it just filled
    assert charts.RENDER_COUNT == before
    assert _generated(project) == cold
    # Another copy with the checkout's cache: images drawn apart (by `make site`, another process,
    # maybe another day), or drawn here when that cache is empty. Same bytes either way.
    elsewhere = copy_project(tmp_path / "elsewhere")
    build(elsewhere, run_engine=False)
    again = _generated(elsewhere)
    assert [p for p in cold if cold[p] != again.get(p)] == []
    assert set(again) == set(cold)


def _draw_in_child(cache: str) -> None:
    """Runs in a process multiprocessing started: enough new specs for prerender to use its workers."""
    bar = {"mark": "bar", "height": 20, "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    specs = [{**bar, "width": 40 + n, "data": {"values": [{"a": n}]}} for n in range(5)]
    assert charts.prerender(specs, Path(cache)) == 5


@pytest.mark.slow
def test_a_process_started_by_multiprocessing_exits_after_drawing(tmp_path):
    """The drawing workers are kept for the process; at the exit of a process multiprocessing started
    (bench times each build in one), they are stopped before multiprocessing joins its children. It hung."""
    child = multiprocessing.get_context("spawn").Process(target=_draw_in_child, args=(str(tmp_path),))
    child.start()
    child.join(timeout=120)
    hung = child.is_alive()
    if hung:
        child.kill()
    assert not hung, "the process did not exit: its drawing workers were never stopped"
    assert child.exitcode == 0
    assert len(list(tmp_path.glob("*.svg"))) == 5


def test_the_preview_background_is_pure_white(tmp_path):
    """The fast octree averages each bucket: without `_white_kept` the background came out (254, 254, 254)."""
    png = charts.render({**SPEC_TEXT, "width": 41, "config": {"font": charts.FONT}}, "png", tmp_path)
    with Image.open(BytesIO(png)) as image:
        assert image.size == charts.PREVIEW_SIZE and image.mode == "P"
        rgb = image.convert("RGB")
    counts = sorted(rgb.getcolors(1 << 20), reverse=True)
    assert counts[0][1] == (255, 255, 255)  # the background, in every corner
    assert {rgb.getpixel(p) for p in [(0, 0), (1199, 0), (0, 629), (1199, 629)]} == {(255, 255, 255)}
    assert len(counts) > 10  # the text's anti-aliasing is kept, not flattened


def test_white_kept_changes_only_a_near_white_background_entry():
    canvas = Image.new("RGB", (4, 4), "white")
    reduced = Image.new("P", (4, 4), 0)
    reduced.putpalette([254, 253, 255, 10, 20, 30])
    assert charts._white_kept(canvas, reduced).getpalette()[:6] == [255, 255, 255, 10, 20, 30]
    reduced.putpalette([240, 240, 240, 10, 20, 30])  # not the octree's rounding: left alone
    assert charts._white_kept(canvas, reduced).getpalette()[:3] == [240, 240, 240]
    dark = Image.new("RGB", (4, 4), "black")  # a corner that is not background: nothing changes
    reduced.putpalette([254, 254, 254])
    assert charts._white_kept(dark, reduced).getpalette()[:3] == [254, 254, 254]
