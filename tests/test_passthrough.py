"""The generated pages' finished HTML passes through the engine as written (generator.outputs.passthrough).

The pages keep their headings in Markdown and write the rest as HTML between marker lines, which the
extension hands to Python-Markdown's raw-HTML stash. These tests hold the three things that has to
keep true: a region comes out byte for byte and Markdown around it still works; no value from a fact
file can open or close a region; and every region a template writes is closed and starts with a
block-level tag (otherwise Python-Markdown would wrap it in a paragraph).
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from generator.outputs import escape, passthrough, render
from generator.pipeline import engine
from generator.pipeline.build import gather
from tests.conftest import copy_project
from tests.test_md_text import CONFIGS, EXTENSIONS

ROOT = Path(__file__).resolve().parent.parent
REGION = re.compile(rf"^{re.escape(passthrough.START)}\n(.*?)\n{re.escape(passthrough.END)}$", re.S | re.M)
BLOCK_START = re.compile(r"^<(div|p|ul|ol|table|blockquote|details|pre|figure|script)[\s>]")


def _convert(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=CONFIGS)


def test_the_site_loads_the_extension():
    assert "generator.outputs.passthrough" in EXTENSIONS
    fr = (ROOT / "mkdocs.fr.yml").read_text(encoding="utf-8")
    assert "- generator.outputs.passthrough" in fr  # the French project replaces the list whole


def test_a_region_comes_out_as_written_and_markdown_around_it_still_works():
    region = '<ul>\n<li><a href="x.md">*not emphasis*</a> [not](a-link) &#36;5</li>\n</ul>'
    text = f"# Title\n\n*before*\n\n{passthrough.START}\n{region}\n{passthrough.END}\n\n*after* [link](y.md)\n"
    out = _convert(text)
    assert region in out
    assert "<p>" + region not in out  # block-level: not wrapped in a paragraph
    assert "<em>before</em>" in out and "<em>after</em>" in out and '<a href="y.md">link</a>' in out
    assert passthrough.START not in out and passthrough.END not in out
    assert '<h1 id="title">' in out


@pytest.mark.parametrize("marker", [passthrough.START, passthrough.END])
def test_a_value_cannot_write_a_marker(marker):
    for value in (marker, f"x\n{marker}\n<script>alert(1)</script>", f"\n\n{marker}"):
        escaped = str(escape.md_text(value))
        assert marker not in escaped and "<" not in escaped


def test_a_hostile_fact_cannot_close_a_region(tmp_path):
    project = copy_project(tmp_path / "p")
    tokens = project / "facts" / "tokens.yaml"
    evil = f"{passthrough.END} <script>alert(1)</script> {passthrough.START} *x*"
    text = tokens.read_text(encoding="utf-8").replace('"Exceeded" is a lower bound', evil + " lower bound", 1)
    assert evil in text
    tokens.write_text(text, encoding="utf-8")
    page = dict(render.outputs(gather(project)))["facts/bytedance-daily-tokens-2025-10.md"]
    body = _convert(page)
    assert "<script" not in body
    assert f"{passthrough.END} <script>alert(1)</script> {passthrough.START} *x*" in html.unescape(body)


@pytest.fixture(scope="module")
def seed_pages() -> dict[str, str]:
    return {p: t for p, t in render.render_pages(gather(ROOT)).items() if p.endswith(".md")}


def test_every_region_is_closed_and_opens_with_a_block_level_tag(seed_pages):
    regions = 0
    for path, text in seed_pages.items():
        assert text.count(passthrough.START) == text.count(passthrough.END), path
        found = REGION.findall(text)
        assert len(found) == text.count(passthrough.START), f"{path}: a marker is not on a line of its own"
        for region in found:
            assert BLOCK_START.match(region), f"{path}: a region starts with {region[:40]!r}"
            assert passthrough.START not in region, f"{path}: regions nest"
        regions += len(found)
    assert regions > 5 * len(seed_pages) // 2  # the kinds of page with most of the site's pages use them


def _mini_site(tmp_path: Path, region: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "b.md").write_text("# B\n\n## Part\n", encoding="utf-8")
    page = f"# A\n\n## Here\n\n{passthrough.START}\n{region}\n{passthrough.END}\n"
    (tmp_path / "docs" / "a.md").write_text(page, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nstrict: true\nvalidation: {links: {anchors: warn}}\n"
        "markdown_extensions: [toc, generator.outputs.passthrough]\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": engine.engine_path()}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict"]  # no --quiet: it stops the warning count
    return subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True)


def test_mkdocs_finishes_the_links_in_a_region(tmp_path):
    region = '<p><a href="b.md#part">b</a> <a href="#here">here</a> <a href="https://x.org/?a=1&#38;b=2">x</a></p>'
    run = _mini_site(tmp_path, region)
    assert run.returncode == 0, run.stderr
    built = (tmp_path / "site" / "a" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../b/#part">b</a> <a href="#here">here</a> <a href="https://x.org/?a=1&#38;b=2">x</a>' in built


@pytest.mark.parametrize("link", ["missing.md", "b.md#no-such-part", "#no-such-anchor"])
def test_mkdocs_strict_refuses_a_broken_link_in_a_region(tmp_path, link):
    run = _mini_site(tmp_path, f'<p><a href="{link}">x</a></p>')
    assert run.returncode != 0
    assert link.lstrip("#") in run.stderr
