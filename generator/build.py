"""The orchestrator: load -> validate -> derive -> charts -> render -> write -> engine.

It only calls the stages in order. Everything is gathered and checked before anything
is written; a failed build writes nothing and leaves site/ as it was.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from pathlib import Path

from generator import engine
from generator.dataset import Dataset
from generator.derive import Derivation, derive
from generator.errors import FatalInputError, Report
from generator.validate import validate
from generator.writer import Writer


@dataclass
class Gathered:
    """Everything read and computed before anything is written."""

    dataset: Dataset
    derivation: Derivation
    report: Report


def gather(root: Path) -> Gathered:
    """Load, validate and derive; every problem of every stage in one report."""
    dataset, report = validate(root)
    derivation, problems = derive(dataset)
    report.extend(problems)
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
#: `outputs(root, gathered) -> {path under site_src/: text or bytes}`; the writer refuses a
#: path written twice, so two stages can never silently overwrite each other.
OUTPUT_STAGES = (
    "generator.render",
    "generator.export",
)


def build(root: Path, *, strict: bool = True, engine_name: str = "mkdocs", out: Path | None = None,
          run_engine: bool = True) -> BuildResult:
    """Build the site from root/facts into root/site (or `out`); raise FatalInputError on bad input."""
    started = time.perf_counter()
    gathered = gather(root)
    dataset, report = gathered.dataset, gathered.report
    if report.failed(strict):
        raise FatalInputError(report)
    pages: dict[str, str | bytes] = {}
    for name in OUTPUT_STAGES:
        stage = importlib.import_module(name)
        pages.update(stage.outputs(root, gathered))
    writer = Writer(root / "site_src")
    for relpath, content in sorted(pages.items()):
        writer.write(relpath, content, owner="render")
    writer.finish()
    if run_engine:
        engine.run(root, out or root / "site", engine_name, strict=strict)
    return BuildResult(
        facts=len(dataset.facts), derived=len(gathered.derivation.values), charts=len(dataset.charts),
        pages=len(pages), written=writer.written, unchanged=writer.unchanged,
        seconds=time.perf_counter() - started, report=report,
    )  # fmt: skip
