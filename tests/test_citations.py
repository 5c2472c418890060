""" "Cite this" on fact, derived and chart pages, BibTeX, and "Last changed" from git."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from generator.outputs import charts, embed, release, render
from generator.pipeline.build import gather
from tests.test_contributor_scenario import BUDGET_2026, HISTORY, VALUE_2026, edit, git, make_repo

ROOT = Path(__file__).resolve().parent.parent
URL = "https://ai-infra-facts.github.io/facts/"
TOKENS = "bytedance-daily-tokens-2025-10"
GROWTH = "bytedance-token-growth-2025-10-to-12"
CHART = "daily-tokens-bytedance-google"


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01


def with_releases(project: Path) -> Path:
    """The project copy plus the committed releases and changelog, which citations name."""
    shutil.copytree(ROOT / "releases", project / "releases")
    shutil.copy(ROOT / "CHANGELOG.md", project / "CHANGELOG.md")
    return project


def cite_section(page: str) -> str:
    """The "Cite this" section as a reader sees it (character references decoded; the heading's attribute
    list, which keeps the section out of the search index, is not shown)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", page))  # the citation sits in a <pre> for its copy button
    text = re.sub(r"\n{3,}", "\n\n", text)  # the lines of the tags (and of the HTML regions' markers) gone
    text = text.replace("## Cite this { data-search-exclude }\n", "## Cite this\n")
    start = text.index("## Cite this")
    end = text.find("\n## ", start + 5)
    return text[start : end if end != -1 else len(text)]


def test_fact_derived_and_chart_pages_cite_the_release_and_the_producers(project: Path):
    gathered = gather(with_releases(project))
    out = {**dict(render.outputs(gathered)), **dict(embed.outputs(gathered))}

    fact = cite_section(out[f"facts/{TOKENS}.md"])
    assert "Financial Times; Goldman Sachs; ByteDance (as reported by Unknown French-language outlet" in fact
    assert "“ByteDance's daily token use exceeded 30 trillion tokens in October 2025.”" in fact
    assert (
        f"In: AI infrastructure facts, dataset version 0.1.0, {URL}facts/{TOKENS}/ "
        f"(data: {URL}data/v0.1.0/facts.json), accessed 2026-01-01."
    ) in fact
    assert "Newer than the release" not in fact

    derived = cite_section(out[f"derived/{GROWTH}.md"])
    assert derived.startswith("## Cite this\n\nFinancial Times; Goldman Sachs; ByteDance (as reported by")
    assert "computed by AI infrastructure facts" in derived
    assert f"dataset version 0.1.0, {URL}derived/{GROWTH}/ (data: {URL}data/v0.1.0/derived.json)" in derived

    chart = cite_section(out[f"charts/{CHART}/index.md"])
    assert chart.startswith("## Cite this\n\nFinancial Times via a French-language report; Goldman Sachs")
    assert re.search(
        rf"dataset version 0\.1\.0, {URL}charts/{CHART}/ \(this version: "
        rf"{URL}embed/{CHART}/v/[0-9a-f]{{12}}/; data: {URL}data/v0\.1\.0/facts\.json\)",
        chart,
    )
    # The versioned data links name files the build really publishes.
    published = dict(release.outputs(gathered))
    assert "data/v0.1.0/facts.json" in published and "data/v0.1.0/derived.json" in published


def test_bibtex_is_a_misc_entry_escaped_for_latex_and_html(project: Path):
    tokens = with_releases(project) / "facts" / "tokens.yaml"
    evil = "exceeded 30 trillion {tokens} & 100% of_them no#1 </code><script>x</script> in October 2025."
    edit(tokens, "exceeded 30 trillion tokens in October 2025.", evil)
    page = dict(render.outputs(gather(project)))[f"facts/{TOKENS}.md"]
    block = re.search(r"<summary>BibTeX</summary>\s*<pre><code>(.*?)</code></pre>", page, re.S)
    assert block, "no BibTeX block"
    assert "<script>" not in page
    entry = html.unescape(block.group(1))
    assert entry.startswith(f"@misc{{{TOKENS}-v0.1.0,\n")
    assert r"\{tokens\} \& 100\% of\_them no\#1 </code><script>x</script>" in entry
    assert "author = {{Financial Times} and {Goldman Sachs} and {ByteDance} and {AI infrastructure facts}}" in entry
    assert f"url = {{{URL}facts/{TOKENS}/}}" in entry and "urldate = {2026-01-01}" in entry
    bare = entry.replace(r"\{", "").replace(r"\}", "")
    assert bare.count("{") == bare.count("}")  # escaped braces cannot unbalance the entry


