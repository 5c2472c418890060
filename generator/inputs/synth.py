"""Synthetic datasets for benchmarks: N facts in the proportions of the seed, written as fact files.

The output is an ordinary project folder (facts/, templates/, site_src/, mkdocs.yml) that validates
clean and builds like the real one. Everything is drawn from `random.Random(seed)`, so the same
(N, seed) gives byte-identical files. The seed facts are kept, so hand-written pages that link to
them still build; synthetic facts make up the rest of the N.

Proportions per fact, from the seed (17 facts): 14 entities, 11 metrics, 6 sources (one of them
the document read), 0.8 derived figures, 0.4 checks, 0.3 charts; values 70% points, 12% ranges,
6% bounds, 12% events. Each document-read source has its own document under facts/documents/
(an article holds ~17 quotes, like the seed's), so the quote check scans article-sized texts.

The "realistic" profile is what a real publisher's dataset looks like as it grows: facts pile up
on a few hundred entities and metrics, so those grow like the square root of the facts, and sources
like their 3/4 power (at 10,000 facts: ~300 entities, ~100 metrics, ~2,000 sources, each
document then holding ~30 quotes); there are 0.1 charts, 0.3 derived figures and 0.1 checks per fact.
"""

from __future__ import annotations

import json
import math
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.inputs.files import discover
from generator.model.limits import MAX_FILE_BYTES

#: Items per synthetic file: 2,000 facts are ~1.3 MB, under MAX_FILE_BYTES.
PER_FILE = 2000
#: Project inputs copied next to the synthetic facts (missing optional ones are skipped).
COPIED = ("templates", "site_src", "mkdocs.yml", "facts")
OPTIONAL = ("CHANGELOG.md", ".github", "CITATION.cff")

# (metric dimension, unit, low magnitude, high magnitude, French unit word)
KINDS = (
    ("currency", "CNY", 1e9, 5e11, "yuans"),
    ("currency", "USD", 1e8, 1e11, "dollars"),
    ("chip", "chip", 1e3, 1e5, "puces"),
    ("user", "user", 1e6, 1e9, "utilisateurs"),
    ("token/day", "token/day", 1e12, 1e14, "jetons par jour"),
    ("currency/chip", "USD/chip", 1e3, 5e4, "dollars par puce"),
    ("rank", "rank", 1, 10, "rang"),
    ("event", None, 0, 0, ""),
)
STATUSES_PAST = ("reported",) * 7 + ("estimated", "estimated", "announced", "announced")
STATUSES_FUTURE = ("planned", "planned", "planned", "planned", "intention", "intention", "forecast")
ROLES = ("primary-reporter", "data-provider", "data-provider", "company-statement", "company-statement")
ENTITY_KINDS = ("company",) * 6 + ("product",) * 4 + ("government", "group", "organisation")
COUNTRIES = ("CN", "US", "FR", "DE", "JP", "KR", "GB", "IN")
WORDS = (
    "Atlas",
    "Borealis",
    "Cobalt",
    "Delta",
    "Ember",
    "Fjord",
    "Granite",
    "Helix",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Nimbus",
    "Orion",
    "Pylon",
    "Quartz",
    "Rune",
    "Sierra",
    "Tundra",
)


@dataclass(frozen=True)
class Profile:
    """How many entities, metrics, documents and figures a dataset of n facts has."""

    name: str
    #: For each of entities, metrics, documents: (count at 10,000 facts, exponent of growth with n).
    entities: tuple[float, float]
    metrics: tuple[float, float]
    documents: tuple[float, float]
    derived_per_fact: float
    checks_per_fact: float
    charts_per_fact: float
    #: Consecutive facts quoted from one document (documents are reused in turn when there are more facts).
    quotes_per_document: int

    def count(self, which: tuple[float, float], n_facts: int) -> int:
        """The number of items for n_facts facts."""
        at_10k, exponent = which
        return round(at_10k * (n_facts / 10_000) ** exponent)


