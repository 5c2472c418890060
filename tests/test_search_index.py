"""The search index the generator writes (generator/outputs/search.py) against the one Material's plugin makes.

Material's search plugin is turned off in mkdocs.yml; the generator writes each language's
search/search_index.json from the page sources. Here the seed site's pages go through the engine once
more with the plugin on, and the two indexes must agree: the same config, the same entries in the same
order, at the same addresses (so every result's anchor is a heading the page has), with the same titles,
boosts and words.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.outputs import search
from tests.shared import seed_site

ROOT = Path(__file__).resolve().parent.parent


def _words(text: str) -> list[str]:
    return sorted(re.findall(r"\w+", html.unescape(re.sub(r"<[^>]+>", " ", text)).lower()))


@pytest.fixture(scope="module")
def both_indexes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict, dict]]:
    """Per language: (the generator's index as published, the index Material's plugin makes of the same pages)."""
    root = seed_site(tmp_path_factory, "mkdocs")
    out = tmp_path_factory.mktemp("material-search")
    found = {}
    for language, config_name, sub in (("en", "mkdocs.yml", ""), ("fr", "mkdocs.fr.yml", "fr/")):
        config = out / f"{language}.yml"
        config.write_text(
            f"INHERIT: {root / config_name}\n"
            f"docs_dir: {root / 'site_src' / sub}\n"
            f"site_dir: {out / language}\n"
            f"theme:\n  custom_dir: {root / 'templates' / 'theme'}\n"
            "plugins:\n  - search\n",
            encoding="utf-8",
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], check=True, env=env, cwd=root
        )
        written = root / "site_src" / sub / "search" / "search_index.json"
        published = root / "site" / sub / "search" / "search_index.json"
        # Published as the generator wrote it: with the plugin on in a project (mkdocs.fr.yml's own plugin
        # list once left it on), Material's index would have replaced it, and the comparison below would
        # compare Material's index with itself.
        assert published.read_bytes() == written.read_bytes(), f"{language}: the engine rewrote the index"
        ours = json.loads(written.read_text(encoding="utf-8"))
        theirs = json.loads((out / language / "search" / "search_index.json").read_text(encoding="utf-8"))
        found[language] = (ours, theirs)
    return found


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_index_is_the_one_materials_plugin_would_write(both_indexes, language):
    ours, theirs = both_indexes[language]
    assert ours["config"] == theirs["config"]
    assert len(theirs["docs"]) > 300  # the seed site: every page and its sections
    assert [d["location"] for d in ours["docs"]] == [d["location"] for d in theirs["docs"]]
    for mine, material in zip(ours["docs"], theirs["docs"], strict=True):
        assert mine["title"] == material["title"], mine["location"]
        assert mine.get("boost") == material.get("boost"), mine["location"]
        assert _words(mine["text"]) == _words(material["text"]), mine["location"]


def test_the_index_keeps_a_facts_quote_and_leaves_out_the_boilerplate(both_indexes):
    ours, _ = both_indexes["en"]
    docs = {d["location"]: d for d in ours["docs"]}
    fact = docs["facts/bytedance-daily-tokens-2025-10/"]
    assert "30 000 milliards de jetons" in fact["text"] and fact["boost"] == 3
    assert not any(loc.endswith("#cite-this") for loc in docs)  # a heading with data-search-exclude
    assert all("<svg" not in d["text"] and "aif-variant" not in d["text"] for d in docs.values())


def _page(body: str, front: str = 'title: "A page"') -> str:
    return f"---\n{front}\n---\n\n{body}"


def test_sections_anchors_and_exclusions():
    page = _page(
        "# First\n\nIntro *text* with [a link](other.md) and `code <b>`.\n\n"
        "## Same\n\none\n\n## Same\n\ntwo\n\n## Named { #given }\n\nthree\n\n"
        "## Left out { data-search-exclude }\n\nhidden words\n\n"
        '<!--aif:html-->\n<div><p>kept</p><div class="x" data-search-exclude><p>dropped</p><div>deep</div></div>'
        "<p>after</p></div>\n<!--/aif:html-->\n"
    )
    entries = search.page_entries("facts/x.md", page, {"title": "A page", "search": {"boost": 2}})
    assert [e["location"] for e in entries] == ["facts/x/", "facts/x/#same", "facts/x/#same_1", "facts/x/#given"]
    assert entries[0]["title"] == "First"
    assert entries[0]["text"] == "<p>Intro text with a link and <code>code &lt;b&gt;</code>.</p>"
    assert entries[3]["text"] == "<p>three</p>"  # the excluded section's text and region are gone with it
    assert all(e["boost"] == 2 for e in entries)
    region = search.html_text(
        "<div><p>kept</p><div data-search-exclude><p>dropped</p><div>deep</div></div><p>after</p>"
    )
    assert region == "<p>kept</p><p>after</p>"


def test_a_page_without_a_first_level_heading_is_titled_by_its_front_matter():
    entries = search.page_entries("about.md", _page("Some words.\n\n## Part\n\nmore"), {"title": "A page"})
    assert [(e["location"], e["title"]) for e in entries] == [("about/", "A page"), ("about/#part", "Part")]
    assert search.page_entries("a.md", _page("x"), {"title": "t", "search": {"exclude": True}}) == []


def test_nothing_in_a_page_becomes_a_tag_in_the_index():
    hostile = (
        "# &#60;script&#62;alert(1)&#60;/script&#62; \\<img src=x onerror=alert(1)\\>\n\n"
        "```\n<script>alert(2)</script>\n```\n\n"
        '<!--aif:html-->\n<p title="&#34;><script>">&#60;svg onload=alert(3)&#62;<script>alert(4)</script></p>\n'
        "<!--/aif:html-->\n"
    )
    entries = search.page_entries("p.md", _page(hostile), {"title": "t"})
    for entry in entries:
        for field in ("title", "text"):
            tags = set(re.findall(r"<\s*/?\s*([A-Za-z]+)", entry[field]))
            assert tags <= search.KEEP, (field, entry[field])
    assert "alert(4)" not in entries[0]["text"]  # a script's content is never indexed
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in entries[0]["text"]  # code is indexed as text


@pytest.mark.parametrize(
    ("relpath", "url"),
    [("index.md", ""), ("facts/index.md", "facts/"), ("facts/x.md", "facts/x/"), ("about.md", "about/")],
)
def test_locations_follow_directory_urls(relpath, url):
    assert search.location(relpath) == url


def test_zensical_builds_its_own_search_index(tmp_path_factory):
    """Zensical reads mkdocs.yml's search entry for its built-in search, whose client fetches search.json;
    with the entry turned off it writes that file empty. Its builds turn it back on, in both languages."""
    site = seed_site(tmp_path_factory, "zensical") / "site"
    for sub, language in (("", "en"), ("fr/", "fr")):
        index = json.loads((site / sub / "search.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == [language]
        titles = {item["title"] for item in index["items"]}
        assert len(index["items"]) > 100 and len(titles) > 50, f"{language}: {len(index['items'])} items"


def test_the_index_from_each_pages_part_is_the_index_of_all_entries():
    """The build keeps each page's entries as JSON text (memory) and joins them: the same bytes as one dump."""
    pages = [
        [{"location": "a/", "title": "A « b »", "text": "<p>43\u202f000 &lt;x&gt;</p>", "boost": 3}],
        [],  # a page excluded from search: no entries, no stray comma
        [{"location": "c/", "title": "C", "text": ""}, {"location": "c/#d", "title": "D", "text": '<p>"q"</p>'}],
    ]
    whole = search.index_json("fr", [entry for page in pages for entry in page])
    assert search.index_from_parts("fr", [search.entries_json(page) for page in pages]) == whole
    assert json.loads(whole)["docs"] == [entry for page in pages for entry in page]
    assert json.loads(search.index_from_parts("en", []))["docs"] == []
