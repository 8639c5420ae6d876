"""The demo's quarters read like a real year: four quarters reported, Red, Amber and Green
indicators, completed actions that stay done, and an open quarter that is not yet late."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from indicators.models import IndicatorValue
from plans.demo_data import OPEN_DEADLINE_DAYS, sample_data_load
from plans.models import ReportingPeriod
from plans.reporting import quarter_report
from priorities.models import Action, ActionUpdate, UpdateState

pytestmark = pytest.mark.django_db

MEDWAY_PLAN = "Action Plan 2024-25"
SWALE_PLAN = "Swale Community Safety Plan 2019/20"


@pytest.fixture
def demo(seeded) -> None:
    call_command("load_demo_data", stdout=StringIO())


@pytest.mark.parametrize("title", [MEDWAY_PLAN, SWALE_PLAN])
def test_four_quarters_of_updates_and_values(demo, title):
    periods = ReportingPeriod.objects.filter(plan__title=title).order_by("quarter")
    assert [p.quarter for p in periods] == [1, 2, 3, 4]
    for period in periods:
        submitted = ActionUpdate.objects.filter(period=period, state=UpdateState.SUBMITTED)
        assert submitted.exists(), period.label
        if title == SWALE_PLAN:  # Medway's 2024-25 plan has no indicators
            assert IndicatorValue.objects.filter(period=period).exists(), period.label


def test_open_quarter_is_due_three_weeks_after_loading(demo):
    today = timezone.localdate()
    for title in (MEDWAY_PLAN, SWALE_PLAN):
        period = ReportingPeriod.objects.get(plan__title=title, status="open")
        assert period.deadline == today + timedelta(days=OPEN_DEADLINE_DAYS)
        assert not ActionUpdate.objects.filter(period=period, is_late=True).exists()
    # Loading again later keeps the quarter as it is (an admin may have changed it).
    sample_data_load(today=today + timedelta(days=30))
    period = ReportingPeriod.objects.get(plan__title=SWALE_PLAN, status="open")
    assert period.deadline == today + timedelta(days=OPEN_DEADLINE_DAYS)


def test_indicators_come_out_red_amber_and_green_against_targets(demo):
    period = ReportingPeriod.objects.get(plan__title=SWALE_PLAN, quarter=3)
    report = quarter_report(plan=period.plan, period=period)
    counts = report.indicator_counts
    assert counts["red"] >= 1 and counts["amber"] >= 1 and counts["green"] >= 1
    rated = [row for p in report.priorities for row in p.indicators if row.rag in {"red", "amber"}]
    assert all(row.indicator.target_comparator in {"at_most", "at_least"} for row in rated)
    assert all("(sample target)" in row.indicator.target for row in rated)


def test_completed_actions_are_done_and_not_asked_again(demo):
    done = Action.objects.filter(
        priority__plan__title__in=[MEDWAY_PLAN, SWALE_PLAN], completed_in__isnull=False
    ).select_related("completed_in")
    assert done.exists()
    for action in done:
        complete = action.updates.get(period=action.completed_in)
        assert (complete.status, complete.state) == ("complete", UpdateState.SUBMITTED)
        later = action.updates.filter(period__quarter__gt=action.completed_in.quarter)
        assert not later.exists(), action
    assert done.filter(completed_in__quarter__lt=3).exists()  # done before the open quarter


def test_no_fixed_ids_where_sequences_arrive(demo):
    for model in (ReportingPeriod, ActionUpdate, IndicatorValue):
        assert not model.objects.filter(pk__gte=900000).exists(), model.__name__


def test_a_quarter_later_the_demo_still_loads_into_an_empty_database(seeded):
    added = sample_data_load(today=date(2031, 1, 1))
    assert added["quarters"] == 8
    assert ReportingPeriod.objects.get(plan__title=SWALE_PLAN, quarter=4).deadline == date(
        2031, 1, 22
    )


def test_demo_plans_are_active_so_the_dashboard_shows_them(demo, client):
    from plans.models import Plan

    plans = Plan.objects.filter(title__in=[MEDWAY_PLAN, SWALE_PLAN])
    assert {plan.status for plan in plans} == {Plan.Status.ACTIVE}
    client.force_login(get_user_model().objects.get(username="swale-seg"))
    response = client.get("/dashboard/", follow=True)
    assert SWALE_PLAN in response.content.decode()
    assert "has no active plans" not in response.content.decode()
