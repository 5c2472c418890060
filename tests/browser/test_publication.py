"""What a reader sees first, in real Chromium: the figure at the top of a fact page on a phone, the
cards and thumbnails, copy buttons, dark mode following the system, sharing tags and a useful 404."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

FACT = "/facts/bytedance-ai-infrastructure-budget-2026/"
BOUND_FACT = "/facts/bytedance-daily-tokens-2025-10/"
DERIVED = "/derived/us-big-four-spend-multiple-of-bytedance-2026/"
CHART = "/charts/bytedance-ai-budget-2025-2026/"


@pytest.mark.parametrize("path", [FACT, BOUND_FACT])
def test_headline_figure_is_in_the_first_screen_of_a_phone(site_url, page_checker, path):
    record = page_checker(site_url + path, viewport={"width": 375, "height": 667}, is_mobile=True)
    page = record.page
    figure = page.locator(".aif-figure__value")
    box = figure.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 667, box
    assert box["width"] <= 375 - 16, "the figure overflows the phone's width"
    size = float(page.eval_on_selector(".aif-figure__value", "e => getComputedStyle(e).fontSize")[:-2])
    body = float(page.eval_on_selector(".aif-statement", "e => getComputedStyle(e).fontSize")[:-2])
    assert size >= 2 * body, "the figure is not in large type"
    badge = page.locator(".aif-figure .aif-badge")
    assert badge.is_visible() and badge.inner_text() in ("planned", "reported")
    badge_box = badge.bounding_box()
    assert badge_box is not None and badge_box["y"] + badge_box["height"] <= 667
    # The statement and quote follow the figure, in that order.
    statement = page.locator(".aif-statement").bounding_box()
    quote = page.locator("blockquote.source-quote").bounding_box()
    assert statement and quote and box["y"] < statement["y"] < quote["y"]


@pytest.mark.parametrize("width", [375, 1280])
def test_fact_table_fits_its_column(site_url, page_checker, width):
    page = page_checker(site_url + "/facts/", viewport={"width": width, "height": 900}).page
    content = page.locator("article").bounding_box()
    table = page.locator(".aif-facts table").bounding_box()
    assert content and table and table["x"] + table["width"] <= content["x"] + content["width"] + 1
    overflow = page.eval_on_selector(
        ".aif-facts .md-typeset__table, .aif-facts table", "e => e.scrollWidth - e.clientWidth"
    )
    assert overflow <= 1, f"the facts table scrolls sideways by {overflow} px at {width} px"


@pytest.mark.parametrize("language", ["", "fr/"])
def test_every_chart_data_table_fits_a_desktop_column(site_dir: Path, site_url, page_checker, language):
    """A chart's data table gives each value in words and each row a short label. Held on one line and at 13em,
    the longest (the daily tokens, in French above all) stood 28-106 px past the 1280 px column, their sources
    hidden behind a scroll bar. No table of any chart page scrolls sideways at 1280 px, and none ends past
    the article."""
    charts = sorted(p.parent.name for p in (site_dir / language / "charts").glob("*/index.html"))
    assert len(charts) >= 6, charts
    page = page_checker(viewport={"width": 1280, "height": 900}).page
    for chart in charts:
        page.goto(f"{site_url}/{language}charts/{chart}/", wait_until="load")
        page.wait_for_selector(".aif-facts .md-typeset__scrollwrap")  # Material's script wraps each table
        fit = page.evaluate(
            """() => { const article = document.querySelector('article').getBoundingClientRect();
                       return Array.from(document.querySelectorAll('.md-typeset__scrollwrap')).map((wrap) => ({
                         scrolls: wrap.scrollWidth - wrap.clientWidth,
                         past: wrap.querySelector('table').getBoundingClientRect().right - article.right})); }"""
        )
        assert fit and all(t["scrolls"] <= 1 and t["past"] <= 1 for t in fit), (language, chart, fit)


@pytest.mark.parametrize("path", ["/sources/", "/entities/", "/fr/sources/", "/fr/entities/"])
def test_the_sources_and_entities_lists_are_cards_on_a_phone(site_url, page_checker, path):
    """As tables at 375 px, a source's title was squeezed into a ~110 px column (eight lines) and the last
    column stood 75-107 px past the screen. Each row is now a card: the name across the column, the rest
    after it, nothing to scroll sideways, nothing past the article's edges."""
    page = page_checker(site_url + path, viewport={"width": 375, "height": 800}).page
    page.wait_for_selector(".aif-list .md-typeset__scrollwrap")
    cards = page.evaluate(
        """() => { const element = document.querySelector('article'), article = element.getBoundingClientRect();
                   const style = getComputedStyle(element);
                   const left = article.left + parseFloat(style.paddingLeft), right = article.right - parseFloat(style.paddingRight);
                   return {scrolls: Math.max(...Array.from(document.querySelectorAll('.md-typeset__scrollwrap'))
                                      .map((w) => w.scrollWidth - w.clientWidth)),
                           page: document.documentElement.scrollWidth, width: right - left,
                           rows: Array.from(document.querySelectorAll('.aif-list tbody tr')).map((tr) => {
                             const r = tr.getBoundingClientRect(), name = tr.cells[0].getBoundingClientRect();
                             return {left: r.left - left, right: r.right - right, name: name.width,
                                     rest: tr.cells[1].getBoundingClientRect().top - name.bottom}; })}; }"""
    )
    assert cards["scrolls"] <= 1 and cards["page"] <= 375, cards
    assert len(cards["rows"]) >= 5, cards
    for row in cards["rows"]:
        assert row["left"] >= -1 and row["right"] <= 1, (path, row)
        assert row["name"] >= 0.85 * cards["width"], (path, row, cards["width"])  # the name has the whole line
        assert row["rest"] >= -1, (path, row)  # the publisher or kind comes under the name, not beside it
    # On a desktop the list is the table it was: the whole column, nothing to scroll (a class shared with the
    # home page's card grid once squeezed it into a 240 px grid cell).
    desk = page_checker(site_url + path, viewport={"width": 1280, "height": 800}).page
    desk.wait_for_selector(".aif-list .md-typeset__scrollwrap")
    table = desk.evaluate(
        """() => { const wrap = document.querySelector('.aif-list .md-typeset__scrollwrap');
                   return {scrolls: wrap.scrollWidth - wrap.clientWidth, cells: wrap.querySelector('tr').cells.length,
                           width: wrap.querySelector('table').getBoundingClientRect().width,
                           column: document.querySelector('article').getBoundingClientRect().width}; }"""
    )
    assert table["scrolls"] <= 1 and table["cells"] >= 3 and table["width"] >= 0.85 * table["column"], (path, table)


