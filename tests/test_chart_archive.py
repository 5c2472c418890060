"""The chart archive is untrusted input: every malformed file is refused with file:line:column and a
code, nothing in a spec can make vl-convert fetch, and no build (nor `serve`) writes into facts/.

Cases are generated here from one small valid version written exactly as `archive-charts` writes it
(`archive.entry_text`: sorted keys, one-space indent), so the expected lines and columns below follow
from that layout:

    1 {
    2  "chart": "daily-tokens-bytedance-google",     value at column 11
    3  "hash": "0123456789ab",                       value at column 10
    4  "published": "2025-12-01",                    value at column 15
    5  "sequence": 1,                                value at column 14
    6  "spec": {
    7   "$schema": "https://vega.github.io/...",
    8   "data": {
    9    "values": [ ...                             (or "url": at column 4)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.inputs import archive
from generator.model.errors import FatalInputError
from generator.outputs import charts, embed
from generator.pipeline import serve
from generator.pipeline.build import build, gather

ROOT = Path(__file__).resolve().parent.parent
CHART = "daily-tokens-bytedance-google"
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"


def small_spec(**data: object) -> dict:
    return {
        "$schema": SCHEMA,
        "data": data or {"values": [{"a": 1}]},
        "mark": "bar",
        "encoding": {"y": {"field": "a", "type": "quantitative"}},
    }


def entry(spec: dict | None = None, **fields: object) -> dict:
    spec = spec if spec is not None else small_spec()
    base = {"chart": CHART, "hash": charts.spec_hash(spec), "published": "2025-12-01", "sequence": 1, "spec": spec}
    return {**base, **fields}


def text_of(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def problems_for(tmp_path: Path, name: str, content: str | bytes) -> list[tuple[str, int, int, str]]:
    """Problems of an archive holding one file `name` (under the chart's folder) with `content`."""
    folder = tmp_path / archive.ARCHIVE_DIR / CHART
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    found = archive.read(tmp_path)
    assert found.of(CHART) == [], "a refused file must not be used"
    return [(p.file, p.line, p.column, p.code) for p in found.problems]


def where(name: str) -> str:
    return f"archive/charts/{CHART}/{name}"


VALID = entry()
NAME = f"{VALID['hash']}.json"


def test_the_reference_case_is_valid_and_laid_out_as_the_docstring_says(tmp_path):
    text = archive.entry_text(archive.ChartVersion.model_validate(VALID))
    assert text == text_of(VALID)
    lines = text.splitlines()
    assert lines[2].index(f'"{VALID["hash"]}"') + 1 == 10 and lines[3].index('"2025') + 1 == 15
    (tmp_path / archive.ARCHIVE_DIR / CHART).mkdir(parents=True)
    (tmp_path / archive.ARCHIVE_DIR / CHART / NAME).write_text(text, encoding="utf-8")
    found = archive.read(tmp_path)
    assert found.problems == [] and [v.hash for v in found.of(CHART)] == [VALID["hash"]]


def _deep() -> str:
    # Root object, spec object, then 40 nested lists: the list at depth 32 (MAX_NESTING) is the 31st '['.
    return '{"spec":{"a":' + "[" * 40 + "]" * 40 + "}}"


CASES: dict[str, tuple[Callable[[], tuple[str, str | bytes]], tuple[int, int, str]]] = {
    "bad-json": (
        lambda: (NAME, text_of(VALID).replace('"sequence": 1,', '"sequence": 1')),
        (6, 2, "chart-version-invalid-json"),
    ),
    "not-an-object": (lambda: (NAME, "[1, 2]\n"), (1, 1, "chart-version-wrong-type")),
    "missing-key": (
        lambda: (NAME, text_of({k: v for k, v in VALID.items() if k != "sequence"})),
        (1, 1, "chart-version-missing-field"),
    ),
    "unknown-key": (lambda: (NAME, text_of({**VALID, "extra": 1})), (3, 2, "chart-version-unknown-key")),
    "traversal-hash": (
        lambda: (NAME, text_of({**VALID, "hash": "../../../../x"})),
        (3, 10, "chart-version-invalid-hash"),
    ),
    "script-in-published": (
        lambda: (NAME, text_of({**VALID, "published": "<script>alert(1)</script>"})),
        (4, 15, "chart-version-invalid-date"),
    ),
    "unreal-date": (
        lambda: (NAME, text_of({**VALID, "published": "2025-02-30"})),
        (4, 15, "chart-version-invalid-date"),
    ),
    "sequence-as-text": (lambda: (NAME, text_of({**VALID, "sequence": "1"})), (5, 14, "chart-version-wrong-type")),
    "sequence-zero": (lambda: (NAME, text_of({**VALID, "sequence": 0})), (5, 14, "chart-version-invalid-value")),
    "chart-not-a-slug": (lambda: (NAME, text_of({**VALID, "chart": "../x"})), (2, 11, "chart-version-invalid-id")),
    "chart-of-another-folder": (
        lambda: (NAME, text_of({**VALID, "chart": "another-chart"})),
        (2, 11, "chart-version-chart-mismatch"),
    ),
    "hash-not-the-file-name": (lambda: ("ffffffffffff.json", text_of(VALID)), (3, 10, "chart-version-hash-mismatch")),
    "spec-edited": (
        lambda: (NAME, text_of({**VALID, "spec": {**VALID["spec"], "mark": "line"}})),
        (3, 10, "chart-version-hash-mismatch"),
    ),
    "data-url": (lambda: _hashed(small_spec(url="http://127.0.0.1:9/x.json")), (9, 4, "chart-spec-external-reference")),
    "image-mark": (
        lambda: _hashed({**small_spec(), "mark": {"type": "image", "width": 9}}),
        (21, 3, "chart-spec-external-reference"),
    ),
    "href-channel": (
        lambda: _hashed({**small_spec(), "encoding": {"href": {"field": "a"}}}),
        (16, 4, "chart-spec-external-reference"),
    ),
    "duplicate-key": (
        lambda: (NAME, text_of(VALID).replace('"sequence": 1,', '"sequence": 1,\n "sequence": 2,')),
        (6, 2, "chart-version-duplicate-key"),
    ),
    "nan": (
        lambda: (NAME, text_of(VALID).replace('"sequence": 1,', '"sequence": NaN,')),
        (5, 14, "chart-version-invalid-json"),
    ),
    "too-deep": (lambda: (NAME, _deep()), (1, 44, "chart-version-too-deep")),
    "not-utf8": (
        lambda: (NAME, text_of(VALID).replace("2025-12-01", "2025-12-0\udcff").encode("utf-8", "surrogateescape")),
        (4, 25, "chart-version-not-utf8"),
    ),
    "too-large": (lambda: (NAME, " " * (2 * 1024 * 1024 + 1)), (1, 1, "chart-version-too-large")),
    "bidi-override-in-title": (
        lambda: _hashed({**small_spec(), "title": "Budget \u202e2025"}),
        (22, 12, "chart-version-invalid-character"),
    ),
    "integer-too-long": (
        lambda: (NAME, text_of(VALID).replace('"sequence": 1,', '"sequence": 1' + "0" * 5000 + ",")),
        (1, 1, "chart-version-invalid-json"),
    ),
    "number-too-large": (
        lambda: (NAME, text_of(VALID).replace('"values": [', '"values": [1e400, ')),
        (3, 10, "chart-version-hash-mismatch"),
    ),
    "wrong-name": (lambda: ("notes.txt", "hello\n"), (1, 1, "chart-version-unexpected-entry")),
}


def _hashed(spec: dict) -> tuple[str, str]:
    data = entry(spec)
    return f"{data['hash']}.json", text_of(data)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_malformed_archive_file_is_refused_with_its_place_and_code(tmp_path, case):
    make, (line, column, code) = CASES[case]
    name, content = make()
    assert (where(name), line, column, code) in problems_for(tmp_path, name, content)


def test_a_symlink_a_fifo_and_odd_folders_are_refused(tmp_path):
    base = tmp_path / archive.ARCHIVE_DIR
    (base / CHART).mkdir(parents=True)
    outside = tmp_path / "outside.json"
    outside.write_text(text_of(VALID), encoding="utf-8")
    (base / CHART / NAME).symlink_to(outside)
    os.mkfifo(base / CHART / "0123456789ab.json")
    (base / "Not_A_Slug").mkdir()
    (base / "stray.json").write_text("{}", encoding="utf-8")
    found = archive.read(tmp_path)  # the FIFO is never opened for reading, so this cannot hang
    codes = {(p.file, p.code) for p in found.problems}
    assert (where(NAME), "chart-version-not-a-file") in codes
    assert (where("0123456789ab.json"), "chart-version-not-a-file") in codes
    assert ("archive/charts/Not_A_Slug", "chart-version-unexpected-entry") in codes
    assert ("archive/charts/stray.json", "chart-version-unexpected-entry") in codes
    assert found.versions == {}


def test_two_versions_with_one_sequence_keep_the_first(tmp_path):
    other = entry(small_spec(values=[{"a": 2}]))
    folder = tmp_path / archive.ARCHIVE_DIR / CHART
    folder.mkdir(parents=True)
    for data in (VALID, other):
        (folder / f"{data['hash']}.json").write_text(text_of(data), encoding="utf-8")
    found = archive.read(tmp_path)
    assert [p.code for p in found.problems] == ["chart-version-duplicate-sequence"]
    assert len(found.of(CHART)) == 1


def test_validate_reports_the_archive_and_build_stops_without_a_traceback(project):
    name, content = _hashed(small_spec(url="http://127.0.0.1:9/x.json"))
    target = project / archive.ARCHIVE_DIR / CHART / name
    target.write_text(content, encoding="utf-8")
    report = gather(project).report
    assert (where(name), 9, "chart-spec-external-reference") in report.flatten(("file", "line", "code"))
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--pages-only", "-q", "--root", str(project)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 1, done.stderr
    assert f"{where(name)}:9:4: [chart-spec-external-reference]" in done.stderr
    assert "internal error" not in done.stderr and not (project / "site_src" / "charts").exists()


def test_published_is_escaped_even_if_it_were_to_get_past_validation(project, monkeypatch):
    gathered = gather(project)
    plotted = charts.plot_all(gathered, [gathered.dataset.charts[CHART].model])[0]
    hostile = archive.ChartVersion.model_construct(
        chart=CHART,
        hash="0123456789ab",
        sequence=1,
        spec=plotted.spec,
        published='<script>alert(1)</script>"><img src=x onerror=alert(2)>',
    )
    forged = archive.Archive({CHART: [hostile]}, [])
    files = embed.chart_files(gather(project), plotted, forged)
    for path, content in files.items():
        if isinstance(content, str):
            assert "<script>alert" not in content and "<img src=x" not in content, path


# --- no fetching ------------------------------------------------------------------------------

SERVER = r"""
import http.server, sys
log = open(sys.argv[1], "a", buffering=1)
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        log.write(self.path + "\n")
        body = b'[{"a": 1, "b": "FETCHED-SECRET"}]'
        self.send_response(200); self.send_header("Content-Type", "application/json"); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_port, flush=True)
server.serve_forever()
"""


@pytest.fixture
def listener(tmp_path):
    """An HTTP server on 127.0.0.1 in its own process (vl-convert holds the GIL while it renders);
    yields (base URL, a function returning the paths requested so far)."""
    log = tmp_path / "requests.log"
    log.touch()
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(log)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}/", lambda: log.read_text(encoding="utf-8").split()
    finally:
        process.terminate()
        process.wait(timeout=10)


