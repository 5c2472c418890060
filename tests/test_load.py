"""The located YAML loader: marks, YAML 1.2 scalars, and refusal of unsafe constructs."""

from __future__ import annotations

import math

import pytest

from generator.inputs.load import parse_yaml


def codes(text: str) -> list[tuple[str, int, int]]:
    _, problems = parse_yaml(text, "t.yaml")
    return [(p.code, p.line, p.column) for p in problems]


def test_marks_point_at_values_and_keys():
    located, problems = parse_yaml("facts:\n  - id: a\n    value: {point: 160e9}\n", "t.yaml")
    assert problems == []
    assert located.data == {"facts": [{"id": "a", "value": {"point": 160e9}}]}
    assert located.where(("facts", 0, "value", "point")) == (3, 20)
    assert located.where(("facts", 0, "id"), key=True) == (2, 5)
    # an unknown deeper path falls back to the nearest known parent
    assert located.where(("facts", 0, "value", "nope")) == (3, 12)


def test_yaml_12_scalars():
    located, _ = parse_yaml("a: no\nb: 160e9\nc: 1_000\nd: 2025-12-08\ne: true\nf: ~\ng: '12'\n", "t")
    assert located.data == {"a": "no", "b": 160e9, "c": 1000, "d": "2025-12-08", "e": True, "f": None, "g": "12"}


def test_nan_and_inf_are_numbers_for_the_validator_to_refuse():
    located, _ = parse_yaml("a: .nan\nb: -.inf\nc: 1e400\n", "t")
    assert math.isnan(located.data["a"]) and located.data["b"] == -math.inf and located.data["c"] == math.inf


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 2\na: 3\n", [("duplicate-key", 3, 1)]),
        ("a: &x [1, 2]\nb: *x\n", [("yaml-alias", 2, 4)]),
        ("a: !!python/object/apply:os.system ['ls']\n", [("yaml-tag", 1, 4)]),
        ("a: [1, 2\nb: 3\n", [("yaml-syntax", 2, 2)]),
        ("# only a comment\n", [("empty-file", 1, 1)]),
        ("a: 1\n---\nb: 2\n", [("yaml-multiple-documents", 2, 1)]),
        ("? [a]\n: 1\n", [("yaml-complex-key", 1, 3)]),
        ("a: " + "9" * 5000 + "\n", [("number-too-large", 1, 4)]),
    ],
)
def test_refusals(text, expected):
    assert codes(text) == expected


def test_deep_nesting_is_refused_without_recursion():
    assert codes("a: " + "[" * 10_000)[0][0] == "yaml-too-deep"
    block = "a:\n" + "".join("  " * i + "- \n" for i in range(100))
    assert codes(block)[0][0] == "yaml-too-deep"


def test_the_quick_search_for_refused_characters_finds_what_the_full_one_finds():
    """load.first_refused skips the astral half of the refused class when a text has no character past
    U+FFFF (a whole-file scan 5-6 times faster): on random texts it finds the same first character."""
    import random

    from generator.inputs.load import _CONTROL, first_refused

    rng = random.Random(1)
    pool = ["a", "é", "\n", "\t", "\x1b", "\u202e", "\ufffe", "\U0001fffe", "\U0010ffff", "\U0001f600", "\x7f"]
    found = 0
    for _ in range(5000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        quick, full = first_refused(text), _CONTROL.search(text)
        assert (quick and (quick.start(), quick.group())) == (full and (full.start(), full.group())), repr(text)
        found += full is not None
    assert 1000 < found < 5000  # both kinds of text were tried
