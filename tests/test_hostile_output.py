"""Hostile input, the output side: text that validates must reach every page inert, and whole.

Refused input (bidi marks, noncharacters, reserved ids, forged problem lines) has its cases in
tests/hostile/; this file holds what is *allowed* but must come out literally: an emoji in a title
(which once made MkDocs drop the page's front matter), attribute lists with `onerror`, a
`javascript:` link, lines of three backticks in a chart title (which once closed the embed code
fence), `<!--`, `---`, table pipes and headings. A copy of the project gets that text in every
title and text field and is built fully; every page's front matter must read back with the input
as its title, and no built page may hold live markup. tests/browser/test_hostile_output.py opens
the same site in Chromium.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.inputs import validate
from generator.inputs.files import discover
from generator.inputs.load import load_file
from generator.model.errors import Problem, Report, printable
from generator.outputs import corrections, escape, pages
from generator.pipeline.build import build
from generator.pipeline.writer import Writer, WriterError
from tests.poisoned import make_poisoned_project
from tests.shared import built_once

#: Slow (a whole build of the hostile project, engine included): `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
#: On one line: what attr_list, link syntax, raw HTML, comments, tables and headings would act on.
INLINE = (
    "\U0001f600 Budget ![x](https://x.invalid/x.png){: onerror=alert(1)} [c](javascript:alert(2))"
    " <!-- | a | b | # heading --- {: #forged .cls onclick=alert(3)} <b onmouseover=alert(4)>b</b>"
)
#: On lines of their own: a fence that would close the embed snippet's, then live Markdown after it.
MULTILINE = "\n\n```\n![y](https://x.invalid/y.png){: onerror=alert(5)}\n```\n# heading\n---\n| a | b |\n<!--"
PAYLOAD = " " + INLINE + MULTILINE
#: Markers of live payload markup in built HTML.
PAYLOAD_URL = "x.invalid"


def make_hostile_project(dest: Path) -> Path:
    """A copy of the project with the payload in every text field; returns its root."""

    def add_correction(data: dict[str, Any]) -> None:
        for fact in data.get("facts", [])[:1]:
            # A correction, so the log and its Atom feed carry hostile text too (the seed has none).
            fact["history"] = [{"changed": "2026-01-15", "reason": "Was misread." + PAYLOAD}]

    return make_poisoned_project(dest, PAYLOAD, lambda n: f"Citation {n} {INLINE}", add_correction)


def hostile_root(factory: pytest.TempPathFactory) -> Path:
    """The hostile project, fully built (MkDocs too) once per run, shared with
    tests/browser/test_hostile_output.py; its root."""

    def make(root: Path) -> None:
        make_hostile_project(root)
        build(root, run_engine=True)

    return built_once(factory, "hostile", make)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile project, fully built; its root (read only: the build is shared)."""
    return hostile_root(tmp_path_factory)


def expected_titles(root: Path) -> dict[str, str]:
    """{page under site_src/: the title it must carry}, for every page titled by input text."""
    out = {}
    for path in discover(root):
        located, _ = load_file(path, path.name)
        data = located.data if located else {}
        for section, folder, field in (
            ("facts", "facts/{}.md", "statement"),
            ("entities", "entities/{}.md", "name"),
            ("metrics", "metrics/{}.md", "name"),
            ("sources", "sources/{}.md", "publisher"),
            ("derived", "derived/{}.md", "title"),
            ("charts", "charts/{}/index.md", "title"),
        ):
            for item in data.get(section, []):
                out[folder.format(item["id"])] = item[field]
    return out


def expected_headings(root: Path) -> dict[str, str]:
    """{page: its <h1>} where the heading is not the title: a fact page is headed by who, what and
    when ("ByteDance: AI infrastructure budget, 2026"); its statement is the <title> and follows the figure."""
    from generator.model import fmt

    named: dict[str, dict[str, str]] = {"entities": {}, "metrics": {}}
    named_fiscal: dict[str, int | None] = {}
    facts = []
    for path in discover(root):
        located, _ = load_file(path, path.name)
        data = located.data if located else {}
        for section in named:
            named[section].update({item["id"]: item["name"] for item in data.get(section, [])})
        named_fiscal.update({item["id"]: item.get("fiscal_year_start_month") for item in data.get("entities", [])})
        facts.extend(data.get("facts", []))
    out = {}
    for fact in facts:
        entity = named["entities"].get(fact["entity"], fact["entity"])
        entity = re.sub(r"\s*\([^()]*\)$", "", entity).strip() or entity
        metric = named["metrics"].get(fact["metric"], fact["metric"])
        fiscal = named_fiscal.get(fact["entity"])  # a fiscal year is said with its months
        out[f"facts/{fact['id']}.md"] = f"{entity}: {metric}, {fmt.period_label(str(fact['period']), 'en', fiscal)}"
    return out


