"""The French site (/fr/) in a real browser: the same built site as the other browser tests (one build),
a few pages of each kind rather than the whole suite again. Pages read as French, axe finds nothing
serious, the French search finds French words, the switcher leads to the same page, the French embed
draws on another origin, and nothing is loaded from outside."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.outputs import embed

pytestmark = pytest.mark.browser
CHART = "daily-tokens-bytedance-google"

PAGES = {
    "home": "/fr/",
    "fact": "/fr/facts/bytedance-daily-tokens-2025-10/",
    "chart": f"/fr/charts/{CHART}/",
    "downloads": "/fr/downloads/",
}
#: English words that must not appear on a French page outside a marked fallback (lang="en").
ENGLISH = re.compile(r"\b(the|and|of|with|Source chain|Cite this|trillion|billion|About this figure)\b")


def _french_text(page) -> str:
    """The article's text without the parts marked as another language (fallbacks, quotes, code)."""
    return page.evaluate(
        """() => { const a = document.querySelector('article').cloneNode(true);
        a.querySelectorAll('[lang]:not([lang="fr"]), pre, code, .md-source').forEach(e => e.remove());
        return a.innerText; }"""
    )


@pytest.mark.parametrize("name", sorted(PAGES))
def test_french_page_reads_as_french_and_is_accessible(name, site_url, page_checker, axe, serious):
    record = page_checker(site_url + PAGES[name])
    page = record.page
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").first.is_visible()
    text = _french_text(page)
    assert ENGLISH.findall(text) == [], text[:2000]
    violations = serious(axe(page))
    assert not violations, axe.describe(violations)
    assert record.external_requests(site_url) == []
    assert record.console_errors == []


def test_french_fact_page_says_the_figure_in_french(site_url, page_checker):
    page = page_checker(site_url + PAGES["fact"]).page
    article = page.locator("article").inner_text()
    assert "plus de 30\u202f000 milliards de jetons par jour" in article
    assert page.locator('blockquote[lang="fr"]').inner_text().startswith("L’utilisation")
    assert "Traduction" not in article  # the quote is French: it stands alone


def test_the_switcher_leads_to_the_same_page(site_url, page_checker):
    page = page_checker(site_url + PAGES["fact"]).page
    english = page.locator('a.md-select__link[hreflang="en"]')
    assert english.get_attribute("href") == "../../../facts/bytedance-daily-tokens-2025-10/"
    page.goto(site_url + "/facts/bytedance-daily-tokens-2025-10/")
    french = page.locator('a.md-select__link[hreflang="fr"]')
    assert french.get_attribute("href") == "../../fr/facts/bytedance-daily-tokens-2025-10/"


def test_french_search_finds_a_french_statement(site_url, page_checker):
    record = page_checker(site_url + "/fr/")
    page = record.page
    search = page.locator("input.md-search__input")
    assert search.get_attribute("placeholder") == "Rechercher"
    search.click()
    search.press_sequentially("prévoit", delay=50)
    result = page.locator(".md-search-result__list a[href*='facts/']").first
    result.wait_for(timeout=30000)
    assert "/fr/facts/" in result.get_attribute("href") or result.get_attribute("href").startswith("facts/")
    assert record.external_requests(site_url) == []
    assert record.console_errors == []


def test_french_embed_draws_on_another_origin(site_dir: Path, tmp_path: Path, serve_dir, page_checker):
    site_base = serve_dir(site_dir)
    snippet = embed.snippet(CHART, "Jetons", site_base + "/fr/", 300)
    host = tmp_path / "host"
    host.mkdir()
    (host / "index.html").write_text(
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Hôte</title></head>'
        f'<body><main><h1>Hôte</h1><div style="width:640px">{snippet}</div></main></body></html>',
        encoding="utf-8",
    )
    host_base = serve_dir(host, hostname="localhost")
    record = page_checker(host_base + "/")
    record.page.frame_locator("iframe").locator(".aif-chart svg").first.wait_for(state="attached", timeout=15000)
    inner = next(f for f in record.page.frames if f.url.startswith(site_base))
    assert inner.evaluate("document.documentElement.lang") == "fr"
    footer = inner.locator("footer").inner_text()
    assert "Faits sur l’infrastructure de l’IA" in footer and "Données" in footer
    svg = inner.locator(".aif-chart svg").first.inner_html()
    assert "milliards" in svg and "trillion" not in svg
    outside = [u for u in record.requests if not (u.startswith(site_base) or u.startswith(host_base))]
    assert outside == []
    assert record.console_errors == []


def test_the_sitemap_lists_both_languages_with_alternates(site_dir: Path):
    text = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    page = "facts/bytedance-daily-tokens-2025-10/"
    assert f"<loc>https://ai-infra-facts.github.io/facts/{page}</loc>" in text
    assert f"<loc>https://ai-infra-facts.github.io/facts/fr/{page}</loc>" in text
    assert f'hreflang="fr" href="https://ai-infra-facts.github.io/facts/fr/{page}"' in text
    french, english = text.count("<loc>https://ai-infra-facts.github.io/facts/fr/"), text.count("<url>")
    assert english == 2 * french  # every page twice: once per language
