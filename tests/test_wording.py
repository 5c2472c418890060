"""Each kind of figure (multiple, change, share, bound, range) is said the same right way on every page
that shows it, rounded once, and no page says a raw float or scientific notation."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

from generator.compute import derive
from generator.model import fmt
from generator.model.values import Amount
from generator.outputs import pages, render
from generator.pipeline.build import gather

ROOT = Path(__file__).resolve().parent.parent
MULTIPLE = "us-big-four-spend-multiple-of-bytedance-2026"
RATIO_CHANGE_CHECK = "doubao-users-grew"


@pytest.fixture(scope="module")
def built():
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
    try:
        gathered = gather(ROOT)
        out = render.render_pages(gathered, {})
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return gathered, {path: html.unescape(text) for path, text in out.items() if path.endswith(".md")}


@pytest.mark.parametrize(
    ("amount", "change", "kind", "long", "short"),
    [
        (
            Amount.range(15.225, 17.4, "dimensionless", True),
            False,
            "multiple",
            "about 15.2 to 17.4 times",
            "≈ 15.2–17.4×",
        ),
        (Amount.lower_bound(3, "dimensionless"), False, "multiple", "more than 3 times", "> 3×"),
        (Amount.point(1.0127, "dimensionless"), False, "ratio-change", "+1.3%", "+1.3%"),
        (Amount.point(0.94, "dimensionless"), False, "share", "94%", "94%"),
        (Amount.point(6.7, "percent"), True, "change", "+6.7%", "+6.7%"),
        (Amount.upper_bound(67, "percent"), True, "change", "less than +67%", "< +67%"),
        (Amount.point(-3.1, "percent"), True, "change", "−3.1%", "−3.1%"),
        (Amount.range(25, 50, "percent"), False, "share", "25 to 50%", "25–50%"),
        (Amount.point(23e9, "USD", True), False, "amount", "about $23 billion", "≈ $23 bn"),
    ],
)
def test_each_kind_of_figure_is_said_as_itself(amount, change, kind, long, short):
    assert fmt.figure_kind(amount, change) == kind
    assert fmt.format_figure(amount, kind, "en", "long") == long
    assert fmt.format_figure(amount, kind, "en", "short") == short


def test_a_ratio_said_as_a_change_rounds_its_change_not_the_ratio():
    # 50 / 43 = 1.1628: two figures of the ratio would be 1.2 (+20%); of the change, +16%.
    rounded = derive.round_figure(Amount.point(50 / 43, "dimensionless"), 2, "ratio-change")
    assert rounded.low.value == 1.16
    assert fmt.format_figure(rounded, "ratio-change") == "+16%"


def test_multiple_is_said_as_times_on_every_page_that_shows_it(built):
    _, out = built
    assert "about 15 to 17 times" in out[f"derived/{MULTIPLE}.md"]
    assert "≈ 15–17×" in out["derived/index.md"]
    consistency = out["consistency/index.md"]
    assert "about 15 to 17 times" in consistency
    for text in out.values():
        assert "1,500 to 1,700%" not in text and "1,523" not in text


def test_change_is_a_signed_percentage_everywhere(built):
    _, out = built
    assert "+1.3%" in out["derived/doubao-user-growth-2025-08-to-10.md"]
    section = out["consistency/index.md"].split(f"{{ #{RATIO_CHANGE_CHECK} }}")[1]
    assert "What the numbers say:</strong> +1.3%" in section
    assert "101%" not in out["consistency/index.md"]
    assert "less than +67%" in out["derived/bytedance-token-growth-2025-10-to-12.md"]
    assert "< +67%" in out["derived/index.md"]


def test_share_is_a_percentage_and_bound_and_range_keep_their_form(built):
    _, out = built
    assert "57%" in out["derived/bytedance-ai-processor-share-of-2025-budget.md"]
    assert "25 to 50%" in out["derived/bytedance-share-of-h200-first-batch.md"]
    assert "25–50%" in out["derived/index.md"]
    assert "What the numbers say:</strong> 57%" in out["consistency/index.md"]
    assert "$0.8 to 1.6 billion" in out["derived/h200-first-batch-value.md"]


def test_one_figure_is_rounded_once_and_worded_the_same_on_every_page(built):
    gathered, out = built
    derivation = gathered.derivation
    for check in derivation.checks.values():
        same = [v for v in derivation.values.values() if v.definition.formula == check.definition.formula]
        for value in same:  # a check and a derived figure with one formula say one number
            assert pages.say_figure(check.amount, check.kind) == pages.say_derived(value)
            assert pages.say_derived(value) in out[f"derived/{value.id}.md"]
            assert pages.say_derived(value) in out["consistency/index.md"]
    ratio = pages.say_derived(derivation.values["bytedance-tokens-vs-google"])
    assert ratio == "+16%"
    assert ratio in out["consistency/index.md"]


_RAW = re.compile(r"\d\.\d+e[+-]?\d|\d{6,}|\b\d+\.\d{4,}\b")


def test_no_raw_float_or_scientific_notation_on_any_page(built):
    _, out = built
    for path, text in out.items():
        if path.startswith("reference/"):
            continue
        visible = re.sub(r"<code>.*?</code>|<pre>.*?</pre>|^---\n.*?\n---\n", "", text, flags=re.S | re.M)
        # An inline chart's drawing coordinates are not shown; its texts (tags dropped) still are.
        visible = re.sub(
            r"<svg.*?</svg>", lambda m: re.sub(r'<(?:[^>"]|"[^"]*")*>', " ", m.group(0)), visible, flags=re.S
        )
        visible = re.sub(r"data-sort=\"[^\"]*\"|https?://\S+|\(\.\./[^)]*\)|\([a-z0-9/._#-]+\.md[^)]*\)", "", visible)
        found = _RAW.findall(visible)
        assert not found, f"{path} shows raw numbers {found[:3]}"


def test_formula_in_words_is_a_sentence_of_short_labels(built):
    gathered, out = built
    for did, value in gathered.derivation.values.items():
        words = value.formula_words
        assert words[0].isupper() and words.endswith("."), words
        for fact in gathered.dataset.facts.values():
            assert fact.model.statement.rstrip(".") not in words, f"{did} glues a whole statement"
    growth = gathered.derivation.values["doubao-user-growth-2025-08-to-10"].formula_words
    assert growth == (
        "Monthly active users (Doubao, October 2025) divided by monthly active users (Doubao, August 2025), minus 1."
    )


def test_search_ranks_facts_above_boilerplate(built):
    _, out = built

    def boost(text: str) -> float:
        found = re.search(r"^search:\n  boost: ([0-9.]+)$", text.split("\n---\n", 1)[0], re.M)
        return float(found.group(1)) if found else 1.0

    facts = [boost(t) for p, t in out.items() if p.startswith("facts/") and p != "facts/index.md"]
    derived = [boost(t) for p, t in out.items() if p.startswith("derived/") and p != "derived/index.md"]
    assert facts and min(facts) > max(derived) > 1.0
    assert boost(out["downloads/index.md"]) == 1.0 and boost(out["index.md"]) == 1.0


def test_tables_name_each_source_by_one_short_label(built):
    gathered, out = built
    labels = {pages.source_label(r.model) for r in gathered.dataset.sources.values()}
    assert all(len(label) <= pages.SHORT_LABEL for label in labels)
    assert "a French-language report" in labels
    table = out["facts/index.md"]
    assert "Unknown French-language outlet" not in table  # the full credit is on the source page
    assert "Unknown French-language outlet" in out["sources/fr-report-bytedance-ai-infrastructure.md"]
