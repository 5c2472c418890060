"""`diff BASE [HEAD]` and the `validate --base` rules: renames, retractions, deletions, reused ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.pipeline import revisions
from generator.pipeline.build import gather
from tests.test_contributor_scenario import BUDGET_2026, VALUE_2026, cli, edit, git, make_repo

#: Slow (git repositories and the command line): `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow

USD = "bytedance-ai-infrastructure-budget-2026-usd"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


def codes(repo: Path) -> list[tuple[str, str]]:
    problems = revisions.correction_problems(repo, "main", gather(repo))
    return sorted((p.code, p.message) for p in problems)


def test_unchanged_tree_has_no_changes_and_no_problems(repo: Path):
    out = cli(repo, "diff", "main")
    assert out.returncode == 0
    assert "no change to the data" in out.stdout
    assert codes(repo) == []


def test_bad_revision_is_exit_2_without_traceback(repo: Path):
    out = cli(repo, "diff", "no-such-branch")
    assert out.returncode == 2
    assert out.stderr.strip() == "diff: unknown revision 'no-such-branch' (try main, origin/main or a commit id)"
    assert "Traceback" not in out.stderr
    validate = cli(repo, "validate", "--base=--not-a-rev")
    assert validate.returncode == 2
    assert validate.stderr.strip() == "validate: '--not-a-rev' is not a revision"
    unknown = cli(repo, "validate", "--base", "no-such-branch")
    assert unknown.returncode == 2 and "unknown revision 'no-such-branch'" in unknown.stderr


def test_markdown_escapes_untrusted_text(repo: Path):
    edit(repo / "facts" / "investment.yaml", VALUE_2026, VALUE_2026.replace("status: planned", "status: reported"))
    quote = "      text: prévoit d’investir 160 milliards"
    edit(repo / "facts" / "investment.yaml", quote, quote.replace("milliards", "milliards | <script>x</script> `code`"))
    out = cli(repo, "diff", "main", "--format", "markdown")
    assert "<script>" not in out.stdout and "| <" not in out.stdout
    assert "&#124; &#60;script&#62;x&#60;/script&#62; &#96;code&#96;" in out.stdout
    assert f"| {BUDGET_2026} | status | planned | reported | **missing** |" in out.stdout
    assert out.returncode == 1  # the changed quote is no longer in the source document


def test_rename_retraction_and_json(repo: Path):
    investment = repo / "facts" / "investment.yaml"
    edit(investment, f"  - id: {USD}\n", f"  - id: {USD}-article\n    renamed_from: [{USD}]\n")
    edit(
        investment,
        "      of about 6.96 yuan per dollar (see cny-per-usd-implied-2025-12).\n",
        "      of about 6.96 yuan per dollar (see cny-per-usd-implied-2025-12).\n"
        "    retracted: {date: 2026-11-29, reason: A conversion is not a fact.}\n",
    )
    data = json.loads(cli(repo, "diff", "main", "--format", "json").stdout)
    assert data["facts"]["renamed"] == [{"from": USD, "to": f"{USD}-article"}]
    assert data["facts"]["retracted"] == [
        {"id": f"{USD}-article", "date": "2026-11-29", "reason": "A conversion is not a fact.", "replaced_by": None}
    ]
    assert data["facts"]["added"] == data["facts"]["removed"] == data["derived"] == []
    assert f"/facts/{USD}-article/" in data["pages"]
    assert data["validation"]["valid"] is True
    assert codes(repo) == []  # a rename is not a deletion


def test_deleted_fact_and_reused_id(repo: Path):
    tokens = repo / "facts" / "tokens.yaml"
    text = tokens.read_text(encoding="utf-8")
    start = text.index("  - id: google-daily-tokens")
    end = text.find("\n  - id:", start + 1)
    tokens.write_text(text[:start] + (text[end + 1 :] if end != -1 else ""), encoding="utf-8")
    edit(
        repo / "facts" / "investment.yaml",
        "    period: 2026\n    statement: ByteDance plans",
        "    period: 2027\n    statement: ByteDance plans",
    )
    found = codes(repo)
    assert ("fact-deleted", "fact 'google-daily-tokens' was deleted since main") in found
    assert ("id-reused", f"fact '{BUDGET_2026}' now means something else (period '2026' -> '2027')") in found


def test_diff_between_two_commits(repo: Path):
    edit(repo / "facts" / "investment.yaml", VALUE_2026, VALUE_2026.replace("160e9", "170e9"))
    git(repo, "commit", "-q", "-am", "change")
    out = cli(repo, "diff", "main", "contribution")
    assert f"fact changed: {BUDGET_2026} value: ¥160 bn -> ¥170 bn" in out.stdout
    assert "Changes from main to contribution" in out.stdout


def test_diff_is_quiet_on_a_closed_pipe(repo: Path):
    """`diff main | head`: the reader went away; exit 0 with nothing on stderr, as `git log | head`."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    edit(repo / "facts" / "investment.yaml", VALUE_2026, VALUE_2026.replace("160e9", "170e9"))
    read, write = os.pipe()
    os.close(read)  # every write to the pipe now fails with EPIPE
    done = subprocess.run(
        [sys.executable, "-m", "generator", "diff", "main", "--root", str(repo)],
        stdout=write,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    os.close(write)
    assert done.stderr == ""
    assert done.returncode == 0


def test_every_kind_of_record_and_field_is_listed(repo: Path):
    facts = repo / "facts"
    edit(facts / "entities.yaml", "    name: Meta\n", "    name: Meta Platforms\n")
    edit(facts / "sources.yaml", "  - id: goldman-sachs\n", "  - id: goldman-sachs-research\n")
    sources = (facts / "sources.yaml").read_text(encoding="utf-8")
    (facts / "sources.yaml").write_text(
        sources.replace(", goldman-sachs,", ", goldman-sachs-research,"), encoding="utf-8"
    )
    edit(
        facts / "investment.yaml",
        "    period: 2026\n    statement: ByteDance plans",
        "    period: 2026-H1\n    statement: ByteDance plans",
    )
    data = json.loads(cli(repo, "diff", "main", "--format", "json").stdout)
    records = data["records"]
    assert records["entities"]["changed"] == [{"id": "meta", "changes": {"name": ["Meta", "Meta Platforms"]}}]
    assert records["sources"]["renamed"] == [{"from": "goldman-sachs", "to": "goldman-sachs-research"}]
    changed = {c["id"]: c["changes"] for c in records["sources"]["changed"]}
    assert changed["financial-times-bytedance-ai-budget"]["cites"][1].startswith("questmobile, goldman-sachs-research")
    (fact,) = data["facts"]["changed"]
    assert fact["changes"] == {"period": ["2026", "2026-H1"]}
    assert "/entities/meta/" in data["pages"] and "/sources/goldman-sachs-research/" in data["pages"]
    markdown = cli(repo, "diff", "main", "--format", "markdown").stdout
    assert "| entity | meta | name | Meta | Meta Platforms |" in markdown
    assert "| source | goldman-sachs | goldman-sachs-research |" in markdown
