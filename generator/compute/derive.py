"""Stage 3, derive: evaluate derived figures and consistency checks over the validated facts.

Formulas are parsed without eval (generator/compute/formula.py), ordered by their references (a
cycle is an error), evaluated with ranges and bounds carried through (generator/compute/arithmetic.py)
and units checked by pint (generator/model/units.py). Every result keeps its lineage.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from generator.compute import arithmetic, formula
from generator.inputs.dataset import Dataset, Record
from generator.model import fmt, percent, units
from generator.model.errors import Problem
from generator.model.hints import did_you_mean
from generator.model.limits import MAX_DERIVED, MAX_DERIVED_DEPTH, MAX_MAGNITUDE
from generator.model.schema import Check, Derived, Fact
from generator.model.values import Amount

#: Inputs visited while collecting the facts behind each figure, in this process; tests assert the
#: work stays linear in the number of formula inputs (a diamond-shaped chain once took 2^depth steps).
LINEAGE_STEPS = 0


@dataclass(frozen=True)
class Input:
    """One input of a derived figure: a fact or another derived figure, with the value used."""

    ref: str
    kind: str  # "fact" or "derived"
    amount: Amount


@dataclass(frozen=True)
class DerivedValue:
    """A computed figure, rounded once to what its inputs justify (as it is shown), with its lineage."""

    id: str
    definition: Derived
    amount: Amount
    exact: Amount
    significant_figures: int
    inputs: tuple[Input, ...]
    rates_used: tuple[str, ...]
    formula_words: str
    kind: fmt.FigureKind = "amount"  # how pages say it: a share, change, multiple or amount


@dataclass(frozen=True)
class CheckResult:
    """A consistency check: the number computed (rounded as a derived figure would be), whether the
    text's claim holds (judged on the exact number), and why."""

    id: str
    definition: Check
    amount: Amount
    passed: bool
    detail: str
    inputs: tuple[Input, ...]
    exact: Amount | None = None  # `amount` before rounding; the claim is judged on this
    kind: fmt.FigureKind = "amount"


@dataclass
class Derivation:
    """Everything computed: fact amounts, derived figures, checks, and who uses what."""

    facts: dict[str, Amount] = field(default_factory=dict)
    values: dict[str, DerivedValue] = field(default_factory=dict)
    checks: dict[str, CheckResult] = field(default_factory=dict)
    used_by: dict[str, list[str]] = field(default_factory=dict)  # input id -> derived/check ids
    #: derived id -> ids of the facts it rests on, following derived inputs, each once, in formula order.
    #: Computed once per figure from its inputs' own lists (so the walk is linear, never 2^depth);
    #: pages, charts and credits read it instead of walking the chain again.
    behind: dict[str, tuple[str, ...]] = field(default_factory=dict)
    depth: dict[str, int] = field(default_factory=dict)  # derived id -> length of its chain (1: facts only)


def facts_behind(derivation: Derivation, ref: str) -> tuple[str, ...]:
    """Ids of the facts a fact or derived figure rests on (a fact rests on itself)."""
    return derivation.behind.get(ref, (ref,) if ref in derivation.facts else ())


def _out_of_range(amount: Amount) -> bool:
    """True when a known end of a computed amount is larger than any number the output stages can say."""
    return any(end.known and abs(end.value) > MAX_MAGNITUDE for end in (amount.low, amount.high))


def _out_of_range_problem(record: Record, amount: Amount) -> Problem:
    return record.problem(
        ("formula",),
        "derived-out-of-range",
        f"the result, {arithmetic.show(amount)}, is larger than the limit of {MAX_MAGNITUDE:g}",
        "check the units and magnitudes of the inputs; a value may be off by many orders",
    )


