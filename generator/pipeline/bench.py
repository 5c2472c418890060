"""`python -m generator bench`: time every stage of a build of N synthetic facts against the bare engine.

Each timed run is a cold build (generated pages, chart cache and site removed first); the figure
is the median of the runs. The baseline is the same engine building the same number of trivial
Markdown pages at the same paths with the same mkdocs.yml. Then the incremental checks: a rebuild
with nothing changed, and a rebuild after editing one fact's value.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import resource
import shutil
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from generator.inputs import synth
from generator.inputs.files import discover
from generator.inputs.load import load_file
from generator.outputs import charts
from generator.pipeline import engine
from generator.pipeline.build import build, collector_paused
from generator.pipeline.progress import Progress
from generator.pipeline.writer import MANIFEST

#: Targets at 10,000 facts (issue 8).
TARGETS = {"gather_s": 2.0, "before_engine_over_engine": 0.10, "build_over_baseline": 1.2, "peak_mb": 1024}


def _reset(project: Path, keep_cache: bool = False) -> None:
    """Make the next build cold: no generated pages, no chart cache (unless kept), no site."""
    manifest = project / "site_src" / MANIFEST
    if manifest.is_file():
        for rel in json.loads(manifest.read_text(encoding="utf-8")):
            (project / "site_src" / rel).unlink(missing_ok=True)
        manifest.unlink()
    for name in ("site",) if keep_cache else (".generator-cache", "site"):
        shutil.rmtree(project / name, ignore_errors=True)


def _hashes(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under folder: (sha256, mtime_ns), by relative path."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[path.relative_to(folder).as_posix()] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                path.stat().st_mtime_ns,
            )
    return out


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _render_count() -> int:
    return int(getattr(charts, "RENDER_COUNT", 0))


def time_load(project: Path) -> float:
    """Seconds to read and parse every fact file (stage 1 alone, as `gather` runs it)."""
    with collector_paused():
        started = time.perf_counter()
        for path in discover(project):
            load_file(path, path.relative_to(project).as_posix())
        return time.perf_counter() - started


def baseline_project(project: Path, dest: Path) -> int:
    """The same site_src paths with trivial Markdown pages; returns the number of pages."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copy(project / "mkdocs.yml", dest / "mkdocs.yml")
    theme = project / "templates" / "theme"  # mkdocs.yml's theme custom_dir: the engine refuses a missing one
    if theme.is_dir():
        shutil.copytree(theme, dest / "templates" / "theme")
    pages = 0
    for path in sorted((project / "site_src").rglob("*")):
        if not path.is_file() or path.name == MANIFEST:
            continue
        rel = path.relative_to(project / "site_src")
        target = dest / "site_src" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            target.write_text(f"# Page {pages}\n\nA minimal page.\n", encoding="utf-8")
            pages += 1
        else:
            shutil.copy(path, target)
    return pages


def _edit_one_fact(project: Path, fact_id: str) -> str:
    """Multiply one synthetic fact's point value by 1.1 in its file; returns the file edited."""
    for path in sorted((project / "facts" / "synthetic").glob("facts-*.yaml")):
        text = path.read_text(encoding="utf-8")
        at = text.find(f'id: "{fact_id}"\n')
        if at < 0:
            continue
        match = re.compile(r"value: \{point: ([0-9.e+]+)\}").search(text, at)
        assert match is not None
        new = f"value: {{point: {float(match.group(1)) * 1.1:.4g}}}"
        path.write_text(text[: match.start()] + new + text[match.end() :], encoding="utf-8")
        return path.relative_to(project).as_posix()
    raise LookupError(fact_id)


def _pick_fact(plan: synth.Plan) -> str:
    """A point-valued fact used by a derived figure but by no check (so the edit keeps checks passing)."""
    in_checks = {ref for c in plan.checks for ref in re.findall(r"\{([a-z0-9-]+)\}", c["formula"])}
    in_derived = {ref for d in plan.derived for ref in re.findall(r"\{([a-z0-9-]+)\}", d["formula"])}
    for fact in plan.facts:
        value = fact.get("value") or {}
        if "point" in value and fact["unit"] != "rank" and fact["id"] in in_derived - in_checks:
            return fact["id"]
    return next(f["id"] for f in plan.facts if "point" in (f.get("value") or {}) and f["unit"] != "rank")


