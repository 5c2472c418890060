"""The engine's pages minified: whitespace and comments go, nothing a reader sees or a script reads changes."""

from __future__ import annotations

from pathlib import Path

from generator.pipeline.minify import minify_page, minify_site

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <style>
      .a   { color: red; }
    </style>
    <!-- a comment -->
  </head>
  <body>
    <p>Source:   <a href="x/">The   report</a>, page 2.</p>
    <pre><code>  keep
     this   indentation</code></pre>
    <script>var   x = "  two  spaces  ";</script>
  </body>
</html>
"""


def test_whitespace_and_comments_go_code_styles_and_scripts_stay():
    out = minify_page(PAGE)
    assert len(out) < len(PAGE) * 0.85 and "a comment" not in out and "\n    <p>" not in out
    assert "<pre><code>  keep\n     this   indentation</code></pre>" in out
    assert '<script>var   x = "  two  spaces  ";</script>' in out
    assert ".a   { color: red; }" in out
    # Words keep one space between them and around links: the sentence reads the same.
    assert (
        "<p>Source: <a href=x/>The report</a>, page 2." in out
        or '<p>Source: <a href="x/">The report</a>, page 2.' in out
    )
    assert minify_page(out) == out  # stable: a second pass changes nothing


def test_minify_site_rewrites_html_only(tmp_path: Path):
    (tmp_path / "a").mkdir()
    for name in ("index.html", "a/index.html"):
        (tmp_path / name).write_text(PAGE, encoding="utf-8")
    (tmp_path / "data.json").write_text('{"a":   1}\n', encoding="utf-8")
    before, after = minify_site(tmp_path)
    assert before == 2 * len(PAGE.encode()) and after < before
    assert (tmp_path / "data.json").read_text(encoding="utf-8") == '{"a":   1}\n'
    assert (tmp_path / "a" / "index.html").read_text(encoding="utf-8") == minify_page(PAGE)
