"""Fuzzing load + validate + derive: any input gives success or Problem records, never an exception;
and the output stages: whatever validates goes through render, charts, feed and exports without raising.

Inputs: random text, random nested structures dumped as YAML, random formulas, and mutated copies
of the real fact files (lines deleted, duplicated or swapped, characters flipped, numbers replaced by
random values or text, random unicode inserted). Each example runs the real stages on one file in
place of its original, next to the other real files.

The output-stage properties add random facts (every value form, zero, negative, the largest and
smallest numbers accepted, any year, histories with earlier units, retractions), derived figures
(sums, ratios, scalings and chains of them), consistency checks and charts over them to the seed
dataset. An example the
validator refuses is discarded (its problems are already checked above); one that validates must
render every page, the chart rows and specs, the corrections feed and every download. Rendering a
page set costs about a second, so the default profile runs few of them; `fuzz` runs hundreds, and
drawing specs with vl-convert is in the slow suite.

Profiles: `ci` (the default, a few thousand examples in all) and `fuzz` (many more), chosen with
HYPOTHESIS_PROFILE=fuzz (`make fuzz`).
"""

from __future__ import annotations

import json
import math
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.compute.derive import derive
from generator.inputs.archive import spec_json
from generator.inputs.dataset import Dataset
from generator.inputs.files import discover
from generator.inputs.load import load_file, parse_yaml
from generator.inputs.validate import _read_file, check_references
from generator.model.errors import Problem, Report
from generator.outputs import charts, corrections, export, release, render
from generator.pipeline.build import Gathered

#: Slow (property-based fuzzing: hundreds of generated datasets): `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
#: The profile conftest.py loaded (dev, ci or fuzz: HYPOTHESIS_PROFILE).
PROFILE = settings.default
FILES = {path.relative_to(ROOT).as_posix(): path.read_bytes() for path in discover(ROOT)}
_PARSED = {display: parse_yaml(data.decode("utf-8"), display)[0] for display, data in FILES.items()}
_SCRATCH = Path(tempfile.mkdtemp(prefix="fuzz-"))
#: Keys the schema knows, so random structures reach past "unknown key" into field validation.
KEYS = [
    "schema_version",
    "facts",
    "sources",
    "entities",
    "metrics",
    "derived",
    "checks",
    "charts",
    "id",
    "entity",
    "metric",
    "period",
    "statement",
    "value",
    "point",
    "low",
    "high",
    "more_than",
    "unit",
    "status",
    "as_of",
    "source",
    "quote",
    "text",
    "language",
    "translation",
    "formula",
    "title",
    "explanation",
    "expect",
    "approximately",
    "tolerance",
    "series",
    "ref",
    "kind",
    "history",
    "retracted",
    "url",
    "document",
]


def gather_with(display: str, data: bytes) -> Gathered:
    """Load, validate and derive the real dataset with one file replaced (or added) by `data`."""
    path = _SCRATCH / "case.yaml"
    path.write_bytes(data)
    dataset, report = Dataset(ROOT), Report()
    for name in [*FILES, *([display] if display not in FILES else [])]:
        dataset.files.append(name)
        if name == display:
            located, problems = load_file(path, display)
            report.extend(problems)
        else:
            located = _PARSED[name]
        if located is not None:
            _read_file(dataset, located, report)
    report.extend(check_references(dataset))
    derivation, problems = derive(dataset)
    report.extend(problems)
    for problem in report.problems:
        assert isinstance(problem, Problem)
        assert problem.line >= 1 and problem.column >= 1 and problem.code and problem.file
    return Gathered(dataset, derivation, report)


def run_stages(display: str, data: bytes) -> list[Problem]:
    """Load, validate and derive the real dataset with one file replaced by `data`; the problems."""
    return gather_with(display, data).report.problems


def test_the_real_files_are_clean_through_the_fuzz_path():
    errors = [p.text() for p in run_stages("facts/tokens.yaml", FILES["facts/tokens.yaml"]) if p.severity == "error"]
    assert errors == []


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(["2025-02-30", "160e9", "{x}", "1e400", "-0", ".nan", "token/day", "USD"]),
)
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)


@settings(PROFILE)
@given(st.text(max_size=400))
def test_random_text_gives_problems_not_exceptions(text: str):
    run_stages("facts/tokens.yaml", text.encode("utf-8", "surrogatepass"))


@settings(PROFILE)
@given(st.binary(max_size=300))
def test_random_bytes_give_problems_not_exceptions(data: bytes):
    run_stages("facts/tokens.yaml", data)


