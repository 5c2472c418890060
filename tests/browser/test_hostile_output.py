"""The hostile-text site in Chromium: nothing runs, nothing is live, the text reads literally.

The site is the one tests/test_hostile_output.py builds: an emoji, `![x](...){: onerror=alert(1)}`,
`[c](javascript:alert(2))`, lines of three backticks, `<!--`, `---`, `|` and `# heading` in every
title and text field. Each kind of page is opened; no dialog may open, no element may carry an
inline `on*` handler, no link or source may be `javascript:`, and the heading must show the input.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import test_hostile_output
from tests.test_hostile_output import INLINE, PAYLOAD_URL, expected_headings, expected_titles

pytestmark = pytest.mark.browser

#: Where a screenshot of a hostile fact page at 375 px is kept ($HOSTILE_SCREENSHOT, else the test's tmp_path).
SCREENSHOT_ENV = "HOSTILE_SCREENSHOT"

#: Inline handlers, javascript: URLs, addresses from the payload and its forged id, in the live DOM.
LIVE_MARKUP_JS = """(payloadUrl) => {
  const out = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.startsWith("on")) out.push(`<${el.tagName} ${attr.name}>`);
      if (["href", "src", "action", "formaction", "xlink:href"].includes(attr.name)
          && (value.startsWith("javascript:") || value.includes(payloadUrl))) {
        out.push(`<${el.tagName} ${attr.name}=${value}>`);
      }
    }
  }
  if (document.getElementById("forged")) out.push("#forged");
  return out;
}"""


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile project, built fully (the build tests/test_hostile_output.py shares); its root."""
    return test_hostile_output.hostile_root(tmp_path_factory)


def _url_path(page: str) -> str:
    """The URL path of a page under site_src/ (directory URLs)."""
    return "/" + (page[: -len("index.md")] if page.endswith("index.md") else page[: -len(".md")] + "/")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _pages(root: Path) -> dict[str, str]:
    """{URL path: expected title}: the first page of each kind titled by input text."""
    chosen: dict[str, str] = {}
    kinds: set[str] = set()
    for page, title in expected_titles(root).items():
        kind = page.split("/")[0]
        if kind not in kinds:
            kinds.add(kind)
            chosen[_url_path(page)] = title
    return chosen


def _headings(root: Path) -> dict[str, str]:
    """{URL path: expected <h1>} where it differs from the title (fact pages)."""
    return {_url_path(page): heading for page, heading in expected_headings(root).items()}


def test_hostile_text_is_inert_and_literal_on_every_kind_of_page(hostile_root: Path, serve_dir, page_checker):
    site = hostile_root / "site"
    base = serve_dir(site)
    pages, headings = _pages(hostile_root), _headings(hostile_root)
    assert {p.split("/")[1] for p in pages} >= {"facts", "entities", "metrics", "sources", "derived", "charts"}
    chart = next(p for p in pages if p.startswith("/charts/"))
    extra = ["/", "/facts/", "/corrections/", "/charts/", chart.replace("/charts/", "/embed/", 1)]
    for path in [*pages, *extra]:
        record = page_checker(base + path)
        record.settle()
        assert record.dialogs == [], (path, record.dialogs)
        assert record.page.evaluate(LIVE_MARKUP_JS, PAYLOAD_URL) == [], path
        body = _one_line(record.page.inner_text("body"))
        if path.startswith("/embed/"):
            # An embed shows its title only inside the chart's SVG, where the renderer cuts a line too long
            # for the frame ("…"): the whole text is the frame's title and the figure's accessible name.
            named = record.page.get_attribute(".aif-chart", "aria-label") or ""
            body = _one_line(record.page.title() + " " + named)
        assert _one_line(INLINE) in body, (path, "the hostile text is shown, not dropped")
        if path in pages:
            heading = record.page.inner_text("h1").replace("\u00b6", "")  # toc's permalink sign
            assert _one_line(heading) == _one_line(headings.get(path, pages[path])), path
            assert _one_line(pages[path]) in _one_line(record.page.title()), path


def test_screenshot_of_a_hostile_fact_page_at_375_px(hostile_root: Path, serve_dir, page_checker, tmp_path: Path):
    base = serve_dir(hostile_root / "site")
    fact = next(p for p in _pages(hostile_root) if p.startswith("/facts/"))
    record = page_checker(base + fact, viewport={"width": 375, "height": 812})
    record.settle()
    assert record.dialogs == []
    target = Path(os.environ.get(SCREENSHOT_ENV) or tmp_path / "hostile-fact-375.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    record.page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000
    # Nothing wider than the viewport: the long unbroken payload wraps instead of pushing the page.
    assert record.page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
