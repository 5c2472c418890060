"""The command line: exit codes, output formats, and an end-to-end build that fails safely."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: Slow (the command line in subprocesses, with builds): `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow

BROKEN = ROOT / "tests" / "broken"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def test_validate_exit_codes_and_formats(project: Path):
    ok = run("validate", "--root", str(project))
    assert ok.returncode == 0 and "valid" in ok.stdout
    shutil.copy(BROKEN / "unknown-unit.yaml", project / "facts" / "zz.yaml")
    text = run("validate", "--root", str(project))
    assert text.returncode == 1
    assert "facts/zz.yaml:10:11: [unknown-unit] unit 'CNYY'" in text.stdout
    assert "Traceback" not in text.stdout + text.stderr
    github = run("validate", "--format", "github", "--root", str(project))
    assert github.stdout.startswith("::error file=facts/zz.yaml,line=10,col=11,title=unknown-unit::")
    data = json.loads(run("validate", "--format", "json", "--root", str(project)).stdout)
    assert data["valid"] is False and data["problems"][0]["code"] == "unknown-unit"
    assert run("validate", "--format", "yaml").returncode == 2
    assert run("frobnicate").returncode == 2


def test_build_then_failed_build_leaves_site_untouched(project: Path):
    first = run("build", "--root", str(project))
    assert first.returncode == 0, first.stderr
    site = project / "site"
    assert (site / "facts" / "index.html").is_file()
    assert "ByteDance plans to invest 160 billion yuan" in (site / "facts" / "index.html").read_text()
    before = tree_hash(site)
    shutil.copy(BROKEN / "range-inverted.yaml", project / "facts" / "zz.yaml")
    failed = run("build", "--root", str(project))
    assert failed.returncode == 1
    assert "[range-inverted]" in failed.stderr and "Traceback" not in failed.stderr
    assert tree_hash(site) == before
    assert not list(project.glob(".site-build-*"))


def test_every_generator_command_in_the_workflows_parses():
    """CI calls the CLI with flags of its own; a renamed flag must fail here, not on GitHub."""
    import re
    import shlex

    from generator.cli import parser

    calls = []
    for path in sorted((ROOT / ".github").rglob("*.y*ml")) + [ROOT / ".pre-commit-config.yaml", ROOT / "Makefile"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.search(r"-m generator ((?:(?! \d?>)[^|>&;#)])*)", line)
            if match:
                words = [w for w in shlex.split(match.group(1).replace('"$', '"X').replace("$(VERSION)", "1.0.0"))]
                words = [w.replace("$base", "main").replace("$", "") for w in words]
                calls.append((path.name, words))
    assert len(calls) >= 5
    for name, words in calls:
        try:
            parser().parse_args(words)
        except SystemExit as exc:
            raise AssertionError(f"{name}: 'python -m generator {' '.join(words)}' does not parse") from exc