def _timed_build(project: str, engine_name: str, run_engine: bool = True) -> dict[str, Any]:
    """One build in this (spawned) process: its time, stage times and the peak memory of the process and its children.

    Each build runs in a process of its own so `ru_maxrss` is that build's peak: the generator's
    (RUSAGE_SELF) and the largest of its children (RUSAGE_CHILDREN: the engine, and the chart
    workers of a cold build).
    """
    progress = Progress(mode="quiet")
    started = time.perf_counter()
    result = build(Path(project), engine_name=engine_name, progress=progress, run_engine=run_engine)
    return {
        "total_s": time.perf_counter() - started,
        "stages": dict(progress.timings),
        "facts": result.facts,
        "derived": result.derived,
        "charts": result.charts,
        "pages": result.pages,
        "written": result.written,
        "warm_engine": result.warm_engine,
        "charts_rendered": _render_count(),
        "process_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        # Each process's own high-water mark (VmHWM): ru_maxrss starts from the parent's at exec.
        "own_peak_mb": engine.status_mb(os.getpid()),
        "engine_own_peak_mb": engine.engine_peak_mb,
        "rss_at_engine_mb": engine.launcher_rss_mb,
    }


def _in_child(project: Path, engine_name: str, run_engine: bool = True) -> dict[str, Any]:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_timed_build, str(project), engine_name, run_engine).result()


#: GitHub Pages refuses a published site over 1 GB.
PAGES_LIMIT_BYTES = 10**9


def measure(
    project: Path, plan: synth.Plan, engine_name: str = "mkdocs", runs: int = 3, profile: str = "seed", log=print
) -> dict[str, Any]:
    """Every figure of the benchmark on an already generated project."""
    stage_runs: dict[str, list[float]] = {}
    totals, loads, peaks, child_peaks, own_peaks, engine_peaks, beside = [], [], [], [], [], [], []
    result: dict[str, Any] = {}
    for r in range(runs):
        _reset(project)
        loads.append(time_load(project))
        result = _in_child(project, engine_name)
        totals.append(result["total_s"])
        peaks.append(result["process_peak_mb"])
        child_peaks.append(result["children_peak_mb"])
        own_peaks.append(result["own_peak_mb"])
        engine_peaks.append(result["engine_own_peak_mb"])
        beside.append(result["rss_at_engine_mb"] + result["engine_own_peak_mb"])
        for name, seconds in result["stages"].items():
            stage_runs.setdefault(name, []).append(seconds)
        log(f"  {profile} run {r + 1}/{runs}: {totals[-1]:.1f} s")
    stages = {name: statistics.median(values) for name, values in stage_runs.items()}
    load = statistics.median(loads)
    stages = {"load": load, "validate": max(0.0, stages.pop("load+validate") - load), **stages}
    site_bytes = _size(project / "site")
    # The theme's and Vega's files are the same for any number of facts: what grows is the rest.
    fixed_bytes = _size(project / "site" / "assets")
    md_pages = sum(1 for p in (project / "site_src").rglob("*.md"))

    base = project.parent / "baseline"
    baseline_pages = baseline_project(project, base)
    baseline_runs = []
    for _ in range(runs):
        started = time.perf_counter()
        engine.run(base, base / "site", engine_name, clean=True)  # each run builds every page
        baseline_runs.append(time.perf_counter() - started)
    baseline = statistics.median(baseline_runs)
    shutil.rmtree(base, ignore_errors=True)
    log(f"  baseline: {baseline:.1f} s for {baseline_pages} pages")

    # Incremental: nothing changed (no engine: it would rebuild all), then one fact edited, engine included.
    before = _hashes(project / "site_src")
    renders = _render_count()
    same = build(project, run_engine=False)
    after = _hashes(project / "site_src")
    nochange = {
        "charts_rendered": _render_count() - renders,
        "files_rewritten": same.written,
        "files_changed": sorted(k for k in after if before.get(k) != after[k]),
    }
    fact_id = _pick_fact(plan)
    edited = _edit_one_fact(project, fact_id)
    one = _in_child(project, engine_name)
    final = _hashes(project / "site_src")
    changed = sorted(k for k in final if after.get(k, ("",))[0] != final[k][0])
    edit = {
        "fact": fact_id,
        "file": edited,
        "files_rewritten": one["written"],
        "charts_rendered": one["charts_rendered"],
        "files_changed": changed,
        "generated_files": one["pages"],
        "warm_engine": one["warm_engine"],
        "total_s": one["total_s"],
        "stages_s": one["stages"],
        "over_baseline": one["total_s"] / baseline if baseline else None,
    }
    log(f"  {profile} one fact edited: {one['total_s']:.1f} s")

    memory = {
        # ru_maxrss, as earlier runs reported it: a child's starts from its parent's high-water mark when
        # it executes, so these are at least the size of the process that started them.
        "process_peak_mb": max(peaks),
        "cold_children_peak_mb": max(child_peaks),
        # Each process's own (VmHWM, read from /proc): the generator's process in a cold build, and the
        # engine's, building every page (cold) or only the changed ones (warm: engine.run's warm build).
        "generator_own_peak_mb": max(own_peaks),
        "engine_own_peak_mb": max(engine_peaks),
        "warm_engine_own_peak_mb": one["engine_own_peak_mb"],
        # While the engine runs, the generator's process lives beside it with what it kept (build.py
        # releases the rest first): the build's peak is the larger of this sum and the generator's own.
        "generator_beside_engine_mb": max(beside),
    }
    engine_s = stages.get("engine", 0.0)
    total = statistics.median(totals)
    gather_s = load + stages["validate"] + stages["derive"]
    chart_s = stages.get("chart_assets", 0.0)  # the charts stage: drawing, then each file yielded once
    per_fact = site_bytes / max(1, result["facts"])
    growing = (site_bytes - fixed_bytes) / max(1, result["facts"])
    return {
        "profile": profile,
        "facts": result["facts"],
        "derived": result["derived"],
        "charts": result["charts"],
        "engine": engine_name,
        "runs": runs,
        "generated_files": result["pages"],
        "markdown_pages": md_pages,
        "stages_s": stages,
        "total_s": total,
        "gather_s": gather_s,
        "before_engine_s": total - engine_s,
        "engine_s": engine_s,
        "baseline_s": baseline,
        "baseline_pages": baseline_pages,
        "before_engine_over_engine": (total - engine_s) / engine_s if engine_s else None,
        "build_over_baseline": total / baseline if baseline else None,
        "engine_over_baseline": engine_s / baseline if baseline else None,
        "per_chart_ms": 1000 * chart_s / result["charts"] if result["charts"] else None,
        "site_bytes": site_bytes,
        "site_bytes_per_fact": per_fact,
        "fixed_bytes": fixed_bytes,
        "growing_bytes_per_fact": growing,
        "facts_at_1gb": round((PAGES_LIMIT_BYTES - fixed_bytes) / growing) if growing else None,
        "memory": memory,
        "no_change_rebuild": nochange,
        "one_fact_edit": edit,
    }


