"""Lighthouse scores of the built site: home, a chart page, a fact page and an embed page, mobile preset.

    .venv/bin/python scripts/lighthouse.py [--site site] [--out lighthouse] [--min 90,100,96,100]

The site is served on 127.0.0.1 by Python's static server, without compression (as the issue measured;
GitHub Pages compresses, so real transfers are smaller). Lighthouse is the npm devDependency pinned in
package-lock.json (node_modules/.bin/lighthouse, installed by scripts/ensure-browser.sh) and drives
Debian's /usr/bin/chromium with the project's headless flags; nothing leaves this machine. Writes one
JSON report per page into --out and prints the four category scores per page. With --min (performance,
accessibility, best practices, SEO), exits 1 when a page scores below one of them.

Not part of `make test`: a run takes about a minute, and performance scores vary by a few points with
the load of the machine (Lighthouse simulates a slow phone from timings measured here).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import CHROMIUM, LAUNCH_ARGS, first, serve  # noqa: E402  (the same server and flags)

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def pages(site: Path) -> dict[str, str]:
    """The four page kinds measured: URL paths under the site."""
    charts = sorted(p.name for p in (site / "charts").iterdir() if (p / "index.html").is_file())
    chart = charts[0] if charts else ""
    return {"home": "/", "chart": f"/charts/{chart}/", "fact": first(site, "facts"), "embed": f"/embed/{chart}/"}


def run(url: str, report: Path) -> dict[str, int]:
    """One Lighthouse run (mobile preset, the default); the four scores out of 100."""
    flags = " ".join(LAUNCH_ARGS)
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={flags}",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    subprocess.run(command, check=True, env=env, timeout=300)
    result = json.loads(report.read_text(encoding="utf-8"))
    return {name: round(100 * (result["categories"][name]["score"] or 0)) for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=str(ROOT / "site"))
    parser.add_argument("--out", default=str(ROOT / "lighthouse"))
    parser.add_argument("--min", default="", help="lowest scores accepted: performance,accessibility,bp,seo")
    options = parser.parse_args()
    site, out = Path(options.site), Path(options.out)
    if not (site / "index.html").is_file():
        print(f"no built site at {site}: run `make site` first", file=sys.stderr)
        return 2
    if not LIGHTHOUSE.is_file():
        print(f"{LIGHTHOUSE} is missing: run `bash scripts/ensure-browser.sh`", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    base, server = serve(site)
    low = [int(n) for n in options.min.split(",")] if options.min else []
    failed = []
    print(f"{'page':<8} {'path':<48} " + " ".join(f"{c:>14}" for c in CATEGORIES))
    try:
        for kind, path in pages(site).items():
            scores = run(base + path, out / f"{kind}.json")
            print(f"{kind:<8} {path:<48} " + " ".join(f"{scores[c]:>14}" for c in CATEGORIES), flush=True)
            failed += [f"{kind} {c} {scores[c]} < {m}" for c, m in zip(CATEGORIES, low, strict=False) if scores[c] < m]
    finally:
        server.shutdown()
    for line in failed:
        print(f"lighthouse: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
