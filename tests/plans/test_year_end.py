"""Closing a plan at year end (issue 13): who may, what the page asks, what is refused (with
nothing saved), what is recorded and audited, and what a closed plan no longer takes."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from plans.models import Plan, PlanClosing, ReportingPeriod
from plans.services import period_open
from plans.yearend.services import FinalDecision, plan_close
from priorities.models import Action, ActionUpdate, FinalStatus
from priorities.services import action_update_save

pytestmark = pytest.mark.django_db

SWALE_PLAN = "Swale Community Safety Plan 2019/20"


@pytest.fixture
def swale(seeded):
    """Swale's plan, active, with Q3 closed and Q4 open, and action 2.3 completed in Q3."""
    plan = Plan.objects.get(title=SWALE_PLAN)
    plan.status = Plan.Status.ACTIVE
    plan.save()
    q3 = period_open(plan=plan, year=2019, quarter=3, deadline=date(2020, 1, 15))
    ReportingPeriod.objects.filter(pk=q3.pk).update(status="closed", closed_at=timezone.now())
    q4 = period_open(plan=plan, year=2019, quarter=4, deadline=date(2099, 1, 1))
    Action.objects.filter(priority__plan=plan, ref="2.3").update(completed_in=q3)
    return {"plan": plan, "q3": q3, "q4": q4}


def actions_of(plan: Plan) -> list[Action]:
    return list(Action.objects.filter(priority__plan=plan).select_related("priority"))


def all_decided(plan: Plan, **overrides) -> dict[str, str]:
    """POST data: every action Complete except those in ``overrides`` ({ref: (status,
    reason)})."""
    data = {}
    for action in actions_of(plan):
        status, reason = overrides.get(action.ref, ("complete", ""))
        data[f"status-{action.pk}"] = status
        data[f"reason-{action.pk}"] = reason
    return data


def close_url(plan: Plan) -> str:
    return reverse("plans:plan_close", args=[plan.pk])


def test_the_close_page_asks_for_every_action_with_completed_ones_prefilled(
    client, swale_admin, swale
):
    plan = swale["plan"]
    client.force_login(swale_admin)
    response = client.get(close_url(plan))
    html = response.content.decode()
    assert response.status_code == 200
    actions = actions_of(plan)
    assert html.count('class="app-final-status"') == len(actions) > 20
    completed = next(a for a in actions if a.ref == "2.3")
    other = next(a for a in actions if a.ref == "2.2")
    assert f'name="status-{completed.pk}" type="radio" value="complete" checked' in html
    assert "Completed in 2019/20 Q3" in html
    assert f'name="status-{other.pk}" type="radio" value="complete" checked' not in html
    assert 'value="deferred"' in html and "Deferred to next year" in html
    # The open quarter is named before anything is closed.
    assert "Closing the plan also closes 2019/20 Q4" in html