def _server_works(base: str, requests: Callable[[], list[str]]) -> None:
    """The listener answers (so zero requests below means none were made, not that none could be)."""
    import urllib.request

    with urllib.request.urlopen(base + "probe", timeout=10) as response:  # noqa: S310 - our own local server
        assert b"FETCHED-SECRET" in response.read()
    assert requests() == ["/probe"]


def _text_spec(**data: object) -> dict:
    return {"$schema": SCHEMA, "data": data, "mark": "text", "encoding": {"text": {"field": "b"}}}


def test_no_render_can_fetch(tmp_path, listener, monkeypatch):
    base, requests = listener
    _server_works(base, requests)
    for spec in (
        _text_spec(url=base + "data.json"),
        {**_text_spec(values=[{"u": base + "image.png"}]), "mark": "image", "encoding": {"url": {"field": "u"}}},
        {
            "$schema": SCHEMA,
            "data": {"values": [{"a": 1}]},
            "mark": "bar",
            "transform": [{"lookup": "a", "from": {"data": {"url": base + "lookup.json"}, "key": "a"}}],
        },
    ):
        with pytest.raises(charts.ChartError, match="external reference"):
            charts.render(spec, "svg", tmp_path / "cache")
        with pytest.raises(charts.ChartError, match="external reference"):
            charts.prerender([spec, spec], tmp_path / "cache", workers=1)
    # Second line of defence: even with the check switched off, vl-convert runs with no allowed URL.
    monkeypatch.setattr(charts, "refuse_external", lambda spec: None)
    with pytest.raises(ValueError, match="not allowed"):
        charts.render(_text_spec(url=base + "data.json"), "svg", tmp_path / "cache")
    # And an SVG that links or embeds anything is never rasterised.
    with pytest.raises(charts.ChartError, match="rasterise"):
        charts._draw_png(f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{base}x.png"/></svg>')
    # Text that merely says "href" (a chart title, an aria-label) is drawn as text, not refused.
    assert charts.plain_svg(
        '<svg xmlns="http://www.w3.org/2000/svg"><text aria-label="a href=b">&lt;a href=x&gt;</text></svg>'
    )
    time.sleep(0.5)
    assert requests() == ["/probe"]
    assert not list((tmp_path / "cache").glob("*.svg"))


def test_an_archived_spec_with_a_url_is_never_fetched_by_the_build(project, listener):
    base, requests = listener
    _server_works(base, requests)
    name, content = _hashed(_text_spec(url=base + "archived.json"))
    (project / archive.ARCHIVE_DIR / CHART / name).write_text(content, encoding="utf-8")
    with pytest.raises(FatalInputError) as caught:
        build(project, run_engine=False)
    assert "chart-spec-external-reference" in [p.code for p in caught.value.report.problems]
    assert requests() == ["/probe"]


# --- a build never writes into facts/ or archive/ ---------------------------------------------


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8"))
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_builds_and_serve_never_write_into_facts_or_the_archive(project):
    shutil.rmtree(project / archive.ARCHIVE_DIR / CHART)  # a chart with no archived version at all
    before = (tree_hash(project / "facts"), tree_hash(project / "archive"))
    build(project, run_engine=False)
    assert (tree_hash(project / "facts"), tree_hash(project / "archive")) == before
    assert "built:" in serve.rebuild(project)
    assert (tree_hash(project / "facts"), tree_hash(project / "archive")) == before
    # A build that fails (a broken archive file) writes nothing there either.
    (project / archive.ARCHIVE_DIR / "bytedance-ai-budget-2025-2026" / NAME).write_text("{", encoding="utf-8")
    broken = (tree_hash(project / "facts"), tree_hash(project / "archive"))
    with pytest.raises(FatalInputError):
        build(project, run_engine=False)
    assert "pages not rewritten" in serve.rebuild(project)
    assert (tree_hash(project / "facts"), tree_hash(project / "archive")) == broken
    assert not (project / "facts" / "chart-versions").exists()


def test_archive_charts_needs_a_commit_date_and_never_reads_the_clock(project, monkeypatch, capsys):
    from generator.cli import main

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    shutil.rmtree(project / archive.ARCHIVE_DIR / CHART)
    assert main(["archive-charts", "--root", str(project)]) == 1  # a copy outside any git repository
    assert "no commit to date" in capsys.readouterr().err
    assert not (project / archive.ARCHIVE_DIR / CHART).exists()
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2024-03-05T12:00:00Z",
        "GIT_COMMITTER_DATE": "2024-03-05T12:00:00Z",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    subprocess.run(["git", "-C", str(project), "commit", "-q", "--allow-empty", "-m", "x"], check=True, env=env)
    assert main(["archive-charts", "--root", str(project)]) == 0
    (written,) = (project / archive.ARCHIVE_DIR / CHART).glob("*.json")
    data = json.loads(written.read_text(encoding="utf-8"))
    assert data["published"] == "2024-03-05" and data["sequence"] == 1
    assert archive.read(project).problems == []


def test_a_compact_layout_is_checked_like_the_spec(tmp_path):
    """The optional compact layout is untrusted too: a url in it is refused where it stands."""
    spec = small_spec()
    text = text_of(entry(spec, compact=small_spec(url="http://127.0.0.1:9/x.json")))
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"url"' in row)
    column = text.splitlines()[line - 1].index('"url"') + 1
    assert problems_for(tmp_path, f"{charts.spec_hash(spec)}.json", text) == [
        (where(f"{charts.spec_hash(spec)}.json"), line, column, "chart-spec-external-reference")
    ]


def test_a_version_archived_without_a_compact_layout_is_completed_not_changed(tmp_path):
    """archive-charts adds the compact layout to the current version when it is missing, and nothing else:
    same hash, date and sequence, and the wide spec as it was. Files without one are read as before."""
    wide, compact = small_spec(), {**small_spec(), "width": 250}
    old = archive.ChartVersion.model_validate(entry(wide))
    assert "compact" not in archive.entry_text(old)

    class Chart:
        id = CHART

    class Plotted:
        chart, spec, hash = Chart, wide, charts.spec_hash(wide)

    Plotted.compact = compact
    known = archive.Archive({CHART: [old]}, [])
    [completed] = archive.pending(tmp_path, [Plotted], known)
    assert (completed.hash, completed.published, completed.sequence, completed.spec) == (
        old.hash,
        old.published,
        old.sequence,
        old.spec,
    )
    assert completed.compact == compact
    folder = tmp_path / archive.ARCHIVE_DIR / CHART
    folder.mkdir(parents=True)
    (folder / f"{old.hash}.json").write_text(archive.entry_text(completed), encoding="utf-8")
    found = archive.read(tmp_path)
    assert found.problems == [] and found.of(CHART)[0].compact == compact
    assert archive.pending(tmp_path, [Plotted], found) == []


def test_each_language_keeps_its_own_versions_and_numbers(tmp_path):
    """A version drawn in French says so (`language: fr`); it is listed for French only, and numbers its
    versions apart from the English ones (both sequence 1 here, no duplicate)."""
    french = entry(small_spec(values=[{"a": 3}]), language="fr")
    folder = tmp_path / archive.ARCHIVE_DIR / CHART
    folder.mkdir(parents=True)
    for data in (VALID, french):
        (folder / f"{data['hash']}.json").write_text(text_of(data), encoding="utf-8")
    found = archive.read(tmp_path)
    assert found.problems == []
    assert [v.hash for v in found.of(CHART)] == [VALID["hash"]]
    assert [(v.hash, v.language) for v in found.of(CHART, "fr")] == [(french["hash"], "fr")]
    assert '"language"' not in archive.entry_text(found.of(CHART)[0])  # English files stay as they were


def test_a_language_that_is_not_a_code_is_refused_at_its_place(tmp_path):
    found = problems_for(tmp_path, NAME, text_of({**VALID, "language": "French"}))
    assert found == [(where(NAME), 4, 14, "chart-version-invalid-value")]  # the value, after "hash"
