"""Make generator/fonts/ from Liberation Sans: the one font every chart image is drawn with.

The fonts are Liberation Sans 1.07.4 (Debian's fonts-liberation 1:1.07.4-11) with only their names
changed to "AIF Chart Sans". Liberation Sans has the metrics of Arial, so a browser that draws the
chart's SVG with Liberation Sans or Arial (the next fonts of the chart's list) lays its text out at
the widths the build measured. The unique name matters: the renderer also sees the machine's fonts,
and a system copy of "Liberation Sans" in another version would otherwise win on some machines and
change the images.

Run once by hand when the font is to change (needs fontTools, which the build itself does not):
    python scripts/make-chart-font.py /usr/share/fonts/truetype/liberation generator/fonts
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

FAMILY = "AIF Chart Sans"
FILES = {
    "LiberationSans-Regular.ttf": ("Regular", "AIFChartSans-Regular.ttf"),
    "LiberationSans-Bold.ttf": ("Bold", "AIFChartSans-Bold.ttf"),
}
VERSION = "1.07.4"


def main(source: Path, target: Path) -> None:
    for name, (style, out) in FILES.items():
        font = TTFont(source / name, recalcTimestamp=False)
        table = font["name"]
        postscript = f"{FAMILY.replace(' ', '')}-{style}"
        full = f"{FAMILY} {style}" if style != "Regular" else FAMILY
        for record in list(table.names):
            if record.nameID in (16, 17, 21, 22):  # typographic/WWS names: drop, 1 and 2 say it all
                table.removeNames(nameID=record.nameID)
        for name_id, text in ((1, FAMILY), (2, style), (3, f"{postscript};{VERSION}"), (4, full), (6, postscript)):
            table.setName(text, name_id, 3, 1, 0x409)
            table.setName(text, name_id, 1, 0, 0)
        font.save(target / out, reorderTables=True)
        print(out, hashlib.sha256((target / out).read_bytes()).hexdigest())


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
