"""The theme's icons come from one sprite (site_src/assets/icons.svg), not a drawing repeated in every page.

What they look like is tested in tests/browser/test_site.py
(test_the_theme_icons_drawn_from_the_sprite_look_as_material_draws_them).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("icon_sprite", REPO / "scripts" / "icon-sprite.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sprite_holds_materials_own_drawings():
    script = _script()
    assert len(script.icon_names()) == 10
    assert script.SPRITE.read_text(encoding="utf-8") == script.sprite(), (
        "site_src/assets/icons.svg is not Material's icons: run `.venv/bin/python scripts/icon-sprite.py`"
    )


def test_every_override_points_at_its_own_symbol_with_materials_view_box():
    script = _script()
    sprite = script.SPRITE.read_text(encoding="utf-8")
    for name in script.icon_names():
        override = (script.OVERRIDES / f"{name}.svg").read_text(encoding="utf-8")
        own = (script.material_icons() / f"{name}.svg").read_text(encoding="utf-8")
        box = re.search(r'viewBox="([^"]+)"', own)[1]
        assert re.fullmatch(
            rf'<svg viewBox="{box}"><use href="\{{\{{ \(config\.extra\.root_path ~ \'assets/icons\.svg\'\) \| url \}}\}}'
            rf'#{script.symbol_id(name)}"/></svg>\n',
            override,
        ), (name, override)
        assert f'<symbol id="{script.symbol_id(name)}" viewBox="{box}">' in sprite


def test_a_built_page_repeats_no_theme_drawing():
    """Every icon the header and navigation show is a reference: none of Material's drawings is inlined,
    so a theme icon added later (a new palette toggle, say) fails here until it is in the sprite."""
    site = REPO / "site"
    page = site / "facts" / "bytedance-daily-tokens-2025-10" / "index.html"
    if not page.is_file():
        import os

        import pytest

        if os.environ.get("CI") == "true":
            pytest.fail("no built site: `make test` builds it before the tests")
        pytest.skip("no built site (make site)")
    text = page.read_text(encoding="utf-8")
    article = re.search(r"<article.*?</article>", text, re.S)[0]
    chrome = text.replace(article, "")
    assert re.findall(r"<svg[^>]*>(?!<use )", chrome) == []
    assert len(re.findall(r'<use href="../../assets/icons.svg#', chrome)) >= 13
