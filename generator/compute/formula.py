"""Formulas of derived figures: parsed with `ast`, checked against an allow-list, never eval'd.

A formula refers to facts and other derived figures by id in braces:
`{bytedance-ai-budget-2026} / {bytedance-ai-budget-2025} - 1`. Each `{id}` is replaced by a Python
identifier of the same length, so every column in an error is exact, then the text is parsed with
`ast.parse(mode="eval")` and every node is checked against a short allow-list: numbers, the four
operators + - * /, unary minus and plus, parentheses, references, and the functions in `FUNCTIONS`.
Anything else is refused with a stable code before any arithmetic runs.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn, cast

from generator.compute import arithmetic
from generator.model.errors import CodedError
from generator.model.limits import MAX_FORMULA_CHARS, MAX_FORMULA_DEPTH
from generator.model.units import UnitError, is_currency, parse_unit
from generator.model.values import Amount

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Function:
    """One function a formula may call; the reference docs list these."""

    signature: str
    arity: int
    doc: str


#: Every function a formula may call. The reference docs are generated from this table.
FUNCTIONS: dict[str, Function] = {
    "convert": Function(
        signature='convert(amount, {rate-id}, "CUR")',
        arity=3,
        doc="Converts an amount to currency CUR at the exchange-rate fact {rate-id} (e.g. in CNY/USD); "
        "it divides or multiplies by the rate, whichever gives CUR. The rate must be a direct reference, "
        "and is listed among the figure's inputs.",
    ),
}

_ARITHMETIC = {ast.Add: arithmetic.add, ast.Sub: arithmetic.sub, ast.Mult: arithmetic.mul, ast.Div: arithmetic.div}


def N_(message: str) -> str:
    """Mark words for the site's catalogs (Babel extracts N_ and _); they are translated where they are said."""
    return message


def english(message: str) -> str:
    """The words as written: English, the source language (no catalog)."""
    return message


_OPERATOR_WORDS = {ast.Add: N_("plus"), ast.Sub: N_("minus"), ast.Mult: N_("times"), ast.Div: N_("divided by")}
_FORBIDDEN_OPERATORS = {
    ast.Pow: "the power operator '**'",
    ast.FloorDiv: "floor division '//'",
    ast.Mod: "the remainder operator '%'",
    ast.MatMult: "the matrix operator '@'",
    ast.LShift: "the shift operator '<<'",
    ast.RShift: "the shift operator '>>'",
    ast.BitOr: "the operator '|'",
    ast.BitAnd: "the operator '&'",
    ast.BitXor: "the operator '^'",
}
_CONSTRUCTS = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts",
    ast.Lambda: "lambda",
    ast.ListComp: "list comprehensions",
    ast.SetComp: "set comprehensions",
    ast.DictComp: "dict comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.Compare: "comparisons",
    ast.BoolOp: "'and' / 'or'",
    ast.IfExp: "conditional expressions (if/else)",
    ast.JoinedStr: "f-strings",
    ast.NamedExpr: "assignment expressions ':='",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Set: "sets",
    ast.Dict: "dicts",
    ast.Starred: "unpacking '*'",
}
# For these the column points at the operator or keyword that follows the first operand.
_AFTER_FIRST_OPERAND = {ast.Attribute: "value", ast.Subscript: "value", ast.Compare: "left", ast.IfExp: "body"}
_HINT_ALLOWED = "formulas may use numbers, {fact-id} references, + - * /, parentheses and convert()"


class FormulaError(CodedError):
    """A formula that cannot be accepted: a stable code, a message, a hint and a 1-based column."""

    def __init__(self, code: str, message: str, hint: str = "", column: int = 1):
        super().__init__(code, message, hint)
        self.column = column


@dataclass(frozen=True)
class Formula:
    """A checked formula: its text, the ids it refers to, and its syntax tree."""

    text: str
    refs: tuple[str, ...]
    tree: ast.Expression = field(repr=False, compare=False)
    # Byte column of each placeholder name in the tree -> the id it stands for.
    slots: dict[int, str] = field(repr=False, compare=False)


@dataclass
class Evaluation:
    """The result of a formula and the exchange-rate facts convert() used."""

    amount: Amount
    rates_used: list[str]


class _Source:
    """Maps ast byte columns to 1-based character columns (the text is one line, see parse_formula)."""

    def __init__(self, text: str):
        self.text = text
        self.encoded = text.encode("utf-8")

    def index(self, byte_column: int | None) -> int:
        """0-based character index of an ast column, which counts UTF-8 bytes (None: the end)."""
        return len(self.encoded[:byte_column].decode("utf-8", errors="ignore"))

    def column(self, node: ast.expr | ast.keyword) -> int:
        """1-based column where a node starts."""
        return self.index(node.col_offset) + 1

    def after(self, node: ast.expr) -> int:
        """1-based column of the first token after a node (skipping spaces and closing parentheses)."""
        position = self.index(node.end_col_offset)
        while position < len(self.text) and self.text[position] in " )":
            position += 1
        return position + 1


