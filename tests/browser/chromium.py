"""How this project starts Chromium, for the browser tests (tests/browser/conftest.py) and the screenshot
gallery (scripts/screenshots.py): Debian's build, headless, and nothing that leaves the machine.

No pytest here: the gallery runs outside the test suite.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and nothing that phones home: a request a test did not cause would blur "no external requests".
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Every request to another host goes to a proxy that is not there (the discard port on this machine) and
#: fails at once; this machine's own servers are bypassed. Unlike routing each request through Python
#: (Playwright's `route`, which cost ~0.2 s a page load: ~40% of it), nothing is intercepted: requests
#: are still all recorded (page_checker) and none can leave the machine.
DEAD_PROXY = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1,localhost,[::1]"}
