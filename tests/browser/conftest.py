"""The browser test harness: Debian's Chromium through Playwright, local static servers, page records, axe.

Everything runs on this machine: pages are served from 127.0.0.1 and any request to another host is
recorded and then fails at a dead proxy, so a test never waits on the network and can assert there were none.
Set-up (chromium, axe-core) is `scripts/ensure-browser.sh`; never `playwright install`.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.chromium import CHROMIUM, DEAD_PROXY, LAUNCH_ARGS

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS_IMPACTS = {"serious", "critical"}


def _missing(what: str) -> None:
    """Fail in CI (a missing tool there is a broken set-up), skip on a developer's machine."""
    message = f"{what}; run `bash scripts/ensure-browser.sh` (or `make browser-deps`)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in tests/browser as `browser`, so `-m "not browser"` leaves them out."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, shared by the tests of one pytest worker."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, proxy=DEAD_PROXY)
        yield chromium
        chromium.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    """A static file handler that keeps the test output clean."""

    def log_message(self, format: str, *args: Any) -> None:
        """Drop the per-request access log line."""


class _QuietServer(ThreadingHTTPServer):
    """A threaded server that ignores clients hanging up (the browser closes sockets freely)."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore resets and broken pipes; anything else is still printed."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Servers:
    """Static servers started by one fixture, all stopped at its teardown."""

    def __init__(self) -> None:
        self._running: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def serve(self, path: str | os.PathLike[str], hostname: str = "127.0.0.1") -> str:
        """Serve a folder on 127.0.0.1 at a free port; return its base URL (no trailing slash).

        `hostname="localhost"` names the same server by another host, which makes it another *site*
        (not only another origin) for cookie and iframe tests.
        """
        folder = Path(path)
        if not folder.is_dir():
            raise FileNotFoundError(f"cannot serve {folder}: not a folder")
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = _QuietServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, name=f"serve {folder}", daemon=True)
        thread.start()
        self._running.append((server, thread))
        return f"http://{hostname}:{server.server_address[1]}"

    def stop(self) -> None:
        """Stop every server and wait for its thread."""
        for server, thread in self._running:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
        self._running.clear()


@pytest.fixture
def serve_dir() -> Iterator[Callable[..., str]]:
    """Factory: `serve_dir(folder) -> base_url`; call it twice for two origins at once."""
    servers = _Servers()
    yield servers.serve
    servers.stop()


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site: $SITE_DIR, else site/ at the repository root."""
    path = Path(os.environ.get("SITE_DIR") or REPO_ROOT / "site")
    if not (path / "index.html").is_file():
        pytest.fail(
            f"the built site is missing: {path / 'index.html'} does not exist. Build it first with "
            "`make site` (`make test` does so before the browser tests), or point SITE_DIR at a built site."
        )
    return path


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 for the whole session; its base URL."""
    servers = _Servers()
    yield servers.serve(site_dir)
    servers.stop()


#: Resolves after the next two animation frames: what the page queued before it has run.
FRAME = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


@dataclass
class PageRecord:
    """A page and what it did: every request URL, console errors, page errors and dialogs."""

    page: Any
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    #: Requests sent and not yet finished or failed (kept by page_checker's handlers).
    pending: set[Any] = field(default_factory=set)

    def goto(self, url: str, **options: Any) -> Any:
        """Navigate and wait for the load event (Playwright's `page.goto`)."""
        return self.page.goto(url, **options)

    def settle(self, timeout_s: float = 20.0) -> None:
        """Wait until the page has no request in flight across two animation frames: every late handler
        (an image's error, a deferred script, what a handler fetched) has had its turn.

        Playwright's "networkidle" waits for 500 ms without a request on every page; this waits only as
        long as the page is busy. A request sent by a handler in between is caught by the second look; what
        a script puts off with a timer of its own is not waited for (a payload that could set a timer has
        already run, and the dialog and markup checks see it)."""
        deadline = time.monotonic() + timeout_s
        quiet = 0
        while quiet < 2:
            assert time.monotonic() < deadline, f"requests still in flight after {timeout_s} s: {self.pending}"
            self.page.evaluate(FRAME)
            quiet = quiet + 1 if not self.pending else 0

    def external_requests(self, base_url: str) -> list[str]:
        """Requests that left the origin of base_url (data:, blob: and about: URLs are not requests out)."""
        origin = urlsplit(base_url)
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and (urlsplit(url).scheme, urlsplit(url).netloc) != (origin.scheme, origin.netloc)
        ]