@settings(PROFILE)
@given(structures, st.sampled_from(sorted(["facts", "derived", "checks", "sources", "entities", "metrics", "charts"])))
def test_random_structures_give_problems_not_exceptions(item: Any, section: str):
    document = {"schema_version": 1, section: [item] if not isinstance(item, list) else item}
    run_stages("facts/tokens.yaml", yaml.safe_dump(document, allow_unicode=True).encode("utf-8", "surrogatepass"))


_TOKENS = [
    "{bytedance-daily-tokens-2025-12}",
    "{google-daily-tokens}",
    "{cny-per-usd-implied-2025-12}",
    "{bytedance-ai-infrastructure-budget-2026}",
    "{nvidia-h200-china-first-batch}",
    "{bytedance-tokens-vs-google}",
    "+",
    "-",
    "*",
    "/",
    "(",
    ")",
    ",",
    "0",
    "1",
    "1e308",
    "1e-308",
    "2.5",
    '"USD"',
    '"CNY"',
    "convert",
    "min",
    "max",
    "abs",
    "sum",
    "round",
    "__class__",
    ".",
    "[",
    "]",
    "**",
    "lambda",
    " ",
]


@settings(PROFILE)
@given(st.lists(st.sampled_from(_TOKENS), max_size=25) | st.text(max_size=60), st.sampled_from(["derived", "checks"]))
def test_random_formulas_give_problems_not_exceptions(parts: Any, section: str):
    formula = "".join(parts) if isinstance(parts, list) else parts
    item = {"id": "fuzz-item", "title": "Fuzz", "formula": formula}
    item.update(
        {"explanation": "Fuzz.", "unit": "dimensionless"}
        if section == "derived"
        else {"claim": "Fuzz.", "expect": {"less_than": 1}}
    )
    text = yaml.safe_dump({"schema_version": 1, section: [item]}, allow_unicode=True)
    run_stages("facts/tokens.yaml", text.encode("utf-8", "surrogatepass"))


def _mutate(text: str, data: st.DataObject) -> str:
    """One random edit of a real file: the kinds of mistakes and attacks a contributor could make."""
    lines = text.split("\n")
    kind = data.draw(st.sampled_from(["delete", "duplicate", "swap", "flip", "number", "unicode", "indent"]))
    at = data.draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[at]
    elif kind == "duplicate":
        lines.insert(at, lines[at])
    elif kind == "swap":
        other = data.draw(st.integers(0, len(lines) - 1))
        lines[at], lines[other] = lines[other], lines[at]
    elif kind == "indent":
        lines[at] = " " * data.draw(st.integers(0, 3)) + lines[at].lstrip(" ")
    else:
        line = lines[at]
        if kind == "number" and re.search(r"\d", line):
            new = data.draw(
                st.one_of(
                    st.integers().map(str),
                    st.floats().map(repr),
                    st.text(max_size=8),
                    st.sampled_from(["1e400", "-1", "0", ".inf", "2025-02-30", "9" * 5000]),
                )
            )
            line = re.sub(r"[\d.e+-]*\d[\d.e+-]*", lambda _: new, line, count=1)
        else:
            pos = data.draw(st.integers(0, len(line)))
            char = data.draw(
                st.characters(codec="utf-8") if kind == "unicode" else st.sampled_from(list(":-[]{}#&*!|>'\"%@`,? \t"))
            )
            line = line[:pos] + char + line[pos + (kind == "flip") :]
        lines[at] = line
    return "\n".join(lines)


@settings(PROFILE)
@given(st.sampled_from(sorted(FILES)), st.data())
def test_mutated_real_files_give_problems_not_exceptions(display: str, data: st.DataObject):
    text = FILES[display].decode("utf-8")
    for _ in range(data.draw(st.integers(1, 3))):
        text = _mutate(text, data)
    run_stages(display, text.encode("utf-8", "surrogatepass"))


# --- The output stages -------------------------------------------------------------------------

#: metric -> units a fact of it may be in (the seed metrics plus one that may be negative).
_METRIC_UNITS = {
    "daily-tokens": ["token/day", "token/hour", "token/year"],
    "ai-infrastructure-budget": ["CNY", "USD", "EUR"],
    "chip-shipment": ["chip"],
    "monthly-active-users": ["user"],
    "fuzz-change": ["CNY", "USD"],
    "assistant-rank": ["rank"],
    "exchange-rate": ["CNY/USD"],
}
_FUZZ_METRIC = {
    "id": "fuzz-change",
    "name": "Change",
    "description": "A change, which may be negative.",
    "dimension": "currency",
    "non_negative": False,
}
#: Text that exercises escaping without being refused by the text checks.
_TEXT = st.text(st.sampled_from(list("abcXYZ 019.,;:!?'\"*_`~#|<>[](){}/\\=+-&%$@^éß中文")), min_size=1, max_size=40)
_EDGE_NUMBERS = [0, 1, -1, 0.5, 1e24, -1e24, 1e-12, -1e-12, 160e9, 6.96, 123456789.123, 9.99e23]
_numbers = st.one_of(
    st.sampled_from(_EDGE_NUMBERS),
    st.floats(min_value=1e-12, max_value=1e24),
    st.floats(min_value=-1e24, max_value=-1e-12),
    st.integers(-(10**9), 10**9),
)