def fact_amount(fact: Fact) -> Amount | None:
    """The Amount of a fact's value, or None for an event."""
    if fact.value is None or fact.unit is None:
        return None
    v, unit, approx = fact.value, units.parse_unit(fact.unit), fact.approximate
    form = v.form
    if form == "point":
        return Amount.point(v.point, unit, approx)  # type: ignore[arg-type]
    if form == "range":
        return Amount.range(v.low, v.high, unit, approx)  # type: ignore[arg-type]
    if form in ("more_than", "at_least"):
        return Amount.lower_bound(getattr(v, form), unit, strict=form == "more_than", approximate=approx)
    return Amount.upper_bound(getattr(v, form), unit, strict=form == "less_than", approximate=approx)


def _formula_problem(record: Record, error: formula.FormulaError) -> Problem:
    located = record.located
    at = (*record.path, "formula")
    line, column = located.where(at)
    column += error.column - 1 + (1 if at in located.quoted else 0)
    return Problem(record.file, line, column, error.code, error.message, error.hint)


def _order(parsed: dict[str, formula.Formula], records: dict[str, Record]) -> tuple[list[str], list[Problem], set[str]]:
    """Derived ids in an order where every input comes first; cycles are problems, their members returned."""
    order: list[str] = []
    cyclic: set[str] = set()
    state: dict[str, int] = {}  # 1 visiting, 2 done
    problems: list[Problem] = []
    for start in parsed:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, index = stack.pop()
            if index == 0:
                state[node] = 1
                path.append(node)
            refs = [r for r in parsed[node].refs if r in parsed]
            if index < len(refs):
                stack.append((node, index + 1))
                nxt = refs[index]
                if state.get(nxt) == 1:
                    cycle = path[path.index(nxt) :] + [nxt]
                    cyclic.update(cycle)
                    problems.append(
                        records[node].problem(
                            ("formula",),
                            "formula-cycle",
                            f"formulas refer to each other in a cycle: {' -> '.join(cycle)}",
                            "a derived figure cannot depend on itself",
                        )
                    )
                elif not state.get(nxt):
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()
                order.append(node)
    return order, problems, cyclic