def test_copy_buttons_on_embed_code_citation_and_bibtex(site_url, page_checker):
    chart = page_checker(site_url + CHART).page
    chart.wait_for_selector("pre button.md-code__button[data-md-type=copy]", state="attached")
    assert (
        chart.locator("pre button.md-code__button[data-md-type=copy]").count() >= 2
    )  # the embed snippet and the citation
    fact = page_checker(site_url + FACT).page
    fact.wait_for_selector(".aif-cite pre button.md-code__button[data-md-type=copy]", state="attached")
    assert fact.locator(".cite-bibtex pre button.md-code__button[data-md-type=copy]").count() == 1


#: Boxes of the lines of text in each citation block and of its copy button.
CITATION_BOXES = """() => Array.from(document.querySelectorAll('.aif-cite pre, .cite-bibtex pre'))
  .filter((pre) => pre.getClientRects().length && pre.querySelector('button.md-code__button'))
  .map((pre) => {
    const range = document.createRange();
    range.selectNodeContents(pre.querySelector('code'));
    const b = pre.querySelector('button.md-code__button').getBoundingClientRect();
    return {button: [b.left, b.top, b.right, b.bottom],
            lines: Array.from(range.getClientRects()).filter((r) => r.width > 0)
              .map((r) => [r.left, r.top, r.right, r.bottom])};
  })"""


#: Pages with citation blocks; the Alphabet fact's first line is long enough to reach the button at 375 px.
CITED = [FACT, "/facts/alphabet-capital-expenditures-2025-as-of-2025-07/", DERIVED, CHART]


@pytest.mark.parametrize("width", [375, 1280])
def test_copy_button_never_covers_the_citation_text(site_url, page_checker, width):
    """Seen at 375 px: the citation's first wrapped line ran under Material's copy button."""
    page = page_checker(viewport={"width": width, "height": 900}).page
    for path in CITED:
        page.goto(site_url + path)
        page.wait_for_selector(".aif-cite pre button.md-code__button", state="attached")
        blocks = page.evaluate(CITATION_BOXES)
        assert blocks, f"{path}: no visible citation block with a copy button"
        for block in blocks:
            left, top, right, bottom = block["button"]
            assert block["lines"], f"{path}: a citation block with no text"
            covered = [
                line
                for line in block["lines"]
                if min(right, line[2]) - max(left, line[0]) > 0.5 and min(bottom, line[3]) - max(top, line[1]) > 0.5
            ]
            assert covered == [], f"{path}: the copy button covers citation text at {width} px: {covered}"


