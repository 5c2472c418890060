"""The engine's pages lose the indentation and blank lines of Material's templates, and nothing else.

The browser test that the pages look the same is tests/browser/test_site.py
(test_squeezing_a_page_changes_no_pixel).
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.pipeline import engine

REPO = Path(__file__).resolve().parents[1]

TAG = re.compile(r"<[^>]*>")

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">

    <title>A &lt;title&gt;</title>
  </head>
  <body>
    <nav class="md-nav">
      <ul>
        {blank}
          <li><a href="../">Home</a></li>
        {blank}
      </ul>
    </nav>
    <p>Text with <code>inline
      code kept</code> and <kbd>Ctrl
   C</kbd>.</p>
    <pre><code>line one
    indented line

    after a blank line
</code></pre>
    <textarea>
      as typed
    </textarea>
    <p title="a
       b">x</p>
  </body>
</html>
""".replace("{blank}", "    ")  # a line of spaces only, as Jinja leaves where a tag was


def test_only_line_breaks_and_their_indentation_go():
    out = engine.squeeze(PAGE)
    assert len(out) < len(PAGE) * 0.85
    # Every tag is kept, in order and byte for byte, but for white space inside an attribute value.
    assert TAG.findall(out) == [t.replace('"a\n       b"', '"a\nb"') for t in TAG.findall(PAGE)]
    # Text outside the kept elements differs only in the runs of white space holding a line break.
    assert re.sub(r"\s+", " ", out) == re.sub(r"\s+", " ", PAGE)
    assert "\n " not in engine._KEEP_WHITESPACE.sub("KEPT", out)
    assert "\n\n" not in engine._KEEP_WHITESPACE.sub("KEPT", out)


def test_pre_code_kbd_and_textarea_keep_their_white_space():
    out = engine.squeeze(PAGE)
    for kept in (
        "<code>inline\n      code kept</code>",
        "<kbd>Ctrl\n   C</kbd>",
        "<textarea>\n      as typed\n    </textarea>",
    ):
        assert kept in out
    assert "<pre><code>line one\n    indented line\n\n    after a blank line\n</code></pre>" in out


def test_squeezing_twice_changes_nothing_more():
    once = engine.squeeze(PAGE)
    assert engine.squeeze(once) == once


def test_material_sets_white_space_only_on_the_elements_kept():
    """Where Material's style sheet (or the site's) makes white space content, squeeze() must keep it:
    every rule with `white-space: pre*` selects <pre>, <code>, <kbd> or <textarea>, or holds no text."""
    import material

    sheets = list((Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("main.*.min.css"))
    sheets.append(REPO / "site_src" / "assets" / "site.css")
    assert len(sheets) == 2
    empty = {".md-search__suggest"}  # filled by script with text laid out on one line
    for sheet in sheets:
        css = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
            if not re.search(r"white-space\s*:\s*(pre|break-spaces)", body):
                continue
            for selector in selectors.split(","):
                last = re.split(r"[\s>+~]+", selector.strip())[-1]
                element = re.match(r"[a-z]*", last).group(0)
                assert element in {"pre", "code", "kbd", "textarea"} or selector.strip() in empty, (
                    f"{sheet.name}: `{selector.strip()}` keeps white space; add it to engine._KEEP_WHITESPACE"
                )


def test_a_built_page_holds_no_indentation_outside_pre(tmp_path):
    site = tmp_path / "site"
    (site / "facts" / "x").mkdir(parents=True)
    (site / "facts" / "x" / "index.html").write_text(PAGE, encoding="utf-8")
    (site / "raw.bin.html").write_bytes(b"\xff\xfe not utf-8\n   ")
    saved = engine.squeeze_site(site)
    assert saved == len(PAGE.encode()) - len(engine.squeeze(PAGE).encode()) > 0
    assert (site / "facts" / "x" / "index.html").read_text(encoding="utf-8") == engine.squeeze(PAGE)
    assert (site / "raw.bin.html").read_bytes() == b"\xff\xfe not utf-8\n   "
