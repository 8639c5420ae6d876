"""Timescales as written become due dates or recurrences where the text allows."""

from __future__ import annotations

from datetime import date

import pytest

from plans.refs import ref_sort_key
from plans.timescales import due_display, parse_timescale


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


@pytest.mark.parametrize(
    ("text", "recurrence", "anchor", "first_due"),
    [
        ("Annually in April", "annually", 4, date(2019, 4, 30)),
        ("Held Annually in September", "annually", 9, date(2019, 9, 30)),
        ("Every year in March", "annually", 3, date(2020, 3, 31)),
        ("Every March", "annually", 3, date(2020, 3, 31)),
        ("Quarterly from June 2019", "quarterly", 6, date(2019, 6, 30)),
        ("Monthly from May 19", "monthly", 5, date(2019, 5, 31)),
        ("Six monthly, from October", "six_monthly", 10, date(2019, 10, 31)),
        ("Annual report each January", "annually", 1, date(2020, 1, 31)),
    ],
)
def test_a_recurrence_wins_over_a_month_which_becomes_its_anchor(
    text, recurrence, anchor, first_due
):
    parsed = parse_timescale(text, plan_start_year=2019)
    assert (parsed.recurrence, parsed.anchor_month, parsed.due_date) == (
        recurrence, anchor, first_due,
    )  # fmt: skip
    assert parsed.one_off_date is None  # never a one-off deadline


def test_the_anchor_month_is_kept_even_without_a_year_to_place_it():
    parsed = parse_timescale("Annually in April")
    assert (parsed.recurrence, parsed.anchor_month, parsed.due_date) == ("annually", 4, None)


@pytest.mark.parametrize(
    ("text", "expected_date"),
    [
        ("Ongoing until March 2020", date(2020, 3, 31)),
        ("As required, by June 19", date(2019, 6, 30)),
    ],
)
def test_ongoing_with_a_date_is_still_a_deadline(text, expected_date):
    parsed = parse_timescale(text)
    assert (parsed.due_date, parsed.one_off_date, parsed.recurrence) == (
        expected_date, expected_date, "",
    )  # fmt: skip


# Every timescale the seed plans write (fixtures/*.json, from /work/shared/seeds), read in the
# plan's first year 2019/20 where no year is given.
SEED_TIMESCALES = {
    "30 Sept 2013": (date(2013, 9, 30), ""),
    "31 Dec 2013": (date(2013, 12, 31), ""),
    "31 January 2016": (date(2016, 1, 31), ""),
    "31 March 2014": (date(2014, 3, 31), ""),
    "31 March 2015": (date(2015, 3, 31), ""),
    "31 March 2016": (date(2016, 3, 31), ""),
    "Annual inspection": (None, "annually"),
    "April 19": (date(2019, 4, 30), ""),
    "As required": (None, "as_required"),
    "By January 2020": (date(2020, 1, 31), ""),
    "By July 19": (date(2019, 7, 31), ""),
    "By June 19": (date(2019, 6, 30), ""),
    "By Mar 20": (date(2020, 3, 31), ""),
    "By March 20": (date(2020, 3, 31), ""),
    "By May 19": (date(2019, 5, 31), ""),
    "By Sept 2019": (date(2019, 9, 30), ""),
    "By end June 19": (date(2019, 6, 30), ""),
    "December 19": (date(2019, 12, 31), ""),
    "End April 19": (date(2019, 4, 30), ""),
    "End May 19": (date(2019, 5, 31), ""),
    "June 18": (date(2018, 6, 30), ""),
    "June 19": (date(2019, 6, 30), ""),
    "May 19": (date(2019, 5, 31), ""),
    "May19": (date(2019, 5, 31), ""),
    "Monthly": (None, "monthly"),
    "November 19": (date(2019, 11, 30), ""),
    "October 19": (date(2019, 10, 31), ""),
    "Ongoing": (None, "ongoing"),
    "Quarterly": (None, "quarterly"),
    "Sept 19": (date(2019, 9, 30), ""),
    "Six monthly": (None, "six_monthly"),
    "Weekly": (None, "weekly"),
    "TBC": (None, ""),
}


@pytest.mark.parametrize(("text", "expected"), sorted(SEED_TIMESCALES.items()))
def test_every_seed_timescale(text, expected):
    parsed = parse_timescale(text, plan_start_year=2019)
    assert (parsed.due_date, parsed.recurrence) == expected


def test_the_seed_fixtures_write_no_timescale_these_tests_do_not_read():
    import json
    from pathlib import Path

    written = set()
    for path in Path(__file__).parents[2].joinpath("fixtures").glob("*.json"):
        for row in json.loads(path.read_text()):
            fields = row.get("fields", {})
            written |= {fields.get("timescale") or "", fields.get("due_as_written") or ""}
    assert written - {""} <= set(SEED_TIMESCALES)


@pytest.mark.parametrize(
    ("due", "recurrence", "label", "shown"),
    [
        (date(2019, 4, 30), "annually", "Annually", "Every year in April"),
        (date(2019, 6, 30), "quarterly", "Quarterly", "Quarterly from 30 June 2019"),
        (date(2019, 6, 30), "", "—", "30 June 2019"),
        (None, "ongoing", "Ongoing", "Ongoing"),
        (None, "", "—", ""),
    ],
)
def test_when_an_item_falls_due_in_words(due, recurrence, label, shown):
    assert due_display(due, recurrence, label) == shown


def test_refs_sort_naturally():
    refs = ["1.10", "1.2", "b", "a", "10", "2", "DA07", "DA06", "4.9", "4.10"]
    assert sorted(refs, key=ref_sort_key) == [
        "1.2", "1.10", "2", "4.9", "4.10", "10", "a", "b", "DA06", "DA07",
    ]  # fmt: skip
