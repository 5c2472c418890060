"""Facts over time: updates (`supersedes:`), series of one entity and metric, and the latest value.

Three kinds of revision, after Wikidata's ranks and Epoch AI's "superseded by":

- a *correction* (our record was wrong) edits the fact in place and keeps the old value in a
  `history` entry; it is listed on /corrections/;
- an *update* (the source itself revised its figure: a new outlook, a restated number) is a new
  fact with `supersedes: <old id>`; the old fact keeps its id, page and permalink, is marked
  superseded and is left out of the latest values; it is not a correction;
- a *retraction* (`retracted:`) withdraws a fact; it is listed on /corrections/.

A series is every fact with the same entity and metric, ordered by the real dates of their
periods (fiscal years through the entity's fiscal-year start). This module only reads a
validated dataset; `problems` gives the located errors for updates and fiscal periods.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.inputs.dataset import Dataset, Record
from generator.model import periods
from generator.model.errors import Problem
from generator.model.schema import Fact

#: How a fact stands: the newest word of its source, an earlier word it revised, or withdrawn.
STANDINGS = ("current", "superseded", "retracted")


def superseded_by(dataset: Dataset) -> dict[str, str]:
    """{old fact id: id of the fact that updates it}, for every `supersedes:` that names a known fact."""
    return dataset.superseded_by


def timeline(dataset: Dataset, fid: str) -> list[Fact]:
    """Every version of one figure linked by `supersedes:`, earliest statement first (just the fact when none)."""
    index = dataset.superseded_by
    first = dataset.facts[fid].model
    seen = {fid}
    while first.supersedes in dataset.facts and first.supersedes not in seen:
        seen.add(first.supersedes)
        first = dataset.facts[first.supersedes].model
    chain = [first]
    while chain[-1].id in index and index[chain[-1].id] not in {f.id for f in chain}:
        chain.append(dataset.facts[index[chain[-1].id]].model)
    return chain


def standing(dataset: Dataset, fact: Fact, index: dict[str, str] | None = None) -> str:
    """current, superseded or retracted."""
    if fact.retracted is not None:
        return "retracted"
    return "superseded" if fact.id in (index if index is not None else superseded_by(dataset)) else "current"


def revision_kind(fact: Fact) -> str:
    """The kind of the newest revision that made this record what it is: update, correction or '' (none)."""
    if fact.history:
        return "correction"
    return "update" if fact.supersedes else ""


@dataclass(frozen=True)
class Series:
    """The facts of one entity and metric, oldest period first, and the latest current one."""

    entity: str
    metric: str
    facts: list[Fact]
    superseded: frozenset[str]

    @property
    def latest(self) -> Fact | None:
        """The value to quote today: the current (not superseded, not retracted) fact of the latest period."""
        current = [f for f in self.facts if f.id not in self.superseded and f.retracted is None and f.value]
        return current[-1] if current else None

    @property
    def plotted(self) -> list[Fact]:
        """What a line chart draws: every fact with a value that is not retracted (superseded ones hollow)."""
        return [f for f in self.facts if f.value is not None and f.retracted is None]


def all_series(dataset: Dataset) -> dict[tuple[str, str], Series]:
    """Every (entity, metric) series, each ordered by its periods' real dates, then as_of (updates last)."""
    index = superseded_by(dataset)
    grouped: dict[tuple[str, str], list[Fact]] = {}
    for record in dataset.facts.values():
        grouped.setdefault((record.model.entity, record.model.metric), []).append(record.model)
    out = {}
    for (entity, metric), facts in grouped.items():
        ordered = sorted(facts, key=lambda f: (*_span_or_none(dataset, f), periods.date_span(f.as_of)[0], f.id))
        out[entity, metric] = Series(entity, metric, ordered, frozenset(f.id for f in facts if f.id in index))
    return out


def _span_or_none(dataset: Dataset, fact: Fact) -> tuple:
    try:
        return dataset.period_span(fact)
    except periods.PeriodError:  # reported by `problems`; a page is never built from such data
        return periods.date_span(fact.as_of)


def problems(dataset: Dataset) -> list[Problem]:
    """Located errors: fiscal periods without a fiscal year, and updates that do not update a like fact."""
    out: list[Problem] = []
    taken: dict[str, Record[Fact]] = {}
    in_reported_cycle: set[str] = set()
    for fid, record in dataset.facts.items():
        fact = record.model
        if (
            periods.is_fiscal(fact.period)
            and fact.entity in dataset.entities
            and dataset.fiscal_start(fact.entity) is None
        ):
            out.append(
                record.problem(
                    ("period",),
                    "fiscal-year-unknown",
                    f"period '{fact.period}' is a fiscal period, but entity '{fact.entity}' has no fiscal year start",
                    f"add `fiscal_year_start_month:` (1-12) to entity '{fact.entity}' in entities.yaml, e.g. 7 for a "
                    "fiscal year starting on 1 July, or write the calendar period",
                )
            )
        old_id = fact.supersedes
        if old_id is None:
            continue
        if old_id == fid:
            out.append(
                record.problem(
                    ("supersedes",),
                    "supersedes-itself",
                    f"fact '{fid}' supersedes itself",
                    "name the earlier fact this one updates",
                )
            )
            continue
        if old_id not in dataset.facts:
            continue  # an unknown id is reported once, as unknown-reference (validate)
        old = dataset.facts[old_id].model
        differs = [n for n in ("entity", "metric", "period") if getattr(old, n) != getattr(fact, n)]
        if differs:
            what = ", ".join(f"{n} '{getattr(old, n)}' here '{getattr(fact, n)}'" for n in differs)
            out.append(
                record.problem(
                    ("supersedes",),
                    "supersedes-mismatch",
                    f"fact '{fid}' supersedes '{old_id}', which is about something else ({what})",
                    "an update revises the figure for the same entity, metric and period; a figure for another "
                    "period is a new point of the series and supersedes nothing",
                )
            )
            continue  # one mistake, one error
        if periods.date_span(fact.as_of)[0] < periods.date_span(old.as_of)[0]:
            out.append(
                record.problem(
                    ("supersedes",),
                    "supersedes-newer",
                    f"fact '{fid}' (as of {fact.as_of}) supersedes '{old_id}', which is newer (as of {old.as_of})",
                    "the later statement supersedes the earlier one: move `supersedes:` to the newer fact",
                )
            )
        cycle = _cycle(dataset, fid)
        if cycle and not cycle & in_reported_cycle:  # one cycle, one error: on its first fact
            in_reported_cycle |= cycle
            out.append(
                record.problem(
                    ("supersedes",),
                    "supersedes-cycle",
                    f"facts supersede each other in a cycle through '{fid}'",
                    "only the later statement names the earlier one",
                )
            )
        if old_id in taken:
            out.append(
                record.problem(
                    ("supersedes",),
                    "superseded-twice",
                    f"fact '{old_id}' is already superseded by '{taken[old_id].model.id}'",
                    f"an update supersedes the newest figure: write `supersedes: {taken[old_id].model.id}`",
                )
            )
        else:
            taken[old_id] = record
    return out


def _cycle(dataset: Dataset, start: str) -> set[str]:
    """The facts of the `supersedes:` cycle through a fact, or an empty set when following it ends."""
    seen = [start]
    current = dataset.facts[start].model.supersedes
    for _ in range(len(dataset.facts)):
        if current is None or current not in dataset.facts:
            return set()
        if current == start:
            return set(seen)
        seen.append(current)
        current = dataset.facts[current].model.supersedes
    return set()
