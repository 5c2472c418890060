"""The payload site in Chromium: no dialog opens and no payload script runs, search results included.

The site is the one tests/test_escaping.py builds: script tags, event handlers and javascript: links
appended to every free-text field. `<img src=x onerror="document.title='pwned'">` would change the
title if it ever ran; `alert(...)` would open a dialog, which page_checker records.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_escaping import payload_root

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def payload_site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The payload project built fully (the build tests/test_escaping.py shares); its site/ folder."""
    return payload_root(tmp_path_factory) / "site"


def _first(site: Path, section: str) -> str | None:
    """The URL path of the first page in a section of the site, or None when the section is absent."""
    folders = sorted(p.parent for p in (site / section).glob("*/index.html")) if (site / section).is_dir() else []
    return f"/{folders[0].relative_to(site).as_posix()}/" if folders else None


def _pages(site: Path) -> list[str]:
    """Home, a fact, a derived figure, the consistency page, a chart and an embed page (those that exist)."""
    pages = ["/", _first(site, "facts"), _first(site, "derived"), _first(site, "charts"), _first(site, "embed")]
    if (site / "consistency" / "index.html").is_file():
        pages.append("/consistency/")
    return [p for p in pages if p]


def test_no_payload_runs_on_any_page(payload_site_dir: Path, serve_dir, page_checker):
    base = serve_dir(payload_site_dir)
    pages = _pages(payload_site_dir)
    assert len(pages) >= 4, pages
    for path in pages:
        record = page_checker(base + path)
        record.settle()
        assert record.dialogs == [], (path, record.dialogs)
        assert record.page.title() != "pwned", path
        assert record.page.evaluate("document.querySelectorAll('img[src=\"x\"], svg[onload]').length") == 0, path
        # The payload is on the page as text: escaped, not dropped.
        assert 'alert("xss-script")' in record.page.inner_text("body"), path


def test_search_results_do_not_run_the_payload(payload_site_dir: Path, serve_dir, page_checker):
    base = serve_dir(payload_site_dir)
    record = page_checker(base + "/")
    record.settle()
    page = record.page
    page.keyboard.press("/")  # Material's shortcut focuses the search box; fall back to a click
    search = page.locator("input.md-search__input")
    if not search.is_visible():
        page.locator("label.md-search__icon, .md-header__button[for='__search']").first.click()
    found = {}
    for word in ("script", "onerror", "Citation", "click"):
        search.fill("")
        search.type(word, delay=20)  # typed, as a reader would, so Material's key handlers run
        page.wait_for_timeout(1000)
        found[word] = page.locator(".md-search-result__item").count()
        assert record.dialogs == [], (word, record.dialogs)
        assert page.title() != "pwned", word
        assert page.evaluate("document.querySelectorAll('.md-search-result img[src=\"x\"]').length") == 0, word
    assert found["script"] > 0 and found["onerror"] > 0, f"the payload words are found by search: {found}"
