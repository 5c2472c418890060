"""The published pages: golden files, honest sentences, escaping, redirects and documented downloads."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

from generator.outputs import export, pages, render
from generator.pipeline.build import gather
from tests.conftest import share_chart_cache

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "pages"
#: Pages compared with golden files: path under site_src/ -> golden file name.
GOLDEN_PAGES = {
    "index.md": "home.md",
    "facts/bytedance-daily-tokens-2025-10.md": "fact-bytedance-daily-tokens-2025-10.md",
    "derived/bytedance-token-growth-2025-10-to-12.md": "derived-bytedance-token-growth-2025-10-to-12.md",
    "consistency/index.md": "consistency.md",
}
FIXED_EPOCH = "1767225600"  # 2026-01-01: citations say "accessed 2026-01-01" in golden files
FIXED_CHANGE = ("2026-11-26", "0123456789abcdef0123456789abcdef01234567")  # "Last changed" in golden files


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    """Every page of the seed data, rendered with a fixed build date."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    gathered = gather(ROOT)
    # git blame of the working tree changes with every commit: golden pages show a fixed one.
    changed = {fid: FIXED_CHANGE for fid in gathered.dataset.facts}
    try:
        return render.render_pages(gathered, changed)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


@pytest.mark.parametrize("page", sorted(GOLDEN_PAGES))
def test_golden_pages(rendered, page):
    golden = GOLDEN / GOLDEN_PAGES[page]
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered[page], encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing; run `make golden`"
    assert rendered[page] == golden.read_text(encoding="utf-8"), f"{page} changed; if intended, run `make golden`"


def _text(markdown: str) -> str:
    """The page as a reader sees it: numeric character references decoded."""
    import html

    return html.unescape(markdown)


def test_bound_is_said_as_a_bound(rendered):
    page = _text(rendered["facts/bytedance-daily-tokens-2025-10.md"])
    assert "more than 30 trillion tokens a day" in page
    assert '<p class="aif-figure__value">> 30 tn <span class="aif-figure__unit">tokens/day</span></p>' in page
    assert "> 30 tn tokens/day" in _text(rendered["facts/index.md"])


def test_range_is_said_as_a_range(rendered):
    page = _text(rendered["facts/us-big-four-ai-infrastructure-spend-2025.md"])
    assert "$350–400 bn" in page or "$350 to 400 billion" in page


def test_growth_from_a_bound_is_an_upper_bound(rendered):
    page = _text(rendered["derived/bytedance-token-growth-2025-10-to-12.md"])
    assert "less than +67%" in page
    assert "../facts/bytedance-daily-tokens-2025-10.md" in page  # every input linked to its fact


def test_status_intention_is_said(rendered):
    intention = [fid for fid, page in rendered.items() if fid.startswith("facts/") and "intention (not a" in page]
    assert intention, "no fact page says a status of intention"


def test_fact_page_has_quote_chain_citation_and_links(rendered):
    page = rendered["facts/bytedance-daily-tokens-2025-10.md"]
    assert '<blockquote class="source-quote" lang="fr">' in page
    assert "jetons" in page and "Translation:" in page
    assert "In: AI infrastructure facts, dataset version 0.1.0" in page
    assert "accessed 2026-01-01" in page and "<summary>BibTeX</summary>" in page
    assert "<strong>Last changed:</strong> 2026-11-26, commit" in page and "<code>0123456</code>" in page
    assert _text(page).count("Financial Times") >= 2  # in the chain and credited in the citation
    assert "blob/main/facts/tokens.yaml&#35;L" in page
    assert "fact-id&#61;bytedance-daily-tokens-2025-10" in page
    assert page.count('rel="noopener noreferrer"') >= 2
    assert re.search(r"^title: \"", page, re.M) and re.search(r"^description: \"", page, re.M)


def test_every_page_has_title_and_description(rendered):
    for path, text in rendered.items():
        if path.endswith(".md"):
            head = text.split("---", 2)[1]
            assert "\ntitle: " in head and "\ndescription: " in head, path


