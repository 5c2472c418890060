"""The fonts vl-convert draws the charts with: its own bundled Liberation Sans, held in memory.

Every chart's text is set in Liberation Sans, which has the metrics of Arial: a browser that draws an
inline chart with Liberation Sans (Linux) or Arial (Windows, macOS) puts each label at the width the
build measured. vl-convert bundles Liberation Sans (2.00.1 in the pinned 1.9.0) and keeps it in
memory. A font it finds on the machine it reads back from its file for every glyph it measures or
draws (its font database opens and maps the file on each access), which made a chart's two SVGs and
its preview three times slower (3 December 2026: ~230 ms against ~95 ms a chart for the seed's
charts) and made the glyphs depend on the machine's copy of the font.

So vl-convert is shown only the machine's fonts it may need for a character Liberation Sans lacks
(CJK, Arabic): each folder of font files, except a folder that holds a font of a family the charts
name, which would win over the bundled one. fontdb, vl-convert's font database, finds the machine's
fonts through fontconfig's configuration, which the `FONTCONFIG_FILE` variable names; it is set to a
file listing those folders only while vl-convert builds its font database (once per process: the main
one and each drawing worker), and put back at once, so no other program the build starts (a browser
in the tests) sees it. On macOS and Windows fontdb reads the system folders without fontconfig and
ignores the variable: there a system copy of Liberation Sans, if one is installed, would be used.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from PIL import ImageFont

#: The families the charts name before the generic one (charts.FONT). The first, "AIF Chart Sans",
#: is the renamed copy of Liberation Sans the charts were drawn with until 3 December 2026; it stays
#: in the list because the list is part of every published spec and so of every chart version's
#: address. No font of that name is shipped or installed, so the bundled Liberation Sans draws.
NAMED_FAMILIES = ("AIF Chart Sans", "Liberation Sans", "Arial", "Helvetica")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
#: Where fontdb looks for a machine's fonts when fontconfig names no folder (Linux, macOS).
_HOME = Path.home()
SYSTEM_FOLDERS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    _HOME / ".fonts",
    _HOME / ".local/share/fonts",
    Path("/Library/Fonts"),
    Path("/System/Library/Fonts"),
    _HOME / "Library/Fonts",
)


def _family(path: Path) -> str | None:
    """The family name of a font file's first face, or None when it cannot be read."""
    try:
        return str(ImageFont.truetype(str(path), 12).getname()[0])
    except (OSError, ValueError):
        return None


@functools.cache
def _fallbacks() -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """(folders, files) of the machine fonts vl-convert may use: each folder holding font files,
    unless a font anywhere under it is of a family the charts name (fontdb reads a folder with its
    subfolders), and the font files directly in those folders."""
    files = [
        path
        for root in SYSTEM_FOLDERS
        if root.is_dir()
        for path in sorted(root.rglob("*"))
        if path.suffix.lower() in FONT_SUFFIXES and path.is_file()
    ]
    named = [path for path in files if _family(path) in NAMED_FAMILIES]
    folders = tuple(
        folder
        for folder in sorted({path.parent for path in files})
        if not any(folder in path.parents for path in named)
    )
    kept = set(folders)
    return folders, tuple(path for path in files if path.parent in kept)


def fallback_folders() -> tuple[Path, ...]:
    """The folders of machine fonts vl-convert is shown (see _fallbacks)."""
    return _fallbacks()[0]


def fallback_fonts() -> list[str]:
    """The machine's font files vl-convert sees, with their sizes: part of every image's cache key."""
    return sorted(f"{path}:{path.stat().st_size}" for path in _fallbacks()[1])


def _fontconfig(folders: tuple[Path, ...], empty: Path) -> str:
    # fontdb falls back to every system folder when the configuration names none: name an empty one.
    listed = folders or (empty,)
    dirs = "".join(f"<dir>{escape(str(folder))}</dir>" for folder in listed)
    return f'<?xml version="1.0"?>\n<fontconfig>{dirs}</fontconfig>\n'


_READY = False


def vl_convert() -> Any:
    """vl_convert, its font database built from the bundled fonts and the fallback folders only."""
    global _READY
    import vl_convert as vlc

    if not _READY:
        with tempfile.TemporaryDirectory(prefix="aif-fonts-") as tmp:
            conf = Path(tmp) / "fonts.conf"
            conf.write_text(_fontconfig(fallback_folders(), Path(tmp)), encoding="utf-8")
            before = os.environ.get("FONTCONFIG_FILE")
            os.environ["FONTCONFIG_FILE"] = str(conf)
            try:
                # The first call that needs vl-convert's font database builds it; this one adds no font
                # (the folder holds only the configuration file).
                vlc.register_font_directory(tmp)
            finally:
                if before is None:
                    del os.environ["FONTCONFIG_FILE"]
                else:
                    os.environ["FONTCONFIG_FILE"] = before
        _READY = True
    return vlc