def derive(dataset: Dataset) -> tuple[Derivation, list[Problem]]:
    """Evaluate every derived figure and check; problems for anything that cannot be computed."""
    result = Derivation()
    problems: list[Problem] = []
    sig_figs: dict[str, int] = {}
    for fid, fact_record in dataset.facts.items():
        if dataset.has_errors(fid, "facts"):
            continue  # its own error is reported; what uses it is skipped below without another
        try:
            amount = fact_amount(fact_record.model)
        except units.UnitError:
            continue  # already reported by validate
        if amount is not None and fact_record.model.retracted is None:
            result.facts[fid] = amount
            sig_figs[fid] = arithmetic.justified_figures(fact_record.model.value.numbers())  # type: ignore[union-attr]

    parsed: dict[str, formula.Formula] = {}
    items: dict[str, Record[Derived] | Record[Check]] = {**dataset.derived, **dataset.checks}
    if len(items) > MAX_DERIVED:
        beyond = list(items.values())[MAX_DERIVED]
        problems.append(
            beyond.problem(
                ("id",),
                "too-many-derived",
                f"{len(items):,} derived figures and checks, more than the limit of {MAX_DERIVED:,}",
                "split the dataset, or remove figures nobody reads",
            )
        )
        return result, problems
    known = set(result.facts) | set(dataset.derived)
    for iid, item in items.items():
        try:
            parsed[iid] = formula.parse_formula(item.model.formula)
        except formula.FormulaError as error:
            problems.append(_formula_problem(item, error))
            continue
        if iid in dataset.derived and not parsed[iid].refs:
            # A figure with no lineage has no facts behind it to credit, date or label a chart with.
            problems.append(
                item.problem(
                    ("formula",),
                    "formula-without-reference",
                    "a derived figure is computed from facts, but this formula refers to none",
                    "refer to the facts it comes from as {fact-id}",
                )
            )
            parsed.pop(iid)
            continue
        for ref in parsed[iid].refs:
            if ref not in known and dataset.has_errors(ref, "facts", "derived"):
                parsed.pop(iid, None)  # the input's own error is already reported: one mistake, one error
                break
            if ref not in known:
                hint = _missing_hint(ref, dataset, known)
                problems.append(
                    item.problem(
                        ("formula",),
                        "unknown-reference",
                        f"formula refers to '{ref}', which is not a fact with a value or a derived figure",
                        hint,
                    )
                )
                parsed.pop(iid, None)
                break
            result.used_by.setdefault(ref, []).append(iid)

    derived_parsed = {k: v for k, v in parsed.items() if k in dataset.derived}
    order, cycle_problems, failed = _order(derived_parsed, dataset.derived)
    problems.extend(cycle_problems)
    failed |= set(dataset.derived) - set(derived_parsed)  # unparsable or with unknown references
    # `failed`: figures that could not be computed; figures using them are skipped without a
    # second error, since the first one already says what to fix.

    def resolve(ref: str) -> Amount:
        if ref in result.facts:
            return result.facts[ref]
        if ref in result.values:
            return result.values[ref].exact
        raise arithmetic.ArithmeticProblem(
            "input-unavailable", f"'{ref}' could not be computed", "fix the problem reported for that figure first"
        )

    for did in order:
        if did in failed or any(ref in failed for ref in parsed[did].refs):
            failed.add(did)
            continue
        record = dataset.derived[did]
        refs = parsed[did].refs
        depth = 1 + max((result.depth[r] for r in refs if r in result.depth), default=0)
        if depth > MAX_DERIVED_DEPTH:
            problems.append(
                record.problem(
                    ("formula",),
                    "derived-chain-too-deep",
                    f"this figure ends a chain of {depth} derived figures, each computed "
                    f"from the one before, more than the limit of {MAX_DERIVED_DEPTH}",
                    "compute it from facts or from figures nearer the facts",
                )
            )
            failed.add(did)  # the figures built on it are skipped without a second error
            continue
        if (unit_problem := _declared_unit_problem(record)) is not None:
            problems.append(unit_problem)
            failed.add(did)
            continue
        try:
            evaluation = formula.evaluate(parsed[did], resolve)
            exact = arithmetic.to_unit(evaluation.amount, record.model.unit)
        except (arithmetic.ArithmeticProblem, units.UnitError) as error:
            problems.append(record.problem(("formula",), error.code, error.message, error.hint))
            failed.add(did)
            continue
        if _out_of_range(exact):
            problems.append(_out_of_range_problem(record, exact))
            failed.add(did)
            continue
        behind = _behind(result, tuple(_inputs(refs, result, resolve)))
        if (period_problem := _periods_problem(dataset, record, behind)) is not None:
            problems.append(period_problem)
            failed.add(did)
            continue
        result.depth[did] = depth
        sig = _justified(refs, sig_figs)
        sig_figs[did] = sig
        kind = fmt.figure_kind(exact, is_change_formula(record.model.formula))
        result.values[did] = DerivedValue(
            id=did,
            definition=record.model,
            amount=round_figure(exact, sig, kind),
            exact=exact,
            significant_figures=sig,
            inputs=tuple(_inputs(refs, result, resolve)),
            rates_used=tuple(evaluation.rates_used),
            formula_words=formula_sentence(
                formula.describe(parsed[did], lambda r: _label(dataset, r)), kind == "change"
            ),
            kind=kind,
        )
        result.behind[did] = behind  # computed once above, for the periods check

    for cid, check_record in dataset.checks.items():
        if cid not in parsed or any(ref in failed for ref in parsed[cid].refs):
            continue
        if (unit_problem := _declared_unit_problem(check_record)) is not None:
            problems.append(unit_problem)
            continue
        try:
            amount = arithmetic.to_unit(formula.evaluate(parsed[cid], resolve).amount, check_record.model.unit)
        except (arithmetic.ArithmeticProblem, units.UnitError) as error:
            problems.append(check_record.problem(("formula",), error.code, error.message, error.hint))
            continue
        if _out_of_range(amount):
            problems.append(_out_of_range_problem(check_record, amount))
            continue
        expect = check_record.model.expect
        if expect.approximately is not None:
            scale = percent.check_scale_problem(
                check_record.model.unit,
                expect.approximately,
                expect.tolerance or 0.0,
                amount.low.value,
                amount.high.value,
            )
            if scale is not None:  # one mistake, one error: not also a failed check
                problems.append(check_record.problem(("expect", "approximately"), "percent-scale", *scale))
                continue
        passed, _ = judge(amount, check_record.model)
        kind = fmt.figure_kind(amount, is_change_formula(check_record.model.formula))
        shown = round_figure(amount, _justified(parsed[cid].refs, sig_figs), kind)
        detail = check_words(shown, kind, check_record.model, passed)  # as the pages say it, no raw floats
        result.checks[cid] = CheckResult(
            cid,
            check_record.model,
            shown,
            passed,
            detail,
            tuple(_inputs(parsed[cid].refs, result, resolve)),
            amount,
            kind,
        )
        if not passed and not check_record.model.acknowledged:
            problems.append(
                check_record.problem(
                    ("expect",),
                    "check-failed",
                    f"{check_record.model.title}: {detail}",
                    "correct the facts, or add `acknowledged:` saying why the source's text and numbers disagree",
                    severity="warning",
                )
            )
        if passed and check_record.model.acknowledged:
            problems.append(
                check_record.problem(
                    ("acknowledged",),
                    "check-now-passes",
                    f"{check_record.model.title} now passes but is marked acknowledged",
                    "remove `acknowledged:`",
                    severity="warning",
                )
            )
    problems.extend(_check_charts(dataset, result, failed))
    return result, problems