# --- front matter ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60))
def test_front_matter_strings_read_back_exactly_with_both_yaml_parsers(text: str):
    quoted = escape.yaml_quoted(text)
    assert "\n" not in quoted and "\r" not in quoted
    page = f"---\ntitle: {quoted}\n---\n\nbody\n"
    # Both parsers, as MkDocs (libyaml) and Zensical-style pure readers see it.
    assert yaml.load(quoted, Loader=yaml.SafeLoader) == text
    assert yaml.load(quoted, Loader=yaml.CSafeLoader) == text
    if text.strip():
        assert escape.front_matter(page)["title"] == text


def test_front_matter_is_real_utf8_not_surrogate_escapes():
    quoted = escape.yaml_quoted("Budget \U0001f600 \u4e2d")
    assert quoted == '"Budget \U0001f600 \u4e2d"'


def test_a_page_whose_front_matter_does_not_parse_is_refused_before_it_is_written(tmp_path: Path):
    writer = Writer(tmp_path)
    # What the old yaml_str wrote for an emoji: a JSON surrogate pair, which libyaml refuses.
    broken = '---\ntitle: "\\ud83d\\ude00 x"\n---\n\n# x\n'
    with pytest.raises(WriterError, match="front matter"):
        writer.write("facts/x.md", broken, owner="render")
    for page in ("# no front matter\n", "---\n- a list\n---\n", "---\ndescription: no title\n---\n"):
        with pytest.raises(WriterError):
            Writer(tmp_path).write("facts/y.md", page)
    assert not list(tmp_path.rglob("*.md")), "nothing was written"
    Writer(tmp_path).write("data/x.json", "[]")  # only Markdown pages carry front matter


def test_every_built_page_reads_back_with_the_input_as_its_title(hostile_site: Path):
    src = hostile_site / "site_src"
    pages = sorted(json.loads((src / ".generated.json").read_text(encoding="utf-8")))
    markdown = [p for p in pages if p.endswith(".md")]
    assert len(markdown) > 40
    for page in markdown:
        escape.front_matter((src / page).read_text(encoding="utf-8"))  # raises when it does not read
    titles = expected_titles(hostile_site)
    assert {p.split("/")[0] for p in titles} >= {"facts", "entities", "metrics", "sources", "derived", "charts"}
    for page, title in titles.items():
        assert PAYLOAD in title and "\U0001f600" in title
        found = escape.front_matter((src / page).read_text(encoding="utf-8"))["title"]
        assert html.unescape(found) == title, page


