"""A newcomer follows CONTRIBUTING.md's worked example alone (issue 16), in a throwaway repository.

The steps are read from CONTRIBUTING.md itself: the document text it says to save, the
`python -m generator new ...` commands it gives, and the YAML it says they write. The test runs
them in order on a copy of the project, then checks that the result is valid under --strict,
that every YAML block the guide shows is what was written, and that `diff main` lists every
record and field the change touched.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_contributor_scenario import cli, edit, git, make_repo

#: Slow (runs the guide's commands, builds included): `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow

GUIDE = ROOT / "CONTRIBUTING.md"
_BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def worked_example() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("## Worked example")
    return text[start : text.index("\n## ", start + 1)]


def steps() -> list[tuple[str, str, str]]:
    """(kind of block, its text, the sentence before it) for each fenced block of the worked example."""
    section = worked_example()
    out = []
    for match in _BLOCK.finditer(section):
        before = section[: match.start()].rstrip().rsplit("\n\n", 1)[-1]
        out.append((match[1], match[2], before))
    return out


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


def follow_the_guide(repo: Path) -> None:
    for kind, body, before in steps():
        saved = re.search(r"Save as `([^`]+)`", before)
        if kind == "text" and saved:
            (repo / saved[1]).write_text(body, encoding="utf-8")
        elif kind == "sh" and "generator new" in body:
            for line in body.strip().splitlines():
                words = shlex.split(line)
                assert words[:3] == ["python", "-m", "generator"], line
                done = cli(repo, *words[3:], "--no-input")
                assert done.returncode == 0, done.stderr
                assert "passes validate" in done.stdout, done.stdout
        elif kind == "yaml" and (written := re.search(r"(?:appends to|goes to the topic file[^`]*)`([^`]+)`", before)):
            assert body in (repo / written[1]).read_text(encoding="utf-8"), f"the guide's YAML is not in {written[1]}"


def test_the_worked_example_has_every_kind_of_record():
    commands = " ".join(body for kind, body, _ in steps() if kind == "sh")
    for kind in ("source", "fact", "derived", "chart"):
        assert f"generator new {kind} " in commands
    assert any(kind == "text" for kind, _, _ in steps()), "the English document to save"


def test_a_newcomer_adds_a_source_fact_derived_figure_and_chart_from_the_guide(repo: Path):
    follow_the_guide(repo)
    (repo / "facts" / "investment.yaml").read_text(encoding="utf-8")  # the fact went to the topic file
    strict = cli(repo, "validate", "--strict")
    assert strict.returncode == 0, strict.stdout
    assert strict.stdout.strip() == "valid: no problems found"

    data = json.loads(cli(repo, "diff", "main", "--format", "json").stdout)
    assert [s["id"] for s in data["records"]["sources"]["added"]] == ["example-news-meta-ai-budget-2026"]
    assert [f["id"] for f in data["facts"]["added"]] == ["meta-ai-infrastructure-budget-2026"]
    assert data["facts"]["added"][0]["value"] == "≈ $85 bn"
    assert [d["id"] for d in data["records"]["derived"]["added"]] == ["meta-share-of-us-big-four-spend"]
    assert [(d["id"], d["state"]) for d in data["derived"]] == [("meta-share-of-us-big-four-spend", "added")]
    assert [c["id"] for c in data["records"]["charts"]["added"]] == ["meta-vs-us-big-four-ai-spend"]
    assert "meta-vs-us-big-four-ai-spend" in data["charts"]
    for page in (
        "/facts/meta-ai-infrastructure-budget-2026/",
        "/sources/example-news-meta-ai-budget-2026/",
        "/derived/meta-share-of-us-big-four-spend/",
        "/charts/meta-vs-us-big-four-ai-spend/",
        "/entities/meta/",
        "/metrics/ai-infrastructure-budget/",
    ):
        assert page in data["pages"]
    nothing_else = [(s, k) for s, rec in data["records"].items() for k, v in rec.items() if v and k != "added"]
    assert nothing_else == [] and data["facts"]["changed"] == [] and data["facts"]["removed"] == []


def test_a_correction_shows_every_field_and_the_history_entry(repo: Path):
    follow_the_guide(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "add the example")
    investment = repo / "facts" / "investment.yaml"
    edit(
        investment,
        "    value: {point: 85e9}\n    unit: USD\n    approximate: true\n    status: planned\n    as_of: 2026-02-09\n",
        "    value: {low: 80e9, high: 90e9}\n    unit: USD\n    status: planned\n    as_of: 2026-02-08\n"
        "    history:\n      - changed: 2026-02-11\n        previous_value: {point: 85e9}\n"
        "        reason: The article was updated with a range.\n",
    )
    text = cli(repo, "diff", "contribution", "--format", "text").stdout
    for line in (
        "fact changed: meta-ai-infrastructure-budget-2026 value: ≈ $85 bn -> $80–90 bn",
        "fact changed: meta-ai-infrastructure-budget-2026 approximate: true -> false",
        "fact changed: meta-ai-infrastructure-budget-2026 as_of: 2026-02-09 -> 2026-02-08",
        "fact changed: meta-ai-infrastructure-budget-2026 kind: point -> range",
        "history entry added: meta-ai-infrastructure-budget-2026 on 2026-02-11: The article was updated with a "
        "range. (previous: $85 bn)",
        "derived moved: meta-share-of-us-big-four-spend:",
        "page affected: /corrections/",
    ):
        assert line in text, text
    assert "no new history entry" not in text