def _check_charts(dataset: Dataset, result: Derivation, failed: set[str]) -> list[Problem]:
    """Every chart series must have a value (not an event or a retracted fact) in the chart's unit."""
    out: list[Problem] = []
    for record in dataset.charts.values():
        chart = record.model
        try:
            units.parse_unit(chart.unit)
        except units.UnitError:
            continue  # reported by validate, on the chart's `unit`
        for i, series in enumerate(chart.series):
            at = ("series", i, "ref")
            if dataset.has_errors(series.ref, "facts", "derived"):
                continue  # reported once, on the fact or figure itself
            if series.ref in failed or (series.ref not in result.facts and series.ref not in result.values):
                if series.ref in dataset.facts and series.ref not in failed:
                    out.append(
                        record.problem(
                            at,
                            "chart-series-without-value",
                            f"'{series.ref}' is an event or a retracted fact: it has no value to plot",
                            "plot a fact with a value or a derived figure",
                        )
                    )
                continue  # an unknown id is reported by validate, a failed figure by its own formula
            amount = result.facts.get(series.ref) or result.values[series.ref].amount
            if amount.kind == "unknown":
                out.append(
                    record.problem(
                        at,
                        "chart-series-unknown",
                        f"'{series.ref}' is {arithmetic.show(amount)}: its formula leaves neither "
                        "end known, so there is nothing to draw",
                        "plot the figures it is computed from instead",
                    )
                )
                continue
            try:
                factor = units.conversion_factor(amount.unit, chart.unit)
            except units.UnitError:
                out.append(
                    record.problem(
                        at,
                        "chart-unit-mismatch",
                        f"'{series.ref}' is in {amount.unit}, which cannot be shown in the chart's unit {chart.unit}",
                        "plot series of one dimension, or convert with a derived figure",
                    )
                )
                continue
            plotted = [end.value * factor for end in (amount.low, amount.high) if end.known]
            if any(not abs(v) <= MAX_MAGNITUDE for v in plotted):
                out.append(
                    record.problem(
                        at,
                        "chart-value-out-of-range",
                        f"'{series.ref}' in {chart.unit} is larger than the limit of {MAX_MAGNITUDE:g}",
                        "plot it in a larger unit",
                    )
                )
    return out


def _declared_unit_problem(record: Record[Derived] | Record[Check]) -> Problem | None:
    """A problem at `unit:` when a figure's or check's declared unit cannot be read (too long, unknown...)."""
    try:
        units.parse_unit(record.model.unit)
    except units.UnitError as error:
        return record.problem(("unit",), error.code, error.message, error.hint)
    return None


