"""The quarterly cycle of actions: what carries over into a new quarter's form, completed
actions (not asked for again, listed as completed, reopened with a reason), and "Submit and
go to the next"."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.models import Plan, ReportingPeriod
from plans.services import period_close, period_open
from priorities.cycle import completed_in_backfill
from priorities.models import Action, ActionReopening, ActionUpdate, UpdateState
from priorities.services import MilestoneReport, action_update_save

pytestmark = pytest.mark.django_db

MY_UPDATES = "/my-updates/"


@pytest.fixture
def plan(seeded) -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


@pytest.fixture
def action(plan) -> Action:
    """2.2, led by the Swale Community Safety Unit, with three milestones."""
    return Action.objects.get(priority__plan=plan, ref="2.2")


@pytest.fixture
def q3(plan) -> ReportingPeriod:
    return period_open(plan=plan, year=2019, quarter=3, deadline=date(2020, 1, 15))


def open_q4(plan, q3) -> ReportingPeriod:
    period_close(period=q3)
    return period_open(
        plan=plan, year=2019, quarter=4, deadline=timezone.localdate() + timedelta(days=20)
    )


def submit(user, action, period, *, status="on_track", milestones=(), submit=True, version=None):
    return action_update_save(
        user=user,
        action=action,
        period=period,
        status=status,
        commentary="All venues booked and the first event held in November.",
        next_steps="Evaluate the festival with the council.",
        milestones=list(milestones),
        submit=submit,
        expected_version=version,
        today=date(2019, 12, 20),
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def update_url(action, period) -> str:
    return reverse("priorities:action_update", args=[action.pk, period.pk])


def reopen_url(action) -> str:
    return reverse("priorities:action_reopen", args=[action.pk])


# --- completed_in, kept by the update service ---------------------------------------------


def test_a_submitted_complete_update_completes_the_action(csu_officer, action, q3):
    submit(csu_officer, action, q3, status="complete", submit=False)
    action.refresh_from_db()
    assert action.completed_in is None, "a draft does not complete an action"

    submit(csu_officer, action, q3, status="complete", version=1)
    action.refresh_from_db()
    assert action.completed_in == q3

    # Changed in the same quarter to another status: no longer complete.
    submit(csu_officer, action, q3, status="at_risk", version=2)
    action.refresh_from_db()
    assert action.completed_in is None


def test_backfill_marks_actions_whose_last_submitted_updates_say_complete(
    csu_officer, plan, action, q3
):
    other = Action.objects.get(priority__plan=plan, ref="2.3")
    submit(csu_officer, action, q3, status="complete")
    submit(csu_officer, other, q3, status="complete")
    q4 = open_q4(plan, q3)
    submit(csu_officer, other, q4, status="on_track")  # carried on: not complete
    Action.objects.filter(pk__in=[action.pk, other.pk]).update(completed_in=None)

    assert completed_in_backfill() == 1
    action.refresh_from_db()
    other.refresh_from_db()
    assert action.completed_in == q3
    assert other.completed_in is None


# --- Carry-over -------------------------------------------------------------------------------


def test_a_new_quarter_starts_from_the_last_submitted_update(csu_officer, plan, action, q3):
    first, second, third = action.milestones.all()
    submit(
        csu_officer,
        action,
        q3,
        status="at_risk",
        milestones=[
            MilestoneReport(first, True, date(2019, 11, 2)),
            MilestoneReport(second, False, None),
            MilestoneReport(third, False, None),
        ],
    )
    q4 = open_q4(plan, q3)

    html = signed_in(csu_officer).get(update_url(action, q4)).content.decode()
    # Status pre-selected, the milestone done stays done with its date.
    assert 'value="at_risk" checked' in html
    assert f'name="milestone_{first.pk}" type="checkbox" value="on" checked' in html
    assert f'name="milestone_{second.pk}" type="checkbox" value="on" data-aria' in html
    assert f'name="milestone_{first.pk}_date_day" type="text" inputmode="numeric" value="2"' in html
    assert (
        f'name="milestone_{first.pk}_date_year" type="text" inputmode="numeric" value="2019"'
        in (html)
    )
    # Last quarter's words beside the form; this quarter's commentary starts empty.
    assert "2019/20 Q3 said:" in html
    assert "All venues booked and the first event held in November." in html
    assert "Evaluate the festival with the council." in html
    assert "filled in from 2019/20 Q3" in html
    commentary = html[html.index('id="id_commentary"') :]
    assert commentary[commentary.index(">") + 1 :].startswith("\n</textarea>")


def test_a_draft_is_not_carried_over(csu_officer, plan, action, q3):
    submit(csu_officer, action, q3, status="off_track", submit=False)
    q4 = open_q4(plan, q3)
    response = signed_in(csu_officer).get(update_url(action, q4))
    assert "said:" not in response.content.decode()
    assert response.context["form"].initial == {"version": None}


# --- Completed actions ---------------------------------------------------------------------


@pytest.fixture
def completed(csu_officer, plan, action, q3) -> ReportingPeriod:
    """2.2 submitted Complete in 2019/20 Q3; Q4 now open. Returns Q4."""
    submit(csu_officer, action, q3, status="complete")
    return open_q4(plan, q3)


def test_a_completed_action_is_not_asked_for_again(client, csu_officer, action, completed):
    q4 = completed
    client.force_login(csu_officer)
    response = client.get(MY_UPDATES)
    html = response.content.decode()
    group = response.context["groups"][0]
    assert action.pk not in {item.obj.pk for item in group.actions}
    assert [item.obj for item in group.completed] == [action]
    completed_part = html[html.index(">Completed</h3>") :]
    assert f'id="action-{action.pk}-period-{q4.pk}"' in completed_part
    assert "Completed in 2019/20 Q3" in completed_part
    assert "12 to do, 0 drafts, 0 submitted; 1 completed earlier" in html

    # Its form for Q4 sends the officer to the action, which says why.
    response = client.get(update_url(action, q4), follow=True)
    assert response.redirect_chain[-1][0] == action.get_absolute_url()
    html = response.content.decode()
    assert "was completed in 2019/20 Q3, so it is not asked for in 2019/20 Q4" in html
    assert "Not asked for: the action was completed in 2019/20 Q3." in html
    assert update_url(action, q4) not in html
    assert f'href="/actions/{action.pk}/reopen/"' in html


def test_reopening_needs_a_reason_and_puts_the_action_back(client, csu_officer, action, completed):
    q4 = completed
    client.force_login(csu_officer)
    response = client.get(reopen_url(action))
    assert response.status_code == 200
    assert "completed in 2019/20 Q3" in response.content.decode()

    response = client.post(reopen_url(action), {"reason": "   "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and 'href="#id_reason"' in html
    assert "Enter why you are reopening this action" in html
    action.refresh_from_db()
    assert action.completed_in is not None and not ActionReopening.objects.exists()

    response = client.post(reopen_url(action), {"reason": "The festival is running again."})
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    action.refresh_from_db()
    assert action.completed_in is None
    reopening = ActionReopening.objects.get(action=action)
    assert (reopening.reason, reopening.reopened_by, reopening.completed_in.label) == (
        "The festival is running again.",
        csu_officer,
        "2019/20 Q3",
    )
    # Audited: the change to the action and the reopening itself.
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Action), object_pk=str(action.pk)
    )
    assert any("completed_in" in entry.changes_dict for entry in entries)
    assert LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ActionReopening)
    ).exists()

    html = client.get(action.get_absolute_url()).content.decode()
    assert "Action 2.2 reopened" in html
    assert "The festival is running again." in html and "it was completed in 2019/20 Q3" in html
    group = client.get(MY_UPDATES).context["groups"][0]
    assert action.pk in {item.obj.pk for item in group.actions}
    assert client.get(update_url(action, q4)).status_code == 200


@pytest.mark.parametrize(
    "who, expected",
    [
        ("csu_officer", 200),
        ("swale_admin", 200),
        ("police_officer", 403),
        ("seg_member", 403),
        ("outsider", 404),
    ],
)
def test_only_the_lead_or_an_admin_may_reopen(request, action, completed, who, expected):
    client = signed_in(request.getfixturevalue(who))
    assert client.get(reopen_url(action)).status_code == expected
    response = client.post(reopen_url(action), {"reason": "Needed again."})
    assert response.status_code == (302 if expected == 200 else expected)
    action.refresh_from_db()
    assert (action.completed_in is None) == (expected == 200)


def test_a_delegate_may_report_but_not_reopen(police_officer, action, completed):
    action.delegates.add(police_officer)
    assert signed_in(police_officer).post(reopen_url(action), {"reason": "x"}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, action, completed):
    response = client.get(reopen_url(action))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Submit and go to the next ------------------------------------------------------------


def test_submit_and_go_to_the_next_item_to_do(csu_officer, plan, q3):
    client = signed_in(csu_officer)
    group = client.get(MY_UPDATES).context["groups"][0]
    first, second, third = (item.obj for item in group.actions[:3])
    submit(csu_officer, second, q3)  # already done: skipped
    data = {"status": "on_track", "commentary": "", "next_steps": "", "version": ""}
    response = client.post(update_url(first, q3), data | {"action": "submit_next"})
    assert response.status_code == 302
    assert response["Location"] == update_url(third, q3)
    assert ActionUpdate.objects.get(action=first, period=q3).state == UpdateState.SUBMITTED
    html = client.get(response["Location"]).content.decode()
    assert "Update submitted" in html
    assert "Submit and go to the next" in html and 'href="/my-updates/">Back to My updates' in html


def test_the_last_item_leads_back_to_my_updates(csu_officer, plan, q3):
    client = signed_in(csu_officer)
    group = client.get(MY_UPDATES).context["groups"][0]
    *rest, last = [item.obj for item in group.actions]
    for action in rest:
        submit(csu_officer, action, q3)
    data = {"status": "on_track", "commentary": "", "next_steps": "", "version": ""}
    response = client.post(update_url(last, q3), data | {"action": "submit_next"}, follow=True)
    assert response.redirect_chain[-1][0] == MY_UPDATES
    assert "You have nothing else to do for 2019/20 Q3." in response.content.decode()


def test_loading_the_demo_data_completes_actions_its_updates_say_are_complete(seeded):
    call_command("load_demo_data", stdout=StringIO())
    complete = ActionUpdate.objects.filter(
        is_sample=True, state=UpdateState.SUBMITTED, status=ActionUpdate.Status.COMPLETE
    )
    assert complete.exists()
    for update in complete.select_related("action__completed_in", "period"):
        later = ActionUpdate.objects.filter(
            action=update.action,
            state=UpdateState.SUBMITTED,
            period__year=update.period.year,
            period__quarter__gt=update.period.quarter,
        ).exclude(status=ActionUpdate.Status.COMPLETE)
        if not later.exists():
            assert update.action.completed_in is not None, update


def test_a_completed_action_is_not_missing_from_the_next_quarter(action, completed):
    from plans.reporting import quarter_progress

    progress = quarter_progress(completed)
    assert action not in [row.action for row in progress.actions]
    missing = [row.action for agency in progress.missing for row in agency.actions]
    assert action not in missing
