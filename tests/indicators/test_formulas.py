"""The calculation language of calculated indicators: what it reads, how it says it in words,
what it works out, and everything it refuses (with the message the admin reads)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.formulas import FormulaError, MissingInput, parse

D = Decimal


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("DA06 + DA07", "Sum of DA06 and DA07"),
        ("DA06 + DA07 + NI111", "Sum of DA06, DA07 and NI111"),
        ("DA06 - DA07", "Difference: DA06 minus DA07"),
        ("DA06 / DA07", "Ratio of DA06 to DA07"),
        ("100 * DA06 / DA07", "DA06 as a percentage of DA07"),
        ("DA06 / DA07 * 100", "DA06 as a percentage of DA07"),
        ("1000 * DA06 / POPULATION", "DA06 per 1,000 residents"),
        ("1000 * (DA06 + DA07) / POPULATION", "The sum of DA06 and DA07 per 1,000 residents"),
        ("[1.1] + [1.2]", "Sum of 1.1 and 1.2"),
        ("(DA06 - DA07) / 2", "(DA06 minus DA07) divided by 2"),
        ("DA06 / (DA07 + DA08)", "DA06 divided by the sum of DA07 and DA08"),
    ],
)
def test_calculations_are_said_in_words(text, words):
    assert parse(text).words() == words


def test_refs_are_listed_once_in_order():
    assert parse("[1.1] + DA06 - [1.1] / POPULATION").refs == ["1.1", "DA06"]


@pytest.mark.parametrize(
    ("text", "figures", "result"),
    [
        ("DA06 + DA07", {"DA06": D(3), "DA07": D("4.5")}, D("7.5")),
        ("100 * DA06 / DA07", {"DA06": D(1), "DA07": D(4)}, D(25)),
        ("1000 * DA06 / POPULATION", {"DA06": D(50), "POPULATION": D(150000)}, D(50) / D(150)),
        ("-DA06 + 2", {"DA06": D(5)}, D(-3)),
    ],
)
def test_calculations_are_worked_out_in_decimals(text, figures, result):
    assert parse(text).evaluate(figures) == result


def test_a_missing_input_is_named():
    with pytest.raises(MissingInput) as missing:
        parse("DA06 + DA07").evaluate({"DA06": D(1), "DA07": None})
    assert missing.value.ref == "DA07" and str(missing.value) == "DA07 has no figure"


def test_a_division_by_zero_is_named():
    with pytest.raises(MissingInput, match="DA07 is 0, so it cannot divide"):
        parse("DA06 / DA07").evaluate({"DA06": D(1), "DA07": D(0)})


def test_a_missing_population_is_said():
    with pytest.raises(MissingInput, match="the population has no figure"):
        parse("1000 * DA06 / POPULATION").evaluate({"DA06": D(1)})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os')", "Functions such as __import__('os') are not allowed"),
        ("__import__", "“__import__” is not an indicator ref: names cannot start with _"),
        ("DA06.__class__", "Attribute access (DA06.__class__) is not allowed"),
        ("abs(DA06)", "Functions such as abs(DA06) are not allowed"),
        ("9 ** 9 ** 9", "Powers (**) are not allowed in a calculation"),
        ("DA06 ** 2", "Powers (**) are not allowed in a calculation"),
        ("1e400 * DA06", "Numbers in a calculation must be at most 1,000,000,000"),
        ("99999999999 * DA06", "Numbers in a calculation must be at most 1,000,000,000"),
        ("DA06[0]", "Indexing (DA06[0]) is not allowed"),
        ("DA06 > 3", "Comparisons (DA06 > 3) are not allowed"),
        ("DA06 and DA07", "“and” and “or” are not allowed"),
        ("DA06 % 2", "Use only + - * / in a calculation"),
        ("'text' + DA06", "'text' is not a number or an indicator ref"),
        ("lambda: 1", "Functions are not allowed in a calculation"),
        ("[x for x in DA06]", "is not allowed in a calculation"),
        ("DA06 +", "cannot be read as a calculation"),
        ("DA06; DA07", "cannot be read as a calculation"),
        ("", "Enter a calculation, such as DA06 + DA07"),
        ("__ref_0__ + 1", "Names starting with _ are not allowed"),
        (" + ".join(["DA06"] * 60), "characters long: at most 200"),
        ("+".join(["A"] * 40), "The calculation is too long"),
    ],
)
def test_anything_but_refs_numbers_and_arithmetic_is_refused(text, message):
    with pytest.raises(FormulaError) as refused:
        parse(text)
    assert message in str(refused.value)