def _periods_problem(dataset: Dataset, record: Record[Derived], behind: tuple[str, ...]) -> Problem | None:
    """`periods-differ` when a figure combines facts of different periods and does not say why.

    Exchange-rate facts are left out: a conversion at a rate of another month is a conversion, and
    the rate is named on the figure's page. Periods are compared by the days they cover.
    """
    if record.model.across_periods:
        return None
    spans: dict[tuple, list[str]] = {}
    for fid in behind:
        fact = dataset.facts[fid].model
        metric = dataset.metrics.get(fact.metric)
        if metric is not None and metric.model.dimension == "exchange-rate":
            continue
        spans.setdefault(dataset.period_span(fact), []).append(dataset.period_label(fact))
    if len(spans) < 2:
        return None
    said = " and ".join(dict.fromkeys(labels[0] for labels in spans.values()))
    return record.problem(
        ("formula",),
        "periods-differ",
        f"the formula combines facts of different periods ({said})",
        "if that is meant (a change between two periods, a budget against another year's "
        "spending), say why in `across_periods:`; otherwise use facts of one period",
    )


def _behind(result: Derivation, inputs: tuple[Input, ...]) -> tuple[str, ...]:
    """The facts behind a figure from its inputs' own lists (already computed: inputs come first)."""
    global LINEAGE_STEPS
    out: dict[str, None] = {}
    for item in inputs:
        LINEAGE_STEPS += 1
        for fid in (item.ref,) if item.kind == "fact" else result.behind[item.ref]:
            out.setdefault(fid)
    return tuple(out)


def check_words(
    shown: Amount,
    kind: fmt.FigureKind,
    check: Check,
    passed: bool,
    locale: str = "en",
    _: Callable[[str], str] = formula.english,
) -> str:
    """Why a check passes or not, in the words of its figure: "57% is not within 5 percentage
    points of 50%", "about $23 billion is within $500 million of $23 billion", "+16% is not a decrease".
    Its figures in `locale` (generator/model/fmt.py), its words through `_` (a catalog's gettext)."""
    expect, unit = check.expect, shown.unit
    said = fmt.format_figure(shown, kind, locale)

    def at(x: float) -> str:
        return fmt.format_figure(Amount.point(x, unit), kind, locale)

    if expect.approximately is not None:
        tolerance = expect.tolerance or 0.0
        if kind in ("share", "change", "ratio-change"):
            points = tolerance * (1 if unit == "percent" else 100)
            near = _("{points} percentage points").format(points=fmt.format_number(points, locale))
        else:
            near = fmt.format_figure(
                Amount.point(tolerance, unit), "multiple" if kind == "multiple" else "amount", locale
            )
        sentence = _("{said} is within {near} of {target}") if passed else _("{said} is not within {near} of {target}")
        return sentence.format(said=said, near=near, target=at(expect.approximately))
    for threshold, above in ((expect.greater_than, True), (expect.less_than, False)):
        if threshold is None:
            continue
        if kind == "ratio-change" and threshold == 1:
            if above:
                sentence = _("{said} is an increase") if passed else _("{said} is not an increase")
            else:
                sentence = _("{said} is a decrease") if passed else _("{said} is not a decrease")
            return sentence.format(said=said)
        if above:
            sentence = _("{said} is above {target}") if passed else _("{said} is not above {target}")
        else:
            sentence = _("{said} is below {target}") if passed else _("{said} is not below {target}")
        return sentence.format(said=said, target=at(threshold))
    return _("no expectation given")


def is_change_formula(text: str) -> bool:
    """Whether a formula is a change (`a / b - 1`), so its result is said with a sign."""
    return text.replace(" ", "").endswith("-1")


def _justified(refs: tuple[str, ...], sig_figs: dict[str, int]) -> int:
    """Significant figures the least precise input justifies, never fewer than the minimum."""
    sig = min([sig_figs[r] for r in refs if r in sig_figs] or [arithmetic.MIN_SIGNIFICANT_FIGURES])
    return max(sig, arithmetic.MIN_SIGNIFICANT_FIGURES)


