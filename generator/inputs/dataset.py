"""The validated dataset: every record with the file and node it came from."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from generator.inputs.load import Located
from generator.model import fmt, periods
from generator.model.errors import Problem
from generator.model.schema import Chart, Check, Derived, Entity, Fact, Metric, Source

T = TypeVar("T")


@dataclass(frozen=True)
class Record(Generic[T]):
    """One validated item and where it stands in its file."""

    model: T
    located: Located
    path: tuple

    @property
    def file(self) -> str:
        """The file the item was read from, relative to the project root."""
        return self.located.path

    @property
    def line(self) -> int:
        """The line the item starts on."""
        return self.located.where(self.path)[0]

    def where(self, *sub: str | int) -> tuple[int, int]:
        """Line and column of a field of this item."""
        return self.located.where((*self.path, *sub))

    def problem(self, sub: tuple, code: str, message: str, hint: str = "", severity: str = "error") -> Problem:
        """A problem located at a field of this item."""
        return self.located.problem((*self.path, *sub), code, message, hint, severity=severity)


@dataclass
class Dataset:
    """Everything read from facts/, keyed by id, in file order."""

    root: Path
    files: list[str] = field(default_factory=list)
    sources: dict[str, Record[Source]] = field(default_factory=dict)
    entities: dict[str, Record[Entity]] = field(default_factory=dict)
    metrics: dict[str, Record[Metric]] = field(default_factory=dict)
    facts: dict[str, Record[Fact]] = field(default_factory=dict)
    derived: dict[str, Record[Derived]] = field(default_factory=dict)
    checks: dict[str, Record[Check]] = field(default_factory=dict)
    charts: dict[str, Record[Chart]] = field(default_factory=dict)
    #: Ids defined "with errors": items whose own problem is already reported, by section key.
    #: References to them are not reported again (one mistake, one error).
    with_errors: dict[str, set[str]] = field(default_factory=dict)
    #: Ids seen in files that could not be read or parsed at all (any section).
    unreadable_ids: set[str] = field(default_factory=set)

    @functools.cached_property
    def charts_by_ref(self) -> dict[str, list[Chart]]:
        """{fact or derived id: the charts that plot it}, built once (pages ask for every id)."""
        index: dict[str, list[Chart]] = {}
        for record in self.charts.values():
            for ref in dict.fromkeys(series.ref for series in record.model.series):
                index.setdefault(ref, []).append(record.model)
        return index

    @functools.cached_property
    def superseded_by(self) -> dict[str, str]:
        """{old fact id: id of the fact whose `supersedes:` names it}, built once (every page asks)."""
        return {
            r.model.supersedes: fid
            for fid, r in self.facts.items()
            if r.model.supersedes and r.model.supersedes in self.facts
        }

    def fiscal_start(self, entity_id: str) -> int | None:
        """The month an entity's fiscal year starts in: its own, else its parent's (a product's is its maker's)."""
        seen: set[str] = set()
        current: str | None = entity_id
        while current is not None and current in self.entities and current not in seen:
            seen.add(current)
            entity = self.entities[current].model
            if entity.fiscal_year_start_month is not None:
                return entity.fiscal_year_start_month
            current = entity.parent
        return None

    def period_span(self, fact: Fact) -> tuple[dt.date, dt.date]:
        """First and last day a fact's period covers (fiscal periods through its entity's fiscal year)."""
        return periods.span(fact.period, self.fiscal_start(fact.entity))

    def period_label(self, fact: Fact, locale: str = "en") -> str:
        """A fact's period for readers, fiscal years said as such with the months they cover."""
        return fmt.period_label(fact.period, locale, self.fiscal_start(fact.entity))

    def mark_with_errors(self, section: str, item_id: str) -> None:
        """Record that an item exists but has an error already reported."""
        self.with_errors.setdefault(section, set()).add(item_id)

    def has_errors(self, item_id: str, *sections: str) -> bool:
        """True when the id is defined with errors in one of these sections (any, if none given)."""
        if item_id in self.unreadable_ids:
            return True
        names = sections or tuple(self.with_errors)
        return any(item_id in self.with_errors.get(name, ()) for name in names)

    def section(self, name: str) -> dict[str, Record]:
        """The records of one section by its YAML key (sources, facts, ...)."""
        return getattr(self, name)


SECTIONS: dict[str, Any] = {  # section key -> its pydantic model class
    "sources": Source,
    "entities": Entity,
    "metrics": Metric,
    "facts": Fact,
    "derived": Derived,
    "checks": Check,
    "charts": Chart,
}
