"""send_update_reminders: who is e-mailed, about what, and when."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue
from plans import access
from plans.models import Plan
from plans.services import period_close, period_open
from priorities.models import Action, ActionUpdate, UpdateState

DEADLINE = date(2020, 4, 30)
SITE = "https://csp.example.test"


@pytest.fixture(autouse=True)
def site_url(settings) -> None:
    settings.SITE_URL = SITE
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast cast
    settings.DEFAULT_FROM_EMAIL = "reminders@csp.example.test"


@pytest.fixture
def swale_plan(seeded) -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


@pytest.fixture
def q4(swale_plan):
    return period_open(plan=swale_plan, year=2019, quarter=4, deadline=DEADLINE)


def with_email(*users) -> None:
    for user in users:
        user.email = f"{user.username}@example.invalid"
        user.save(update_fields=["email"])


@pytest.fixture
def officers(csu_officer, police_officer):
    with_email(csu_officer, police_officer)
    return csu_officer, police_officer


def remind(today: date, *args: str) -> str:
    out = StringIO()
    call_command("send_update_reminders", f"--today={today.isoformat()}", *args, stdout=out)
    return out.getvalue()


def mail_to(mailoutbox, user):
    matching = [m for m in mailoutbox if m.to == [user.email]]
    assert len(matching) == 1, f"expected one e-mail to {user}, got {len(matching)}"
    return matching[0]


def test_each_officer_gets_one_email_with_what_their_agency_leads(
    q4, officers, swale_plan, mailoutbox
):
    csu_officer, police_officer = officers
    output = remind(DEADLINE - timedelta(days=7))

    assert "Sent 2 reminders" in output
    assert len(mailoutbox) == 2

    csu = mail_to(mailoutbox, csu_officer)
    assert csu.subject == "CSP Tracker: Quarterly updates due in 7 days"
    assert csu.from_email == "reminders@csp.example.test"
    assert "Due in 7 days, by 30 April 2020" in csu.body
    assert "Swale Community Safety Plan 2019/20, 2019/20 Q4" in csu.body
    csu_actions = Action.objects.filter(
        priority__plan=swale_plan, lead_agency__name="Swale Community Safety Unit"
    )
    assert csu_actions.count() > 5
    for action in csu_actions:
        assert f"{SITE}{reverse('priorities:action_update', args=[action.pk, q4.pk])}" in (csu.body)
    assert "Continue partnership response to High Harm crime" in csu.body
    assert "Manage the Violence Against Women" not in csu.body  # the VAWC Group's
    assert "Indicator values not yet entered" not in csu.body  # the CSU leads none

    police = mail_to(mailoutbox, police_officer)
    police_indicators = Indicator.objects.filter(plan=swale_plan, agency__name="Kent Police")
    for indicator in police_indicators:
        url = reverse("indicators:indicator_value", args=[indicator.pk, q4.pk])
        assert f"{SITE}{url}" in police.body
    assert "All crime" in police.body
    assert "Number of KFRS Safe and Well visits" not in police.body  # Kent Fire and Rescue's
    assert "Action updates not yet submitted" not in police.body
    assert f"{SITE}{reverse('plans:my_updates')}" in police.body


def test_submitted_updates_and_entered_values_drop_out_but_drafts_stay(
    q4, officers, swale_plan, mailoutbox
):
    csu_officer, police_officer = officers
    submitted, draft = access.reportable_actions(csu_officer).filter(priority__plan=swale_plan)[:2]
    make_update(submitted, q4, state=UpdateState.SUBMITTED)
    make_update(draft, q4, state=UpdateState.DRAFT)
    entered = access.reportable_indicators(police_officer).filter(plan=swale_plan).first()
    make_value(entered, q4)

    remind(DEADLINE - timedelta(days=7))

    csu = mail_to(mailoutbox, csu_officer).body
    assert reverse("priorities:action_update", args=[submitted.pk, q4.pk]) not in csu
    assert reverse("priorities:action_update", args=[draft.pk, q4.pk]) in csu
    police = mail_to(mailoutbox, police_officer).body
    assert reverse("indicators:indicator_value", args=[entered.pk, q4.pk]) not in police


def test_nothing_is_sent_when_everything_is_in(q4, officers, swale_plan, mailoutbox):
    for action in Action.objects.filter(priority__plan=swale_plan):
        make_update(action, q4, state=UpdateState.SUBMITTED)
    for indicator in Indicator.objects.filter(plan=swale_plan):
        make_value(indicator, q4)

    assert "Sent 0 reminders" in remind(DEADLINE - timedelta(days=7))
    assert "Sent 0 reminders" in remind(DEADLINE + timedelta(days=3))
    assert mailoutbox == []


@pytest.mark.parametrize("days_before", [8, 6, 1, 0])
def test_nothing_is_sent_on_other_days(q4, officers, mailoutbox, days_before):
    remind(DEADLINE - timedelta(days=days_before))
    assert mailoutbox == []


def test_days_before_can_be_changed(q4, officers, mailoutbox):
    remind(DEADLINE - timedelta(days=3), "--days-before=3")
    assert len(mailoutbox) == 2
    assert mailoutbox[0].subject == "CSP Tracker: Quarterly updates due in 3 days"


def test_after_the_deadline_it_says_overdue(q4, officers, mailoutbox):
    csu_officer, _ = officers
    remind(DEADLINE + timedelta(days=1))
    csu = mail_to(mailoutbox, csu_officer)
    assert csu.subject == "CSP Tracker: Quarterly updates overdue"
    assert "Some of your quarterly updates are overdue" in csu.body
    assert "Overdue: the deadline was 30 April 2020" in csu.body


def test_one_email_lists_every_open_quarter(q4, officers, swale_plan, mailoutbox):
    csu_officer, _ = officers
    q3 = period_open(plan=swale_plan, year=2019, quarter=3, deadline=date(2020, 1, 31))

    remind(DEADLINE - timedelta(days=7))  # Q4 due in 7 days, Q3 overdue

    csu = mail_to(mailoutbox, csu_officer)
    assert csu.subject == "CSP Tracker: Quarterly updates overdue"
    assert "2019/20 Q3\nOverdue: the deadline was 31 January 2020" in csu.body
    assert "2019/20 Q4\nDue in 7 days, by 30 April 2020" in csu.body
    action = access.reportable_actions(csu_officer).filter(priority__plan=swale_plan).first()
    for period in (q3, q4):
        assert reverse("priorities:action_update", args=[action.pk, period.pk]) in csu.body


def test_closed_quarters_are_ignored(q4, officers, mailoutbox):
    period_close(period=q4)
    assert "Sent 0 reminders" in remind(DEADLINE + timedelta(days=1))
    assert mailoutbox == []


def test_seg_members_and_admins_get_nothing(
    q4, officers, seg_member, swale_admin, reader, outsider, mailoutbox
):
    with_email(seg_member, swale_admin, reader, outsider)
    remind(DEADLINE + timedelta(days=1))
    recipients = {address for m in mailoutbox for address in m.to}
    assert recipients == {officers[0].email, officers[1].email}


def test_a_delegate_is_reminded_of_what_was_delegated(q4, officers, swale_plan, mailoutbox):
    police_officer = officers[1]
    action = Action.objects.get(priority__plan=swale_plan, ref="2.2")  # led by the CSU
    action.delegates.add(police_officer)

    remind(DEADLINE + timedelta(days=1))

    body = mail_to(mailoutbox, police_officer).body
    assert reverse("priorities:action_update", args=[action.pk, q4.pk]) in body


def test_a_stale_delegation_reminds_no_one(q4, seg_member, swale_plan, mailoutbox):
    """A delegation counts only while the user is an officer there (finding 1): an SEG
    member left with one cannot report, so is not asked to."""
    with_email(seg_member)
    Action.objects.get(priority__plan=swale_plan, ref="1.1").delegates.add(seg_member)

    remind(DEADLINE + timedelta(days=1))

    assert not [m for m in mailoutbox if m.to == [seg_member.email]]


def test_officers_without_an_email_address_are_reported(q4, officers, mailoutbox):
    csu_officer, police_officer = officers
    police_officer.email = ""
    police_officer.save(update_fields=["email"])

    output = remind(DEADLINE + timedelta(days=1))

    assert "Sent 1 reminder; 1 officer has no e-mail address (police-officer)" in output
    assert [m.to for m in mailoutbox] == [[csu_officer.email]]


def test_dry_run_sends_nothing(q4, officers, mailoutbox):
    output = remind(DEADLINE + timedelta(days=1), "--dry-run")
    assert "Would send 2 reminders" in output
    assert "csu-officer" in output
    assert mailoutbox == []


def test_help_documents_cron():
    from plans.management.commands.send_update_reminders import Command

    assert "0 7 * * * cd /srv/csp && .venv/bin/python manage.py send_update_reminders" in (
        Command.help
    )


def make_update(action, period, *, state) -> ActionUpdate:
    now = timezone.now()
    return ActionUpdate.objects.create(
        action=action,
        period=period,
        status=ActionUpdate.Status.ON_TRACK,
        state=state,
        saved_at=now,
        submitted_at=now if state == UpdateState.SUBMITTED else None,
    )


def make_value(indicator, period) -> IndicatorValue:
    return IndicatorValue.objects.create(
        indicator=indicator, period=period, value=Decimal(1), entered_at=timezone.now()
    )
