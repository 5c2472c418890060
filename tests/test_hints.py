"""Hints that fix (issue 16): did-you-mean for every choice, shapes for bare values, numbers as written.

Messages are the generator's own words: no validation library's wording reaches a contributor.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.model.errors import Problem
from generator.model.hints import did_you_mean, mark_differences, nearest_passage, number_as_written
from generator.pipeline.build import gather
from tests.cases import assert_own_words

BROKEN = Path(__file__).parent / "broken"


def problems_of(project: Path, case: Path) -> list:
    shutil.copy(case, project / "facts" / f"zz-{case.name}")
    return gather(project).report.sorted()


def one(project: Path, case: str):
    (found,) = problems_of(project, BROKEN / case)
    return found


def test_a_bare_value_gets_the_shape_to_write(project: Path):
    found = one(project, "bare-value.yaml")
    assert found.code == "bare-value"
    assert "40e12" in found.message and "{point: 40e12}" in found.hint


def test_a_400_digit_number_gets_a_sensible_message(project: Path):
    found = one(project, "number-with-400-digits.yaml")
    assert found.code == "number-too-large"
    assert "400 digits" in found.message and "must be a number" not in found.message
    assert len(found.text()) < 400


def test_quote_not_found_shows_the_nearest_passage_with_differences_marked(project: Path):
    found = one(project, "quote-not-found.yaml")
    assert "En décembre, ce chiffre a grimpé à 50 000 milliards de jetons" in found.message
    assert "à [5]0 000" in found.hint


def test_numbers_are_shown_as_written(project: Path):
    found = one(project, "range-inverted.yaml")
    text = (BROKEN / "range-inverted.yaml").read_text(encoding="utf-8")
    low = text.split("low: ")[1].split(",")[0]
    assert f"low {low} " in found.message


CHOICES = [  # (section file text to edit, old, new, the choice the hint must name)
    ("investment.yaml", "status: planned", "status: planed", "planned"),
    ("sources.yaml", "role: document-read", "role: document-red", "document-read"),
    ("entities.yaml", "kind: company", "kind: compnay", "company"),
    ("charts.yaml", "kind: comparison", "kind: comparision", "comparison"),
    ("investment.yaml", "unit: CNY", "unit: yuan", "CNY"),
    ("investment.yaml", "unit: CNY", "unit: CNYY", "CNY"),
]


@pytest.mark.parametrize(("name", "old", "new", "meant"), CHOICES, ids=lambda v: str(v))
def test_every_choice_field_says_did_you_mean(project: Path, name: str, old: str, new: str, meant: str):
    path = project / "facts" / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    found = gather(project).report.sorted()
    assert len(found) == 1, [p.text() for p in found]
    assert found[0].hint == f"did you mean '{meant}'?"


def test_library_wording_is_caught():
    """Every broken and hostile case is checked for a library's wording by the harness (tests/cases.py,
    assert_exactly); here, that the check can fail."""
    assert_own_words([Problem("facts/a.yaml", 1, 1, "invalid-value", "fine words", "a hint")])
    leaked = Problem("facts/a.yaml", 1, 1, "invalid-value", "Input should be a valid number [type=float_parsing]")
    with pytest.raises(AssertionError):
        assert_own_words([leaked])


def test_did_you_mean_helper():
    assert did_you_mean("Reported", ["reported", "planned"]) == "did you mean 'reported'?"
    assert did_you_mean("xyz", ["reported", "planned"]) == ""
    assert did_you_mean("dollars", ["USD", "CNY"], {"dollars": "USD"}) == "did you mean 'USD'?"
    assert number_as_written("85e9") == "85e9"
    assert "1,000 digits" in number_as_written("9" * 1000)
    passage, ratio = nearest_passage("le chiffre a grimpé à 60", "avant. Le chiffre a grimpé à 50 000. Après")
    assert passage == "Le chiffre a grimpé à 50" and ratio > 0.8
    assert mark_differences("grimpé à 50", "grimpe à 60") == "grimp[é] à [5]0"