PROFILES = {
    # The seed's 17 facts: 14 entities, 11 metrics, one document, 14 derived figures, 7 checks, 5 charts.
    "seed": Profile(
        "seed", (10_000 * 14 / 17, 1.0), (10_000 * 11 / 17, 1.0), (10_000 / 17, 1.0), 14 / 17, 7 / 17, 0.3, 17
    ),
    # Six sources per document (five cited, one read): ~2,000 sources at 10,000 facts.
    "realistic": Profile("realistic", (300, 0.5), (100, 0.5), (2_000 / 6, 0.75), 0.3, 0.1, 0.1, 30),
}


@dataclass
class Plan:
    """The synthetic items, as plain dicts in file order."""

    entities: list[dict] = field(default_factory=list)
    metrics: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    derived: list[dict] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    documents: dict[str, list[str]] = field(default_factory=dict)  # path under facts/ -> quotes


def _number(rng: random.Random, low: float, high: float) -> float:
    """A log-uniform number with three significant figures."""
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    return float(f"{value:.3g}")


def _yaml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(int(value)) if float(value).is_integer() and abs(value) < 1e15 else f"{value:.6g}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def _yaml_item(item: dict) -> str:
    lines = []
    for i, (key, value) in enumerate(item.items()):
        prefix = "  - " if i == 0 else "    "
        if isinstance(value, dict) and key in ("quote", "expect") or key == "series":
            lines.append(f"{prefix}{key}:")
            entries = value if key == "series" else [value]
            for entry in entries:
                for j, (k, v) in enumerate(entry.items()):
                    lead = "      - " if key == "series" and j == 0 else "      " + ("  " if key == "series" else "")
                    lines.append(f"{lead}{k}: {_yaml_value(v)}")
        else:
            lines.append(f"{prefix}{key}: {_yaml_value(value)}")
    return "\n".join(lines)


