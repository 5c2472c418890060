"""The French site (/fr/) in a real browser: the same built site as the other browser tests (one build),
a few pages of each kind rather than the whole suite again. Pages read as French, axe finds nothing
serious, the French search finds French words, the switcher leads to the same page, the French embed
draws on another origin, and nothing is loaded from outside."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.inputs import archive
from generator.outputs import embed

pytestmark = pytest.mark.browser
REPO_ROOT = Path(__file__).resolve().parents[2]
CHART = "daily-tokens-bytedance-google"

PAGES = {
    "home": "/fr/",
    "fact": "/fr/facts/bytedance-daily-tokens-2025-10/",
    "chart": f"/fr/charts/{CHART}/",
    "downloads": "/fr/downloads/",
}
#: English words that must not appear on a French page outside a marked fallback (lang="en").
ENGLISH = re.compile(r"\b(the|and|of|about|half|with|Source chain|Cite this|trillion|billion|About this figure)\b")


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


#: English on a French page, whole words, case kept (French "Source", "page", "version", "plus" and "points"
#: are French too, so they are not here): function words, the UI's words, English months, English numbers
#: (20,000; not 6,957, a French decimal) and ISO dates in prose. Every entry was seen on a French page before it was fixed.
ENGLISH_ANYWHERE = re.compile(
    r"\b(the|and|of|about|half|is|are|was|has|with|within|by|from|for|to|in|at|as|not|than|this|that|over|more|less|"
    r"planned|reported|estimated|divided|times|minus|above|below|increase|decrease|percentage|converted|"
    r"billion|trillion|million|chips|users|tokens|Made|Updated|Key|Value|Period|Status|Series|Source:|"
    r"English|current|archived|version of|chart|Chart|Bar|Line|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Aug|Sep|Dec)\b"
    r"|\bOct \d{4}\b|\b\d{1,3}(?:,\d{3}){2,}\b|\b\d{2,3},\d{3}\b|\b\d{4}-\d{2}-\d{2}\b"
)
#: A fallback names itself: "About (in English)" (a title in the nav or the tab) ends with its marker.
FALLBACK_TITLE = re.compile(r"^.*\(in English\)", re.S)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_NOT_PROSE = {"script", "style", "code", "pre", "template"}
_SAID = ("alt", "title", "aria-label", "placeholder")  # attributes a reader sees or hears


class _FrenchText(HTMLParser):
    """The text a reader of a French page sees or hears: text nodes and the attributes in _SAID, except
    under an element whose nearest `lang` is not French (a marked fallback, a quote), code, scripts and
    styles; attributes under aria-hidden (the drawing of a chart: its description is on the figure) are
    not heard, its visible text (axis labels) is still read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool, bool]] = []  # tag, lang, not prose, aria-hidden
        self.said: list[str] = []

    def _french(self) -> bool:
        lang = next((lang for _, lang, _, _ in reversed(self.stack) if lang is not None), None)
        return lang == "fr" and not any(skip for _, _, skip, _ in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        lang = given.get("lang")
        self.stack.append(
            (
                tag,
                lang.split("-")[0] if lang is not None else None,
                tag in _NOT_PROSE,
                given.get("aria-hidden") == "true",
            )
        )
        if self._french() and not any(hidden for *_, hidden in self.stack):
            self.said += [str(given[name]) for name in _SAID if given.get(name)]
        if tag in _VOID:
            self.stack.pop()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for at in range(len(self.stack) - 1, -1, -1):
            if self.stack[at][0] == tag:
                del self.stack[at:]
                return

    def handle_data(self, data: str) -> None:
        if self._french():
            self.said.append(FALLBACK_TITLE.sub("", data))


def english_on(html_text: str) -> list[str]:
    """Each English fragment of a French page, with a little of the text around it."""
    reader = _FrenchText()
    reader.feed(html_text)
    text = re.sub(r"https?://\S+", "", " ".join(" ".join(reader.said).split()))  # an address is no language
    return [text[max(0, m.start() - 30) : m.end() + 30] for m in ENGLISH_ANYWHERE.finditer(text)]


def test_english_finder_finds_english_and_passes_french():
    page = (
        '<html lang="fr"><head><title>À propos (in English) - Faits</title></head><body>'
        '<p>Le budget prévu.</p><p lang="en">The budget, marked.</p><code>the code</code>'
        '<svg aria-hidden="true"><g aria-label="X-axis for a scale"><text>oct. 2025</text></g></svg>'
        '<footer>Made with Material</footer><img alt="Bar chart of the budget"><p>au 2026-12-01, 20,031</p>'
        "</body></html>"
    )
    found = " | ".join(english_on(page))
    for english in ("Made", "Bar", "the budget", "2026-12-01", "20,031"):
        assert english in found, found
    for fine in ("The budget, marked", "the code", "X-axis", "propos"):
        assert fine not in found, found


def test_no_french_page_has_english_outside_a_marked_fallback(site_dir: Path):
    """Every HTML page of the built French site (pages, embeds and their versions, 404), not a sample."""
    pages = sorted((site_dir / "fr").rglob("*.html"))
    assert len(pages) > 50, pages
    found = {
        str(page.relative_to(site_dir)): english
        for page in pages
        if (english := english_on(page.read_text(encoding="utf-8")))
    }
    report = "\n".join(f"{page}: {len(frags)}: " + " | ".join(frags[:4]) for page, frags in sorted(found.items()))
    assert not found, f"{len(found)} French pages with English:\n{report}"


def test_french_versioned_embeds_are_french_and_english_ones_are_tagged(site_dir: Path):
    """Each language archives the charts drawn in it (archive/charts/, `language: fr`): the French chart page
    lists its French version (no "not yet archived"), whose frozen embed is French; the English versions
    archived before stay at their addresses under /fr/, their chart tagged lang="en" and said to be English."""
    known = archive.read(REPO_ROOT)
    page = (site_dir / "fr" / "charts" / CHART / "index.html").read_text(encoding="utf-8")
    assert "pas encore archivée" not in page
    french = known.of(CHART, "fr")
    assert french, "the seed's French charts are archived"
    frozen = (site_dir / "fr" / "embed" / CHART / "v" / french[-1].hash / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in frozen and "milliards" in frozen and english_on(frozen) == []
    assert 'class="aif-chart" role="img"' in frozen  # drawn in the page's language: no lang of its own
    for version in known.of(CHART):
        older = (site_dir / "fr" / "embed" / CHART / "v" / version.hash / "index.html").read_text(encoding="utf-8")
        assert 'class="aif-chart" lang="en" role="img"' in older
        assert ", en anglais. " in older  # the notice: "Version du 26 novembre 2026, en anglais."
        assert f"{version.hash}/index.html" in page and "en anglais" in page


def test_the_sitemap_lists_both_languages_with_alternates(site_dir: Path):
    text = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    page = "facts/bytedance-daily-tokens-2025-10/"
    assert f"<loc>https://ai-infra-facts.github.io/facts/{page}</loc>" in text
    assert f"<loc>https://ai-infra-facts.github.io/facts/fr/{page}</loc>" in text
    assert f'hreflang="fr" href="https://ai-infra-facts.github.io/facts/fr/{page}"' in text
    french, english = text.count("<loc>https://ai-infra-facts.github.io/facts/fr/"), text.count("<url>")
    assert english == 2 * french  # every page twice: once per language
