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


def test_png_is_a_palette_preview_drawn_from_the_cached_svg(tmp_path: Path) -> None:
    import io

    from PIL import Image

    spec = _spec(3)
    png = charts.render(spec, "png", tmp_path)
    assert (tmp_path / f"{charts.render_key(spec)}.svg").is_file()  # the PNG was drawn from the cached SVG
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == charts.PREVIEW_SIZE and image.mode == "P"
        assert len(image.getcolors(256) or []) <= charts.PREVIEW_COLOURS
        rgb = image.convert("RGB")
    assert rgb.getpixel((2, 2)) == (255, 255, 255)  # the chart is centred on white
    assert len({rgb.getpixel((x, 315)) for x in range(0, 1200, 4)}) > 2  # and drawn across the middle
    assert len(png) < 60_000


def test_prerender_fills_cache_then_render_draws_nothing(tmp_path: Path) -> None:
    specs = [_spec(n) for n in range(5)] + [_spec(0)]  # one duplicate: drawn once
    before = charts.RENDER_COUNT
    # SVGs of all, the preview PNG of two only (a chart's compact layout and old versions need none).
    assert charts.prerender(specs, tmp_path, workers=2, previews=[_spec(1), _spec(4)]) == 7
    assert charts.RENDER_COUNT - before == 7
    assert not (tmp_path / f"{charts.render_key(_spec(2))}{charts.PNG_SUFFIX}").exists()
    direct = charts.render(_spec(4), "png", tmp_path / "other")
    assert charts.render(_spec(4), "png", tmp_path) == direct
    before = charts.RENDER_COUNT
    assert charts.prerender(specs, tmp_path, workers=2, previews=[_spec(4)]) == 0
    assert charts.render(_spec(2), "svg", tmp_path).startswith(b"<svg")
    assert charts.RENDER_COUNT == before


@pytest.mark.parametrize(
    ("kind", "poison"),
    [
        ("svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("svg", b"\xff\xfe"),
        ("png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40),
        ("png", b"<svg/>"),
    ],
)
def test_a_poisoned_cache_entry_is_drawn_again_not_published(tmp_path: Path, kind: str, poison: bytes) -> None:
    spec = _spec(7)
    fresh = charts.render(spec, kind, tmp_path / "clean")
    suffix = charts.PNG_SUFFIX if kind == "png" else ".svg"
    target = tmp_path / "cache" / f"{charts.render_key(spec)}{suffix}"
    target.parent.mkdir()
    target.write_bytes(poison)
    assert charts.render(spec, kind, tmp_path / "cache") == fresh
    assert target.read_bytes() == fresh


def test_what_gathering_made_is_left_out_of_later_collections() -> None:
    """Pausing the collector alone left every object gathering made in the youngest generation, so the
    first collection after it walked them all (1.2 s after 10,000 seed-profile facts): they are frozen."""
    import gc

    from generator.pipeline.build import collector_paused

    was_enabled = gc.isenabled()
    gc.enable()
    try:
        frozen_before = gc.get_freeze_count()
        with collector_paused():
            assert not gc.isenabled()
            made = [{"n": [i]} for i in range(50_000)]  # tracked containers, as a dataset is
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen_before + 50_000
        assert gc.get_count()[0] < 1_000  # the youngest generation no longer holds them
        assert len(made) == 50_000
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual
        if not was_enabled:
            gc.disable()


def test_babel_locales_are_parsed_once_and_format_the_same() -> None:
    from decimal import Decimal

    from babel.numbers import format_decimal

    from generator.model import fmt

    assert fmt._babel("fr") is fmt._babel("fr")
    for locale in ("en", "fr"):
        for value in (Decimal("1234567.5"), Decimal("-0.25"), Decimal("85")):
            expected = format_decimal(abs(value), locale=locale, decimal_quantization=False)
            assert fmt._digits(value, locale, False).lstrip(fmt.MINUS) == expected
