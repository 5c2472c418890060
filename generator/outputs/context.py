"""The build context every output stage receives, and the stage contract.

`Gathered` is made once per build by `generator.pipeline.build.gather`: the validated dataset,
its derivation and the report, plus what every stage needs from outside the facts, each read
once when first asked for and then kept: the site's settings from mkdocs.yml, the build date
(SOURCE_DATE_EPOCH or the HEAD commit), the newest release, each fact's last change from git
and the Jinja environment. Stages never re-read a setting per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol

from jinja2 import Environment

from generator.compute.derive import Derivation
from generator.inputs import git
from generator.inputs.dataset import Dataset
from generator.model import paths
from generator.model.errors import Report
from generator.outputs import charts, pages, templates
from generator.outputs.edition import Edition, read_edition

#: What a stage produces for one path under site_src/: page text or file bytes.
Content = str | bytes


@dataclass
class Gathered:
    """Everything read and computed before anything is written (the typed build context)."""

    dataset: Dataset
    derivation: Derivation
    report: Report
    root: Path = field(default_factory=Path.cwd)

    @cached_property
    def build_date(self) -> str:
        """YYYY-MM-DD: SOURCE_DATE_EPOCH, else the HEAD commit's date (so a rebuild says the same)."""
        return git.build_date(self.root)

    @cached_property
    def site(self) -> pages.Site:
        """Name, URL and repository from mkdocs.yml, with the build date."""
        return pages.site_settings(self.root, self.build_date)

    @cached_property
    def edition(self) -> Edition:
        """The newest dataset release, which every "Cite this" names."""
        return read_edition(self.root)

    @cached_property
    def last_changed(self) -> dict[str, tuple[str, str]]:
        """{fact id: (date, commit)} of each fact's newest change, from one git blame per fact file."""
        return git.last_changed(self.root, self.dataset.facts)

    @cached_property
    def templates(self) -> Environment:
        """The one escaping Jinja environment over templates/."""
        return templates.environment(self.root)

    @cached_property
    def plotted(self) -> list[charts.Plotted]:
        """Every chart's rows and specs (both layouts), made once for the two chart stages."""
        return charts.plot_all(self)

    @property
    def chart_cache(self) -> Path:
        """The content-addressed cache of chart renders."""
        return self.root / paths.CHART_CACHE


class Stage(Protocol):
    """An output stage: a module with a `name` and `outputs(ctx)` yielding (path under site_src/, content).

    A stage never writes: the pipeline's writer takes each pair as it comes (so a stage with
    thousands of images can yield them one by one) and refuses a path that two stages produce.
    """

    @property
    def name(self) -> str:
        """The stage's name in progress lines and as the owner of its files."""
        ...

    def outputs(self, ctx: Gathered) -> Iterable[tuple[str, Content]]:
        """Every file of this stage, as (path under site_src/, text or bytes)."""
        ...
