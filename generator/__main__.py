"""Command line: python -m generator {validate,build,schema,...}. Exit 0 ok, 1 bad input, 2 usage."""

from __future__ import annotations

import argparse
import functools
import os
import sys
import traceback
from pathlib import Path

from generator import commands


def parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path.cwd(), help="project root (default: current folder)")
    top = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    sub.add_parser = functools.partial(sub.add_parser, parents=[common])  # type: ignore[method-assign]

    v = sub.add_parser("validate", help="check every fact file and report every problem")
    v.add_argument("--format", choices=["text", "github", "json"], default="text")
    v.add_argument("--strict", action="store_true", help="warnings fail too")

    b = sub.add_parser("build", help="validate, derive, render and build the site into site/")
    b.add_argument("--engine", choices=["mkdocs", "zensical"], default="mkdocs")
    b.add_argument("--no-strict", dest="strict", action="store_false", help="let warnings pass")
    b.add_argument("--pages-only", action="store_true", help="write site_src/ but do not run the engine")
    b.add_argument("-q", "--quiet", action="store_true")

    s = sub.add_parser("schema", help="regenerate schema/facts.schema.json and the format reference")
    s.add_argument("--check", action="store_true", help="exit 1 if the committed files are stale")
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one command; bad input gives problems and exit 1, never a traceback."""
    args = parser().parse_args(argv)
    try:
        return commands.dispatch(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in the generator, not in the input
        if os.environ.get("GENERATOR_DEBUG"):
            traceback.print_exc()
        print(f"internal error: {type(exc).__name__}: {exc} (set GENERATOR_DEBUG=1 for the traceback; "
              "please report it)", file=sys.stderr)  # fmt: skip
        return 3


if __name__ == "__main__":
    sys.exit(main())
