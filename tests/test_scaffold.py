"""`python -m generator new`: prompts on a terminal, flags otherwise, and a skeleton that validates."""

from __future__ import annotations

import builtins
import sys
from pathlib import Path

import pytest

from generator.cli import cmd_new, parser
from generator.inputs.load import parse_yaml
from generator.pipeline import scaffold
from generator.pipeline.build import gather
from tests.test_contributor_scenario import cli


@pytest.mark.parametrize(
    ("written", "shape"),
    [
        ("85e9", "{point: 85e9}"),
        ("350e9..400e9", "{low: 350e9, high: 400e9}"),
        (">30e12", "{more_than: 30e12}"),
        (">=1", "{at_least: 1}"),
        ("<5", "{less_than: 5}"),
        ("<=2.5", "{at_most: 2.5}"),
    ],
)
def test_values_are_written_in_their_form(written: str, shape: str):
    assert scaffold.value_yaml(written) == shape


def test_a_value_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        scaffold.value_yaml("85 billion")


@pytest.mark.parametrize("text", ["yes", "no", "a: b", "#hash", "85", "null", "it's 50% #1", "“quoted”", "x -"])
def test_text_reads_back_as_written(text: str):
    located, problems = parse_yaml(f"key: {scaffold.yaml_text(text)}\n", "t.yaml")
    assert problems == [] and located is not None and located.data == {"key": text}


def test_without_a_terminal_a_missing_field_is_a_usage_error(project: Path):
    done = cli(project, "new", "derived", "--id", "x", "--no-input")
    assert done.returncode == 2
    assert done.stderr.strip() == "new derived: --title is required (Title)"


def test_on_a_terminal_it_prompts_for_what_the_flags_do_not_give(project: Path, monkeypatch, capsys):
    answers = iter(["", "Doubao's users a year on", "doubao-monthly-active-users-2025-10"])
    prompts: list[str] = []

    def fake_input(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(builtins, "input", fake_input)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    args = parser().parse_args(["new", "chart", "--id", "doubao-users", "--unit", "user", "--root", str(project)])
    assert cmd_new(args) == 0
    assert prompts == [
        "Kind (comparison or time-series) [comparison]: ",
        "Title: ",
        "Fact or derived ids to plot, separated by commas: ",
    ]
    assert "valid: the new chart 'doubao-users' passes validate" in capsys.readouterr().out
    chart = gather(project).dataset.charts["doubao-users"].model
    assert (chart.kind, chart.title, [s.ref for s in chart.series]) == (
        "comparison",
        "Doubao's users a year on",
        ["doubao-monthly-active-users-2025-10"],
    )


@pytest.mark.slow  # a build or the command line in a subprocess
def test_a_new_source_gets_a_placeholder_document_and_quotes_are_then_checked(project: Path):
    done = cli(
        project,
        "new",
        "source",
        "--id",
        "example-source",
        "--publisher",
        "Example",
        "--title",
        "T",
        "--published",
        "2026-01",
        "--no-input",
    )
    assert done.returncode == 0, done.stderr
    document = project / "facts" / "documents" / "example-source.en.txt"
    assert document.read_text(encoding="utf-8") == scaffold.DOCUMENT_PLACEHOLDER
    fact = cli(
        project,
        "new",
        "fact",
        "--entity",
        "meta",
        "--metric",
        "ai-infrastructure-budget",
        "--period",
        "2026",
        "--statement",
        "Meta plans to spend.",
        "--value",
        "85e9",
        "--unit",
        "USD",
        "--status",
        "planned",
        "--as-of",
        "2026-01",
        "--source",
        "example-source",
        "--quote",
        "Meta plans to spend 85 billion",
        "--no-input",
    )
    assert fact.returncode == 0
    assert "[quote-not-found]" in fact.stdout  # the placeholder is not the article: paste the text first
    assert "id: meta-ai-infrastructure-budget-2026" in (project / "facts" / "investment.yaml").read_text("utf-8")
