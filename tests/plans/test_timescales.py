"""Timescales as written become due dates or recurrences where the text allows."""

from __future__ import annotations

from datetime import date

import pytest

from plans.refs import ref_sort_key
from plans.timescales import parse_timescale


@pytest.mark.parametrize(
    ("text", "expected_date"),
    [
        ("31 March 2016", date(2016, 3, 31)),
        ("31 Dec 2013", date(2013, 12, 31)),
        ("30 Sept 2013", date(2013, 9, 30)),
        ("By June 19", date(2019, 6, 30)),
        ("May19", date(2019, 5, 31)),
        ("By Mar 20", date(2020, 3, 31)),
        ("Sept 19", date(2019, 9, 30)),
        ("End April 19", date(2019, 4, 30)),
        ("By end June 19", date(2019, 6, 30)),
        ("By Sept 2019", date(2019, 9, 30)),
        ("November 19", date(2019, 11, 30)),
        ("Feb 20", date(2020, 2, 29)),
    ],
)
def test_dates_parse_to_the_end_of_the_month_or_the_day_given(text, expected_date):
    assert parse_timescale(text).due_date == expected_date


def test_a_month_without_a_year_falls_in_the_plans_first_financial_year():
    assert parse_timescale("By January", plan_start_year=2019).due_date == date(2020, 1, 31)
    assert parse_timescale("By June", plan_start_year=2019).due_date == date(2019, 6, 30)
    assert parse_timescale("By January").due_date is None


@pytest.mark.parametrize(
    ("text", "recurrence"),
    [
        ("Quarterly", "quarterly"),
        ("Monthly", "monthly"),
        ("Weekly", "weekly"),
        ("Six monthly", "six_monthly"),
        ("Ongoing", "ongoing"),
        ("As required", "as_required"),
        ("Annual inspection", "annually"),
    ],
)
def test_recurring_timescales(text, recurrence):
    parsed = parse_timescale(text)
    assert (parsed.due_date, parsed.recurrence) == (None, recurrence)


@pytest.mark.parametrize("text", ["", "TBC", "When funding allows", "31 February 2020"])
def test_unreadable_timescales_give_nothing(text):
    parsed = parse_timescale(text)
    assert (parsed.due_date, parsed.recurrence) == (None, "")


def test_refs_sort_naturally():
    refs = ["1.10", "1.2", "b", "a", "10", "2", "DA07", "DA06", "4.9", "4.10"]
    assert sorted(refs, key=ref_sort_key) == [
        "1.2", "1.10", "2", "4.9", "4.10", "10", "a", "b", "DA06", "DA07",
    ]  # fmt: skip
