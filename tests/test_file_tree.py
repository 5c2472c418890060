"""The facts/ tree is untrusted: links, pipes, devices, folders named like fact files, names that are not UTF-8.

Each case is made in a copy of the project (these cannot be committed as text files) and must give
exactly the expected (file, line, column, code), nothing else, quickly (a FIFO must not block, a link
to /dev/zero must not be read), with nothing of an outside file in any message, and a build that
stops before writing anything. See generator/inputs/files.py.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.inputs import files
from generator.model.errors import FatalInputError
from generator.pipeline.build import build, gather

ROOT = Path(__file__).resolve().parent.parent
SECRET = "outside-secret-key-4f2a"


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _outside(project: Path) -> Path:
    target = project.parent / "outside.yaml"
    target.write_text(f"schema_version: 1\n{SECRET}:\n  - id: x\n", encoding="utf-8")
    return target


def _mknod(path: Path) -> None:
    try:
        os.mknod(path, 0o600 | 0o020000, os.makedev(1, 3))  # a character device like /dev/null
    except PermissionError:
        pytest.skip("creating a device node needs root")


#: name -> (make the entry under facts/ given the project root, display path, expected (line, column, code)).
CASES: dict[str, tuple[Callable[[Path], None], str, list[tuple[int, int, str]]]] = {
    "symlink-to-dev-zero": (
        lambda p: (p / "facts" / "zero.yaml").symlink_to("/dev/zero"),
        "facts/zero.yaml",
        [(1, 1, "symlink")],
    ),
    "symlink-outside-repository": (
        lambda p: (p / "facts" / "outside.yaml").symlink_to(_outside(p)),
        "facts/outside.yaml",
        [(1, 1, "symlink")],
    ),
    "symlink-inside-facts": (
        lambda p: (p / "facts" / "again.yaml").symlink_to("tokens.yaml"),
        "facts/again.yaml",
        [(1, 1, "symlink")],
    ),
    "symlinked-folder": (
        lambda p: (p / "facts" / "more").symlink_to(_outside(p).parent),
        "facts/more",
        [(1, 1, "symlink")],
    ),
    "fifo": (lambda p: os.mkfifo(p / "facts" / "pipe.yaml"), "facts/pipe.yaml", [(1, 1, "not-regular-file")]),
    "folder-named-like-a-fact-file": (
        lambda p: (p / "facts" / "x.yaml").mkdir(),
        "facts/x.yaml",
        [(1, 1, "not-regular-file")],
    ),
    "device": (lambda p: _mknod(p / "facts" / "null.yaml"), "facts/null.yaml", [(1, 1, "not-regular-file")]),
    "fifo-in-documents": (
        lambda p: os.mkfifo(p / "facts" / "documents" / "pipe.txt"),
        "facts/documents/pipe.txt",
        [(1, 1, "not-regular-file")],
    ),
    "non-utf8-file-name": (
        lambda p: (p / "facts" / os.fsdecode(b"bad\xff\x1b[2J.yaml")).write_bytes(b"schema_version: 1\n"),
        "facts/bad\\xff\\x1b[2J.yaml",
        [(1, 1, "file-name-not-utf8")],
    ),
}


def _refused(project: Path, display: str, expect: list[tuple[int, int, str]]) -> None:
    report = gather(project).report
    found = sorted((p.line, p.column, p.code) for p in report.problems if p.file == display)
    others = [p.text() for p in report.problems if p.file != display]
    assert found == expect
    assert others == []
    rendered = report.render("text") + report.render("json") + report.render("github")
    assert SECRET not in rendered
    assert str(project) not in rendered, "paths are shown relative to the project"
    rendered.encode("utf-8")  # printable: no lone surrogates from an undecodable name


@pytest.mark.parametrize("name", sorted(CASES))
def test_file_tree_entry_is_refused(name: str, project: Path) -> None:
    make, display, expect = CASES[name]
    make(project)
    _refused(project, display, expect)


def test_refused_entry_stops_the_build_before_anything_is_written(project: Path) -> None:
    before = _tree_hash(project / "site_src")
    (project / "facts" / "zero.yaml").symlink_to("/dev/zero")
    with pytest.raises(FatalInputError):
        build(project, run_engine=False)
    assert _tree_hash(project / "site_src") == before


def test_the_loaded_files_are_the_regular_ones_in_the_usual_order(project: Path) -> None:
    os.mkfifo(project / "facts" / "pipe.yaml")
    (project / "facts" / "sub").mkdir()
    (project / "facts" / "sub" / "a.yaml").write_text("schema_version: 1\n", encoding="utf-8")
    found, problems = files.scan(project)
    expect = sorted(p for p in (project / "facts").rglob("*.yaml") if p.is_file() and "documents" not in p.parts)
    assert found == expect and (project / "facts" / "sub" / "a.yaml") in found
    assert [p.file for p in problems] == ["facts/pipe.yaml"]


def test_a_source_document_behind_a_link_is_not_read(project: Path) -> None:
    documents = project / "facts" / "documents"
    name = next(p.name for p in sorted(documents.iterdir()) if p.name.endswith(".fr.txt"))  # the seed report
    (documents / name).rename(project.parent / name)
    (documents / name).symlink_to(project.parent / name)
    report = gather(project).report
    sources = (project / "facts" / "sources.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(sources, 1) if f"document: documents/{name}" in text)
    column = sources[line - 1].index("documents/") + 1
    got = sorted((p.file, p.line, p.column, p.code) for p in report.problems)
    assert (f"facts/documents/{name}", 1, 1, "symlink") in got
    assert ("facts/sources.yaml", line, column, "document-not-found") in got
    assert "symbolic link" in next(p.message for p in report.problems if p.code == "document-not-found")


def test_a_document_path_that_leaves_facts_is_refused(project: Path) -> None:
    _outside(project)
    data, reason = files.read_under(project / "facts", "../outside.yaml", "facts")
    assert data is None and "relative path" in reason
    data, reason = files.read_under(project / "facts", "/etc/passwd", "facts")
    assert data is None


def test_reads_are_bounded_whatever_st_size_says(tmp_path: Path) -> None:
    proc = Path("/proc/self/status")  # a regular file whose st_size is 0 but which holds ~1 kB
    if not proc.is_file() or proc.stat().st_size != 0:
        pytest.skip("needs Linux /proc")
    data, problems = files.read_bounded(proc, "status", limit=64)
    assert data is None and [p.code for p in problems] == ["file-too-large"]
    data, problems = files.read_bounded(proc, "status", limit=1 << 20)
    assert problems == [] and data and b"Name:" in data


def test_a_file_swapped_for_a_link_after_the_scan_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    target.symlink_to("/dev/zero")
    data, problems = files.read_bounded(target, "facts/x.yaml")
    assert data is None and [p.code for p in problems] == ["symlink"]


def test_display_escapes_what_a_terminal_would_obey() -> None:
    assert files.display("facts/a.yaml") == "facts/a.yaml"
    assert files.display("facts/é.yaml") == "facts/é.yaml"
    assert files.display(os.fsdecode(b"facts/\xff.yaml")) == "facts/\\xff.yaml"
    assert files.display("facts/\x1b[31m\u202e.yaml") == "facts/\\x1b[31m\\u202e.yaml"


@pytest.mark.slow  # a build or the command line in a subprocess
@pytest.mark.parametrize("name", ["non-utf8-file-name", "fifo", "symlink-to-dev-zero", "folder-named-like-a-fact-file"])
def test_the_command_line_exits_1_with_the_entry_named(name: str, project: Path) -> None:
    make, display, expect = CASES[name]
    make(project)
    for command in (["validate"], ["build", "--pages-only", "-q"]):
        proc = subprocess.run(
            [sys.executable, "-m", "generator", *command, "--root", str(project)],
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=120,
        )
        output = (proc.stdout + proc.stderr).decode("utf-8")  # strict: the output is valid UTF-8
        assert proc.returncode == 1, output
        assert f"{display}:1:1: [{expect[0][2]}]" in output
        assert "Traceback" not in output and "internal error" not in output
        assert "\x1b" not in output