@pytest.fixture
def page_checker(browser: Any) -> Iterator[Callable[..., PageRecord]]:
    """Factory: `page_checker(url=None, **context_options) -> PageRecord`, in a fresh browser context.

    Requests to hosts other than this machine are recorded, and fail at the browser's dead proxy
    (DEAD_PROXY), so nothing leaves it.
    Dialogs (alert, confirm, prompt) are recorded and dismissed so a page never hangs on one.
    """
    contexts: list[Any] = []

    def open_page(url: str | None = None, **context_options: Any) -> PageRecord:
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        record = PageRecord(page)
        page.on("request", lambda request: _on_request(record, request))
        page.on("requestfinished", lambda request: record.pending.discard(request))
        page.on("requestfailed", lambda request: record.pending.discard(request))
        page.on("console", lambda message: _on_console(record, message))
        page.on("pageerror", lambda error: record.console_errors.append(f"pageerror: {error}"))
        page.on("dialog", lambda dialog: _on_dialog(record, dialog))
        if url is not None:
            page.goto(url)
        return record

    yield open_page
    for context in contexts:
        context.close()


def _on_request(record: PageRecord, request: Any) -> None:
    record.requests.append(request.url)
    record.pending.add(request)  # until requestfinished or requestfailed


def _on_console(record: PageRecord, message: Any) -> None:
    """Keep console messages of type error, with where they came from; not the 404 of the /favicon.ico the
    browser asks for on its own when a page names none (a test's bare page), which is no page's error."""
    if message.type == "error":
        location = message.location or {}
        url = str(location.get("url", "?"))
        if urlsplit(url).path == "/favicon.ico":
            return
        record.console_errors.append(f"console.error: {message.text} ({url})")


def _on_dialog(record: PageRecord, dialog: Any) -> None:
    """Record a dialog, then dismiss it."""
    record.dialogs.append(f"{dialog.type}: {dialog.message}")
    dialog.dismiss()


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The axe violations whose impact is serious or critical."""
    return [violation for violation in violations if violation.get("impact") in SERIOUS_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per axe violation (rule, impact, help, first targets), for assertion messages."""
    lines = []
    for violation in violations:
        targets = ", ".join(str(node.get("target")) for node in violation.get("nodes", [])[:3])
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation.get('help')} at {targets}")
    return "\n".join(lines)


class AxeRunner:
    """Callable: `axe(page, **options) -> violations`; also `.serious()` and `.describe()`."""

    serious = staticmethod(serious)
    describe = staticmethod(describe)

    def __call__(self, page: Any, **options: Any) -> list[dict[str, Any]]:
        """Inject axe-core into every frame of the page, run it, and return its violations."""
        # axe checks iframes by talking to a copy of itself inside each one; without it, it waits
        # for frames that never answer. Playwright can inject across origins, so every frame gets one.
        for frame in page.frames:
            if not frame.is_detached():
                frame.add_script_tag(path=str(AXE_JS))
        return page.evaluate("async (options) => (await axe.run(document, options)).violations", options)


@pytest.fixture(scope="session")
def axe() -> AxeRunner:
    """The axe-core runner (node_modules/axe-core, pinned in package-lock.json)."""
    if not AXE_JS.is_file():
        _missing(f"{AXE_JS} is missing")
    return AxeRunner()


@pytest.fixture(name="serious", scope="session")
def serious_fixture() -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    """The `serious(violations)` filter, as a fixture for tests that do not import the conftest."""
    return serious
