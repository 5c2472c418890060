"""The command line, the top layer: every subcommand's arguments and its `cmd_*` function.

Each `cmd_*` calls domain functions that return data or problems, prints them and returns the
exit status: 0 done, 1 bad input (or a refused step), 2 a usage error, 3 a bug in the generator.
Nothing below this module prints or parses arguments.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from generator.inputs import archive, migrate
from generator.inputs.files import discover
from generator.model import codes, paths
from generator.model.errors import FatalInputError
from generator.model.schema import json_schema
from generator.outputs import charts, i18n, reference, release
from generator.pipeline import bench, diff, engine, revisions, scaffold, serve
from generator.pipeline.build import build, gather, localized
from generator.pipeline.progress import Progress


def parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path.cwd(), help="project root (default: current folder)")
    top = argparse.ArgumentParser(
        prog="python -m generator",
        description="Validate fact files and build the site. Exit 0 ok, 1 bad input, 2 usage.",
    )
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
    b.add_argument(
        "--clean",
        action="store_true",
        help="the engine builds every page (by default it rebuilds only the changed ones when it can)",
    )
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
    n.add_argument("record", choices=sorted(scaffold.FIELDS), help="the kind of record to write")
    seen: set[str] = set()
    for asks in scaffold.FIELDS.values():
        for ask in asks:
            if ask.flag not in seen:
                seen.add(ask.flag)
                n.add_argument("--" + ask.flag.replace("_", "-"), dest=ask.flag, default=None)
    n.add_argument("--approximate", action="store_true", help="the source hedges (about, environ)")
    n.add_argument("--no-input", action="store_true", help="never prompt, even on a terminal")

    s = sub.add_parser("schema", help="regenerate schema/facts.schema.json and the format reference")
    s.add_argument("--check", action="store_true", help="exit 1 if the committed files are stale")
    return top


def err(message: str) -> None:
    """A line on standard error."""
    print(message, file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate every fact file; print every problem in the chosen format."""
    gathered = gather(args.root)
    report = gathered.report
    # Missing translations are counted here, not by the build: the English text is always there to
    # show (marked "(in English)"), so a gap never stops a build, but `validate` says where it is.
    report.extend(i18n.untranslated(gathered.dataset, i18n.languages(args.root)))
    if args.base:
        try:
            revisions.resolve(args.root, args.base)
        except revisions.RevisionError as exc:
            err(f"validate: {exc}")
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
            clean=args.clean,
            progress=Progress(quiet=args.quiet),
        )
    except FatalInputError as exc:
        err(exc.report.render("text"))
        err("build stopped: nothing was written")
        return 1
    except engine.EngineError as exc:
        err(str(exc))
        err("build stopped: site/ and site_src/ were left as they were")
        return 1
    except engine.OutputError as exc:
        if os.environ.get("GENERATOR_DEBUG"):
            traceback.print_exception(exc.__context__ or exc)
        err(f"build stopped: {exc}")
        err("site/ and site_src/ were left as they were")
        return 1
    for warning in result.report.warnings:
        err(warning.text())
    if not args.quiet:
        print(result.summary())
    return 0


