"""Issue 8 speed-ups: the fast YAML walk, the PNG drawn from the cached SVG, parallel pre-rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.inputs.load import parse_yaml, read_text
from generator.outputs import charts


def _spec(n: int) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"x": "a", "y": n}, {"x": "b", "y": n + 1}]},
        "mark": "bar",
        "encoding": {"x": {"field": "x", "type": "nominal"}, "y": {"field": "y", "type": "quantitative"}},
    }


def test_walk_keeps_marks_keys_and_quotes() -> None:
    located, problems = parse_yaml("a:\n  - b: \"x\"\n    c: 2\n  - [1, 'y']\n", "f.yaml")
    assert problems == [] and located is not None
    assert located.data == {"a": [{"b": "x", "c": 2}, [1, "y"]]}
    assert located.marks[("a", 0, "b")] == (2, 8) and located.marks[("a", 1, 1)] == (4, 9)
    assert located.key_marks[("a", 0, "c")] == (3, 5)
    assert located.quoted == {("a", 0, "b"), ("a", 1, 1)}


@pytest.mark.parametrize(("text", "where"), [("a: 1\n  \tb: 2\n", (2, 3)), ("\tx: 1\n", (1, 1))])
def test_tab_indent_found_by_one_scan(tmp_path: Path, text: str, where: tuple[int, int]) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = read_text(path, "t.yaml")
    assert [(p.code, p.line, p.column) for p in problems] == [("tab-indent", *where)]


def test_png_from_cached_svg_is_the_direct_png(tmp_path: Path) -> None:
    import vl_convert

    spec = _spec(3)
    assert charts.render(spec, "png", tmp_path) == vl_convert.vegalite_to_png(spec, scale=2)
    assert (tmp_path / f"{charts.render_key(spec)}.svg").is_file()  # the PNG was drawn from the cached SVG


def test_prerender_fills_cache_then_render_draws_nothing(tmp_path: Path) -> None:
    specs = [_spec(n) for n in range(5)] + [_spec(0)]  # one duplicate: drawn once
    before = charts.RENDER_COUNT
    assert charts.prerender(specs, tmp_path, workers=2) == 10
    assert charts.RENDER_COUNT - before == 10
    direct = charts.render(_spec(4), "png", tmp_path / "other")
    assert charts.render(_spec(4), "png", tmp_path) == direct
    before = charts.RENDER_COUNT
    assert charts.prerender(specs, tmp_path, workers=2) == 0
    assert charts.render(_spec(2), "svg", tmp_path).startswith(b"<svg")
    assert charts.RENDER_COUNT == before
