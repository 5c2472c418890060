"""Every seed derived figure and check against a hand-computed expectation, and derive's failure modes."""

from __future__ import annotations

import pytest

from generator.pipeline.build import gather
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def seed():
    gathered = gather(ROOT)
    assert gathered.report.errors == [], gathered.report.render()
    return gathered.derivation


RATE = 6.96  # CNY per USD implied by the article: 160 / 23, rounded to 3 figures in the fact

# id: (kind, low, high, unit, approximate, strict-bound) with hand-computed values, rounded as documented
EXPECTED = {
    "bytedance-ai-budget-growth-2025-2026": ("point", 6.7, 6.7, "percent", False),  # 160/150 - 1 = 6.67 %
    "bytedance-ai-budget-2026-in-usd": ("point", 23e9, 23e9, "USD", True),  # 160e9 / 6.96 = 22.99e9
    "bytedance-ai-budget-2025-in-usd": ("point", 22e9, 22e9, "USD", True),  # 150e9 / 6.96 = 21.55e9
    "bytedance-ai-processor-share-of-2025-budget": ("point", 57, 57, "percent", False),  # 85/150 = 56.7 %
    "bytedance-ai-processor-share-of-2026-budget": ("point", 53, 53, "percent", False),  # 85/160 = 53.1 %
    "us-big-four-spend-multiple-of-bytedance-2026": ("range", 15, 17, "dimensionless", True),  # 15.2 .. 17.4
    "bytedance-h200-order-value": ("point", 4e8, 4e8, "USD", False),  # 20,000 x 20,000 USD
    "bytedance-h200-order-share-of-processor-budget": ("point", 3.3, 3.3, "percent", True),  # 4e8 / 12.21e9
    "bytedance-share-of-h200-first-batch": ("range", 25, 50, "percent", False),  # 20k / 80k .. 20k / 40k
    "h200-first-batch-value": ("range", 8e8, 1.6e9, "USD", False),  # 40k..80k x 20,000 USD
    "doubao-user-growth-2025-08-to-10": ("point", 1.27, 1.27, "percent", False),  # 159/157 - 1 = 1.274 %
    # 50 / 43 = 1.163, said as a change (+16%), so its change is rounded to 2 figures, not the ratio
    "bytedance-tokens-vs-google": ("point", 1.16, 1.16, "dimensionless", False),
    "bytedance-tokens-per-year": ("point", 1.8e16, 1.8e16, "token/year", False),  # 50e12 x 365.25
}


@pytest.mark.parametrize("fid", sorted(EXPECTED))
def test_seed_derived_figure(seed, fid):
    kind, low, high, unit, approximate = EXPECTED[fid]
    value = seed.values[fid]
    amount = value.amount
    assert (amount.kind, amount.unit, amount.approximate) == (kind, unit, approximate)
    assert amount.low.value == pytest.approx(low) and amount.high.value == pytest.approx(high)


def test_growth_from_a_lower_bound_is_an_upper_bound(seed):
    amount = seed.values["bytedance-token-growth-2025-10-to-12"].amount
    assert amount.kind == "upper-bound" and amount.high.strict
    assert amount.high.value == pytest.approx(67)  # 50/30 - 1 = 66.7 %, rounded outward so "less than" stays true
    assert not amount.low.known


def test_lineage_names_inputs_and_rate(seed):
    value = seed.values["us-big-four-spend-multiple-of-bytedance-2026"]
    assert [i.ref for i in value.inputs] == [
        "us-big-four-ai-infrastructure-spend-2025",
        "bytedance-ai-infrastructure-budget-2026",
        "cny-per-usd-implied-2025-12",
    ]
    assert value.rates_used == ("cny-per-usd-implied-2025-12",)
    assert value.exact.low.value == pytest.approx(350e9 / (160e9 / RATE))
    assert value.significant_figures == 2


def test_checks_say_where_text_and_numbers_disagree(seed):
    outcome = {cid: result.passed for cid, result in seed.checks.items()}
    assert outcome == {
        "processors-about-half-of-2025-budget": False,
        "processors-about-half-of-2026-budget": True,
        "bytedance-approaching-google": False,
        "usd-conversion-matches-rate": True,
        "budget-2026-is-an-increase": True,
        "big-four-exceeds-bytedance": True,
        "doubao-users-grew": True,
    }


def test_an_unacknowledged_failing_check_is_a_warning_at_its_line(project):
    path = project / "facts" / "checks.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(
        i for i, line in enumerate(lines) if line.startswith("    acknowledged: >-") and "50 trillion" in lines[i + 1]
    )
    del lines[start : start + 3]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = gather(project).report
    warnings = [(p.code, p.line) for p in report.warnings]
    expect_line = next(i for i, line in enumerate(lines, 1) if line.startswith("    expect: {less_than: 1}"))
    assert warnings == [("check-failed", expect_line)]
    assert report.errors == []


def test_a_figure_using_a_broken_figure_gets_no_second_error(project):
    derived = project / "facts" / "derived.yaml"
    text = derived.read_text(encoding="utf-8")
    derived.write_text(
        text.replace(
            '"{bytedance-daily-tokens-2025-12} / {google-daily-tokens}"',
            '"{bytedance-daily-tokens-2025-12} / ({google-daily-tokens} - {google-daily-tokens})"',
        ),
        encoding="utf-8",
    )
    report = gather(project).report
    assert [p.code for p in report.errors] == ["division-by-zero"]
