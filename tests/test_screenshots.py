"""The screenshot gallery's server (scripts/screenshots.py) serves every page as it is, and the 404 page's
assets under the published prefix: the site's own /facts/ section shares that prefix (/facts/), and its
pages were once served as the 404 page, so the gallery showed "Page not found" for every fact."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _gallery():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_gallery_serves_fact_pages_and_the_404_pages_assets(tmp_path: Path):
    gallery = _gallery()
    prefix = gallery._published_prefix()
    if not prefix:
        pytest.skip("the site is published at a host's root: no prefix to share")
    site = tmp_path / "site"
    (site / prefix.strip("/") / "some-fact").mkdir(parents=True)
    (site / prefix.strip("/") / "some-fact" / "index.html").write_text("<p>the fact page</p>", encoding="utf-8")
    (site / "assets").mkdir()
    (site / "assets" / "x.css").write_text("body{}", encoding="utf-8")
    (site / "404.html").write_text("<p>Page not found</p>", encoding="utf-8")
    base, server = gallery.serve(site)
    try:
        assert _get(f"{base}{prefix}some-fact/") == (200, "<p>the fact page</p>")  # a page of its own
        assert _get(f"{base}{prefix}assets/x.css") == (200, "body{}")  # the 404 page's asset, under the prefix
        assert _get(f"{base}/no-such-page/") == (404, "<p>Page not found</p>")
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("script", ["screenshots.py", "lighthouse.py"])
def test_the_make_targets_scripts_start(script: str):
    """`make lighthouse` broke silently when the browser flags moved to tests/browser/chromium.py (its script
    imported a name that no longer existed); each script must at least start and print its usage."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage:")