def test_missing_statuses_and_reasons_refuse_everything(client, swale_admin, swale):
    plan = swale["plan"]
    client.force_login(swale_admin)
    data = all_decided(plan, **{"2.2": ("deferred", "  "), "2.4": ("cancelled", "Funding cut.")})
    first = actions_of(plan)[0]
    del data[f"status-{first.pk}"]
    response = client.post(close_url(plan), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f'href="#status-{first.pk}">Choose how action {first.display_ref} ended the year' in html
    two_two = next(a for a in actions_of(plan) if a.ref == "2.2")
    assert f'href="#reason-{two_two.pk}">Enter why action 2.2 was deferred to next year' in html
    # Nothing was saved: no final status, the plan active, its quarter open, no closing.
    assert not Action.objects.filter(priority__plan=plan).exclude(final_status="").exists()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    assert ReportingPeriod.objects.get(pk=swale["q4"].pk).is_open
    assert not PlanClosing.objects.exists()
    # What was typed is kept on the page.
    assert "Funding cut." in html


def test_a_reason_over_the_limit_is_refused(client, swale_admin, swale):
    plan = swale["plan"]
    client.force_login(swale_admin)
    response = client.post(close_url(plan), all_decided(plan, **{"2.2": ("cancelled", "x" * 1001)}))
    assert "The reason for action 2.2 must be 1000 characters or fewer" in response.content.decode()
    assert not Action.objects.filter(priority__plan=plan).exclude(final_status="").exists()


def test_closing_records_statuses_closes_the_quarter_and_is_audited(client, swale_admin, swale):
    plan = swale["plan"]
    client.force_login(swale_admin)
    data = all_decided(
        plan,
        **{"2.2": ("deferred", "Waiting for the new contract."),
           "2.4": ("not_achieved", "No venue."), "1.1": ("cancelled", "Group merged.")},
    )  # fmt: skip
    response = client.post(close_url(plan), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:year_end_report", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED
    statuses = dict(Action.objects.filter(priority__plan=plan).values_list("ref", "final_status"))
    assert statuses["2.2"] == FinalStatus.DEFERRED
    assert statuses["2.4"] == FinalStatus.NOT_ACHIEVED
    assert statuses["1.1"] == FinalStatus.CANCELLED
    assert statuses["2.3"] == FinalStatus.COMPLETE
    assert Action.objects.get(priority__plan=plan, ref="2.2").final_status_reason == (
        "Waiting for the new contract."
    )
    assert not ReportingPeriod.objects.get(pk=swale["q4"].pk).is_open
    closing = PlanClosing.objects.get(plan=plan)
    assert closing.closed_by == swale_admin and closing.quarters_closed == "2019/20 Q4"
    # The audit trail says who closed the plan and changed each action.
    plan_entries = LogEntry.objects.get_for_object(plan)
    assert any(
        e.changes_dict.get("status") == ["active", "closed"] and e.actor == swale_admin
        for e in plan_entries
    )
    deferred = Action.objects.get(priority__plan=plan, ref="2.2")
    entry = LogEntry.objects.get_for_object(deferred).latest("timestamp")
    assert entry.actor == swale_admin
    assert entry.changes_dict["final_status"][1] == "deferred"
    # The action and plan pages show the final status and its reason.
    action_page = client.get(deferred.get_absolute_url()).content.decode()
    assert "Deferred to next year" in action_page
    assert "Waiting for the new contract." in action_page
    plan_page = client.get(plan.get_absolute_url()).content.decode()
    assert "Year end: <strong>Not achieved</strong>. No venue." in plan_page
    assert "Close this plan" not in plan_page


def test_a_closed_plan_takes_no_more_updates_or_quarters(client, swale_admin, swale):
    plan = swale["plan"]
    plan_close(
        plan=plan,
        user=swale_admin,
        decisions=[FinalDecision(a.pk, "complete") for a in actions_of(plan)],
    )
    with pytest.raises(ValidationError, match="closed at year end"):
        period_open(plan=plan, year=2019, quarter=4, deadline=date(2099, 1, 1))
    action = Action.objects.select_related("priority__plan").get(priority__plan=plan, ref="2.2")
    period = ReportingPeriod.objects.select_related("plan").get(pk=swale["q4"].pk)
    with pytest.raises(ValidationError, match="closed at year end"):
        action_update_save(
            user=swale_admin, action=action, period=period, status="on_track",
            commentary="Late news.", next_steps="", milestones=[], submit=True,
            expected_version=None, correction_reason="A late correction.",
        )  # fmt: skip
    assert not ActionUpdate.objects.filter(action=action, period=period).exists()
    client.force_login(swale_admin)
    url = reverse("plans:period_open", args=[plan.pk]) + "?year=2019&quarter=4"
    deadline = {"deadline-day": "1", "deadline-month": "5", "deadline-year": "2020"}
    response = client.post(url, deadline)
    assert "closed at year end" in response.content.decode()
    assert not ReportingPeriod.objects.get(pk=swale["q4"].pk).is_open
    # Nor does the action page offer admins a correction of its closed quarters.
    assert "the update for 2019/20 Q4" not in client.get(action.get_absolute_url()).content.decode()


def test_only_an_active_plan_is_closed(client, swale_admin, swale):
    plan = swale["plan"]
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)
    client.force_login(swale_admin)
    response = client.post(close_url(plan), all_decided(plan))
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert not PlanClosing.objects.exists()
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="only an active plan"):
        plan_close(plan=plan, user=swale_admin, decisions=[])


@pytest.mark.parametrize(
    ("role", "code"),
    [("csu_officer", 403), ("seg_member", 403), ("outsider", 404)],
)
def test_others_may_not_close_the_plan(request, client, swale, role, code):
    plan = swale["plan"]
    client.force_login(request.getfixturevalue(role))
    assert client.get(close_url(plan)).status_code == code
    assert client.post(close_url(plan), all_decided(plan)).status_code == code
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    assert not Action.objects.filter(priority__plan=plan).exclude(final_status="").exists()


def test_the_service_refuses_a_decision_missing_for_one_action(swale_admin, swale):
    plan = swale["plan"]
    decisions = [FinalDecision(a.pk, "complete") for a in actions_of(plan)][1:]
    with pytest.raises(ValidationError):
        plan_close(plan=plan, user=swale_admin, decisions=decisions)
    assert not Action.objects.filter(priority__plan=plan).exclude(final_status="").exists()
    assert ReportingPeriod.objects.get(pk=swale["q4"].pk).is_open
