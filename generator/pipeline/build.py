"""The orchestrator: gather (load -> validate -> derive) -> output stages -> write -> engine.

It only calls the stages, by name, in the order of `STAGES`. Everything is gathered and checked before anything
is written; a failed build (bad input, an engine error, a full disk, a kill) leaves site/ and
site_src/ as they were: pages are written into a stage that only a successful build commits.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.compute.derive import derive
from generator.inputs import archive
from generator.inputs.validate import validate
from generator.model.errors import FatalInputError, Report
from generator.outputs import chart_assets, corrections, embed, export, i18n, reference, release, render, search
from generator.outputs.context import Gathered, Stage
from generator.outputs.escape import FrontMatterError, front_matter
from generator.pipeline import drawings, engine, search_cache
from generator.pipeline.progress import Progress, silent
from generator.pipeline.writer import Writer

#: The output stages, in the order they run. Each turns the build context into files under
#: site_src/ (`generator.outputs.context.Stage`); the writer refuses a path that two produce,
#: so two stages can never silently overwrite each other.
STAGES: tuple[Stage, ...] = (
    chart_assets,  # charts/<chart>/: every chart's images and specs, drawn once and published once (first:
    #               the pages after it inline the drawings, read back from the chart cache)
    render,  # every page: facts, derived figures (with the chart that plots them), entities, metrics, ...
    export,  # data/: the downloads as CSV and JSON
    corrections,  # corrections/: the log and its Atom feed
    release,  # data/vX.Y.Z/ and data/latest/: the dataset releases
    embed,  # charts/ and embed/: every chart's page, downloads and embeds (pointing at chart_assets' files)
    reference,  # reference/: the fact-file format reference
)

#: Stages whose pages exist in every language: run once per language (outputs/i18n.py `using`), the
#: other languages' files under <language>/ (each language is its own MkDocs project). The other
#: stages write the language-neutral downloads, once, at the root.
LOCALIZED_STAGES: tuple[Stage, ...] = (chart_assets, render, corrections, embed, reference)


def localized(gathered: Gathered, language: str) -> Gathered:
    """The build context of another language, inside `i18n.using(root, language)`: its pages read the texts
    in it (translations, else marked English), and their own context: the site's name and address in that
    language, its templates' words, its charts (drawn in it)."""
    dataset, derivation = i18n.localize(gathered.dataset, gathered.derivation, language)
    local = Gathered(dataset, derivation, gathered.report, root=gathered.root)
    local.__dict__.update(
        build_date=gathered.build_date, last_changed=gathered.last_changed, edition=gathered.edition
    )  # read once per build, not per language
    return local


def stage_outputs(gathered: Gathered, stage: Stage) -> Iterator[tuple[str, str | bytes]]:
    """Every (path, content) one stage makes, in each language it is made in."""
    root = gathered.root
    languages = i18n.languages(root) if stage in LOCALIZED_STAGES else (i18n.DEFAULT,)
    for language in languages:
        with i18n.using(root, language):
            if language == i18n.DEFAULT:
                yield from stage.outputs(gathered)
                continue
            local = localized(gathered, language)
            prefix = i18n.prefix(language)
            for relpath, content in stage.outputs(local):
                yield prefix + relpath, content


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the dataset is built, and leave what it built out of later collections.

    Gathering creates millions of small objects that all stay alive (parse events, marks,
    models, amounts) and almost no cycles, so every full collection walks the whole growing
    dataset to free nothing: at 10,000 realistic facts that was about a quarter of gathering (9
    full collections, 408 objects freed). Memory freed by reference counting is freed as before.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Pausing alone only moved the cost: every object made while paused was still in the youngest
        # generation, so the first collection after it walked them all (1.2 s after gathering 10,000
        # seed-profile facts). Frozen, they are left out of every later collection; reference counting
        # still frees them, and the few cycles among them are kept until the process ends.
        gc.freeze()
        if was_enabled:
            gc.enable()


def release_memory() -> None:
    """Free what nothing refers to any more and hand the freed pages back to the system.

    What gathering built is frozen (see `_no_cycle_collection`), so its few cycles are collected only
    once unfrozen; glibc keeps freed memory for later allocations unless asked to trim it.
    """
    gc.unfreeze()
    gc.collect()
    trim = getattr(engine.libc(), "malloc_trim", None)  # glibc's; absent elsewhere (getattr(None) is None)
    if trim is not None:
        trim(0)


def gather(root: Path, progress: Progress | None = None) -> Gathered:
    """Load, validate and derive; every problem of every stage in one report."""
    progress = progress or silent()  # times each step for the progress display and the benchmark
    with collector_paused():
        return _gather(root, progress)


def _gather(root: Path, progress: Progress) -> Gathered:
    with progress.stage("load+validate"):
        dataset, report = validate(root)
    with progress.stage("derive"):
        derivation, problems = derive(dataset)
        report.extend(problems)
        # The chart archive is committed input too: validated here, so `validate` reports it and
        # a bad file stops the build with its file:line:column instead of crashing it.
        report.extend(archive.read(root).problems)
    return Gathered(dataset, derivation, report, root=root)


