"""Formulas: an allow-list over `ast`, exact error columns, and hand-computed results."""

from __future__ import annotations

import pytest

from generator.compute.arithmetic import ArithmeticProblem
from generator.compute.formula import FUNCTIONS, FormulaError, describe, evaluate, parse_formula
from generator.model.limits import MAX_FORMULA_CHARS, MAX_FORMULA_DEPTH
from generator.model.values import Amount

FACTS = {
    "bytedance-ai-budget-2026": Amount.point(160e9, "CNY"),
    "bytedance-ai-budget-2025": Amount.point(150e9, "CNY"),
    "bytedance-processors-2026": Amount.point(85e9, "CNY"),
    "cny-per-usd-implied-2025-12": Amount.point(160 / 23, "CNY/USD", approximate=True),
    "us-big-four-capex-2026": Amount.range(350e9, 400e9, "USD"),
    "doubao-tokens-2025-10": Amount.lower_bound(30e12, "token/day"),
    "doubao-tokens-2025-12": Amount.point(50e12, "token/day"),
    "google-tokens-2025": Amount.point(43e12, "token/day"),
    "h200-price": Amount.point(30000, "USD/chip"),
    "eur-budget": Amount.point(1e9, "EUR"),
}


def run(text: str) -> tuple[Amount, list[str]]:
    """Parse and evaluate against FACTS."""
    evaluation = evaluate(parse_formula(text), FACTS.__getitem__)
    return evaluation.amount, evaluation.rates_used


# --- rejections: (formula, code, 1-based column) -------------------------------------------------

REJECTED = [
    ("__import__('os')", "formula-unknown-name", 1),
    ("{a}.real", "formula-forbidden", 4),
    ("(lambda: 1)()", "formula-forbidden", 2),
    ("9**9**9", "formula-forbidden", 2),
    ("[x for x in y]", "formula-forbidden", 1),
    ("{a} if 1 else 2", "formula-forbidden", 5),
    ("open('f')", "formula-unknown-function", 1),
    ("{a}[0]", "formula-forbidden", 4),
    ("x" * 600, "formula-too-long", MAX_FORMULA_CHARS + 1),
    ("(" * 25 + "1" + ")" * 25, "formula-too-deep", MAX_FORMULA_DEPTH + 1),
    ("-" * 30 + "1", "formula-too-deep", MAX_FORMULA_DEPTH + 1),
    ("1" + "+1" * 30, "formula-too-deep", 1),
    ("{a} +", "formula-syntax", 6),
    ("{a} {b}", "formula-syntax", 5),
    ("{Bad_Id} + 1", "formula-syntax", 1),
    ("{a-} + 1", "formula-syntax", 1),
    ("1 + {a", "formula-syntax", 5),
    ("1 + a}", "formula-syntax", 6),
    ("", "formula-syntax", 1),
    ("1 +\x00 2", "formula-syntax", 4),
    ("x + 1", "formula-unknown-name", 1),
    ("{a} + _a_", "formula-unknown-name", 7),
    ("sqrt({a})", "formula-unknown-function", 1),
    ("{a}(1)", "formula-forbidden", 1),
    ("{a} // 2", "formula-forbidden", 5),
    ("{a} % 2", "formula-forbidden", 5),
    ("{a} @ {b}", "formula-forbidden", 5),
    ("({a}) ** 2", "formula-forbidden", 7),
    ("not {a}", "formula-forbidden", 1),
    ("~{a}", "formula-forbidden", 1),
    ("{a} < {b}", "formula-forbidden", 5),
    ("{a} and {b}", "formula-forbidden", 5),
    ("f'{a}'", "formula-forbidden", 1),
    ("'text' + 1", "formula-forbidden", 1),
    ("True + 1", "formula-forbidden", 1),
    ("None", "formula-forbidden", 1),
    ("1j * {a}", "formula-forbidden", 1),
    ("(x := 1)", "formula-forbidden", 2),
    ("{a}, {b}", "formula-forbidden", 1),
    ("1e999 * {a}", "formula-bad-number", 1),
    ("é.real", "formula-forbidden", 2),
    ("convert({a}, {b})", "formula-arity", 1),
    ("convert({a}, {b}, 'USD', 1)", "formula-arity", 1),
    ("convert({a}, {b}, unit='USD')", "formula-forbidden", 19),
    ("convert({a}, 7, 'USD')", "formula-argument", 14),
    ("convert({a}, {b} * 1, 'USD')", "formula-argument", 14),
    ("convert({a}, {b}, 1)", "formula-argument", 19),
    ("convert({a}, {b}, 'chip')", "formula-argument", 19),
    ("convert({a}, {b}, 'USDD')", "unknown-unit", 19),
    ("convert({a}.real, {b}, 'USD')", "formula-forbidden", 12),
    ("{a} +\n  {b}.real", "formula-forbidden", 12),
]