@pytest.mark.parametrize(("scheme", "expected"), [("dark", "slate"), ("light", "default")])
def test_colour_scheme_follows_the_system_and_has_a_toggle(site_url, page_checker, scheme, expected):
    page = page_checker(site_url + FACT, color_scheme=scheme).page
    assert page.eval_on_selector("body", "e => e.getAttribute('data-md-color-scheme')") == expected
    assert page.locator("form[data-md-component='palette'] label").count() >= 1


def test_404_offers_search_and_a_way_back(site_dir: Path, site_url, page_checker):
    text = (site_dir / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in text and 'for="__search"' in text
    assert re.search(r'href="[^"]*/facts/"', text) and "Home page" in text


@pytest.mark.parametrize("path", [FACT, DERIVED, CHART])
def test_sharing_tags_name_an_absolute_png(site_dir: Path, path):
    text = (site_dir / path.strip("/") / "index.html").read_text(encoding="utf-8")
    image = re.search(r'<meta property="og:image" content="([^"]+)"', text)
    assert image and re.fullmatch(r"https://[^\s\"]+\.png", image.group(1)), "og:image is not an absolute PNG URL"
    local = site_dir / image.group(1).split("/facts/", 1)[1]
    assert local.is_file() and local.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for tag in ('property="og:title"', 'property="og:description"', 'name="twitter:card"'):
        assert tag in text, tag
    oembed = 'type="application/json+oembed"' in text
    # Material fetches sitemap.xml next to every exact rel="alternate" link: that would leave the origin.
    assert not re.search(r'<link rel="alternate"[^>]+https://', text)
    assert oembed == (path == CHART), "oEmbed discovery belongs on chart pages"


def test_chart_data_table_links_each_row_to_its_fact_and_source(site_url, page_checker):
    page = page_checker(site_url + CHART).page
    rows = page.locator("#the-data ~ .aif-facts tbody tr")
    assert rows.count() >= 2
    for row in rows.all():
        links = [a.get_attribute("href") or "" for a in row.locator("a").all()]
        assert any("/facts/" in h or "/derived/" in h for h in links), links
        assert any("/sources/" in h for h in links), links


def test_charts_index_and_home_show_thumbnails(site_url, page_checker):
    for path in ("/charts/", "/"):
        page = page_checker(site_url + path).page
        images = page.locator(".aif-thumb img")
        assert images.count() >= 2
        first = images.first
        first.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())


def _meta(text: str, prop: str) -> str | None:
    found = re.search(rf'<meta property="{prop}" content="([^"]+)"', text)
    return found.group(1) if found else None


