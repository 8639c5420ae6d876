"""Calculated indicators: a small, safe language over a plan's indicator refs.

``parse("100 * DA06 / DA07")`` gives a ``Formula`` (or raises ``FormulaError`` with a message
for the admin who typed it); ``formula.words()`` says it in words ("DA06 as a percentage of
DA07") and ``formula.evaluate(figures)`` works it out with ``Decimal``.

Python's ``ast`` module reads the text, but nothing is ever evaluated by Python: the tree is
walked against a whitelist (numbers, indicator refs, ``+ - * /``, brackets and a sign), and
anything else (calls, attribute access, powers, subscripts, comparisons, names starting with
``_``) is refused with a message naming it. Refs that are not identifiers ("1.1") are written
in square brackets: ``[1.1] + [1.2]``. ``POPULATION`` is the partnership's residents that year.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation

MAX_LENGTH = 200
MAX_NODES = 60
MAX_CONSTANT = Decimal(1_000_000_000)
POPULATION = "POPULATION"
# "[1.1]" is a ref, but not "DA06[0]" (indexing) or "[x for x in y]" (refused later).
BRACKETED = re.compile(r"(?<![\w)\]])\[\s*([\w./-]{1,20})\s*\]")
PLACEHOLDER = re.compile(r"__ref_\d+__")

OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
REFUSED = {
    ast.Call: "Functions such as {text} are not allowed: use only refs, numbers and + - * /",
    ast.Attribute: "Attribute access ({text}) is not allowed: use only refs, numbers and + - * /",
    ast.Subscript: "Indexing ({text}) is not allowed: write refs like 1.1 in square brackets",
    ast.Compare: "Comparisons ({text}) are not allowed in a calculation",
    ast.BoolOp: "“and” and “or” are not allowed in a calculation",
    ast.Lambda: "Functions are not allowed in a calculation",
}


class FormulaError(ValueError):
    """The expression cannot be used; the message says why, for the admin who typed it."""


class MissingInput(Exception):
    """A figure the calculation needs is not there (``ref`` names it)."""

    def __init__(self, ref: str, why: str) -> None:
        self.ref = ref
        super().__init__(why)


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.expr
    names: dict[str, str]  # placeholder name -> ref, for bracketed refs

    @property
    def refs(self) -> list[str]:
        """The indicator refs used, in order of appearance, each once."""
        found: list[str] = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name) and node.id != POPULATION:
                ref = self.names.get(node.id, node.id)
                if ref not in found:
                    found.append(ref)
        return found

    @property
    def uses_population(self) -> bool:
        return any(isinstance(n, ast.Name) and n.id == POPULATION for n in ast.walk(self.tree))

    def words(self) -> str:
        text = _words(self.tree, self.names, top=True)
        return text[:1].upper() + text[1:]

    def evaluate(self, figures: dict[str, Decimal | None]) -> Decimal:
        """The result for these figures (ref → figure; ``POPULATION`` → residents).
        Raises ``MissingInput`` when one is missing or a division is by zero."""
        return _evaluate(self.tree, self.names, figures)


def parse(text: str) -> Formula:
    text = (text or "").strip()
    if not text:
        raise FormulaError("Enter a calculation, such as DA06 + DA07")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"The calculation is {len(text)} characters long: at most {MAX_LENGTH}")
    if PLACEHOLDER.search(text):
        raise FormulaError("Names starting with _ are not allowed in a calculation")
    names: dict[str, str] = {}

    def placeholder(match: re.Match) -> str:
        name = f"__ref_{len(names)}__"
        names[name] = match.group(1).strip()
        return name

    source = BRACKETED.sub(placeholder, text)
    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError:
        raise FormulaError(
            f"“{text}” cannot be read as a calculation: use refs, numbers, + - * / and brackets"
        ) from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise FormulaError("The calculation is too long: split it into smaller indicators")
    for node in nodes:
        _check(node, source, names)
    return Formula(text=text, tree=tree, names=names)


def _check(node: ast.AST, source: str, names: dict[str, str]) -> None:
    segment = ast.get_source_segment(source, node) or ""
    for kind, message in REFUSED.items():
        if isinstance(node, kind):
            raise FormulaError(message.format(text=segment[:40]))
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Pow):
            raise FormulaError("Powers (**) are not allowed in a calculation")
        if type(node.op) not in OPERATORS:
            raise FormulaError("Use only + - * / in a calculation")
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise FormulaError("Use only + - * / in a calculation")
    elif isinstance(node, ast.Name):
        if node.id.startswith("_") and node.id not in names:
            raise FormulaError(f"“{node.id}” is not an indicator ref: names cannot start with _")
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise FormulaError(f"{segment[:40]} is not a number or an indicator ref")
        if not abs(Decimal(str(node.value))) <= MAX_CONSTANT:
            raise FormulaError("Numbers in a calculation must be at most 1,000,000,000")
    elif not isinstance(node, (ast.expr_context, *OPERATORS, ast.USub, ast.UAdd)):
        raise FormulaError(
            f"“{segment[:40] or type(node).__name__}” is not allowed in a calculation"
        )


def _ref(node: ast.Name, names: dict[str, str]) -> str:
    return names.get(node.id, node.id)


def _evaluate(node: ast.expr, names: dict[str, str], figures: dict) -> Decimal:
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        ref = _ref(node, names)
        figure = figures.get(ref)
        if figure is None:
            what = "the population" if ref == POPULATION else ref
            raise MissingInput(ref, f"{what} has no figure")
        return figure
    if isinstance(node, ast.UnaryOp):
        value = _evaluate(node.operand, names, figures)
        return -value if isinstance(node.op, ast.USub) else value
    left = _evaluate(node.left, names, figures)
    right = _evaluate(node.right, names, figures)
    operator = OPERATORS[type(node.op)]
    if operator == "/":
        if right == 0:
            divisor = ast.unparse(node.right)
            raise MissingInput(divisor, f"{_plain(divisor, names)} is 0, so it cannot divide")
        try:
            return left / right
        except (DivisionByZero, InvalidOperation):  # pragma: no cover - guarded above
            raise MissingInput("", "the division cannot be worked out") from None
    return {"+": left + right, "-": left - right, "*": left * right}[operator]


def _plain(text: str, names: dict[str, str]) -> str:
    for name, ref in names.items():
        text = text.replace(name, ref)
    return text


def _words(node: ast.expr, names: dict[str, str], *, top: bool = False) -> str:
    """The calculation as a sentence for the indicator page."""
    special = _special_words(node, names)
    if special:
        return special
    if isinstance(node, ast.Name):
        ref = _ref(node, names)
        return "the population" if ref == POPULATION else ref
    if isinstance(node, ast.Constant):
        return f"{Decimal(str(node.value)).normalize():,f}"
    if isinstance(node, ast.UnaryOp):
        inner = _words(node.operand, names)
        return f"minus {inner}" if isinstance(node.op, ast.USub) else inner
    terms = _sum_terms(node)
    if terms and all(isinstance(t, ast.Name) for t in terms) and len(terms) > 1:
        refs = [_words(t, names) for t in terms]
        return f"{'sum' if top else 'the sum'} of {', '.join(refs[:-1])} and {refs[-1]}"
    left, right = _words(node.left, names), _words(node.right, names)
    simple = top and _simple(node.left) and _simple(node.right)
    if isinstance(node.op, ast.Sub) and simple:
        return f"Difference: {left} minus {right}"
    if isinstance(node.op, ast.Div) and simple:
        return f"Ratio of {left} to {right}"
    verb = {ast.Add: "plus", ast.Sub: "minus", ast.Mult: "times", ast.Div: "divided by"}
    text = f"{left} {verb[type(node.op)]} {right}"
    return text if top else f"({text})"


def _sum_terms(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _sum_terms(node.left) + _sum_terms(node.right)
    return [node]


def _simple(node: ast.expr) -> bool:
    return isinstance(node, (ast.Name, ast.Constant))


def _special_words(node: ast.expr, names: dict[str, str]) -> str:
    """ "100 * A / B" (or "A / B * 100") as a percentage; "1000 * A / POPULATION" per 1,000."""
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div))):
        return ""
    scale, numerator, denominator = _scaled_ratio(node)
    if scale is None:
        return ""
    top = _words(numerator, names)
    if isinstance(denominator, ast.Name) and _ref(denominator, names) == POPULATION:
        return f"{top} per {scale:,} residents"
    if scale == 100:
        return f"{top} as a percentage of {_words(denominator, names)}"
    return ""


def _scaled_ratio(node: ast.BinOp) -> tuple[int | None, ast.expr | None, ast.expr | None]:
    def number(n: ast.expr) -> int | None:
        if isinstance(n, ast.Constant) and n.value in (100, 1000, 10000, 100000):
            return int(n.value)
        return None

    # 100 * A / B  →  BinOp(BinOp(100 * A) / B)
    if isinstance(node.op, ast.Div) and isinstance(node.left, ast.BinOp):
        inner = node.left
        if isinstance(inner.op, ast.Mult) and number(inner.left):
            return number(inner.left), inner.right, node.right
    # A / B * 100
    if isinstance(node.op, ast.Mult) and number(node.right) and isinstance(node.left, ast.BinOp):
        inner = node.left
        if isinstance(inner.op, ast.Div):
            return number(node.right), inner.left, inner.right
    return None, None, None