@pytest.mark.parametrize(("text", "code", "column"), REJECTED)
def test_rejected_formulas(text, code, column):
    with pytest.raises(FormulaError) as caught:
        parse_formula(text)
    assert (caught.value.code, caught.value.column) == (code, column), caught.value.message


def test_rejection_messages_name_the_construct():
    messages = {}
    for text in ("{a}.real", "9**9**9", "(lambda: 1)()", "{a}[0]", "open('f')", "__import__('os')"):
        with pytest.raises(FormulaError) as caught:
            parse_formula(text)
        messages[text] = caught.value.message
    assert "attribute access" in messages["{a}.real"]
    assert "'**'" in messages["9**9**9"]
    assert "lambda" in messages["(lambda: 1)()"]
    assert "subscripts" in messages["{a}[0]"]
    assert "'open'" in messages["open('f')"]
    assert "'__import__'" in messages["__import__('os')"]


def test_unknown_unit_in_convert_suggests_a_currency():
    with pytest.raises(FormulaError) as caught:
        parse_formula('convert({a}, {b}, "CNYY")')
    assert caught.value.hint == "did you mean 'CNY'?"


def test_too_long_is_checked_before_parsing():
    with pytest.raises(FormulaError) as caught:
        parse_formula("{a} + " + "(" * 600)
    assert caught.value.code == "formula-too-long"


# --- accepted formulas ---------------------------------------------------------------------------


def test_refs_in_order_of_first_appearance_without_duplicates():
    formula = parse_formula("{b-2} / {a-1} - {b-2} + convert({c}, {rate-x}, 'USD')")
    assert formula.refs == ("b-2", "a-1", "c", "rate-x")
    assert formula.text == "{b-2} / {a-1} - {b-2} + convert({c}, {rate-x}, 'USD')"


def test_multiline_formula_is_accepted():
    amount, _ = run("{bytedance-ai-budget-2026}\n  / {bytedance-ai-budget-2025}")
    assert amount.low.value == pytest.approx(160 / 150)


def test_budget_growth():
    amount, rates = run("{bytedance-ai-budget-2026} / {bytedance-ai-budget-2025} - 1")
    assert (amount.kind, amount.unit, rates) == ("point", "dimensionless", [])
    assert amount.low.value == pytest.approx(1 / 15)


def test_processors_share_of_budget():
    amount, _ = run("{bytedance-processors-2026} / {bytedance-ai-budget-2026}")
    assert amount.low.value == pytest.approx(0.53125)


def test_convert_divides_by_a_cny_per_usd_rate():
    amount, rates = run('convert({bytedance-ai-budget-2026}, {cny-per-usd-implied-2025-12}, "USD")')
    assert (amount.unit, amount.kind, amount.approximate) == ("USD", "point", True)
    assert amount.low.value == pytest.approx(23e9)
    assert rates == ["cny-per-usd-implied-2025-12"]


def test_convert_multiplies_when_that_gives_the_target():
    amount, _ = run("convert({h200-price}, {cny-per-usd-implied-2025-12}, 'CNY')")
    assert amount.unit == "CNY/chip"
    assert amount.low.value == pytest.approx(30000 * 160 / 23)


def test_us_big_four_against_bytedance_in_usd():
    amount, rates = run(
        "{us-big-four-capex-2026} / convert({bytedance-ai-budget-2026}, {cny-per-usd-implied-2025-12}, 'USD')"
    )
    assert (amount.kind, amount.unit, amount.approximate) == ("range", "dimensionless", True)
    assert (amount.low.value, amount.high.value) == (pytest.approx(350 / 23), pytest.approx(400 / 23))
    assert rates == ["cny-per-usd-implied-2025-12"]


def test_token_growth_from_a_lower_bound():
    amount, _ = run("{doubao-tokens-2025-12} / {doubao-tokens-2025-10} - 1")
    assert amount.kind == "upper-bound"
    assert amount.high.value == pytest.approx(2 / 3)
    assert amount.high.strict and not amount.low.known


def test_google_against_doubao():
    amount, _ = run("{google-tokens-2025} / {doubao-tokens-2025-12}")
    assert amount.low.value == pytest.approx(0.86)


def test_constant_multiplication_keeps_the_unit():
    amount, _ = run("{doubao-tokens-2025-12} * 365.25")
    assert amount.unit == "token/day"
    assert amount.low.value == pytest.approx(50e12 * 365.25)


def test_unary_minus_and_parentheses():
    amount, _ = run("-(1 - {doubao-tokens-2025-12} / {doubao-tokens-2025-10}) * 2")
    assert amount.kind == "upper-bound"
    assert amount.high.value == pytest.approx(4 / 3)