def table(res: dict[str, Any]) -> str:
    """The figures as a plain-text table with the targets."""
    lines = [
        f"profile {res['profile']}: {res['facts']:,} facts, {res['derived']:,} derived, {res['charts']:,} charts; "
        f"engine {res['engine']}; "
        f"median of {res['runs']} run(s)",
        "",
        f"{'stage':<16}{'seconds':>10}",
    ]
    lines += [f"{name:<16}{seconds:>10.2f}" for name, seconds in res["stages_s"].items()]
    lines += [
        f"{'whole build':<16}{res['total_s']:>10.2f}",
        f"{'bare engine':<16}{res['baseline_s']:>10.2f}  ({res['baseline_pages']:,} trivial pages)",
        "",
    ]
    memory = res["memory"]
    # The generator's process lives on while the engine runs: the build needs both at once then.
    peak = max(memory["generator_own_peak_mb"], memory["generator_beside_engine_mb"])

    def mark(ok: bool) -> str:
        return "met" if ok else "NOT met"

    ratio_e, ratio_b = res["before_engine_over_engine"] or 0, res["build_over_baseline"] or 0
    lines += [
        f"load+validate+derive: {res['gather_s']:.2f} s (target <= 2 s at 10,000 facts: "
        f"{mark(res['gather_s'] <= TARGETS['gather_s'])})",
        f"before engine / engine: {ratio_e:.2f} (target <= 0.10: {mark(ratio_e <= 0.10)})",
        f"whole build / bare engine: {ratio_b:.2f} (target <= 1.2: {mark(ratio_b <= 1.2)})",
        "peak memory: "
        + ", ".join(f"{k} {v:.0f} MB" for k, v in memory.items())
        + f"; the build's peak {peak:.0f} MB (target <= 1024 MB: {mark(peak <= 1024)})",
        f"site: {res['site_bytes'] / 2**20:.1f} MB, {res['site_bytes_per_fact'] / 1024:.1f} kB per fact "
        f"({res['fixed_bytes'] / 2**20:.1f} MB of theme and Vega files, then {res['growing_bytes_per_fact'] / 1024:.1f} kB "
        "per fact); "
        f"reaches GitHub Pages' 1 GB at {res['facts_at_1gb'] or 0:,} facts",
        f"engine / bare engine: {res['engine_over_baseline'] or 0:.2f}; charts stage: {res['per_chart_ms'] or 0:.0f} ms "
        "per chart",
    ]
    nc, ed = res["no_change_rebuild"], res["one_fact_edit"]
    lines += [
        f"no-change rebuild: {nc['charts_rendered']} charts rendered, {nc['files_rewritten']} files rewritten "
        f"({mark(nc['charts_rendered'] == 0 and nc['files_rewritten'] == 0)})",
        f"edit of {ed['fact']}: {ed['files_rewritten']} of {ed['generated_files']:,} generated files rewritten, "
        f"whole build {ed['total_s']:.1f} s = {ed['over_baseline'] or 0:.2f} x bare engine "
        f"({'only the changed pages' if ed['warm_engine'] else 'every page'} rebuilt by the engine)",
    ]
    lines += [f"  {path}" for path in ed["files_changed"][:40]]
    return "\n".join(lines)
