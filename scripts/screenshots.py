"""Screenshot gallery: every page kind of the built site at 375 and 1280 px, light and dark, in one folder.

    .venv/bin/python scripts/screenshots.py [--site site] [--out screenshots] [--widths 375,1280]

The site is served on 127.0.0.1 and, for the embed kind, a host page on `localhost` (another origin)
pastes two embeds, one with the snippet's script and one plain iframe, in a narrow and a wide column.
Dark is the system setting (prefers-color-scheme) plus Material's palette attribute on <body>, so the
gallery shows what a reader with a dark system sees. Nothing leaves this machine; Debian's Chromium runs
headless through Playwright (never `playwright install`). Writes <out>/<kind>-<width>[-dark].png and
<out>/index.html, a page that shows them side by side.
"""

from __future__ import annotations

import argparse
import functools
import html
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.chromium import CHROMIUM, DEAD_PROXY, LAUNCH_ARGS  # noqa: E402 - after the path

MAX_HEIGHT = 3000  # px of a full-page shot kept; a long table page is cut there


class _Handler(SimpleHTTPRequestHandler):
    """Static files; a missing one gets the site's own 404.html, as GitHub Pages serves it."""

    def log_message(self, format: str, *args: object) -> None:
        """No access log."""

    def translate_path(self, path: str) -> str:
        """The 404 page links its assets under the published path (/facts/assets/...), as it is served at
        any depth: that prefix is the site's root here too, so the gallery's 404 is styled as it is live."""
        local = super().translate_path(path)
        prefix = _published_prefix()
        # Only where the path is not a page of its own: the site's /facts/ section shares that prefix.
        if prefix and path.startswith(prefix) and not Path(local).exists():
            return super().translate_path("/" + path[len(prefix) :])
        return local

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@functools.cache
def _published_prefix() -> str:
    """The path of mkdocs.yml's site_url ("/facts/"), or "" for a site published at a host's root."""
    import re

    found = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)
    path = re.sub(r"^https?://[^/]+", "", found.group(1)) if found else ""
    return path if len(path) > 1 and path.endswith("/") else ""


def serve(folder: Path, hostname: str = "127.0.0.1") -> tuple[str, ThreadingHTTPServer]:
    """Serve a folder at a free port; (base URL, server)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://{hostname}:{server.server_address[1]}", server


def first(site: Path, folder: str) -> str:
    """The first page in a section folder (an entity, a metric, a source...)."""
    names = sorted(p.name for p in (site / folder).iterdir() if (p / "index.html").is_file())
    return f"/{folder}/{names[0]}/" if names else f"/{folder}/"


def host_page(site: Path, site_base: str, chart_ids: list[str]) -> str:
    """A page of another origin pasting embeds: the published snippet (oembed.json's), then a plain iframe."""
    import json
    import re

    parts = []
    for n, cid in enumerate(chart_ids[:2]):
        published = json.loads((site / "charts" / cid / "oembed.json").read_text(encoding="utf-8"))["html"]
        code = published.replace(published.split("embed/")[0].split('src="')[1], site_base + "/")
        code = code.replace(re.search(r'e.origin !== "([^"]*)"', code).group(1), site_base)
        if n == 1:  # what a CMS that strips scripts and containers keeps
            code = re.search(r"<iframe.*?</iframe>", code).group(0)
        kind = "plain iframe (no script)" if n == 1 else "snippet with its script"
        parts.append(
            f"<h2>{html.escape(kind)}</h2><p>Text before the chart, as in an article.</p>{code}"
            "<p>Text after the chart. The page must not jump when the chart loads.</p>"
        )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Host page</title>'
        "<style>body{font:16px/1.5 Georgia,serif;margin:0;padding:0 16px;background:#fafafa;color:#222}"
        "main{max-width:680px;margin:0 auto} @media (prefers-color-scheme: dark){body{background:#111;color:#ddd}}"
        "</style></head><body><main><h1>An article on another site</h1>" + "".join(parts) + "</main></body></html>"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=str(ROOT / "site"))
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--widths", default="375,1280")
    parser.add_argument("--only", default="", help="comma-separated page kinds")
    options = parser.parse_args()
    site, out = Path(options.site), Path(options.out)
    if not (site / "index.html").is_file():
        print(f"no built site at {site}: run `make site` first", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    chart_ids = sorted(p.name for p in (site / "charts").iterdir() if (p / "index.html").is_file())
    base, server = serve(site)
    host_dir = Path(tempfile.mkdtemp(prefix="aif-host-"))
    (host_dir / "index.html").write_text(host_page(site, base, chart_ids), encoding="utf-8")
    host_base, host_server = serve(host_dir, "localhost")
    kinds = {
        "home": "/",
        "fact": first(site, "facts"),
        "derived": first(site, "derived"),
        "entity": first(site, "entities"),
        "metric": first(site, "metrics"),
        "source": first(site, "sources"),
        "chart": f"/charts/{chart_ids[0]}/" if chart_ids else "/charts/",
        "charts-index": "/charts/",
        "consistency": "/consistency/",
        "corrections": "/corrections/",
        "downloads": "/downloads/",
        "404": "/no-such-page/",
        "embed-in-host": None,
    }
    for cid in chart_ids[1:]:
        kinds[f"chart-{cid}"] = f"/charts/{cid}/"
    if (site / "fr" / "index.html").is_file():  # the French site: the same page kinds under /fr/
        for kind in ("home", "fact", "entity", "chart", "derived", "consistency", "404"):
            kinds[f"fr-{kind}"] = "/fr" + str(kinds[kind])
    only = {k for k in options.only.split(",") if k}
    from playwright.sync_api import sync_playwright

    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, proxy=DEAD_PROXY)
        for dark in (False, True):
            for width in (int(w) for w in options.widths.split(",")):
                context = browser.new_context(
                    viewport={"width": width, "height": 900 if width > 600 else 740},
                    color_scheme="dark" if dark else "light",
                )
                page = context.new_page()
                for kind, path in kinds.items():
                    if only and kind not in only and not (kind.startswith("chart-") and "chart" in only):
                        continue
                    url = host_base + "/" if path is None else base + path
                    page.goto(url, wait_until="load")
                    # Lazy iframes and images load when scrolled to: scroll through, then back to the top.
                    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
                    page.wait_for_timeout(300)
                    page.evaluate("window.scrollTo(0, 0)")
                    if dark:
                        page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
                    page.wait_for_timeout(600)
                    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
                    name = f"{kind}-{width}{'-dark' if dark else ''}.png"
                    # Cross-origin frames outside the viewport are not painted in a full-page shot: make the
                    # viewport as tall as the page (fixed headers then sit at the top, as they would).
                    viewport = page.viewport_size
                    page.set_viewport_size({"width": width, "height": height})
                    page.wait_for_timeout(300)
                    page.screenshot(path=str(out / name))
                    page.set_viewport_size(viewport)
                    shots.append((kind, width, dark, name))
                context.close()
        browser.close()
    server.shutdown()
    host_server.shutdown()
    rows = "".join(
        f"<h2>{html.escape(kind)}</h2><div>"
        + "".join(
            f'<figure><img src="{n}" width="{min(w, 640)}"><figcaption>{w} px{" dark" if d else ""}'
            "</figcaption></figure>"
            for k, w, d, n in shots
            if k == kind
        )
        + "</div>"
        for kind in kinds
    )
    (out / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>Gallery</title><style>div{display:flex;gap:16px;"
        "align-items:flex-start;overflow-x:auto}figure{margin:0}img{border:1px solid #ccc}</style>" + rows,
        encoding="utf-8",
    )
    print(f"{len(shots)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
