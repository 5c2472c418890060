"""Every quantitative claim of the source article is in the dataset, said as the article says it."""

from __future__ import annotations

import pytest

from generator.inputs.validate import validate
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def dataset():
    data, report = validate(ROOT)
    assert report.errors == [], report.render()
    return data


# (fact id, entity, metric, period, form, numbers, unit, status, approximate)
CLAIMS = [
    (
        "bytedance-ai-infrastructure-budget-2026",
        "bytedance",
        "ai-infrastructure-budget",
        "2026",
        "point",
        [160e9],
        "CNY",
        "planned",
        False,
    ),
    (
        "bytedance-ai-infrastructure-budget-2026-usd",
        "bytedance",
        "ai-infrastructure-budget",
        "2026",
        "point",
        [23e9],
        "USD",
        "planned",
        True,
    ),
    (
        "bytedance-ai-infrastructure-budget-2025",
        "bytedance",
        "ai-infrastructure-budget",
        "2025",
        "point",
        [150e9],
        "CNY",
        "reported",
        False,
    ),
    (
        "bytedance-ai-processor-budget-2025",
        "bytedance",
        "ai-processor-budget",
        "2025",
        "point",
        [85e9],
        "CNY",
        "reported",
        False,
    ),
    (
        "us-big-four-ai-infrastructure-spend-2025",
        "us-big-four",
        "ai-infrastructure-budget",
        "2025",
        "range",
        [350e9, 400e9],
        "USD",
        "planned",
        False,
    ),
    (
        "cny-per-usd-implied-2025-12",
        "chinese-yuan",
        "exchange-rate",
        "2025-12",
        "point",
        [6.96],
        "CNY/USD",
        "estimated",
        True,
    ),
    (
        "nvidia-h200-china-first-batch",
        "nvidia-h200",
        "chip-shipment",
        "2026-02",
        "range",
        [40000, 80000],
        "chip",
        "planned",
        False,
    ),
    (
        "bytedance-h200-purchase-interest",
        "bytedance",
        "chip-purchase-intent",
        "2026",
        "point",
        [20000],
        "chip",
        "intention",
        False,
    ),
    (
        "h200-unit-price-estimate",
        "nvidia-h200",
        "chip-unit-price",
        "2025-12",
        "point",
        [20000],
        "USD/chip",
        "estimated",
        False,
    ),
    (
        "doubao-monthly-active-users-2025-08",
        "doubao",
        "monthly-active-users",
        "2025-08",
        "point",
        [157e6],
        "user",
        "reported",
        False,
    ),
    (
        "doubao-monthly-active-users-2025-10",
        "doubao",
        "monthly-active-users",
        "2025-10",
        "point",
        [159e6],
        "user",
        "reported",
        False,
    ),
    ("doubao-rank-china-2025-10", "doubao", "assistant-rank", "2025-10", "point", [1], "rank", "reported", False),
    (
        "bytedance-daily-tokens-2025-10",
        "bytedance",
        "daily-tokens",
        "2025-10",
        "more_than",
        [30e12],
        "token/day",
        "reported",
        False,
    ),
    (
        "bytedance-daily-tokens-2025-12",
        "bytedance",
        "daily-tokens",
        "2025-12",
        "point",
        [50e12],
        "token/day",
        "reported",
        False,
    ),
    ("google-daily-tokens", "google", "daily-tokens", "2025", "point", [43e12], "token/day", "announced", False),
]

EVENTS = [
    ("us-h200-export-authorisation", "us-government", "export-authorisation", "2025-12", "announced"),
    ("nvidia-h200-china-shipment-start", "nvidia", "shipment-plan", "2026-02", "intention"),
]


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c[0])
def test_claim_is_recorded_with_its_value_unit_and_kind(dataset, claim):
    fid, entity, metric, period, form, numbers, unit, status, approximate = claim
    fact = dataset.facts[fid].model
    assert (fact.entity, fact.metric, fact.period, fact.unit, fact.status) == (entity, metric, period, unit, status)
    assert fact.value.form == form
    assert fact.value.numbers() == numbers
    assert fact.approximate is approximate
    assert fact.quote.language == "fr" and fact.quote.translation


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e[0])
def test_events_without_numbers_are_facts(dataset, event):
    fid, entity, metric, period, status = event
    fact = dataset.facts[fid].model
    assert (fact.entity, fact.metric, fact.period, fact.status, fact.value) == (entity, metric, period, status, None)


# The 2025 capital-spending statements of issue 15, each in the company's own English words.
# (fact id, entity, metric, period, numbers, approximate, as_of, quote)
STATEMENTS = [
    (
        "alphabet-capital-expenditures-2025-as-of-2025-07",
        "alphabet",
        "capital-expenditures",
        "2025",
        [85e9],
        True,
        "2025-07-23",
        "we now expect to invest approximately $85 billion in capital expenditures in 2025",
    ),
    (
        "meta-capital-expenditures-2025-as-of-2025-04",
        "meta",
        "capital-expenditures",
        "2025",
        [64e9, 72e9],
        False,
        "2025-04-30",
        "$64-72 billion",
    ),
    (
        "meta-capital-expenditures-2025-as-of-2025-07",
        "meta",
        "capital-expenditures",
        "2025",
        [66e9, 72e9],
        False,
        "2025-07-30",
        "in the range of $66-72 billion",
    ),
    (
        "microsoft-ai-datacenter-investment-fy2025",
        "microsoft",
        "ai-infrastructure-budget",
        "FY2025",
        [80e9],
        True,
        "2025-01-03",
        "In FY 2025, Microsoft is on track to invest approximately $80 billion to build out AI-enabled datacenters",
    ),
]


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: s[0])
def test_capital_spending_statements_are_quoted_in_their_words(dataset, statement):
    fid, entity, metric, period, numbers, approximate, as_of, quote = statement
    fact = dataset.facts[fid].model
    assert (fact.entity, fact.metric, fact.period, fact.unit, fact.as_of) == (entity, metric, period, "USD", as_of)
    assert fact.value.numbers() == numbers and fact.approximate is approximate
    assert (fact.quote.text, fact.quote.language) == (quote, "en")
    document = dataset.sources[fact.source].model.document
    assert quote in (ROOT / "facts" / document).read_text(encoding="utf-8")  # the local copy of the passage


def test_capital_expenditures_is_not_the_ai_infrastructure_budget(dataset):
    capex = dataset.metrics["capital-expenditures"].model
    assert "Unlike the AI infrastructure budget" in " ".join(capex.description.split())
    assert dataset.entities["microsoft"].model.fiscal_year_start_month == 7


def test_every_fact_is_accounted_for(dataset):
    assert set(dataset.facts) == {c[0] for c in CLAIMS} | {e[0] for e in EVENTS} | {s[0] for s in STATEMENTS}


def test_source_chain(dataset):
    article = dataset.sources["fr-report-bytedance-ai-infrastructure"].model
    ft = dataset.sources[article.cites[0]].model
    assert article.language == "fr" and article.role == "document-read"
    assert ft.publisher == "Financial Times" and ft.role == "primary-reporter"
    assert {"questmobile", "goldman-sachs"} <= set(ft.cites)
    assert "questmobile" in dataset.facts["doubao-monthly-active-users-2025-08"].model.attributed_to


def test_the_ambiguity_of_about_half_is_noted(dataset):
    note = dataset.facts["bytedance-ai-processor-budget-2025"].model.note
    assert "150" in note and "160" in note and "mbiguous" in note