def test_preview_image_is_the_pages_own_chart_or_the_site_card(site_dir: Path):
    """A fact or derived page that no chart plots is previewed by the site's card, never by an unrelated
    chart; a plotted one by a chart that plots it. The card is a real PNG of the size its tags declare."""
    import csv

    plotted_by: dict[str, set[str]] = {}
    for data in (site_dir / "charts").glob("*/data.csv"):
        for row in csv.DictReader(data.read_text(encoding="utf-8").splitlines()):
            plotted_by.setdefault(row["ref"], set()).add(data.parent.name)
    pages = sorted((site_dir / "facts").glob("*/index.html")) + sorted((site_dir / "derived").glob("*/index.html"))
    cards = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        image = _meta(text, "og:image") or ""
        charts = plotted_by.get(page.parent.name, set())
        if charts:
            assert any(image.endswith(f"/charts/{c}/chart.png") for c in charts), (page, image, charts)
        else:
            cards += 1
            assert image.endswith("/assets/generated/share-card.png"), (page, image)
            assert (_meta(text, "og:image:width"), _meta(text, "og:image:height")) == ("1200", "630")
    assert cards >= 3 and len(pages) - cards >= 3, "the seed data has pages of both kinds"
    png = (site_dir / "assets" / "generated" / "share-card.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1200, 630)
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert (_meta(home, "og:image") or "").endswith("/assets/generated/share-card.png")


@pytest.mark.parametrize("width", [375, 1280])
def test_a_chart_page_says_its_title_once(site_url, page_checker, width):
    """The chart draws its title (as in embeds and the PNG); the page's heading stays for screen readers
    and search engines, out of sight, so a reader sees the title once, in the first screen."""
    page = page_checker(site_url + CHART, viewport={"width": width, "height": 800}).page
    heading = page.locator("article h1")
    title = heading.inner_text().replace("¶", "").strip()
    box = heading.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1, f"the heading is shown: {box}"
    # The drawing comes after the load event (site.js fetches the shared file): wait for its title.
    page.locator(".aif-variant:visible .role-title-text").first.wait_for(timeout=10000)
    # A wrapped title is one <text> of <tspan> lines, whose text runs together: compare without spaces.
    drawn_text = "".join(t.text_content() for t in page.locator(".aif-variant:visible .role-title-text text").all())
    assert "".join(drawn_text.split()) == "".join(title.split())
    drawn_box = page.locator(".aif-variant:visible .role-title-text").bounding_box()
    assert drawn_box is not None and drawn_box["y"] + drawn_box["height"] <= 800
    shown = page.evaluate(
        """(title) => Array.from(document.querySelectorAll('article *')).filter((el) => !el.closest('svg')
             && el.children.length === 0 && el.textContent.trim() === title && el.getClientRects().length
             && el.getBoundingClientRect().width > 1).length""",
        title,
    )
    assert shown == 0, "the title is also written out on the page"


def test_thumbnails_show_the_plot_and_one_legible_title(site_dir: Path, site_url, page_checker):
    """A thumbnail is chart.svg#plot: its <view> starts below the drawn title and subtitle (which would be a
    few px high in a thumbnail), and the title under it is the only one."""
    page = page_checker(viewport={"width": 1280, "height": 900}).page
    page.goto(site_url + "/charts/")
    sources = [img.get_attribute("src") or "" for img in page.locator(".aif-thumb img").all()]
    assert sources and all(src.endswith("/chart.svg#plot") for src in sources), sources
    for src in sources:
        page.goto(f"{site_url}/charts/{src}".replace("#plot", ""))
        top, title_bottom, plot_top = page.evaluate(
            """() => { const svg = document.documentElement;
                 const view = svg.querySelector('view#plot').viewBox.baseVal;
                 const ctm = (el) => el.getBoundingClientRect();
                 const title = ctm(svg.querySelector('.role-title'));
                 const root = ctm(svg.querySelector('.root > g > path.background'));
                 return [view.y, title.bottom, root.top]; }"""
        )
        assert title_bottom <= top + 1, f"{src}: the view starts at {top}, above the title's bottom {title_bottom}"
        assert top <= plot_top, f"{src}: the view starts below the plot"


@pytest.mark.parametrize(("scheme", "dark"), [("dark", True), ("light", False)])
def test_thumbnails_follow_dark_mode(site_url, page_checker, scheme, dark):
    for path in ("/charts/", "/"):
        page = page_checker(site_url + path, color_scheme=scheme).page
        filters = page.eval_on_selector_all(".aif-thumb img", "els => els.map((e) => getComputedStyle(e).filter)")
        assert filters
        assert all(("invert" in f) is dark for f in filters), (path, scheme, filters)


#: The box of each cell's text (a Range: text that overflows its cell counts where it is drawn), by row.
CELL_TEXT = """() => Array.from(document.querySelectorAll('.aif-facts tbody tr')).map((tr) =>
  Array.from(tr.children).map((td) => {
    const range = document.createRange(); range.selectNodeContents(td);
    const r = range.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];
  }).filter((b) => b[2] > b[0]))"""


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", ["/facts/", "/metrics/ai-infrastructure-budget/"])
def test_no_two_cells_of_a_fact_row_overlap(path, width, site_url, page_checker):
    """Seen at 375 px on a metric page: in the card a row turns into, "≈ $80 bn" ran into its long period
    ("fiscal year 2025 (July 2024 – June 2025)"), the period's column taking all the width it wanted."""
    page = page_checker(site_url + path, viewport={"width": width, "height": 900}).page
    rows = page.evaluate(CELL_TEXT)
    assert rows, "no fact rows"
    for n, boxes in enumerate(rows):
        for i, (l1, t1, r1, b1) in enumerate(boxes):
            for l2, t2, r2, b2 in boxes[i + 1 :]:
                assert not (min(r1, r2) - max(l1, l2) > 0.5 and min(b1, b2) - max(t1, t2) > 0.5), (
                    f"row {n} at {width} px: cells overlap {boxes}"
                )