def _flat(text: str) -> str:
    """The text on one line: newlines and tabs read as spaces, same length, so columns stay exact.

    A YAML block may break a long formula over lines, and Python would end the expression at the
    first newline.
    """
    return text.replace("\n", " ").replace("\t", " ")


def _substitute(text: str) -> tuple[str, dict[int, str]]:
    """Replace each {id} by a same-length identifier; return the new text and index -> id."""
    pieces, slots, position = [], {}, 0
    for index, char in enumerate(text):
        if char == "}" and index >= position:
            raise FormulaError("formula-syntax", "'}' without a matching '{'", _HINT_ALLOWED, index + 1)
        if char != "{" or index < position:
            continue
        close = text.find("}", index)
        opening = text.find("{", index + 1)
        if close < 0 or 0 <= opening < close:
            raise FormulaError("formula-syntax", "'{' is never closed", "write references as {fact-id}", index + 1)
        slug = text[index + 1 : close]
        if not SLUG.fullmatch(slug):
            raise FormulaError(
                "formula-syntax",
                f"'{{{slug}}}' is not a valid id reference",
                "ids are lowercase letters and digits separated by single hyphens, e.g. {bytedance-capex-2026}",
                index + 1,
            )
        pieces.append(text[position:index])
        pieces.append("_" + slug.replace("-", "_") + "_")
        slots[index] = slug
        position = close + 1
    pieces.append(text[position:])
    return "".join(pieces), slots


def _check_nesting(text: str) -> None:
    """Refuse brackets nested deeper than MAX_FORMULA_DEPTH before the parser sees them."""
    depth, quote = 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
            if depth > MAX_FORMULA_DEPTH:
                raise FormulaError(
                    "formula-too-deep",
                    f"brackets are nested more than {MAX_FORMULA_DEPTH} deep",
                    "split the formula into several derived figures",
                    index + 1,
                )
        elif char in ")]":
            depth -= 1


def parse_formula(text: str) -> Formula:
    """Parse and check a formula, or raise FormulaError with a stable code and column."""
    if len(text) > MAX_FORMULA_CHARS:
        raise FormulaError(
            "formula-too-long",
            f"the formula has {len(text)} characters, more than the limit of {MAX_FORMULA_CHARS}",
            "split it into several derived figures that refer to each other",
            MAX_FORMULA_CHARS + 1,
        )
    for index, char in enumerate(text):
        if (ord(char) < 32 and char not in "\t\n") or ord(char) == 127:
            raise FormulaError("formula-syntax", f"control character {char!r} in the formula", "", index + 1)
    if not text.strip():
        raise FormulaError("formula-syntax", "the formula is empty", _HINT_ALLOWED, 1)
    python_text, slots_by_index = _substitute(_flat(text))
    refs = tuple(dict.fromkeys(slots_by_index[index] for index in sorted(slots_by_index)))
    shape = _shape(python_text, slots_by_index)
    known = _SHAPES.get(shape)
    if known is not None:  # the same formula but for its ids: its checked tree, its own references
        tree, names = known
        return Formula(
            text=text, refs=refs, tree=tree, slots={offset: slots_by_index[index] for offset, index in names}
        )
    _check_nesting(python_text)
    source = _Source(python_text)
    try:
        tree = ast.parse(python_text, mode="eval")
    except SyntaxError as error:
        # SyntaxError.offset counts characters (ast columns count bytes); 0 or None means "at the end".
        column = error.offset if error.offset and 0 < error.offset <= len(text) else len(text) + 1
        message = f"the formula cannot be read: {error.msg}"
        raise FormulaError("formula-syntax", message, _HINT_ALLOWED, column) from None
    except (RecursionError, MemoryError, ValueError) as error:
        raise FormulaError("formula-too-deep", f"the formula is too complex to read ({error})", "", 1) from None
    slots = {
        node.col_offset: slots_by_index[source.index(node.col_offset)]
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and source.index(node.col_offset) in slots_by_index
    }
    _Checker(source, slots).check(tree.body, 1)
    if len(_SHAPES) >= _MAX_SHAPES:
        _SHAPES.clear()
    _SHAPES[shape] = (tree, tuple((offset, source.index(offset)) for offset in slots))
    return Formula(text=text, refs=refs, tree=tree, slots=slots)


