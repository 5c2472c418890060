"""The format reference and the problem codes are files in the repository, current and complete."""

from __future__ import annotations

import re

from generator.cli import generated_docs
from generator.model.codes import CODES
from tests.conftest import ROOT

_RAISED = re.compile(
    r"(?:problem|Problem|Error|ArithmeticProblem|UnitError|FormulaError|CodedError|fail)\(\s*"
    r"(?:[^()\"]|\([^()]*\))*?\"([a-z]+(?:-[a-z0-9]+)+)\""
)


def test_generated_docs_are_current():
    for path, text in generated_docs().items():
        assert (ROOT / path).read_text(encoding="utf-8") == text, f"{path} is stale: run `make schema`"


def codes_used() -> set[str]:
    found = set()
    for path in (ROOT / "generator").glob("*.py"):
        found.update(_RAISED.findall(path.read_text(encoding="utf-8")))
    for folder in ("broken", "hostile"):
        for case in (ROOT / "tests" / folder).glob("*.yaml"):
            found.update(re.findall(r"^# expect: ([a-z0-9-]+) ", case.read_text(encoding="utf-8"), re.MULTILINE))
    return found - {"utf-8", "lower-bound"}  # words in messages, not codes


def test_every_code_is_documented():
    used = codes_used()
    assert {"yaml-syntax", "tab-indent", "quote-not-found", "bare-value", "duplicate-key"} <= used
    assert sorted(used - set(CODES)) == []


def test_contributing_links_the_reference_files():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for path in ("docs/format-reference.md", "docs/error-codes.md", "schema/facts.schema.json"):
        assert f"]({path})" in text
        assert (ROOT / path).is_file()
