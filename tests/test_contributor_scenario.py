"""A contributor's pull request end to end, in a throwaway git repository (issues 6 and 7).

Change a value and break another fact on a branch: `validate --format github` annotates the
broken line, `diff main` names the change and every derived figure that moved, and
`validate --base main` refuses the silent edit until a history entry is added. Then the
corrections page and the Atom feed list the correction and a retraction.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.pipeline.build import build
from tests.conftest import ROOT, share_chart_cache

#: Slow (runs the command line on git repositories, builds included): `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow

BUDGET_2026 = "bytedance-ai-infrastructure-budget-2026"
ATOM = "{http://www.w3.org/2005/Atom}"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str, **env: str) -> str:
    """Run git in a test repository (extra environment variables in `env`), failing the test on error."""
    done = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, env={**os.environ, **GIT_ENV, **env}
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def make_repo(dest: Path) -> Path:
    """A copy of the project's inputs committed on `main` in a new git repository."""
    dest.mkdir()
    for name in ("facts", "templates", "site_src", "schema"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns(".generated.json"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / ".gitignore").write_text("site/\nsite_src/.generated.json\n.generator-cache/\n", encoding="utf-8")
    share_chart_cache(dest)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "seed")
    git(dest, "switch", "-q", "-c", "contribution")
    return dest


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `python -m generator` on the repository."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args, "--root", str(root)],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV, "PYTHONPATH": str(ROOT)},
    )


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact passage of a file (it must occur once)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    """1-based number of the line holding `text`."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


VALUE_2026 = "    value: {point: 160e9}\n    unit: CNY\n    status: planned"
HISTORY = (
    "    value: {point: 170e9}\n    unit: CNY\n    history:\n      - changed: 2026-11-27\n"
    "        previous_value: {point: 160e9}\n        reason: The FT corrected the figure.\n"
    "    status: planned"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


def test_pull_request_scenario(repo: Path):
    investment, chips = repo / "facts" / "investment.yaml", repo / "facts" / "chips.yaml"
    edit(investment, VALUE_2026, VALUE_2026.replace("160e9", "170e9"))
    broken_line = line_of(chips, "status: ")
    text = chips.read_text(encoding="utf-8").splitlines()
    text[broken_line - 1] = text[broken_line - 1].replace(text[broken_line - 1].split(": ")[1], "rumoured")
    chips.write_text("\n".join(text) + "\n", encoding="utf-8")

    github = cli(repo, "validate", "--format", "github")
    assert github.returncode == 1
    assert f"::error file=facts/chips.yaml,line={broken_line},col=13,title=invalid-choice::" in github.stdout

    chips.write_text(git(repo, "show", "main:facts/chips.yaml"), encoding="utf-8")  # repair it
    diff = cli(repo, "diff", "main")
    assert diff.returncode == 0, diff.stderr
    assert f"fact changed: {BUDGET_2026} value: ¥160 bn -> ¥170 bn" in diff.stdout
    for moved in (
        "bytedance-ai-budget-growth-2025-2026: +6.7% -> +13%",
        "bytedance-ai-budget-2026-in-usd: ≈ $23 bn -> ≈ $24 bn",
        "bytedance-ai-processor-share-of-2026-budget: 53% -> 50%",
        "us-big-four-spend-multiple-of-bytedance-2026:",
    ):
        assert f"derived moved: {moved}" in diff.stdout
    assert diff.stdout.count("derived moved:") == 4

    refused = cli(repo, "validate", "--base", "main")
    assert refused.returncode == 1
    value_line = line_of(investment, "value: {point: 170e9}")
    assert (
        f"facts/investment.yaml:{value_line}:12: [correction-without-history] fact '{BUDGET_2026}' changed its "
        "value without a new history entry (if our record was wrong (a correction), add as the first item of "
        "`history:` {changed: YYYY-MM-DD, previous_value: {point: 160e9}, reason: ...}; if the source itself "
        "revised its figure (an update: a new outlook, a restated number), restore this fact as it was and add a "
        f"new fact with `supersedes: {BUDGET_2026}`)"
    ) in refused.stdout

    edit(investment, VALUE_2026.replace("160e9", "170e9"), HISTORY)
    accepted = cli(repo, "validate", "--base", "main")
    assert "correction-without-history" not in accepted.stdout
    assert "[correction-without-history]" not in accepted.stderr
    assert accepted.returncode == 0, accepted.stdout


def test_correction_scenario_page_and_feed(repo: Path):
    investment = repo / "facts" / "investment.yaml"
    edit(investment, VALUE_2026, HISTORY)
    # A second correction with the wrong previous value is refused, naming the field.
    edit(
        investment,
        "    value: {point: 150e9}\n",
        "    value: {point: 155e9}\n    history:\n"
        "      - {changed: 2026-11-28, previous_value: {point: 1e9}, reason: Wrong old value.}\n",
    )
    refused = cli(repo, "validate", "--base", "main")
    assert (
        "[correction-without-history] fact 'bytedance-ai-infrastructure-budget-2025': the newest history "
        "entry does not keep the previous value"
    ) in refused.stdout
    edit(
        investment,
        "previous_value: {point: 1e9}, reason: Wrong old value.",
        "previous_value: {point: 150e9}, reason: Restated <in> the | FT.",
    )
    # Retract a fact nothing is derived from.
    edit(
        investment,
        "      of about 6.96 yuan per dollar (see cny-per-usd-implied-2025-12).\n",
        "      of about 6.96 yuan per dollar (see cny-per-usd-implied-2025-12).\n"
        f"    retracted: {{date: 2026-11-29, reason: A conversion is not a fact., replaced_by: {BUDGET_2026}}}\n",
    )
    ok = cli(repo, "validate", "--base", "main")
    assert ok.returncode == 0, ok.stdout + ok.stderr

    build(repo, run_engine=False, strict=False)  # the corrected values make two checks warn
    page = (repo / "site_src" / "corrections" / "index.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| 2026")]
    assert [row.split(" | ")[0] for row in rows] == [
        "| 2026-11-29",
        "| 2026-11-28",
        "| 2026-11-27",
    ]
    assert f"(../facts/{BUDGET_2026}.md) | ¥160 bn (planned) | ¥170 bn (planned) |" in rows[2]
    assert "Restated &#60;in&#62; the &#124; FT." in rows[1] and "<in>" not in page
    assert "**retracted**, replaced by" in rows[0]

    feed = ET.fromstring((repo / "site_src" / "corrections" / "feed.xml").read_bytes())
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        "tag:ai-infra-facts,2026:retraction/bytedance-ai-infrastructure-budget-2026-usd/2026-11-29",
        "tag:ai-infra-facts,2026:correction/bytedance-ai-infrastructure-budget-2025/2026-11-28",
        f"tag:ai-infra-facts,2026:correction/{BUDGET_2026}/2026-11-27",
    ]
    assert feed.findtext(f"{ATOM}updated") == "2026-11-29T00:00:00Z"
    assert "Reason: Restated <in> the | FT." in entries[1].findtext(f"{ATOM}summary")