#: Checked formulas by shape: real and synthetic datasets repeat a few shapes ("{a} / {b}", "({a} - {b}) / {b}")
#: with other ids, and parsing and checking each one again was a quarter of deriving 10,000 facts. Only formulas
#: that passed are kept; their trees are shared, and nothing changes a tree once it is checked.
_SHAPES: dict[tuple[str, tuple[int, ...]], tuple[ast.Expression, tuple[tuple[int, int], ...]]] = {}
_MAX_SHAPES = 4096


def _shape(python_text: str, slots_by_index: dict[int, str]) -> tuple[str, tuple[int, ...]]:
    """What parsing and checking a formula depends on: its text with each reference's id blanked out to the
    same length (so every column stays), and where the references stand (a bare name written like a blanked
    one is not at a reference's place, so it cannot take a checked formula's shape)."""
    pieces, position = [], 0
    for index in sorted(slots_by_index):
        width = len(slots_by_index[index])
        pieces.append(python_text[position:index])
        pieces.append("_" + "x" * width + "_")
        position = index + width + 2
    pieces.append(python_text[position:])
    return "".join(pieces), tuple(sorted(slots_by_index))


class _Checker:
    """Walks the tree once and raises FormulaError at the first node outside the allow-list."""

    def __init__(self, source: _Source, slots: dict[int, str]):
        self.source = source
        self.slots = slots

    def fail(self, code: str, message: str, column: int, hint: str = _HINT_ALLOWED) -> NoReturn:
        """Raise the problem at a column."""
        raise FormulaError(code, message, hint, column)

    def check(self, node: ast.expr, depth: int) -> None:
        """Check one node and its children."""
        column = self.source.column(node) if hasattr(node, "col_offset") else 1
        if depth > MAX_FORMULA_DEPTH:
            self.fail(
                "formula-too-deep",
                f"the formula nests more than {MAX_FORMULA_DEPTH} operations deep",
                column,
                "split the formula into several derived figures",
            )
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _ARITHMETIC:
                name = _FORBIDDEN_OPERATORS.get(type(node.op), type(node.op).__name__)
                self.fail("formula-forbidden", f"{name} cannot be used in formulas", self.source.after(node.left))
            self.check(node.left, depth + 1)
            self.check(node.right, depth + 1)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                self.fail("formula-forbidden", "only unary '-' and '+' are allowed in formulas", column)
            self.check(node.operand, depth + 1)
        elif isinstance(node, ast.Constant):
            self.check_number(node, column)
        elif isinstance(node, ast.Name):
            if node.col_offset not in self.slots:
                self.fail(
                    "formula-unknown-name",
                    f"'{node.id}' is not known",
                    column,
                    "refer to facts and derived figures by id in braces, e.g. {bytedance-capex-2026}",
                )
        elif isinstance(node, ast.Call):
            self.check_call(node, depth, column)
        else:
            name = _CONSTRUCTS.get(type(node), type(node).__name__)
            operand = _AFTER_FIRST_OPERAND.get(type(node))
            if operand:
                column = self.source.after(getattr(node, operand))
            elif isinstance(node, ast.BoolOp):
                column = self.source.after(node.values[0])
            self.fail("formula-forbidden", f"{name} cannot be used in formulas", column)

    def check_number(self, node: ast.Constant, column: int) -> None:
        """Allow finite int and float literals only."""
        value = node.value
        if isinstance(value, str):
            self.fail("formula-forbidden", "quoted text is only allowed as the currency in convert()", column)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail("formula-forbidden", f"the constant {value!r} is not allowed in formulas", column)
        try:
            finite = abs(float(value)) != float("inf")
        except OverflowError:
            finite = False
        if not finite:
            self.fail("formula-bad-number", "the number is too large", column, "write large numbers as 3e12")

    def check_call(self, node: ast.Call, depth: int, column: int) -> None:
        """Allow calls to FUNCTIONS by plain name, positional arguments only, with the right arity."""
        if not isinstance(node.func, ast.Name):
            self.check(node.func, depth + 1)
            self.fail("formula-forbidden", "only functions called by name are allowed", column)
        name = node.func.id
        if node.func.col_offset in self.slots:
            self.fail("formula-forbidden", "a reference cannot be called like a function", column)
        if name not in FUNCTIONS:
            if name.startswith("_"):
                self.fail("formula-unknown-name", f"'{name}' is not known", column)
            known = ", ".join(f.signature for f in FUNCTIONS.values())
            self.fail("formula-unknown-function", f"function '{name}' is not known", column, f"known: {known}")
        function = FUNCTIONS[name]
        for keyword in node.keywords:
            label = f"keyword argument '{keyword.arg}='" if keyword.arg else "unpacking '**'"
            self.fail("formula-forbidden", f"{label} is not allowed", self.source.column(keyword))
        if len(node.args) != function.arity:
            self.fail(
                "formula-arity",
                f"{name}() takes {function.arity} arguments, not {len(node.args)}",
                column,
                f"write {function.signature}",
            )
        if name == "convert":
            self.check_convert(node, depth)

    def check_convert(self, node: ast.Call, depth: int) -> None:
        """convert(amount, {rate-id}, "CUR"): a direct rate reference and a known currency."""
        amount, rate, target = node.args
        self.check(amount, depth + 1)
        if not (isinstance(rate, ast.Name) and rate.col_offset in self.slots):
            self.check(rate, depth + 1)
            self.fail(
                "formula-argument",
                "the rate given to convert() must be a direct reference to an exchange-rate fact",
                self.source.column(rate),
                'write convert(amount, {rate-fact-id}, "USD")',
            )
        if not (isinstance(target, ast.Constant) and isinstance(target.value, str)):
            self.fail(
                "formula-argument",
                'the currency of convert() must be quoted text such as "USD"',
                self.source.column(target),
            )
        try:
            unit = parse_unit(target.value)
        except UnitError as error:
            self.fail(error.code, error.message, self.source.column(target), error.hint)
        if not is_currency(unit):
            self.fail(
                "formula-argument",
                f"convert() converts to a currency, not '{unit}'",
                self.source.column(target),
            )


