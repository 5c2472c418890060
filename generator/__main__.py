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
    v.add_argument("--base", metavar="REV", help="also refuse changed values without a history entry since REV")

    b = sub.add_parser("build", help="validate, derive, render and build the site into site/")
    b.add_argument("--engine", choices=["mkdocs", "zensical"], default="mkdocs")
    b.add_argument(
        "--strict",
        dest="strict",
        action="store_true",
        default=True,
        help="warnings fail the build (the default; kept so CI can say it)",
    )
    b.add_argument("--no-strict", dest="strict", action="store_false", help="let warnings pass")
    b.add_argument("--pages-only", action="store_true", help="write site_src/ but do not run the engine")
    b.add_argument("-q", "--quiet", action="store_true")

    d = sub.add_parser("diff", help="what a change does to the data, between two git revisions")
    d.add_argument("base", help="base revision, e.g. main or origin/main")
    d.add_argument("head", nargs="?", default=None, help="head revision (default: the working tree)")
    d.add_argument("--format", choices=["text", "markdown", "json"], default="text")

    sv = sub.add_parser("serve", help="preview with live reload")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--host", default="127.0.0.1")

    m = sub.add_parser("migrate", help="upgrade fact files on disk to the current schema_version")
    m.add_argument("--check", action="store_true", help="exit 1 if any file needs migrating")

    r = sub.add_parser("release", help="check CHANGELOG.md and write the release's downloads")
    r.add_argument("version", help="dataset version X.Y.Z")

    ac = sub.add_parser(
        "archive-charts", help="add each chart's current spec to archive/charts/ (dated from the commit)"
    )
    ac.add_argument("--check", action="store_true", help="exit 1 if a chart's current version is not archived")

    bn = sub.add_parser("bench", help="time every stage on a synthetic dataset")
    bn.add_argument("--facts", type=int, default=1000)
    bn.add_argument("--engine", choices=["mkdocs", "zensical"], default="mkdocs")
    bn.add_argument("--runs", type=int, default=3)
    bn.add_argument("--json", type=Path, default=None)
    bn.add_argument(
        "--profile",
        choices=["both", "seed", "realistic"],
        default="both",
        help="the seed's proportions, a realistic dataset (entities, metrics, sources grow sublinearly), or both",
    )

    n = sub.add_parser("new", help="write a valid skeleton of a fact, source, derived figure or chart")
    from generator.scaffold import add_arguments

    add_arguments(n)

    s = sub.add_parser("schema", help="regenerate schema/facts.schema.json and the format reference")
    s.add_argument("--check", action="store_true", help="exit 1 if the committed files are stale")
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one command; bad input gives problems and exit 1, never a traceback."""
    args = parser().parse_args(argv)
    try:
        status = commands.dispatch(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return status
    except BrokenPipeError:  # `diff main | head`: the reader has all it wants, as with `git log | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit must not complain either
        return 0
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