def test_untrusted_text_is_escaped(tmp_path):
    import shutil

    project = tmp_path / "p"
    for name in ("facts", "templates"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    share_chart_cache(project)
    tokens = project / "facts" / "tokens.yaml"
    evil = "<script>alert(1)</script> [x](javascript:alert(1)) | cell"
    text = tokens.read_text(encoding="utf-8").replace(
        '"Exceeded" is a lower bound', evil.replace("'", "") + " lower bound", 1
    )
    tokens.write_text(text, encoding="utf-8")
    out = dict(render.outputs(gather(project)))
    page = out["facts/bytedance-daily-tokens-2025-10.md"]
    assert "<script>" not in page and "](javascript:" not in page and "| cell" not in page
    assert "&#60;script&#62;" in page and "&#91;x&#93;(javascript:" in page  # no link syntax left
    import markdown

    body = markdown.markdown(page, extensions=["attr_list", "md_in_html", "tables", "toc", "admonition"])
    assert "<script" not in body and 'href="javascript' not in body
    assert "<script>alert(1)</script> [x](javascript:alert(1)) | cell" in html.unescape(body)  # shown as text


def test_renamed_fact_gets_a_redirect(tmp_path):
    import shutil

    project = tmp_path / "p"
    for name in ("facts", "templates"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    share_chart_cache(project)
    tokens = project / "facts" / "tokens.yaml"
    text = tokens.read_text(encoding="utf-8").replace(
        "    metric: daily-tokens\n    period: 2025-10\n",
        "    metric: daily-tokens\n    period: 2025-10\n    renamed_from: [bytedance-tokens-october]\n",
        1,
    )
    tokens.write_text(text, encoding="utf-8")
    out = dict(render.outputs(gather(project)))
    redirect = out["facts/bytedance-tokens-october/index.html"]
    assert 'http-equiv="refresh" content="0; url=../bytedance-daily-tokens-2025-10/"' in redirect
    assert 'rel="canonical"' in redirect


def test_downloads_document_every_column(rendered):
    page = _text(rendered["downloads/index.md"])
    for column in {*export.FACT_COLUMNS, *export.DERIVED_COLUMNS}:
        assert f"<code>{column}</code>" in page
    assert "data/facts.schema.json" in rendered
    assert '"$schema"' in rendered["data/facts.schema.json"]


def test_every_entity_metric_source_and_derived_has_a_page(rendered):
    data = gather(ROOT).dataset
    for section, folder in (
        ("entities", "entities"),
        ("metrics", "metrics"),
        ("sources", "sources"),
        ("facts", "facts"),
    ):
        for item in data.section(section):
            assert f"{folder}/{item}.md" in rendered
    assert "derived/index.md" in rendered and "consistency/index.md" in rendered


def test_metric_page_is_sorted_by_period(rendered):
    page = rendered["metrics/daily-tokens.md"]
    periods = re.findall(r'data-sort="(\d{4})-(\d\d)-(\d\d)"', page)
    assert periods and periods == sorted(periods)


def test_relative_links_refuse_unsafe_targets():
    assert pages.relative("facts/a.md", "derived/b.md") == "../derived/b.md"
    assert pages.relative("index.md", "facts/a.md#x") == "facts/a.md#x"
    with pytest.raises(ValueError):
        pages.relative("index.md", "facts/a b.md")


def test_period_key_orders_quarters_and_months():
    periods = ["2026", "2025-11", "2025-Q4", "2025-H1", "2025-12-08"]
    assert sorted(periods, key=pages.period_key) == ["2025-H1", "2025-Q4", "2025-11", "2025-12-08", "2026"]


def test_an_entity_or_metric_page_draws_three_charts_and_links_the_rest():
    """A big entity's page would carry every chart plotting any of its facts (~20 kB each): it draws the
    first DRAWN_PER_PAGE, in the order their facts come, and links the others."""
    dataset = gather(ROOT).dataset
    rows = pages.fact_rows(dataset)  # every fact: as if one entity had them all
    drawn = {cid: render.Markup(f"<figure {cid}>") for cid in dataset.charts}
    plotting = render._plotting(render._charts_of_rows(dataset, rows), drawn)
    assert len(plotting) == len(dataset.charts) > render.DRAWN_PER_PAGE  # each chart once
    assert [bool(item["figure"]) for item in plotting] == [True] * render.DRAWN_PER_PAGE + [False] * (
        len(plotting) - render.DRAWN_PER_PAGE
    )
    first = next(cid for row in rows for cid in (c.id for c in pages.charts_using(dataset, row["id"])))
    assert plotting[0]["chart"].id == first
