"""The orchestrator: load -> validate -> derive -> charts -> render -> write -> engine.

It only calls the stages in order. Everything is gathered and checked before anything
is written; a failed build (bad input, an engine error, a full disk, a kill) leaves site/ and
site_src/ as they were: pages are written into a stage that only a successful build commits.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.compute.derive import Derivation, derive
from generator.inputs import archive
from generator.inputs.dataset import Dataset
from generator.inputs.validate import validate
from generator.model.errors import FatalInputError, Report
from generator.outputs import i18n
from generator.pipeline import engine
from generator.pipeline.progress import Progress, silent
from generator.pipeline.writer import Writer


@dataclass
class Gathered:
    """Everything read and computed before anything is written."""

    dataset: Dataset
    derivation: Derivation
    report: Report


def gather(root: Path, progress: Progress | None = None) -> Gathered:
    """Load, validate and derive; every problem of every stage in one report."""
    progress = progress or silent()  # times each step for the progress display and the benchmark
    with progress.stage("load+validate"):
        dataset, report = validate(root)
    with progress.stage("derive"):
        derivation, problems = derive(dataset)
        report.extend(problems)
        # The chart archive is committed input too: validated here, so `validate` reports it and
        # a bad file stops the build with its file:line:column instead of crashing it.
        report.extend(archive.read(root).problems)
    return Gathered(dataset, derivation, report)


@dataclass
class BuildResult:
    """What a build did, for the closing summary line."""

    facts: int
    derived: int
    charts: int
    pages: int
    written: int
    unchanged: int
    seconds: float
    report: Report

    def summary(self) -> str:
        """One line: counts and time."""
        return (
            f"built: {self.facts} facts, {self.derived} derived figures, {self.charts} charts, "
            f"{self.pages} generated files ({self.written} written, {self.unchanged} unchanged) "
            f"in {self.seconds:.1f} s"
        )


#: Stages that turn the gathered data into files under site_src/, in order. Each module has
#: `outputs(root, gathered) -> {path under site_src/: text or bytes}` (or an iterator of such
#: pairs, for stages with large outputs); the writer refuses a
#: path written twice, so two stages can never silently overwrite each other.
OUTPUT_STAGES = (
    "generator.outputs.render",
    "generator.outputs.export",
    "generator.outputs.corrections",
    "generator.outputs.release",
    "generator.outputs.embed",
    "generator.outputs.reference",
)


#: Stages whose pages exist in every language: run once per language (generator.i18n.using), the
#: other languages' files under /<language>/ (each language is its own MkDocs project). The other
#: stages write the language-neutral downloads, once.
LOCALIZED_STAGES = (
    "generator.outputs.render",
    "generator.outputs.corrections",
    "generator.outputs.embed",
    "generator.outputs.reference",
)


def stage_outputs(root: Path, name: str, gathered: Gathered) -> Iterator[tuple[str, str | bytes]]:
    """Every (path, content) one stage makes, in each language it is made in."""
    languages = i18n.languages(root) if name in LOCALIZED_STAGES else (i18n.DEFAULT,)
    for language in languages:
        with i18n.using(root, language):
            # Each language's pages read the texts in that language (translations, else marked English).
            dataset, derivation = i18n.localize(gathered.dataset, gathered.derivation, language)
            local = Gathered(dataset, derivation, gathered.report)
            files = importlib.import_module(name).outputs(root, local)
            prefix = i18n.prefix(language)
            for relpath, content in files.items() if isinstance(files, dict) else files:
                yield prefix + relpath, content


def stage_names(run_engine: bool = True) -> list[str]:
    """The names progress reports, in order: one per step of `build`."""
    names = ["load+validate", "derive", *(n.rsplit(".", 1)[-1] for n in OUTPUT_STAGES), "write"]
    return names + (["engine"] if run_engine else [])


def build(
    root: Path,
    *,
    strict: bool = True,
    engine_name: str = "mkdocs",
    out: Path | None = None,
    run_engine: bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the site from root/facts into root/site (or `out`); raise FatalInputError on bad input."""
    started = time.perf_counter()
    # Progress times every stage (the benchmark reads `progress.timings`) and shows it unless quiet.
    progress = progress or silent()
    progress.stages = stage_names(run_engine)
    try:
        gathered = gather(root, progress)
        dataset, report = gathered.dataset, gathered.report
        if report.failed(strict):
            raise FatalInputError(report)
        # Each stage's files go to the writer as they come: at 10,000 facts the chart images alone
        # would need gigabytes if every stage's output were held until the end. The writer refuses
        # a path that two stages both produce.
        writer = Writer(root / "site_src")
        try:
            writer.begin()  # a staging copy of site_src/: a failed build leaves site_src/ as it was
            for name in OUTPUT_STAGES:
                stage = name.rsplit(".", 1)[-1]
                with progress.stage(stage):
                    for relpath, content in stage_outputs(root, name, gathered):
                        writer.write(relpath, content, owner=stage)
            with progress.stage("write"):
                writer.finish()
            if run_engine:
                with progress.stage("engine"):
                    engine.run(root, out or root / "site", engine_name, strict=strict, docs_dir=writer.stage)
            writer.commit()
        except OSError as exc:  # disk full, read-only, not permitted: a plain message, not a traceback
            fault = engine.output_error(exc, root.resolve())
            if fault is None:
                raise
            raise fault from None
        finally:
            writer.discard()
    finally:
        progress.close()
    return BuildResult(
        facts=len(dataset.facts), derived=len(gathered.derivation.values), charts=len(dataset.charts),
        pages=len(writer.paths), written=writer.written, unchanged=writer.unchanged,
        seconds=time.perf_counter() - started, report=report,
    )  # fmt: skip