def _slot(formula: Formula, node: ast.Name) -> str:
    """The id a placeholder name stands for."""
    return formula.slots[node.col_offset]


def evaluate(formula: Formula, resolve: Callable[[str], Amount]) -> Evaluation:
    """Compute a formula; `resolve` gives the Amount of each referenced id."""
    rates_used: list[str] = []

    # The casts below restate what parse_formula has checked: number constants, convert() by name,
    # a reference as its rate and quoted text as its currency.
    def value(node: ast.expr) -> Amount:
        if isinstance(node, ast.Constant):
            return Amount.point(float(cast("int | float", node.value)), "dimensionless")
        if isinstance(node, ast.Name):
            return resolve(_slot(formula, node))
        if isinstance(node, ast.BinOp):
            return _ARITHMETIC[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.UnaryOp):
            operand = value(node.operand)
            return arithmetic.neg(operand) if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Call) and cast(ast.Name, node.func).id == "convert":
            amount_node, rate_node, target_node = node.args
            rate_id = _slot(formula, cast(ast.Name, rate_node))
            if rate_id not in rates_used:
                rates_used.append(rate_id)
            target = parse_unit(cast(ast.Constant, target_node).value)
            return arithmetic.convert(value(amount_node), resolve(rate_id), target, f"{{{rate_id}}}")
        raise AssertionError(f"unchecked node {ast.dump(node)}")  # parse_formula allows nothing else

    return Evaluation(amount=value(formula.tree.body), rates_used=rates_used)


def _precedence(node: ast.AST) -> int:
    """Binding strength for deciding where the words need parentheses."""
    if isinstance(node, ast.BinOp):
        return 1 if isinstance(node.op, (ast.Add, ast.Sub)) else 2
    if isinstance(node, ast.Call):
        return 0  # "x converted to USD at y" reads as one phrase only inside parentheses
    return 3 if isinstance(node, ast.UnaryOp) else 4


def describe(formula: Formula, names: Callable[[str], str], _: Callable[[str], str] = english) -> str:
    """The formula in words for readers, each reference replaced by `names(id)` (its title), its words
    through `_` (a catalog's gettext: the pages of another language pass theirs; English by default)."""
    source = _Source(_flat(formula.text))  # numbers are shown as written: 1e12, not 1000000000000.0

    def words(node: ast.expr) -> str:
        if isinstance(node, ast.Constant):
            return source.text[source.index(node.col_offset) : source.index(node.end_col_offset)]
        if isinstance(node, ast.Name):
            return names(_slot(formula, node))
        if isinstance(node, ast.UnaryOp):
            inner = words(node.operand)
            inner = f"({inner})" if _precedence(node.operand) < 3 else inner
            return _("minus {amount}").format(amount=inner) if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp):
            mine = _precedence(node)
            left, right = words(node.left), words(node.right)
            if _precedence(node.left) < mine:
                left = f"({left})"
            right_precedence = _precedence(node.right)
            if right_precedence < mine or (right_precedence == mine and isinstance(node.op, (ast.Sub, ast.Div))):
                right = f"({right})"
            return f"{left} {_(_OPERATOR_WORDS[type(node.op)])} {right}"
        # parse_formula allows only convert() here, with a reference as its rate and quoted text as its currency.
        amount_node, rate_node, target_node = cast(ast.Call, node).args
        currency = cast(str, cast(ast.Constant, target_node).value)
        return _("{amount} converted to {currency} at {rate}").format(
            amount=words(amount_node), currency=currency, rate=names(_slot(formula, cast(ast.Name, rate_node)))
        )

    return words(formula.tree.body)