@st.composite
def _period(draw: st.DrawFn) -> str:
    year = f"{draw(st.integers(1, 9999)):04d}"
    form = draw(st.sampled_from(["year", "quarter", "half", "month", "day"]))
    if form == "year":
        return year
    if form == "quarter":
        return f"{year}-Q{draw(st.integers(1, 4))}"
    if form == "half":
        return f"{year}-H{draw(st.integers(1, 2))}"
    month = draw(st.integers(1, 12))
    return f"{year}-{month:02d}" + (f"-{draw(st.integers(1, 28)):02d}" if form == "day" else "")


@st.composite
def _date(draw: st.DrawFn) -> str:
    year, month, day = draw(st.integers(1, 9999)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    return draw(st.sampled_from([f"{year:04d}", f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}-{day:02d}"]))


@st.composite
def _value(draw: st.DrawFn, negative_ok: bool) -> dict[str, float]:
    numbers = _numbers if negative_ok else _numbers.map(abs)
    form = draw(st.sampled_from(["point", "range", "more_than", "at_least", "less_than", "at_most"]))
    if form == "range":
        low, high = sorted([draw(numbers), draw(numbers)])
        return {"low": low, "high": high}
    return {form: draw(numbers)}


@st.composite
def additions(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A fact file of random facts, derived figures and charts over them (and over seed facts)."""
    facts, pools = [], {}  # pools: unit -> ids with a value in it, for formulas and charts
    for i in range(draw(st.integers(1, 6))):
        metric = draw(st.sampled_from(sorted(_METRIC_UNITS)))
        unit = draw(st.sampled_from(_METRIC_UNITS[metric]))
        fid = f"fuzz-fact-{i}"
        item = {
            "id": fid,
            "entity": "bytedance",
            "metric": metric,
            "period": draw(_period()),
            "statement": draw(_TEXT),
            "value": draw(_value(metric == "fuzz-change")),
            "unit": unit,
            "approximate": draw(st.booleans()),
            "status": draw(st.sampled_from(["planned", "forecast", "estimated", "intention"])),
            "as_of": draw(_date()),
            "source": "questmobile",
            "quote": {"text": draw(_TEXT), "language": "zh", "translation": draw(_TEXT)},
        }
        if draw(st.booleans()):
            item["note"] = draw(_TEXT)
        if draw(st.integers(0, 3)) == 0:
            item["history"] = [
                {
                    "changed": "2025-12-01",
                    "previous_value": draw(_value(metric == "fuzz-change")),
                    "previous_unit": draw(st.sampled_from(_METRIC_UNITS[metric])),
                    "reason": draw(_TEXT),
                }
            ]
        if draw(st.integers(0, 5)) == 0:
            item["retracted"] = {"date": "2026-01-02", "reason": draw(_TEXT)}
        else:
            pools.setdefault(unit, []).append(fid)
        facts.append(item)
    pools.setdefault("token/day", []).extend(["bytedance-daily-tokens-2025-12", "google-daily-tokens"])
    pools.setdefault("CNY", []).append("bytedance-ai-infrastructure-budget-2026")
    derived = []
    for i in range(draw(st.integers(0, 5))):
        unit = draw(st.sampled_from(sorted(pools)))
        refs = [f"{{{draw(st.sampled_from(pools[unit]))}}}" for _ in range(draw(st.integers(1, 3)))]
        shape = draw(st.sampled_from(["sum", "ratio", "scaled", "mean"]))
        declared = unit
        if shape == "sum":
            formula = refs[0] + "".join(f" {draw(st.sampled_from('+-'))} {r}" for r in refs[1:])
        elif shape == "ratio":
            formula, declared = f"{refs[0]} / {refs[-1]}", draw(st.sampled_from(["percent", "dimensionless"]))
        elif shape == "scaled":
            formula = f"{refs[0]} * {draw(st.sampled_from(['2', '0.5', '1e3', '-1', '0']))}"
        else:
            formula = f"({' + '.join(refs)}) / {len(refs)}"
        did = f"fuzz-figure-{i}"
        derived.append(
            {"id": did, "title": draw(_TEXT), "explanation": draw(_TEXT), "formula": formula, "unit": declared}
        )
        pools.setdefault(declared, []).append(did)
    checks = []
    for i in range(draw(st.integers(0, 2))):
        unit = draw(st.sampled_from(sorted(pools)))
        a, b = draw(st.sampled_from(pools[unit])), draw(st.sampled_from(pools[unit]))
        expect = draw(
            st.sampled_from(
                [
                    {"approximately": draw(_numbers), "tolerance": abs(draw(_numbers))},
                    {"less_than": draw(_numbers)},
                    {"greater_than": draw(_numbers)},
                ]
            )
        )
        check = {
            "id": f"fuzz-check-{i}",
            "title": draw(_TEXT),
            "claim": draw(_TEXT),
            "formula": f"{{{a}}} / {{{b}}}",
            "expect": expect,
        }
        if draw(st.booleans()):
            check["acknowledged"] = draw(_TEXT)
        checks.append(check)
    chart_list = []
    for i in range(draw(st.integers(0, 3))):
        unit = draw(st.sampled_from(sorted(pools)))
        refs = draw(st.lists(st.sampled_from(pools[unit]), min_size=1, max_size=4, unique=True))
        series = [{"ref": r, **({"label": draw(_TEXT)} if draw(st.booleans()) else {})} for r in refs]
        chart_list.append(
            {
                "id": f"fuzz-chart-{i}",
                "kind": draw(st.sampled_from(["comparison", "time-series"])),
                "title": draw(_TEXT),
                "unit": unit,
                "series": series,
            }
        )
    document = {"schema_version": 1, "metrics": [_FUZZ_METRIC], "facts": facts}
    if derived:
        document["derived"] = derived
    if checks:
        document["checks"] = checks
    if chart_list:
        document["charts"] = chart_list
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False), [c["id"] for c in chart_list]


#: Each example renders every page (about a second): 6 in the default profile, 80 with `make fuzz`.
_OUTPUT_PROFILE = settings(PROFILE, max_examples=max(6, PROFILE.max_examples // 60))


def _valid(text: str) -> Gathered:
    """The seed dataset plus the random file; discards (assume) an example the validator refuses."""
    gathered = gather_with("facts/zz-fuzz.yaml", text.encode("utf-8"))
    assume(not gathered.report.errors)
    return gathered


@_OUTPUT_PROFILE
@given(additions())
def test_whatever_validates_renders_pages_feed_and_exports(case: tuple[str, list[str]]):
    text, chart_ids = case
    gathered = _valid(text)
    dataset, derivation = gathered.dataset, gathered.derivation
    pages = render.render_pages(Gathered(dataset, derivation, Report(), root=ROOT), {})
    assert all(f"facts/{fid}.md" in pages for fid in dataset.facts)
    assert all(f"derived/{did}.md" in pages for did in derivation.values)
    downloads = export.downloads(dataset, derivation)
    assert len(json.loads(downloads["data/facts.json"])) == len(dataset.facts)
    release.release_files(gathered, release.latest_version(ROOT))
    feed = dict(corrections.outputs(gathered))["corrections/feed.xml"]
    assert isinstance(feed, bytes) and feed.startswith(b"<?xml")
    for cid in chart_ids:  # the rows and labels of every chart (cheap); specs in the next test
        rows = charts.chart_rows(dataset.charts[cid].model, gathered)
        assert all(math.isfinite(r["label_at"]) for r in rows)


@_OUTPUT_PROFILE
@given(additions().filter(lambda case: bool(case[1])))
def test_whatever_validates_gives_chart_specs(case: tuple[str, list[str]]):
    text, chart_ids = case
    gathered = _valid(text)
    for item in charts.plot_all(gathered, only=[gathered.dataset.charts[c].model for c in chart_ids]):
        text = spec_json(item.spec)  # allow_nan=False: every number in the spec is finite
        layers = json.loads(text)["layer"]
        assert layers and item.alt_text


@pytest.mark.slow
@settings(PROFILE, max_examples=6)
@given(additions().filter(lambda case: bool(case[1])))
def test_whatever_validates_is_drawn_by_vl_convert(case: tuple[str, list[str]]):
    text, chart_ids = case
    gathered = _valid(text)
    cache = Path(tempfile.mkdtemp(prefix="fuzz-charts-", dir=_SCRATCH))
    for item in charts.plot_all(gathered, only=[gathered.dataset.charts[c].model for c in chart_ids]):
        svg = charts.render(item.spec, "svg", cache).decode("utf-8")
        assert svg.startswith("<svg") and "NaN" not in svg
