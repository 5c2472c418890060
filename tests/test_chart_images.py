"""Reproducible chart images: drawn with the font shipped in generator/fonts/, cached under a key that
holds everything a render depends on, so a warm-cache and a cold build of one commit are byte-identical."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest

from generator.outputs import charts
from generator.pipeline.build import build, gather
from tests.conftest import copy_project

SPEC_TEXT = {
    "data": {"values": [{"a": "Wg title", "b": 1}]},
    "mark": "bar",
    "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}},
    "title": "Bold title Wg",
}


def test_the_shipped_font_is_the_one_every_chart_names():
    files = sorted(p.name for p in charts.FONT_DIR.glob("*.ttf"))
    assert files == ["AIFChartSans-Bold.ttf", "AIFChartSans-Regular.ttf"]
    assert (charts.FONT_DIR / "LICENSE").is_file()
    family = "AIF Chart Sans".encode("utf-16-be")  # the name table's Windows (UTF-16) family name
    for name in files:
        assert family in (charts.FONT_DIR / name).read_bytes()
    assert charts.FONT.split(",")[0] == "AIF Chart Sans"
    for item in charts.plot_all(gather(Path(__file__).resolve().parent.parent)):
        assert item.spec["config"]["font"] == charts.FONT


def test_the_shipped_font_is_what_draws_the_text(tmp_path):
    drawn = charts.render({**SPEC_TEXT, "config": {"font": charts.FONT}}, "png", tmp_path)
    only_ours = charts.render({**SPEC_TEXT, "config": {"font": "AIF Chart Sans"}}, "png", tmp_path)
    unknown = charts.render({**SPEC_TEXT, "config": {"font": "No Such Font Anywhere"}}, "png", tmp_path)
    assert drawn == only_ours  # the first family of the list is found: the rest never matters
    assert drawn != unknown  # and it is a real font, not the renderer's fallback


def test_the_image_cache_key_holds_the_fonts_and_the_renderer(tmp_path, monkeypatch):
    spec = {**SPEC_TEXT, "config": {"font": charts.FONT}}
    original = charts.render_key(spec)
    try:
        fonts = tmp_path / "fonts"
        shutil.copytree(charts.FONT_DIR, fonts)
        data = bytearray((fonts / "AIFChartSans-Bold.ttf").read_bytes())
        data[-1] ^= 1
        (fonts / "AIFChartSans-Bold.ttf").write_bytes(bytes(data))
        monkeypatch.setattr(charts, "FONT_DIR", fonts)
        charts.render_environment.cache_clear()
        assert charts.render_key(spec) != original  # another chart font
        monkeypatch.undo()
        charts.render_environment.cache_clear()
        assert charts.render_key(spec) == original
        system = charts._system_fonts()
        monkeypatch.setattr(charts, "_system_fonts", lambda: [*system, "/usr/share/fonts/new/Extra.ttf:1234"])
        charts.render_environment.cache_clear()
        assert charts.render_key(spec) != original  # a font installed on the machine (a fallback)
        monkeypatch.undo()
        monkeypatch.setattr(charts.importlib.metadata, "version", lambda name: "0.0.0")
        charts.render_environment.cache_clear()
        assert charts.render_key(spec) != original  # another vl-convert
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
