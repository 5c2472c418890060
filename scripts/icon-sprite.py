"""Write site_src/assets/icons.svg: the theme icons every page shows, once, as <symbol>s that each page's
header and navigation point at (<svg><use href=".../icons.svg#name"/></svg>) instead of repeating them.

Material inlines each icon's drawing in every page, 13 of them: ~4.2 kB a page, ~2.8 kB more than the
references (templates/theme/.icons/ holds one small override per icon, found by Material's own
`{% include ".icons/<name>.svg" %}`). The drawings are Material's own files, copied here unchanged;
tests/test_icons.py checks the sprite still equals them. Run after a Material upgrade:

    .venv/bin/python scripts/icon-sprite.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = ROOT / "templates" / "theme" / ".icons"
SPRITE = ROOT / "site_src" / "assets" / "icons.svg"


def material_icons() -> Path:
    import material

    return Path(material.__file__).parent / "templates" / ".icons"


def symbol_id(name: str) -> str:
    """`fontawesome/brands/git-alt` -> `fontawesome-brands-git-alt`."""
    return name.replace("/", "-")


def icon_names() -> list[str]:
    """The icons the theme overrides point at: every .icons/<set>/.../<name>.svg under templates/theme."""
    return sorted(p.relative_to(OVERRIDES).with_suffix("").as_posix() for p in OVERRIDES.rglob("*.svg"))


def sprite() -> str:
    """The sprite's text: one <symbol> per icon, its viewBox and drawing as Material ships them."""
    symbols = []
    for name in icon_names():
        text = (material_icons() / f"{name}.svg").read_text(encoding="utf-8").strip()
        match = re.fullmatch(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="([^"]+)">(.*)</svg>', text, re.S)
        if match is None:
            raise SystemExit(f"{name}.svg is not a plain icon: {text[:80]}")
        symbols.append(f'<symbol id="{symbol_id(name)}" viewBox="{match[1]}">{match[2]}</symbol>')
    return '<svg xmlns="http://www.w3.org/2000/svg">\n' + "\n".join(symbols) + "\n</svg>\n"


if __name__ == "__main__":
    SPRITE.write_text(sprite(), encoding="utf-8")
    print(
        f"wrote {SPRITE.relative_to(ROOT)} ({SPRITE.stat().st_size} bytes, {len(icon_names())} icons)", file=sys.stderr
    )
