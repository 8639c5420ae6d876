"""A milestone that comes round again ("Annually in April") keeps its recurrence, with the
month as its anchor, and is never overdue just because its first date passed: not in the
quarter's report, not on the Milestones page, not on the action page."""

from __future__ import annotations

from datetime import date

import pytest

from plans.reporting import quarter_report
from priorities.models import Milestone
from tests.plans.known_plan import TODAY, build_known_plan
from tests.priorities.test_milestones import URL, listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(seeded):
    return build_known_plan()


@pytest.mark.parametrize(
    "timescale",
    ["Annually in April", "Held Annually in September", "Quarterly from June 2024",
     "Every year in March"],
)  # fmt: skip
def test_a_recurring_milestone_is_never_overdue_in_the_report(known, timescale):
    action = known.actions["2.2"]
    milestone = Milestone.objects.create(action=action, order=9, text="Review", timescale=timescale)
    assert milestone.recurrence in ("annually", "quarterly")
    assert milestone.due_date is not None  # its first date, the anchor of the recurrence
    result = quarter_report(plan=known.plan, period=known.q2, today=TODAY)
    assert milestone.pk not in {row.milestone.pk for row in result.overdue_milestones}


def test_a_one_off_date_in_the_same_words_is_still_overdue(known):
    milestone = Milestone.objects.create(
        action=known.actions["2.2"], order=9, text="Review", timescale="By April 24"
    )
    assert (milestone.recurrence, milestone.due_date) == ("", date(2024, 4, 30))
    result = quarter_report(plan=known.plan, period=known.q2, today=TODAY)
    assert milestone.pk in {row.milestone.pk for row in result.overdue_milestones}


@pytest.fixture
def nov_2019(monkeypatch):
    day = date(2019, 11, 20)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: day)
    return day


def test_the_milestones_page_does_not_call_a_recurring_one_overdue(reader_client, nov_2019):
    festival = Milestone.objects.get(text="Swale Fusion Festival")
    annual = Milestone.objects.create(
        action=festival.action, order=90, text="Annual review", timescale="Annually in April"
    )
    one_off = Milestone.objects.create(
        action=festival.action, order=91, text="One-off review", timescale="By April 19"
    )
    assert annual.due_date == one_off.due_date == date(2019, 4, 30)
    milestones = listed(reader_client.get(URL))
    assert one_off in milestones and annual not in milestones


def test_the_action_page_says_when_it_comes_round(reader_client):
    festival = Milestone.objects.get(text="Swale Fusion Festival")
    Milestone.objects.create(
        action=festival.action, order=90, text="Annual review", timescale="Annually in April"
    )
    html = reader_client.get(festival.action.get_absolute_url()).content.decode()
    assert "Every year in April" in html


def test_the_migration_reads_milestones_saved_before_again(known):
    """Milestones saved when a month won over the recurrence get their recurrence back."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("priorities.migrations.0008_recurrences_win_over_months")
    action = known.actions["2.2"]
    old = Milestone.objects.create(
        action=action, order=9, text="Review", timescale="Annually in April"
    )
    one_off = Milestone.objects.create(action=action, order=10, text="Once", timescale="By May 24")
    Milestone.objects.filter(pk=old.pk).update(recurrence="", due_date=date(2024, 4, 30))

    migration.reread_recurrences(apps, None)

    old.refresh_from_db()
    one_off.refresh_from_db()
    assert (old.recurrence, old.due_date) == ("annually", date(2024, 4, 30))
    assert (one_off.recurrence, one_off.due_date) == ("", date(2024, 5, 31))