def test_a_fact_changed_after_the_release_says_to_cite_the_page(project: Path):
    edit(with_releases(project) / "facts" / "investment.yaml", VALUE_2026, HISTORY)
    page = cite_section(dict(render.outputs(gather(project)))[f"facts/{BUDGET_2026}.md"])
    assert "This fact changed after release 0.1.0; cite the page URL and access date." in page
    assert f"Release 0.1.0 holds its earlier value: {URL}data/v0.1.0/facts.json." in page
    assert "dataset version" not in page.split("\n\n")[1]  # the line does not claim a release holds it
    assert f"{URL}facts/{BUDGET_2026}/, accessed 2026-01-01." in page


def test_without_a_release_pages_say_none_holds_the_fact(project: Path):
    page = cite_section(dict(render.outputs(gather(project)))[f"facts/{TOKENS}.md"])
    assert "No release of the dataset holds this fact yet; cite the page URL and access date." in page
    assert "data/v" not in page and "dataset version" not in page


def test_last_changed_gives_the_date_and_linked_commit(tmp_path: Path):
    repo = make_repo(tmp_path / "repo")
    edit(repo / "facts" / "investment.yaml", VALUE_2026, HISTORY)
    git(repo, "commit", "-q", "-am", "correct", GIT_COMMITTER_DATE="2030-01-02T12:00:00Z")
    fix = git(repo, "rev-parse", "HEAD").strip()
    first = dict(render.outputs(gather(repo)))
    page = first[f"facts/{BUDGET_2026}.md"]
    link = f'<a href="https://github.com/ai-infra-facts/facts/commit/{fix}"'
    assert f"<strong>Last changed:</strong> 2030-01-02, commit {link}" in page
    assert f"<code>{fix[:7]}</code></a>" in page
    assert first == dict(render.outputs(gather(repo)))  # same commit, same pages

    # A fact added since the last commit has no commit yet: the page says so.
    tokens = repo / "facts" / "tokens.yaml"
    block = tokens.read_text(encoding="utf-8").split("  - id: ")[2]  # the December fact, whole
    new = (
        block.replace("bytedance-daily-tokens-2025-12", "bytedance-daily-tokens-2025-11", 1)
        .replace("period: 2025-12", "period: 2025-11")
        .replace("December", "November")
    )
    tokens.write_text(tokens.read_text(encoding="utf-8") + "  - id: " + new, encoding="utf-8")
    page = dict(render.outputs(gather(repo)))["facts/bytedance-daily-tokens-2025-11.md"]
    assert "<strong>Last changed:</strong> not yet committed" in page


def test_last_changed_is_left_out_without_git(project: Path):
    out = dict(render.outputs(gather(project)))
    assert not any("Last changed" in text for text in out.values())
    assert "## Cite this" in out[f"facts/{TOKENS}.md"]


@pytest.mark.slow  # a build or the command line in a subprocess
def test_a_chart_whose_data_changed_after_the_release_says_so(project: Path):
    edit(with_releases(project) / "facts" / "tokens.yaml", "value: {point: 50e12}", "value: {point: 55e12}")
    plotted = {p.chart.id: p for p in charts.plot_all(gather(project))}
    cited = render.chart_citation(gather(project), plotted[CHART])
    assert cited["state"] == "changed" and "dataset version" not in cited["text"]
    assert cited["note"].startswith("This chart's data changed after release 0.1.0; cite the page URL")
    assert f"(this version: {URL}embed/{CHART}/v/{plotted[CHART].hash}/)" in cited["text"]
    unaffected = render.chart_citation(gather(project), plotted["doubao-monthly-active-users-2025"])
    assert unaffected["state"] == "released" and "dataset version 0.1.0" in unaffected["text"]