def round_figure(exact: Amount, sig: int, kind: fmt.FigureKind) -> Amount:
    """Round once, in the form the figure is shown: a ratio said as a change rounds its change
    (1.0127 -> +1.27% at 3 figures, not 1.01), everything else rounds its own value."""
    if kind == "ratio-change":
        return fmt.shift(arithmetic.round_amount(fmt.shift(exact, -1), sig), 1)
    return arithmetic.round_amount(exact, sig)


def _missing_hint(ref: str, dataset: Dataset, known: set[str]) -> str:
    if ref in dataset.facts:
        return "that fact has no value (an event) or is retracted"

    return did_you_mean(ref, sorted(known)) or "check the id"


def _inputs(refs: tuple[str, ...], result: Derivation, resolve: Callable[[str], Amount]) -> list[Input]:
    return [Input(r, "fact" if r in result.facts else "derived", resolve(r)) for r in refs]


def _label(dataset: Dataset, ref: str, locale: str = "en") -> str:
    """A short name for a formula in words: a derived figure's title, a fact's label."""
    if ref in dataset.derived:
        return dataset.derived[ref].model.title
    return fact_label(dataset, dataset.facts[ref].model, locale) if ref in dataset.facts else ref


def formula_words(
    dataset: Dataset,
    definition: Derived,
    kind: fmt.FigureKind,
    locale: str = "en",
    _: Callable[[str], str] = formula.english,
) -> str:
    """A derived figure's formula as a sentence for readers, each input named by its title or label in the
    dataset's texts (a localized dataset names them in its language), the words through `_`."""
    words = formula.describe(formula.parse_formula(definition.formula), lambda r: _label(dataset, r, locale), _)
    return formula_sentence(words, kind == "change", _)


def fact_label(dataset: Dataset, fact: Fact, locale: str = "en") -> str:
    """A fact named by what, whom and when, far shorter than its statement:
    "AI infrastructure budget (ByteDance, 2026)"; a closing parenthesis of the entity's name is dropped."""
    metric = dataset.metrics[fact.metric].model.name if fact.metric in dataset.metrics else fact.metric
    entity = dataset.entities[fact.entity].model.name if fact.entity in dataset.entities else fact.entity
    entity = re.sub(r"\s*\([^()]*\)$", "", entity).strip() or entity
    if len(metric) > 1 and metric[0].isupper() and metric[1].islower():
        metric = metric[0].lower() + metric[1:]  # "Monthly active users" -> "monthly active users"
    return f"{metric} ({entity}, {fmt.period_label(fact.period, locale)})"


def formula_sentence(words: str, change: bool, _: Callable[[str], str] = formula.english) -> str:
    """The formula in words as a sentence: capital first letter, "…, minus 1" for a change, a full stop."""
    minus_one = f" {_(formula.N_('minus'))} 1"
    if change and words.endswith(minus_one):
        words = words[: -len(minus_one)] + "," + minus_one
    return (words[:1].upper() + words[1:]).rstrip(".") + "."


def judge(amount: Amount, check: Check) -> tuple[bool, str]:
    """Whether a computed amount agrees with what the text claims, and a sentence saying so."""
    expect = check.expect
    low, high = amount.low.value, amount.high.value
    shown = arithmetic.show(amount)
    if expect.approximately is not None:
        tolerance = expect.tolerance or 0.0
        lo_ok, hi_ok = expect.approximately - tolerance, expect.approximately + tolerance
        ok = low <= hi_ok and high >= lo_ok  # some value the data allows is within tolerance
        verb = "is" if ok else "is not"
        return ok, f"{shown} {verb} within {tolerance:g} of {expect.approximately:g}"
    if expect.less_than is not None:
        ok = high < expect.less_than
        return ok, f"{shown} {'is' if ok else 'is not'} below {expect.less_than:g}"
    if expect.greater_than is not None:
        ok = low > expect.greater_than
        return ok, f"{shown} {'is' if ok else 'is not'} above {expect.greater_than:g}"
    return True, "no expectation given"