class SearchIndex:
    """Each language's search index (outputs/search.py), gathered page by page as the pages are written.

    Material's search plugin is turned off in mkdocs.yml (`enabled: false`: templates/theme/partials/
    header.html still shows its search box) and these files take the place of the index it wrote.
    """

    def __init__(self, languages: tuple[str, ...], cache: search_cache.EntryCache | None = None) -> None:
        self.prefixes = {i18n.prefix(language): language for language in languages}
        self.entries: dict[str, list[tuple[str, str]]] = {p: [] for p in self.prefixes}  # (page, its entries' JSON)
        self.cache = cache  # the last build's entries of pages whose source has not changed

    def add(self, relpath: str, content: str | bytes, meta: dict[str, object] | None) -> None:
        """One page, at its path under site_src/ (front matter read by the writer, or None to read it here)."""
        first, _, rest = relpath.partition("/")
        prefix = f"{first}/" if rest and f"{first}/" in self.prefixes else ""
        local = relpath[len(prefix) :]
        if local.rpartition("/")[2].startswith("_"):  # mkdocs.yml's exclude_docs: `_*.md` are no pages
            return
        text = content if isinstance(content, str) else content.decode("utf-8")
        digest = search_cache.page_digest(local, text) if self.cache is not None else ""
        part = self.cache.get(relpath, digest) if self.cache is not None else None
        if part is None:
            if meta is None:
                try:
                    meta = front_matter(text, both=False) if text.startswith("---") else {}
                except FrontMatterError:
                    meta = {}
            part = search.entries_json(search.page_entries(local, text, meta))
        if self.cache is not None:
            self.cache.put(relpath, digest, part)
        self.entries[prefix].append((local, part))

    def files(self) -> Iterator[tuple[str, str]]:
        """Each language's index: path under site_src/ and content, the pages in path order (as MkDocs lists them)."""
        for prefix, language in self.prefixes.items():
            pages = sorted(self.entries[prefix], key=lambda item: _walk_order(item[0]))
            yield prefix + search.INDEX_PATH, search.index_from_parts(language, (part for _, part in pages))


def _walk_order(relpath: str) -> tuple[tuple[int, bool, str], ...]:
    """MkDocs' order of pages: a folder's files (its index first) before its subfolders', folders by name."""
    *folders, name = relpath.split("/")
    return (*((1, False, folder) for folder in folders), (0, name.rpartition(".")[0] not in ("index", "README"), name))


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
    #: Whether the engine rebuilt only the changed pages of the previous site (engine.run's warm build).
    warm_engine: bool = False

    def summary(self) -> str:
        """One line: counts and time."""
        return (
            f"built: {self.facts} facts, {self.derived} derived figures, {self.charts} charts, "
            f"{self.pages} generated files ({self.written} written, {self.unchanged} unchanged) "
            f"in {self.seconds:.1f} s" + ("; the engine rebuilt only the changed pages" if self.warm_engine else "")
        )


def stage_names(run_engine: bool = True) -> list[str]:
    """The names progress reports, in order: one per step of `build`."""
    names = ["load+validate", "derive", *(stage.name for stage in STAGES), "search", "write"]
    return names + (["engine"] if run_engine else [])


def build(
    root: Path,
    *,
    strict: bool = True,
    engine_name: str = "mkdocs",
    out: Path | None = None,
    run_engine: bool = True,
    progress: Progress | None = None,
    lift_drawings: bool = True,
    clean: bool = False,
) -> BuildResult:
    """Build the site from root/facts into root/site (or `out`); raise FatalInputError on bad input.

    The engine rebuilds only the pages that changed when it can (engine.run's warm build); `clean` makes it
    build every page.

    `lift_drawings` keeps the pages' inline drawings out of the engine's Markdown and puts them back in its
    HTML (pipeline/drawings.py); the built site is the same either way. Pages written without the engine
    (`serve`, `--pages-only`) are the same files too, so switching rewrites nothing; a preview that shows
    site_src/ as it is gets its drawings from site.js instead.
    """
    started = time.perf_counter()
    warm = False
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
            # The pages' inline drawings wait beside them for the engine to be done (pipeline/drawings.py):
            # the engine reads thousands of tags less per chart.
            lifter = drawings.Lifter() if lift_drawings else None
            index = SearchIndex(i18n.languages(root), search_cache.EntryCache(root))
            for stage in STAGES:
                with progress.stage(stage.name):
                    for relpath, content in stage_outputs(gathered, stage):
                        if lifter is not None and relpath.endswith(".md") and isinstance(content, str):
                            content, lifted = lifter.lift(content)
                            for path, drawing in lifted:
                                writer.write(path, drawing, owner="drawings")
                        meta = writer.write(relpath, content, owner=stage.name)
                        if meta is not None:
                            index.add(relpath, content, meta)
            with progress.stage("search"):
                for relpath in writer.handwritten():
                    text = (writer.stage or writer.root).joinpath(relpath).read_text(encoding="utf-8")
                    index.add(relpath, text, None)
                for relpath, content in index.files():
                    writer.write(relpath, content, owner="search")
                if index.cache is not None:
                    index.cache.save()
            with progress.stage("write"):
                writer.finish()
            counts = (len(dataset.facts), len(gathered.derivation.values), len(dataset.charts))
            if run_engine:
                # The engine runs for minutes beside this process: what gathering and the stages held goes
                # back to the system first, so the build needs about the larger of the two, not their sum.
                del gathered, dataset, index, lifter
                release_memory()
                with progress.stage("engine"):
                    warm = engine.run(
                        root, out or root / "site", engine_name, strict=strict, docs_dir=writer.stage, clean=clean
                    )
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
        facts=counts[0],
        derived=counts[1],
        charts=counts[2],
        pages=len(writer.paths),
        written=writer.written,
        unchanged=writer.unchanged,
        seconds=time.perf_counter() - started,
        report=report,
        warm_engine=warm,
    )