def schema_text() -> str:
    """The JSON Schema file's exact text."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def generated_docs() -> dict[Path, str]:
    """The files `schema` writes: the JSON Schema, the format reference and the problem codes."""
    return {
        paths.SCHEMA_FILE: schema_text(),
        paths.FORMAT_REFERENCE: reference.page(standalone=True),
        paths.ERROR_CODES: codes.page(),
    }


def cmd_schema(args: argparse.Namespace) -> int:
    """Write (or with --check, compare) the generated JSON Schema and reference files."""
    stale = 0
    for path, text in generated_docs().items():
        target = args.root / path
        if args.check:
            current = target.read_text(encoding="utf-8") if target.is_file() else ""
            if current != text:
                err(f"{path} is stale: run `python -m generator schema`")
                stale = 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return stale


def cmd_diff(args: argparse.Namespace) -> int:
    """Print what changes between two revisions; 1 if HEAD is invalid, 2 on a bad revision."""
    root: Path = args.root
    try:
        base = revisions.load_at(root, args.base)
        head = revisions.load_at(root, args.head) if args.head else gather(root)
    except revisions.RevisionError as exc:
        err(f"diff: {exc}")
        return 2
    result = diff.compare(base, head)
    head_name = args.head or "working tree"
    if args.format == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        print(diff.render_markdown(result, args.base, head_name), end="")
    else:
        print(diff.render_text(result, args.base, head_name))
    return 0 if result["validation"]["valid"] else 1


def cmd_serve(args: argparse.Namespace) -> int:
    """Write the pages, then serve with live reload until interrupted."""
    root = Path(args.root)
    print(serve.rebuild(root))
    rebuilder = serve.Rebuilder(root)
    observer = serve.watch(root, rebuilder)
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"{args.host}:{args.port}"]
    try:
        return subprocess.call(command, cwd=root, env={**os.environ, "PYTHONPATH": engine.engine_path()})
    except KeyboardInterrupt:
        return 130
    finally:
        rebuilder.stop()
        observer.stop()
        observer.join(timeout=5)


def cmd_migrate(args: argparse.Namespace) -> int:
    """Rewrite fact files in an old schema version; with --check, exit 1 if any needs it."""
    result = migrate.migrate_files(args.root, discover(args.root), args.check)
    for problem in result.problems:
        err(problem.text())
    target = migrate.SCHEMA_VERSION
    for display, version in result.stale:
        if args.check:
            err(f"{display}: schema_version {version} needs migrating to {target}")
        else:
            print(
                f"migrated {display}: schema_version {version} -> {target} (comments inside the file "
                "and its layout are not kept: review the diff)"
            )
    if result.problems:
        return 1
    if args.check:
        return 1 if result.stale else 0
    if not result.stale:
        print(f"every fact file is at schema_version {target}")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    """Check CHANGELOG.md and the version, then write releases/vX.Y.Z/; 1 when refused."""
    root: Path = args.root
    gathered = gather(root)
    problems = release.check(root, args.version, gathered)
    for message in problems:
        err(f"release: {message}")
    if problems:
        return 1
    folder = release.write_release(root, args.version, gathered)
    files = ", ".join(release.FILES)
    print(f"wrote {folder.relative_to(root).as_posix()}/ ({files}): commit it with CHANGELOG.md")
    return 0


def cmd_archive_charts(args: argparse.Namespace) -> int:
    """Add each chart's current spec to archive/charts/ (or with --check, say which are missing)."""
    root: Path = args.root
    gathered = gather(root)
    if gathered.report.errors:
        err(gathered.report.render("text"))
        err("archive-charts: fix the problems above first; nothing was written")
        return 1
    known = archive.read(root)
    new = []
    for language in i18n.languages(root):  # each language's charts are drawn, and archived, in it
        with i18n.using(root, language):
            local = gathered if language == i18n.DEFAULT else localized(gathered, language)
            new += archive.pending(root, charts.plot_all(local), known, language)
    if args.check:
        for version in new:
            what = "is not archived" if version.published == "1970-01-01" else "is archived without its compact layout"
            drawn = f" ({version.language})" if version.language else ""
            err(f"archive-charts: chart '{version.chart}'{drawn} version {version.hash} {what}")
        if new:
            err("run `python -m generator archive-charts` and commit archive/charts/")
        return 1 if new else 0
    try:
        date = archive.commit_date(root)
    except archive.ArchiveError as exc:
        err(f"archive-charts: {exc}")
        return 1
    for target, version in archive.add_versions(root, new, date):
        print(f"wrote {target.relative_to(root).as_posix()} (version {version.sequence}, {version.published})")
    print("review and commit archive/charts/" if new else "archive-charts: every chart's current version is archived")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Generate N synthetic facts per profile in a temp folder, measure, print the tables (and write --json)."""
    if args.facts < 1 or args.runs < 1:
        err("bench: --facts and --runs must be at least 1")
        return 2
    results = []
    for profile in bench.synth.PROFILES if args.profile == "both" else [args.profile]:
        work = Path(tempfile.mkdtemp(prefix="generator-bench-"))
        try:
            project = work / "project"
            started = time.perf_counter()
            plan = bench.synth.generate(args.root, project, args.facts, seed=getattr(args, "seed", 0), profile=profile)
            err(f"generated {args.facts:,} facts ({profile}) in {project} ({time.perf_counter() - started:.1f} s)")
            result = bench.measure(project, plan, args.engine, args.runs, profile, log=err)
        except FatalInputError as exc:  # the generated dataset breaks a limit (a much larger --facts)
            err(exc.report.render("text"))
            err(f"bench stopped: the {profile} profile's {args.facts:,} facts do not validate")
            return 1
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(bench.table(result) + "\n")
        results.append(result)
        if args.json:  # written after each profile: a long run that is stopped keeps what it measured
            args.json.write_text(json.dumps({"runs": results}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


def ask_values(kind: str, args: argparse.Namespace, interactive: bool) -> dict[str, str]:
    """Every field's value for `new`, from the flags, the prompts or the defaults."""
    values: dict[str, str] = {}
    for ask in scaffold.FIELDS[kind]:
        given = getattr(args, ask.flag, None)
        default = ask.default(values) if callable(ask.default) else ask.default
        if given is None and interactive:
            shown = f" [{default}]" if default else ""
            answer = input(f"{ask.prompt}{shown}: ").strip()
            given = answer or default or ("" if ask.optional else None)
            while given is None:
                given = input(f"{ask.prompt} (required): ").strip() or None
        if given is None:
            given = default if default is not None else ("" if ask.optional else None)
        if given is None:
            raise scaffold.UsageError(f"new {kind}: --{ask.flag.replace('_', '-')} is required ({ask.prompt})")
        values[ask.flag] = given
    return values


