"""Every input that validates, builds: data at the edges of each limit goes through every output stage.

tests/test_hostile.py shows that what lies beyond a limit is refused with its own code; this file
shows that what lies just inside builds: zero and negative values in charts, the largest and the
smallest numbers accepted, the first and the last years, an earlier unit in a fact's history, a
chain of derived figures exactly as long as allowed. And that walking derived chains is linear: a
diamond-shaped chain of depth 40 (2^40 paths from its top to the fact below) builds with a number
of lineage steps proportional to its 80 figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.compute import derive
from generator.model import limits
from generator.outputs import charts, pages
from generator.outputs.render import outputs as render_outputs
from generator.pipeline import build as build_module
from generator.pipeline.build import build, gather

_FACT = """  - id: {id}
    entity: bytedance
    metric: {metric}
    period: '{period}'
    statement: {statement}
    value: {value}
    unit: {unit}
    status: {status}
    as_of: '{as_of}'
    source: fr-report-bytedance-ai-infrastructure
    quote:
      text: En décembre, ce chiffre a grimpé à 50 000 milliards de jetons
      language: fr
      translation: In December, this figure climbed to 50 trillion tokens
"""


def fact(
    fid: str,
    value: str,
    unit: str = "token/day",
    metric: str = "daily-tokens",
    period: str = "2025-11",
    status: str = "reported",
    as_of: str = "2025-11",
    extra: str = "",
) -> str:
    """One fact item as YAML, quoted from the seed source."""
    return (
        _FACT.format(
            id=fid,
            metric=metric,
            period=period,
            statement=f"Edge case {fid}.",
            value=value,
            unit=unit,
            status=status,
            as_of=as_of,
        )
        + extra
    )


def derived(did: str, formula: str, unit: str, across_periods: str | None = None) -> str:
    return (
        f"  - id: {did}\n    title: Figure {did}\n    explanation: An edge case.\n"
        f"    formula: '{formula}'\n    unit: {unit}\n"
        + (f"    across_periods: {across_periods}\n" if across_periods else "")
    )


def chart(cid: str, unit: str, refs: list[str]) -> str:
    series = "".join(f"      - ref: {ref}\n" for ref in refs)
    return f"  - id: {cid}\n    kind: comparison\n    title: Chart {cid}\n    unit: {unit}\n    series:\n{series}"


EDGES = (
    "schema_version: 1\nmetrics:\n"
    "  - id: edge-change\n    name: Change\n    description: A change, which may be negative.\n"
    "    dimension: currency\n    non_negative: false\n"
    "facts:\n"
    + fact("edge-zero", "{point: 0}")
    + fact("edge-largest", f"{{point: {limits.MAX_MAGNITUDE:g}}}")
    + fact("edge-smallest", f"{{point: {limits.MIN_MAGNITUDE:g}}}")
    + fact("edge-loss", "{point: -5e9}", unit="CNY", metric="edge-change")
    + fact("edge-loss-range", "{low: -8e9, high: -2e9}", unit="CNY", metric="edge-change")
    + fact("edge-loss-bound", "{less_than: -1e9}", unit="CNY", metric="edge-change")
    + fact("edge-loss-lower-bound", "{more_than: -3e9}", unit="CNY", metric="edge-change")
    + fact("edge-last-year", "{point: 60e12}", period="9999-12", status="forecast")
    + fact("edge-first-year", "{point: 1e12}", period="0001", as_of="0001-01-01")
    + fact(
        "edge-earlier-unit",
        "{point: 45e12}",
        extra="    history:\n      - changed: 2025-12-01\n"
        "        previous_value: {point: 1.5e12}\n        previous_unit: token/hour\n        reason: Per hour.\n",
    )
    + "derived:\n"
    + derived(
        "edge-decline",
        "{bytedance-ai-infrastructure-budget-2025} / {bytedance-ai-infrastructure-budget-2026} - 1",
        "percent",
        across_periods="A change from the 2026 budget back to the 2025 one.",
    )
    + derived("edge-nothing", "{edge-zero} * 2", "token/day")
    + "charts:\n"
    + chart("edge-zero-chart", "token/day", ["edge-zero"])
    + chart("edge-negative-chart", "CNY", ["edge-loss", "edge-loss-range", "edge-loss-bound", "edge-loss-lower-bound"])
    + chart("edge-mixed-chart", "CNY", ["edge-loss", "bytedance-ai-infrastructure-budget-2025"])
    + chart("edge-decline-chart", "percent", ["edge-decline"])
    + chart("edge-largest-chart", "token/day", ["edge-largest", "edge-smallest", "edge-nothing"])
)


def chain(length: int) -> str:
    """`length` derived figures, each from the one before, the first from a fact."""
    items, previous = [], "bytedance-daily-tokens-2025-12"
    for i in range(length):
        items.append(derived(f"link-{i}", f"{{{previous}}} * 1", "token/day"))
        previous = f"link-{i}"
    return "schema_version: 1\nderived:\n" + "".join(items)


def diamond(depth: int) -> str:
    """Two figures per level, each the mean of both figures of the level below: 2^depth paths to the fact."""
    items, below = [], ("bytedance-daily-tokens-2025-12", "google-daily-tokens")
    for level in range(depth):
        formula = f"({{{below[0]}}} + {{{below[1]}}}) / 2"
        why = "Google's 2025 figure with ByteDance's December one, level after level."
        items += [
            derived(f"left-{level}", formula, "token/day", why),
            derived(f"right-{level}", formula, "token/day", why),
        ]
        below = (f"left-{level}", f"right-{level}")
    top = chart("diamond-chart", "token/day", [below[0], below[1]])
    return "schema_version: 1\nderived:\n" + "".join(items) + "charts:\n" + top


def test_edge_values_go_through_every_output_stage_but_the_chart_images(project: Path):
    (project / "facts" / "zz-edges.yaml").write_text(EDGES, encoding="utf-8")
    (project / "facts" / "zz-chain.yaml").write_text(chain(limits.MAX_DERIVED_DEPTH), encoding="utf-8")
    gathered = gather(project)
    assert [p.text() for p in gathered.report.problems if p.file.startswith("facts/zz-")] == []
    written: dict[str, object] = {}
    for stage in build_module.STAGES:
        if stage.name in ("chart_assets", "embed"):  # vl-convert: the slow test below draws them
            continue
        written.update(stage.outputs(gathered))
    assert "December 9999" in str(written["facts/edge-last-year.md"])
    assert "1 trillion tokens a day" in str(written["facts/edge-first-year.md"])
    assert f"derived/link-{limits.MAX_DERIVED_DEPTH - 1}.md" in written
    feed = written["corrections/feed.xml"]
    assert b"edge-earlier-unit" in (feed if isinstance(feed, bytes) else feed.encode())


@pytest.mark.slow
def test_edge_values_validate_and_build_through_every_output_stage(project: Path):
    (project / "facts" / "zz-edges.yaml").write_text(EDGES, encoding="utf-8")
    (project / "facts" / "zz-chain.yaml").write_text(chain(limits.MAX_DERIVED_DEPTH), encoding="utf-8")
    report = gather(project).report
    assert [p.text() for p in report.problems if p.file.startswith("facts/zz-")] == []
    result = build(project, run_engine=False)
    assert result.derived >= limits.MAX_DERIVED_DEPTH
    site_src = project / "site_src"
    for cid in ("edge-zero-chart", "edge-negative-chart", "edge-mixed-chart", "edge-decline-chart"):
        spec = json.loads((site_src / "charts" / cid / "chart.vl.json").read_text(encoding="utf-8"))
        assert spec["title"]["text"] == f"Chart {cid}"
        svg = (site_src / "charts" / cid / "chart.svg").read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "NaN" not in svg, f"{cid} is drawn by vl-convert"
    page = (site_src / "facts" / "edge-last-year.md").read_text(encoding="utf-8")
    assert "December 9999" in page
    assert "1 trillion tokens a day" in (site_src / "facts" / "edge-first-year.md").read_text(encoding="utf-8")


def _layers(spec: dict) -> list[dict]:
    out = []
    for layer in spec.get("layer", []):
        out.extend(_layers(layer) if "layer" in layer else [layer])
    return out


@pytest.mark.slow  # a build or the command line in a subprocess
def test_negative_values_are_drawn_below_zero_on_a_linear_axis(project: Path):
    (project / "facts" / "zz-edges.yaml").write_text(EDGES, encoding="utf-8")
    gathered = gather(project)
    wanted = ("edge-zero-chart", "edge-negative-chart", "edge-mixed-chart", "edge-decline-chart")
    by_id = {p.chart.id: p for p in charts.plot_all(gathered, only=[gathered.dataset.charts[c].model for c in wanted])}
    for cid, lowest in (("edge-negative-chart", -8e9), ("edge-mixed-chart", -5e9), ("edge-decline-chart", -6.25)):
        spec = by_id[cid].spec
        scales = [layer["encoding"]["y"]["scale"] for layer in _layers(spec) if "scale" in layer["encoding"]["y"]]
        domains = {tuple(s["domain"]) for s in scales}
        assert len(domains) == 1, "every layer shares one y scale"
        (low, high) = domains.pop()
        assert low <= lowest < 0 <= high, f"{cid}: the axis reaches the lowest value and zero"
        assert "type" not in scales[0], "a linear scale: a log scale cannot show zero or below"
    zero = by_id["edge-zero-chart"].spec
    ticks = next(
        layer["encoding"]["y"]["axis"]["values"] for layer in _layers(zero) if "axis" in layer["encoding"]["y"]
    )
    assert ticks[0] == 0 and ticks[-1] > 0, "a chart of zero still has an axis"


def test_a_diamond_chain_of_depth_40_builds_in_linear_work(project: Path, monkeypatch):
    depth = 40
    (project / "facts" / "zz-diamond.yaml").write_text(diamond(depth), encoding="utf-8")
    monkeypatch.setattr(derive, "LINEAGE_STEPS", 0)
    calls = {"pages": 0}
    walk = pages._facts_behind

    def counted(*args):
        calls["pages"] += 1
        return walk(*args)

    monkeypatch.setattr(pages, "_facts_behind", counted)
    gathered = gather(project)
    assert gathered.report.problems == [] or all(p.severity == "warning" for p in gathered.report.problems)
    figures = len(gathered.derivation.values)
    assert figures >= 2 * depth
    assert gathered.derivation.depth["left-39"] == depth
    inputs = sum(len(v.inputs) for v in gathered.derivation.values.values())
    assert derive.LINEAGE_STEPS == inputs, "each formula input is visited once"
    files = dict(render_outputs(gathered))
    assert "derived/left-39.md" in files
    # The pages read derive's lists: no further lineage step, and one call per page that shows a credit.
    assert derive.LINEAGE_STEPS == inputs
    assert calls["pages"] <= 2 * figures + len(gathered.dataset.facts)
    (plotted,) = charts.plot_all(gathered, only=[gathered.dataset.charts["diamond-chart"].model])
    assert len(plotted.rows) == 2 and derive.LINEAGE_STEPS == inputs, "the chart and its credit line too"
    top = derive.facts_behind(gathered.derivation, "left-39")
    assert top == ("bytedance-daily-tokens-2025-12", "google-daily-tokens")


def _naive_behind(gathered, ref: str) -> list[str]:
    """The old recursive definition: exponential on diamonds, fine on the seed data."""
    if ref in gathered.dataset.facts:
        return [ref]
    out: list[str] = []
    for item in gathered.derivation.values[ref].inputs:
        out.extend(f for f in _naive_behind(gathered, item.ref) if f not in out)
    return out


@pytest.mark.parametrize("depth", [1, 3, 6])
def test_memoised_lineage_is_the_recursive_definition(project: Path, depth: int):
    (project / "facts" / "zz-diamond.yaml").write_text(diamond(depth), encoding="utf-8")
    gathered = gather(project)
    for did in gathered.derivation.values:
        assert list(derive.facts_behind(gathered.derivation, did)) == _naive_behind(gathered, did)
        facts = [f.id for f in pages._facts_behind(gathered.dataset, gathered.derivation, did)]
        assert facts == _naive_behind(gathered, did)
        assert [f.id for f in charts._input_facts(did, gathered)] == facts
