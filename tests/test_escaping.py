"""Escaping proven on the built output: payloads in every free-text field never become live markup.

A copy of the project gets script tags, event-handler attributes, a stray `</script>` and a
`javascript:` Markdown link appended to every free-text field of every item (quotes too, with the
same words added to the source document so the quotes still match), and CSV-injection text at the
start of statements. It is built fully (MkDocs too), then every generated HTML page, JSON file,
chart spec, Atom feed and the search index is parsed and searched for live payload markup.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline.build import build
from tests.poisoned import make_poisoned_project
from tests.shared import built_once

#: Slow (a whole build of the payload project, engine included): `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
#: Every marker the payload can trigger starts with "xss"; `pwned` is what the browser test watches for.
PAYLOAD = (
    ' <script>alert("xss-script")</script> <img src=x onerror=alert("xss-img")>'
    ' <img src=x onerror="document.title=\'pwned\'"> </script> <svg onload=alert("xss-svg")>'
    ' [click](javascript:alert("xss-link")) <a href="javascript:alert(\'xss-a\')">a</a>'
)
#: Statements that a spreadsheet would run as formulas if exported as they are.
CSV_ATTACKS = [
    '=HYPERLINK("http://x.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
]
QUOTE_PREFIX = "Citation hostile"


def make_payload_project(dest: Path) -> Path:
    """A copy of the project with the payload in every free-text field; returns its root."""
    attacks = iter(CSV_ATTACKS)

    def csv_attacks(data: dict[str, Any]) -> None:
        for fact in data.get("facts", []):
            attack = next(attacks, None)
            if attack:
                fact["statement"] = attack + PAYLOAD

    return make_poisoned_project(dest, PAYLOAD, lambda n: f"{QUOTE_PREFIX} {n}{PAYLOAD}", csv_attacks)


def payload_root(factory: pytest.TempPathFactory) -> Path:
    """The payload project, fully built once per run (shared with tests/browser/test_xss.py); its root."""

    def make(root: Path) -> None:
        make_payload_project(root)
        build(root, run_engine=True)

    return built_once(factory, "payload", make)


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The payload project, fully built; its root (read only: the build is shared)."""
    return payload_root(tmp_path_factory)


class LiveMarkup(HTMLParser):
    """Collects payload markup that a browser would run, and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Flag payload elements, event handlers and javascript: links."""
        self._in_script = tag == "script"
        values = dict(attrs)
        if tag in ("img", "svg") and values.get("src", "") == "x" or tag == "svg" and "onload" in values:
            self.live.append(f"<{tag}> element from the payload: {attrs}")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and ("xss" in value or "pwned" in value):
                self.live.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value.strip().lower().replace(
                "\t", ""
            ).replace("\n", "").startswith(("javascript:", "data:text")):
                self.live.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        """Leave a script element."""
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        """Script text with a payload marker is live; anything else is visible text."""
        if self._in_script and 'alert("xss' in data:  # inside a JSON string the quotes would be \\"
            self.live.append(f"<script> running payload text: {data[:120]!r}")
        elif not self._in_script:
            self.text.append(data)


def scan_html(html: str) -> LiveMarkup:
    """Parse HTML and return what the payload managed to make live, and the text."""
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser


def _generated_html(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts]


def test_payload_reached_the_site_as_visible_text(payload_site: Path):
    site = payload_site / "site"
    pages = [p for p in _generated_html(site) if p.relative_to(site).parts[0] == "facts"]
    assert pages, "fact pages were built"
    text = " ".join(scan_html(pages[0].read_text(encoding="utf-8")).text)
    assert '<script>alert("xss-script")</script>' in text, "the payload is shown as text, not dropped"
    assert "&#60;" not in text and "&lt;" not in text, "the payload is escaped once, not twice"


def test_no_html_page_has_live_payload_markup(payload_site: Path):
    site = payload_site / "site"
    pages = _generated_html(site)
    assert len(pages) > 20
    live = {str(p.relative_to(site)): found for p in pages if (found := scan_html(p.read_text("utf-8")).live)}
    assert live == {}


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return [node] if isinstance(node, str) else []


def test_json_files_and_chart_specs_carry_payloads_only_as_inert_strings(payload_site: Path):
    site = payload_site / "site"
    files = [p for p in site.rglob("*.json") if "assets" not in p.relative_to(site).parts]
    assert any(p.name == "facts.json" for p in files)
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        for value in _strings(data):
            assert not value.strip().lower().startswith("javascript:"), f"{path}: {value[:80]}"
        if path.name.endswith(".vl.json") or path.parent.name == "charts":
            # Vega can render links (href channel) and HTML tooltips: neither may carry payload text.
            text = json.dumps(data)
            assert '"href"' not in text or "javascript" not in text, path


def test_search_index_renders_no_live_markup(payload_site: Path):
    index = json.loads((payload_site / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    assert any("xss-script" in doc["text"] for doc in docs), "the payload text is indexed"
    for doc in docs:
        for field in ("title", "text"):
            assert scan_html(doc[field]).live == [], (doc["location"], field)


def test_atom_feed_has_no_live_markup(payload_site: Path):
    feeds = list((payload_site / "site").rglob("*.xml"))
    for feed in (f for f in feeds if "sitemap" not in f.name):
        tree = ET.parse(feed)  # parses: the payload did not break the XML
        for element in tree.iter():
            if element.get("type") in ("html", "xhtml") and element.text:
                assert scan_html(element.text).live == [], (feed, element.tag)


def test_csv_cells_that_start_a_formula_are_neutralised(payload_site: Path):
    rows = list(csv.DictReader(io.StringIO((payload_site / "site" / "data" / "facts.csv").read_text("utf-8"))))
    statements = [row["statement"] for row in rows]
    for attack in CSV_ATTACKS:
        assert "'" + attack + PAYLOAD in statements, attack
    for row in rows:
        for cell in row.values():
            assert not (cell or "").startswith(("=", "+", "-", "@", "\t", "\r")) or _is_number(cell), cell


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_chart_images_have_no_live_markup(payload_site: Path):
    site = payload_site / "site"
    for svg in (p for p in site.rglob("*.svg") if "assets" not in p.relative_to(site).parts):
        for element in ET.parse(svg).iter():  # parses: the payload did not break the SVG
            tag = element.tag.rsplit("}", 1)[-1]
            assert tag not in ("script", "foreignObject", "img"), (svg, tag)
            assert not [name for name in element.attrib if name.rsplit("}", 1)[-1].startswith("on")], (svg, tag)