def cmd_new(args: argparse.Namespace) -> int:
    """Write the skeleton, then report what validate says about it."""
    root: Path = args.root
    interactive = sys.stdin.isatty() and not args.no_input
    try:
        values = ask_values(args.record, args, interactive)
        written = scaffold.write_skeleton(root, args.record, values, approximate=args.approximate)
    except (scaffold.UsageError, ValueError) as exc:
        err(str(exc))
        return 2
    for note in written.notes:
        print(note)
    for path in written.files:
        print(f"wrote {path.relative_to(root)}")
    for problem in written.problems:
        print(problem.text())
    if not written.problems:
        print(f"valid: the new {args.record} '{values['id']}' passes validate")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "validate": cmd_validate,
    "build": cmd_build,
    "schema": cmd_schema,
    "diff": cmd_diff,
    "serve": cmd_serve,
    "migrate": cmd_migrate,
    "release": cmd_release,
    "archive-charts": cmd_archive_charts,
    "bench": cmd_bench,
    "new": cmd_new,
}


def main(argv: list[str] | None = None) -> int:
    """Run one command; bad input gives problems and exit 1, never a traceback."""
    args = parser().parse_args(argv)
    try:
        status = COMMANDS[args.command](args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return status
    except BrokenPipeError:  # `diff main | head`: the reader has all it wants, as with `git log | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit must not complain either
        return 0
    except KeyboardInterrupt:
        err("interrupted")
        return 130
    except Exception as exc:  # a bug in the generator, not in the input
        if os.environ.get("GENERATOR_DEBUG"):
            traceback.print_exc()
        err(f"internal error: {type(exc).__name__}: {exc} (set GENERATOR_DEBUG=1 for the traceback; please report it)")
        return 3