def plan(n_facts: int, seed: int = 0, profile: str = "seed") -> Plan:
    """Draw n_facts synthetic facts and everything they need, deterministically from `seed`."""
    rng = random.Random(seed)
    out = Plan()
    shape = PROFILES[profile]
    n_entities = max(1, shape.count(shape.entities, n_facts))
    n_metrics = max(len(KINDS), shape.count(shape.metrics, n_facts))
    n_documents = max(1, shape.count(shape.documents, n_facts))
    for i in range(n_entities):
        kind = rng.choice(ENTITY_KINDS)
        entity: dict[str, Any] = {
            "id": f"syn-entity-{i:06d}",
            "name": f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}",
            "kind": kind,
            "country": rng.choice(COUNTRIES),
            "description": f"Synthetic entity number {i} for benchmarks.",
        }
        if kind == "product" and i > 0:
            entity["parent"] = f"syn-entity-{rng.randrange(i):06d}"
        if kind == "group" and i > 3:
            entity["members"] = [f"syn-entity-{m:06d}" for m in sorted(rng.sample(range(i), 3))]
        out.entities.append(entity)
    metric_kinds: dict[int, list[str]] = {}
    for i in range(n_metrics):
        k = i % len(KINDS)
        dimension, unit = KINDS[k][0], KINDS[k][1]
        mid = f"syn-metric-{i:06d}"
        metric_kinds.setdefault(k, []).append(mid)
        out.metrics.append(
            {
                "id": mid,
                "name": f"Synthetic measure {i} ({unit or 'event'})",
                "description": f"A synthetic measure in {dimension}, for benchmarks.",
                "dimension": dimension,
            }
        )
    documents: list[tuple[str, list[str], str]] = []  # (source id, cited ids, document path)
    for d in range(n_documents):
        cited = []
        for r, role in enumerate(ROLES):
            sid = f"syn-source-{d:05d}-{r}"
            cited.append(sid)
            out.sources.append(
                {
                    "id": sid,
                    "role": role,
                    "publisher": f"{rng.choice(WORDS)} Media {d}-{r}",
                    "title": f"Synthetic report {d}-{r}",
                    "language": "en",
                }
            )
        did = f"syn-source-{d:05d}"
        path = f"documents/synthetic-{d:05d}.txt"
        documents.append((did, cited, path))
        out.documents[path] = []
        out.sources.append(
            {
                "id": did,
                "role": "document-read",
                "publisher": f"Synthetic outlet {d}",
                "title": f"Synthetic article {d}",
                "language": "fr",
                "published": "2025-12",
                "accessed": "2026-01-15",
                "cites": cited[:1],
                "document": path,
            }
        )
    i = 0
    by_unit: dict[str, list[dict]] = {}
    while i < n_facts:
        k = rng.choices(range(len(KINDS)), weights=(3, 3, 2, 2, 2, 1, 1, 2))[0]
        dimension, unit, low, high, word = KINDS[k]
        entity = rng.choice(out.entities)
        metric = rng.choice(metric_kinds[k])
        future = rng.random() < 0.35
        length = min(rng.randint(1, 4), n_facts - i)
        years = (2026,) if future else (2023, 2024, 2025)
        periods = sorted({f"{rng.choice(years)}-{rng.randint(1, 12):02d}" for _ in range(length)})
        did, cited, path = documents[(i // shape.quotes_per_document) % len(documents)]
        for period in periods:
            fid = f"syn-fact-{i:06d}"
            status = rng.choice(STATUSES_FUTURE if future else STATUSES_PAST)
            form = rng.choices(("point", "range", "bound"), weights=(12, 2, 1))[0] if unit else "event"
            value: dict[str, float] | None = None
            if unit == "rank":
                value, form = {"point": rng.randint(1, 10)}, "point"
            elif form == "point":
                value = {"point": _number(rng, low, high)}
            elif form == "range":
                a = _number(rng, low, high)
                value = {"low": a, "high": float(f"{a * rng.uniform(1.1, 2):.3g}")}
            elif form == "bound":
                value = {rng.choice(("more_than", "at_least", "at_most")): _number(rng, low, high)}
            number = " et ".join(f"{v:,.0f}".replace(",", " ") for v in (value or {}).values()) if unit else ""
            quote = (
                f"{entity['name']} : {number} {word} pour {period} (synthèse {i})"
                if unit
                else f"{entity['name']} annonce un événement pour {period} (synthèse {i})"
            )
            out.documents[path].append(quote)
            fact: dict[str, Any] = {
                "id": fid,
                "entity": entity["id"],
                "metric": metric,
                "period": period,
                "statement": f"{entity['name']} recorded a synthetic {unit or 'event'} figure for {period}.",
            }
            if unit:
                fact["value"] = value
                fact["unit"] = unit
                if rng.random() < 0.1 and unit != "rank":
                    fact["approximate"] = True
            fact.update(
                {
                    "status": status,
                    "as_of": "2025-12" if future else period,
                    "source": did,
                    "attributed_to": sorted(rng.sample(cited, rng.randint(1, 3))),
                    "quote": {
                        "text": quote,
                        "language": "fr",
                        "translation": f"{entity['name']}: synthetic figure for {period} ({i})",
                    },
                }
            )
            if rng.random() < 0.5:
                fact["note"] = "Synthetic fact generated for the benchmark; the figure means nothing."
            out.facts.append(fact)
            if unit and unit != "rank":
                by_unit.setdefault(unit, []).append({"id": fid, "form": form, "value": value})
            i += 1
    _figures(rng, out, by_unit, n_facts, shape)
    return out


def _figures(rng: random.Random, out: Plan, by_unit: dict[str, list[dict]], n_facts: int, shape: Profile) -> None:
    """Derived figures, checks and charts (so many per fact as the profile says) over facts of matching units."""
    usable = {u: [f for f in fs if f["form"] != "bound"] for u, fs in by_unit.items()}
    pairs = [u for u, fs in usable.items() if len(fs) >= 2]
    points = {u: [f for f in fs if f["form"] == "point"] for u, fs in usable.items()}
    point_units = [u for u, fs in points.items() if len(fs) >= 2]
    if not pairs:
        return
    products: list[str] = []
    for i in range(round(n_facts * shape.derived_per_fact)):
        choice = rng.random()
        if choice < 0.15 and usable.get("chip") and usable.get("USD/chip"):
            a, b = rng.choice(usable["chip"]), rng.choice(usable["USD/chip"])
            formula, unit, what = f"{{{a['id']}}} * {{{b['id']}}}", "USD", "value"
            products.append(f"syn-derived-{i:06d}")
        elif choice < 0.22 and products and usable.get("USD"):
            formula = f"{{{rng.choice(products)}}} / {{{rng.choice(usable['USD'])['id']}}}"
            unit, what = "percent", "share"
        else:
            u = rng.choice(pairs)
            a, b = rng.sample(usable[u], 2)
            growth = rng.random() < 0.5
            formula = f"{{{a['id']}}} / {{{b['id']}}}" + (" - 1" if growth else "")
            unit, what = rng.choice(("percent", "dimensionless")), "growth" if growth else "ratio"
        out.derived.append(
            {
                "id": f"syn-derived-{i:06d}",
                "title": f"Synthetic {what} {i}",
                "explanation": f"A synthetic {what} for the benchmark.",
                "formula": formula,
                "unit": unit,
                # Inputs are drawn at random, periods and all: say so, as a publisher must.
                "across_periods": "Synthetic inputs drawn from any period, for the benchmark.",
            }
        )
    for i in range(round(n_facts * shape.checks_per_fact) if point_units else 0):
        u = rng.choice(point_units)
        a, b = rng.sample(points[u], 2)
        ratio = a["value"]["point"] / b["value"]["point"]
        expect = (
            {"greater_than": float(f"{ratio / 2:.3g}")}
            if rng.random() < 0.5
            else {"less_than": float(f"{ratio * 2:.3g}")}
        )
        out.checks.append(
            {
                "id": f"syn-check-{i:06d}",
                "title": f"Synthetic check {i}",
                "claim": "The synthetic text implies this ratio.",
                "formula": f"{{{a['id']}}} / {{{b['id']}}}",
                "expect": expect,
            }
        )
    for i in range(round(n_facts * shape.charts_per_fact)):
        u = rng.choice(point_units or pairs)
        pool = points[u] if u in point_units else usable[u]
        chosen = rng.sample(pool, min(len(pool), rng.randint(2, 6)))
        out.charts.append(
            {
                "id": f"syn-chart-{i:06d}",
                "kind": rng.choice(("comparison", "time-series")),
                "title": f"Synthetic chart {i}",
                "unit": u,
                "series": [{"ref": f["id"]} for f in chosen],
            }
        )


def _write_section(folder: Path, name: str, items: list[dict]) -> list[Path]:
    written = []
    for start in range(0, len(items), PER_FILE):
        path = folder / f"{name}-{start // PER_FILE + 1:03d}.yaml"
        chunk = items[start : start + PER_FILE]
        text = (
            f"# Synthetic {name} for benchmarks (generator/inputs/synth.py); not real data.\nschema_version: 1\n"
            f"{name}:\n" + "\n".join(_yaml_item(item) for item in chunk) + "\n"
        )
        data = text.encode("utf-8")
        if len(data) > MAX_FILE_BYTES:
            raise ValueError(f"{path.name} would be {len(data):,} bytes, over MAX_FILE_BYTES")
        path.write_bytes(data)
        written.append(path)
    return written


def copy_project(source: Path, dest: Path) -> None:
    """Copy the project's inputs (not its generated pages or site) into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED + OPTIONAL:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, dest / name, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy2(src, dest / name)
    manifest = dest / "site_src" / ".generated.json"
    if manifest.is_file():  # drop the source tree's generated pages: the build regenerates them
        for rel in json.loads(manifest.read_text(encoding="utf-8")):
            (dest / "site_src" / rel).unlink(missing_ok=True)
        manifest.unlink()


def generate(source: Path, dest: Path, n_facts: int, seed: int = 0, profile: str = "seed") -> Plan:
    """Write a project with n_facts facts in total (the seed's plus synthetic ones) into dest."""
    copy_project(source, dest)
    seed_facts = _count_facts(dest)
    out = plan(max(0, n_facts - seed_facts), seed, profile)
    folder = dest / "facts" / "synthetic"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("entities", "metrics", "sources", "facts", "derived", "checks", "charts"):
        _write_section(folder, name, getattr(out, name))
    for path, quotes in out.documents.items():
        text = "Texte synthétique pour le banc d’essai.\n\n" + "\n\n".join(f"{q}." for q in quotes) + "\n"
        target = dest / "facts" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return out


def _count_facts(root: Path) -> int:
    """Facts already in the copied fact files (counted by their `- id:` lines under `facts:`)."""
    count = 0
    for path in discover(root):
        section = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith((" ", "#", "-")):
                section = line.split(":", 1)[0]
            elif section == "facts" and line.startswith("  - id:"):
                count += 1
    return count
