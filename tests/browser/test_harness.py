"""The harness itself: launch, serve, record requests and errors, axe, two origins at once."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CLEAN_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Clean page</title></head>
<body><main><h1>Clean</h1><p>Nothing wrong here.</p>
<img src="pixel.svg" alt="A red square"></main></body>
</html>
"""
PIXEL_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="red"/></svg>'


def _write_site(folder: Path, body: str, title: str = "Test page") -> Path:
    """A one-page site in folder: index.html with body, and a local image."""
    folder.mkdir(parents=True, exist_ok=True)
    html = (
        f'<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{title}</title></head>\n'
        f"<body><main><h1>{title}</h1>{body}</main></body>\n</html>\n"
    )
    (folder / "index.html").write_text(html, encoding="utf-8")
    (folder / "pixel.svg").write_text(PIXEL_SVG, encoding="utf-8")
    return folder


def test_serves_a_clean_page_with_no_external_requests(tmp_path, serve_dir, page_checker):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(CLEAN_PAGE, encoding="utf-8")
    (site / "pixel.svg").write_text(PIXEL_SVG, encoding="utf-8")
    base = serve_dir(site)
    record = page_checker(base + "/index.html")
    assert record.page.title() == "Clean page"
    assert base + "/pixel.svg" in record.requests
    assert record.external_requests(base) == []
    assert record.console_errors == []
    assert record.dialogs == []


def test_records_and_blocks_external_requests(tmp_path, serve_dir, page_checker):
    # A page that reaches out must be caught, and the request must never leave the machine.
    site = _write_site(tmp_path / "site", '<img src="https://cdn.example.com/tracker.png" alt="">')
    base = serve_dir(site)
    record = page_checker(base + "/")
    assert record.external_requests(base) == ["https://cdn.example.com/tracker.png"]


def test_catches_console_errors_page_errors_and_dialogs(tmp_path, serve_dir, page_checker):
    body = "<script>console.error('x'); alert('hello');</script><script>undefinedFunction();</script>"
    base = serve_dir(_write_site(tmp_path / "site", body))
    record = page_checker(base + "/")
    assert any(error.startswith("console.error: x ") for error in record.console_errors), record.console_errors
    assert any("undefinedFunction" in error for error in record.console_errors), record.console_errors
    assert record.dialogs == ["alert: hello"]


def test_a_missing_file_is_a_console_error(tmp_path, serve_dir, page_checker):
    base = serve_dir(_write_site(tmp_path / "site", '<img src="missing.png" alt="Missing">'))
    record = page_checker(base + "/")
    assert any("404" in error for error in record.console_errors), record.console_errors


def test_axe_finds_an_image_without_alt(tmp_path, serve_dir, page_checker, axe):
    base = serve_dir(_write_site(tmp_path / "site", '<img src="pixel.svg">'))
    record = page_checker(base + "/")
    violations = axe(record.page)
    assert "image-alt" in [violation["id"] for violation in violations], axe.describe(violations)
    assert "image-alt" in [violation["id"] for violation in axe.serious(violations)]


def test_axe_passes_a_clean_page(tmp_path, serve_dir, page_checker, axe, serious):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(CLEAN_PAGE, encoding="utf-8")
    (site / "pixel.svg").write_text(PIXEL_SVG, encoding="utf-8")
    record = page_checker(serve_dir(site) + "/")
    violations = axe(record.page)
    assert violations == [], axe.describe(violations)
    assert serious(violations) == []


def test_two_origins_at_once_with_a_cross_origin_iframe(tmp_path, serve_dir, page_checker, axe):
    embed_base = serve_dir(_write_site(tmp_path / "embed", "<p>Embedded chart.</p>", title="Embed"))
    host_body = f'<iframe src="{embed_base}/index.html" title="Embedded chart" width="300" height="200"></iframe>'
    host_base = serve_dir(_write_site(tmp_path / "host", host_body, title="Host"))
    assert host_base != embed_base
    record = page_checker(host_base + "/")
    frame = record.page.frame_locator("iframe")
    assert frame.locator("h1").inner_text() == "Embed"
    # The iframe is another origin: the host page's script cannot reach into it.
    reach = record.page.evaluate(
        "() => { try { return document.querySelector('iframe').contentDocument === null; }"
        " catch (error) { return true; } }"
    )
    assert reach is True
    assert record.external_requests(host_base) == [embed_base + "/index.html"]
    assert record.console_errors == []
    # axe is injected into the cross-origin frame too, so the run finishes and checks it.
    violations = axe(record.page)
    assert axe.serious(violations) == [], axe.describe(violations)


def test_localhost_names_another_site(tmp_path, serve_dir, page_checker):
    base = serve_dir(_write_site(tmp_path / "site", "<p>Same files, other host name.</p>"), hostname="localhost")
    assert base.startswith("http://localhost:")
    record = page_checker(base + "/")
    assert record.page.locator("h1").inner_text() == "Test page"
    assert record.external_requests(base) == []


def test_serve_dir_refuses_a_missing_folder(tmp_path, serve_dir):
    with pytest.raises(FileNotFoundError, match="not a folder"):
        serve_dir(tmp_path / "nowhere")


def test_settle_waits_for_what_late_handlers_fetch(tmp_path, serve_dir, page_checker):
    """After the load event a handler fetches a file, and when it arrives adds an image that fails:
    settle() returns only once that image's error handler has run (the hostile and XSS tests rely on it).
    Without settle() the title is still the page's own."""
    body = (
        "<script>addEventListener('load', () => setTimeout(() => fetch('pixel.svg').then(() => {"
        " const img = document.createElement('img'); img.alt = '';"
        " img.onerror = () => { document.title = 'late handler ran'; };"
        " img.src = 'missing.png'; document.body.append(img); }), 0));</script>"
    )
    base = serve_dir(_write_site(tmp_path / "site", body))
    record = page_checker(base + "/")
    record.settle()
    assert record.page.title() == "late handler ran"
    assert record.pending == set()
