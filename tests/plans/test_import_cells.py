"""Number and date cells of an imported workbook: a decimal comma, misplaced thousands
separators and dates outside 1998–2100 are refused, naming the sheet, row and column."""

from __future__ import annotations

import datetime as dt

import pytest

from plans.importing import plan_import
from plans.models import Partnership, Risk
from tests.plans.import_workbooks import SWALE, refused, valid_rows, with_change, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def swale(seeded) -> Partnership:
    return Partnership.objects.get(name=SWALE)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2,5", "'2,5' has a decimal comma. Use a full stop for decimals, like 12.5."),
        ("12,5", "'12,5' has a decimal comma. Use a full stop for decimals, like 12.5."),
        ("1,2,3", "'1,2,3' has commas in the wrong places. Use commas only between groups of "
         "three digits, like 1,234, or leave them out."),
    ],
)  # fmt: skip
def test_a_number_typed_with_commas_in_the_wrong_places_is_refused(swale, value, message):
    content = with_change("Risks", 0, "Impact before", value)

    assert refused(content, swale) == [f"Risks row 2, Impact before: {message}"]


def test_a_year_typed_with_a_decimal_comma_is_refused(swale):
    content = with_change("Plan", 0, "Last year", "2020,5")

    assert refused(content, swale) == [
        "Plan row 2, Last year: '2020,5' has a decimal comma. Use a full stop for decimals, "
        "like 12.5."
    ]


def test_a_score_typed_as_text_is_still_read(swale):
    plan = plan_import(content=with_change("Risks", 0, "Impact before", " 4 "), partnership=swale,
                       user=None)  # fmt: skip

    assert Risk.objects.get(plan=plan).impact_before == 4


@pytest.mark.parametrize(
    ("header", "value", "shown"),
    [
        ("Due date", dt.datetime(1997, 12, 31), "31 December 1997"),
        ("Due date", "01/01/2101", "01/01/2101"),
        ("Due date", "31 March 1990", "31 March 1990"),
        ("Due date", 25000, "25000"),  # an Excel serial: 12 June 1968
        ("Timescale", dt.datetime(1990, 3, 31), "31 March 1990"),
        ("Timescale", "31/03/1995", "31/03/1995"),
    ],
)
def test_dates_before_1998_or_after_2100_are_refused(swale, header, value, shown):
    content = with_change("Actions", 0, header, value)

    assert refused(content, swale) == [
        f"Actions row 2, {header}: '{shown}' is not a plan date: write a date between 1998 "
        "and 2100."
    ]


def test_dates_at_the_edges_of_the_range_are_read(swale):
    rows = valid_rows()
    rows["Actions"][0] |= {"Timescale": None, "Due date": dt.datetime(1998, 1, 1)}
    rows["Actions"][1]["Due date"] = "31/12/2100"

    plan = plan_import(content=xlsx(rows), partnership=swale, user=None)

    dates = set(plan.priorities.values_list("actions__due_date", flat=True))
    assert {dt.date(1998, 1, 1), dt.date(2100, 12, 31)} <= dates