class _Page(HTMLParser):
    """A built page's <title>, its <h1> text, live markup, and the text of the code blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title, self.h1, self.code = "", "", ""
        self.live: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in.append(tag)
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and (
                value.startswith(("javascript:", "data:text")) or PAYLOAD_URL in value
            ):
                self.live.append(f"<{tag} {name}={value!r}>")
            if name == "id" and value == "forged":
                self.live.append(f"<{tag} id=forged>")
        if tag == "b":
            self.live.append("<b> from the payload")  # neither the theme nor the templates write one

    def handle_endtag(self, tag: str) -> None:
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "title" in self._in and "head" in self._in:
            self.title += data
        if "h1" in self._in and "a" not in self._in[self._in.index("h1") :]:
            self.h1 += data
        if "code" in self._in:
            self.code += data


def _parse(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_built_pages_show_the_text_literally_and_hold_no_live_markup(hostile_site: Path):
    site = hostile_site / "site"
    built = [p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts]
    live = {str(p.relative_to(site)): found for p in built if (found := _parse(p).live)}
    assert live == {}
    headings = expected_headings(hostile_site)
    for page, title in expected_titles(hostile_site).items():
        folder = page[: -len("/index.md")] if page.endswith("/index.md") else page[: -len(".md")]
        parsed = _parse(site / folder / "index.html")
        assert _one_line(parsed.h1) == _one_line(headings.get(page, title)), page
        assert _one_line(title) in _one_line(parsed.title), page


def test_a_backtick_line_in_a_chart_title_stays_inside_the_embed_snippet(hostile_site: Path):
    charts = sorted((hostile_site / "site" / "charts").glob("*/index.html"))
    assert charts
    for page in charts:
        parsed = _parse(page)
        # The whole title, backtick lines included, is inside the one code block of the snippet.
        assert "<iframe" in parsed.code and html.escape(_one_line(INLINE)) in parsed.code, page
        assert "```" in parsed.code, page


def test_code_fence_is_longer_than_any_backtick_run():
    assert str(escape_fence("plain")) == "```"
    assert str(escape_fence("a ```` b `` c")) == "`````"


def escape_fence(text: str) -> str:
    from generator.outputs.embed import code_fence

    return str(code_fence(text))


# --- feed ----------------------------------------------------------------------------------------


def test_the_atom_feed_is_well_formed_xml_whatever_the_text():
    nasty = "A \ufffe B \uffff C \x01 \x0b D \ud800 \U0001f600 ]]> <!-- & <b>" + MULTILINE
    entries = [
        corrections.Entry("correction", "2026-01-02", "x", nasty, nasty, nasty, nasty, None),
        corrections.Entry("retraction", "2026-01", "y", nasty, nasty, "retracted", nasty, None, nasty),
    ]
    site = pages.Site(
        name=nasty, url="https://example.org/", repo_url="https://example.org/repo", build_date="2026-01-01"
    )
    data = corrections.feed(entries, site, "2026")
    root = ET.fromstring(data)  # raises on a character XML 1.0 forbids
    summaries = [e.text or "" for e in root.iter("{http://www.w3.org/2005/Atom}summary")]
    assert len(summaries) == 2 and all("\U0001f600 ]]> <!-- & <b>" in s for s in summaries)
    assert not any(c in "".join(summaries) for c in "\ufffe\uffff\x01\x0b")


def test_the_built_feed_parses_with_hostile_text(hostile_site: Path):
    feed = hostile_site / "site" / "corrections" / "feed.xml"
    root = ET.fromstring(feed.read_bytes())
    text = "".join(root.itertext())
    assert INLINE in text, "the hostile reason reached the feed as text"


# --- reserved ids ------------------------------------------------------------------------------


def test_reserved_names_are_compared_case_insensitively():
    for section in ("facts", "derived", "entities", "metrics", "sources", "charts"):
        names = validate.reserved_names(section)
        assert "index" in names and "INDEX".casefold() in names
    assert validate.reserved_names("checks") == {}


# --- terminal and log injection ----------------------------------------------------------------

FORGED = "facts/tokens.yaml:1:1: [fake] forged\nvalid: no problems found"


def test_problem_text_cannot_forge_a_line_or_send_an_escape_sequence():
    problem = Problem("facts/\x1b[2Jx\u202e.yaml", 3, 4, "unknown-key", f"unknown key 'a\n{FORGED}'", "h\x9bi\r")
    for line in (problem.text(), problem.github()):
        assert "\n" not in line and "\r" not in line
        assert not re.search("[\x00-\x1f\x7f-\x9f\u202e]", line), line
    assert "\\x1b[2J" in problem.text() and "\\n" in problem.text()
    rendered = Report([problem]).render("json")
    assert not re.search("[\x7f-\x9f\u202e]", rendered)
    assert json.loads(rendered)["problems"][0]["file"] == problem.file, "the JSON value is unchanged"
    assert printable("plain é 中 \U0001f600") == "plain é 中 \U0001f600"


def test_validate_prints_hostile_file_names_and_keys_as_escapes(tmp_path: Path):
    root = tmp_path / "project"
    (root / "facts").mkdir(parents=True)
    key = json.dumps(f"x\n{FORGED}")  # a quoted key holding newlines and a made-up problem line
    (root / "facts" / "a\x1b[31mred\x1b]0;title\x07.yaml").write_text(f"schema_version: 1\n{key}: []\n")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--root", str(root)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", done.stdout + done.stderr), repr(done.stdout)
    lines = done.stdout.splitlines()
    assert lines[-1] == "1 error, 0 warnings", lines
    assert len(lines) == 2 and "[unknown-key]" in lines[0] and "\\x1b[31m" in lines[0], lines
    assert not any(line.startswith("facts/tokens.yaml") or line.startswith("valid:") for line in lines)