# --- evaluation problems -------------------------------------------------------------------------


def test_adding_cny_to_usd_fails_at_evaluation():
    with pytest.raises(ArithmeticProblem) as caught:
        run("{bytedance-ai-budget-2026} + {us-big-four-capex-2026}")
    assert caught.value.code == "unit-mismatch"


def test_division_by_zero_constant():
    with pytest.raises(ArithmeticProblem) as caught:
        run("{bytedance-ai-budget-2026} / 0")
    assert caught.value.code == "division-by-zero"


def test_convert_needs_an_exchange_rate():
    with pytest.raises(ArithmeticProblem) as caught:
        run("convert({bytedance-ai-budget-2026}, {bytedance-ai-budget-2025}, 'USD')")
    assert caught.value.code == "not-an-exchange-rate"


def test_convert_to_a_currency_the_rate_does_not_reach():
    with pytest.raises(ArithmeticProblem) as caught:
        run("convert({eur-budget}, {cny-per-usd-implied-2025-12}, 'USD')")
    assert caught.value.code == "unit-mismatch"
    assert "EUR" in caught.value.message and "{cny-per-usd-implied-2025-12}" in caught.value.message


def test_unknown_reference_surfaces_from_resolve():
    with pytest.raises(KeyError):
        run("{no-such-fact} + 1")


# --- describe ------------------------------------------------------------------------------------

TITLES = {
    "bytedance-ai-budget-2026": "ByteDance AI budget 2026",
    "bytedance-ai-budget-2025": "ByteDance AI budget 2025",
    "cny-per-usd-implied-2025-12": "implied yuan per dollar",
    "us-big-four-capex-2026": "US big four capex 2026",
    "doubao-tokens-2025-12": "Doubao tokens per day",
}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "{bytedance-ai-budget-2026} / {bytedance-ai-budget-2025} - 1",
            "ByteDance AI budget 2026 divided by ByteDance AI budget 2025 minus 1",
        ),
        (
            "{us-big-four-capex-2026} / convert({bytedance-ai-budget-2026}, {cny-per-usd-implied-2025-12}, 'USD')",
            "US big four capex 2026 divided by (ByteDance AI budget 2026 converted to USD at implied yuan per dollar)",
        ),
        ("({doubao-tokens-2025-12} - 1e12) * 365.25", "(Doubao tokens per day minus 1e12) times 365.25"),
        ("1 - (2 - 3)", "1 minus (2 minus 3)"),
        ("1 / (2 * 3)", "1 divided by (2 times 3)"),
        ("-(1 + 2)", "minus (1 plus 2)"),
    ],
)
def test_describe(text, words):
    assert describe(parse_formula(text), TITLES.__getitem__) == words


def test_function_registry_is_documented():
    for name, function in FUNCTIONS.items():
        assert function.signature.startswith(name + "(")
        assert len(function.doc) > 40


def test_a_formula_of_a_known_shape_is_read_as_if_it_were_new() -> None:
    """Checked formulas are kept by shape (their text with the ids blanked out): one of the same shape with
    other ids gets the same tree but its own references, and evaluates and reads as parsing it afresh does;
    a bare name written where a kept shape has a reference is still refused."""
    import ast as _ast

    from generator.compute import formula as f
    from generator.model.values import Amount

    pairs = [
        ("{a-1} / {b-2}", "{c-3} / {d-4}"),
        ('convert({x-1}, {rate-1}, "USD") - {y-1}', 'convert({p-2}, {rate-2}, "USD") - {q-2}'),
        ("({aa} - {bb}) / {bb}", "({cc} - {dd}) / {dd}"),
    ]
    values = {"a-1": 8, "b-2": 2, "c-3": 9, "d-4": 3, "aa": 5, "bb": 4, "cc": 7, "dd": 2}
    for first, second in pairs:
        f._SHAPES.clear()
        kept = f.parse_formula(first)  # its shape kept
        again = f.parse_formula(second)  # read from the kept shape
        f._SHAPES.clear()
        fresh = f.parse_formula(second)  # parsed and checked from scratch
        assert again.tree is kept.tree and fresh.tree is not kept.tree
        assert again.refs == fresh.refs and again.slots == fresh.slots and again.text == second
        assert _ast.dump(again.tree) != "" and f.describe(again, str) == f.describe(fresh, str)
        if "convert" not in second:
            resolve = lambda ref: Amount.point(float(values[ref]), "dimensionless")  # noqa: E731
            assert f.evaluate(again, resolve).amount == f.evaluate(fresh, resolve).amount
    f.parse_formula("{abc} + 1")
    with pytest.raises(f.FormulaError) as error:
        f.parse_formula("_xxx_ + 1")  # the kept shape's text, but a bare name
    assert error.value.code == "formula-unknown-name"
