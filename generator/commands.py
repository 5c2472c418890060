"""The subcommands behind the command line, one function each."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from pathlib import Path

from generator import engine
from generator.build import build, gather
from generator.errors import FatalInputError
from generator.progress import Progress
from generator.schema import json_schema

SCHEMA_PATH = Path("schema") / "facts.schema.json"
FORMAT_PATH = Path("docs") / "format-reference.md"
CODES_PATH = Path("docs") / "error-codes.md"


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate every fact file; print every problem in the chosen format."""
    gathered = gather(args.root)
    report = gathered.report
    if args.base:
        from generator import revisions  # git is needed only for --base

        try:
            revisions.resolve(args.root, args.base)
        except revisions.RevisionError as exc:
            print(f"validate: {exc}", file=sys.stderr)
            return 2
        report.extend(revisions.correction_problems(args.root, args.base, gathered))
    output = report.render(args.format)
    if output:
        print(output)
    return 1 if report.failed(args.strict) else 0


def cmd_build(args: argparse.Namespace) -> int:
    """Build the site; on bad input print the problems and leave site/ untouched."""
    try:
        result = build(
            args.root,
            strict=args.strict,
            engine_name=args.engine,
            run_engine=not args.pages_only,
            progress=Progress(quiet=args.quiet),
        )
    except FatalInputError as exc:
        print(exc.report.render("text"), file=sys.stderr)
        print("build stopped: nothing was written", file=sys.stderr)
        return 1
    except engine.EngineError as exc:
        print(str(exc), file=sys.stderr)
        print("build stopped: site/ and site_src/ were left as they were", file=sys.stderr)
        return 1
    except engine.OutputError as exc:
        if os.environ.get("GENERATOR_DEBUG"):
            traceback.print_exception(exc.__context__ or exc)
        print(f"build stopped: {exc}", file=sys.stderr)
        print("site/ and site_src/ were left as they were", file=sys.stderr)
        return 1
    for warning in result.report.warnings:
        print(warning.text(), file=sys.stderr)
    if not args.quiet:
        print(result.summary())
    return 0


def schema_text() -> str:
    """The JSON Schema file's exact text."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def generated_docs() -> dict[Path, str]:
    """The files `schema` writes: the JSON Schema, the format reference and the problem codes."""
    from generator import codes, reference

    return {SCHEMA_PATH: schema_text(), FORMAT_PATH: reference.page(standalone=True), CODES_PATH: codes.page()}


def cmd_schema(args: argparse.Namespace) -> int:
    """Write (or with --check, compare) the generated JSON Schema and reference files."""
    stale = 0
    for path, text in generated_docs().items():
        target = args.root / path
        if args.check:
            current = target.read_text(encoding="utf-8") if target.is_file() else ""
            if current != text:
                print(f"{path} is stale: run `python -m generator schema`", file=sys.stderr)
                stale = 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return stale


COMMANDS = {"validate": cmd_validate, "build": cmd_build, "schema": cmd_schema}
#: Subcommands implemented in their own stage module as `run(args) -> int`.
MODULE_COMMANDS = {
    "diff": "generator.diff",
    "serve": "generator.serve",
    "migrate": "generator.migrate",
    "release": "generator.release",
    "bench": "generator.bench",
    "archive-charts": "generator.archive",
    "new": "generator.scaffold",
}


def dispatch(args: argparse.Namespace) -> int:
    """Run the subcommand named on the command line."""
    if args.command in MODULE_COMMANDS:
        return importlib.import_module(MODULE_COMMANDS[args.command]).run(args)
    return COMMANDS[args.command](args)
