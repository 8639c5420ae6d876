"""Who hears what: a quarter opens, a report is published, an action or indicator turns Red,
the daily reminders and an admin's "Send a reminder now"."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator, Rag
from indicators.services import ValueEntry, indicator_value_save
from plans import access
from plans.models import ReportingPeriod
from plans.notifications import services
from plans.notifications.models import Delivery, Notification, QuarterReminder
from plans.reminders import reminders_send
from plans.reporting.publishing import report_publish
from plans.services import period_close, period_open
from priorities.models import Action, ActionUpdate
from priorities.services import action_update_save
from tests.notifications.conftest import SITE, BrokenBackend, to

pytestmark = pytest.mark.django_db


def recipients(mailoutbox) -> set[str]:
    return {address for mail in mailoutbox for address in mail.to}


# --- A quarter opens ---------------------------------------------------------------------------


def test_opening_a_quarter_tells_each_officer_what_they_have_due(
    cast, swale_plan, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        period = period_open(plan=swale_plan, year=2019, quarter=3, deadline=date(2020, 1, 31))

    assert recipients(mailoutbox) == {cast["csu"].email, cast["police"].email}
    (csu,) = to(mailoutbox, cast["csu"])
    assert csu.subject == "CSP Tracker: 2019/20 Q3 is open for updates, due by 31 January 2020"
    csu_action = access.reportable_actions(cast["csu"]).filter(priority__plan=swale_plan).first()
    assert f"- {csu_action.ref} {csu_action.title[:40]}" in csu.body
    assert f"{SITE}{reverse('plans:my_updates')}" in csu.body
    assert "Indicator values:" not in csu.body  # the CSU leads no indicators
    (police,) = to(mailoutbox, cast["police"])
    assert "All crime" in police.body
    notification = Notification.objects.get(user=cast["csu"])
    assert notification.url == reverse("plans:my_updates")
    assert period.label in notification.subject


def test_changing_the_deadline_is_not_news_but_reopening_is(
    cast, swale_plan, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        period = period_open(plan=swale_plan, year=2019, quarter=3, deadline=date(2020, 1, 31))
    assert len(to(mailoutbox, cast["csu"])) == 1
    with django_capture_on_commit_callbacks(execute=True):
        period_open(plan=swale_plan, year=2019, quarter=3, deadline=date(2020, 2, 14))
    assert len(to(mailoutbox, cast["csu"])) == 1
    period_close(period=period)
    with django_capture_on_commit_callbacks(execute=True):
        period_open(plan=swale_plan, year=2019, quarter=3, deadline=date(2020, 2, 28))
    assert len(to(mailoutbox, cast["csu"])) == 2
    assert "re-opened" in to(mailoutbox, cast["csu"])[-1].subject


def test_opening_a_quarter_survives_a_broken_mail_server(
    cast, swale_plan, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notifications.conftest.BrokenBackend"
    assert BrokenBackend  # the mail server refuses every message
    with django_capture_on_commit_callbacks(execute=True):
        period_open(plan=swale_plan, year=2019, quarter=3, deadline=date(2020, 1, 31))
    assert ReportingPeriod.objects.filter(plan=swale_plan, year=2019, quarter=3).exists()
    assert Delivery.objects.filter(email=Delivery.Email.FAILED).count() == 2


# --- A report is published ---------------------------------------------------------------------


def test_publishing_tells_the_seg_members_with_the_link(
    cast, q2, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_publish(period=q2, user=cast["admin"], reason="")
    assert recipients(mailoutbox) == {cast["seg"].email}
    (mail,) = mailoutbox
    assert mail.subject.startswith("CSP Tracker: 2019/20 Q2 report published")
    assert f"{SITE}{reverse('plans:published_report', args=[report.pk])}" in mail.body

    with django_capture_on_commit_callbacks(execute=True):
        report_publish(period=q2, user=cast["admin"], reason="A late figure from the police.")
    assert len(mailoutbox) == 2
    assert "(version 2)" in mailoutbox[1].subject
    assert "A late figure from the police." in mailoutbox[1].body


# --- Turning Red -------------------------------------------------------------------------------


def submit(user, action, period, status):
    return action_update_save(
        user=user, action=action, period=period, status=status, commentary="Why it is so.",
        next_steps="", milestones=[], submit=True,
        expected_version=getattr(
            ActionUpdate.objects.filter(action=action, period=period).first(), "version", None
        ),
    )  # fmt: skip


def test_an_action_turning_red_tells_the_partnership_admins(
    cast, q2, swale_plan, mailoutbox, django_capture_on_commit_callbacks
):
    action = Action.objects.get(priority__plan=swale_plan, ref="2.2")  # the CSU leads it
    q1 = period_open(plan=swale_plan, year=2019, quarter=1, deadline=date(2019, 7, 15))
    submit(cast["csu"], action, q1, ActionUpdate.Status.AT_RISK)
    with django_capture_on_commit_callbacks(execute=True):
        submit(cast["csu"], action, q2, ActionUpdate.Status.OFF_TRACK)

    assert recipients(mailoutbox) == {cast["admin"].email}  # not Medway's admin
    (mail,) = mailoutbox
    assert mail.subject == f"CSP Tracker: Action 2.2 is Red in {q2.label}"
    assert f"{SITE}{action.get_absolute_url()}" in mail.body

    with django_capture_on_commit_callbacks(execute=True):  # saved again, still Red: once
        submit(cast["csu"], action, q2, ActionUpdate.Status.OFF_TRACK)
    assert len(mailoutbox) == 1


def test_an_action_red_last_quarter_too_is_not_news(
    cast, q2, swale_plan, mailoutbox, django_capture_on_commit_callbacks
):
    action = Action.objects.get(priority__plan=swale_plan, ref="2.2")
    q1 = period_open(plan=swale_plan, year=2019, quarter=1, deadline=date(2019, 7, 15))
    submit(cast["csu"], action, q1, ActionUpdate.Status.OFF_TRACK)
    with django_capture_on_commit_callbacks(execute=True):
        submit(cast["csu"], action, q2, ActionUpdate.Status.OFF_TRACK)
        submit(cast["csu"], Action.objects.get(priority__plan=swale_plan, ref="2.1"), q2,
               ActionUpdate.Status.ON_TRACK)  # fmt: skip
    assert mailoutbox == []


def test_a_draft_does_not_count(
    cast, q2, swale_plan, mailoutbox, django_capture_on_commit_callbacks
):
    action = Action.objects.get(priority__plan=swale_plan, ref="2.2")
    with django_capture_on_commit_callbacks(execute=True):
        action_update_save(
            user=cast["csu"], action=action, period=q2, status=ActionUpdate.Status.OFF_TRACK,
            commentary="Stalled.", next_steps="", milestones=[], submit=False,
            expected_version=None,
        )  # fmt: skip
    assert mailoutbox == []


def test_an_indicator_going_red_tells_the_admins(
    cast, q2, swale_plan, mailoutbox, django_capture_on_commit_callbacks
):
    indicator = access.reportable_indicators(cast["police"]).filter(plan=swale_plan).first()
    q1 = period_open(plan=swale_plan, year=2019, quarter=1, deadline=date(2019, 7, 15))

    def enter(period, rag):
        current = indicator.values.filter(period=period).first()
        return indicator_value_save(
            user=cast["police"], period=period,
            entry=ValueEntry(indicator=indicator, value=Decimal(10), not_available=False,
                             expected_version=current.version if current else None,
                             rag_override=rag, rag_override_reason="As the lead judges."),
        )  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        enter(q1, Rag.AMBER)
        enter(q2, Rag.RED)
    assert recipients(mailoutbox) == {cast["admin"].email}
    assert mailoutbox[0].subject == f"CSP Tracker: Indicator {indicator.ref} is Red in {q2.label}"

    with django_capture_on_commit_callbacks(execute=True):  # Red again next quarter: no news
        q3 = period_open(plan=swale_plan, year=2019, quarter=3, deadline=date(2020, 1, 31))
        mailoutbox.clear()
        enter(q3, Rag.RED)
    assert cast["admin"].email not in recipients(mailoutbox)


def test_a_red_value_survives_a_broken_mail_server(
    cast, q2, swale_plan, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notifications.conftest.BrokenBackend"
    indicator = Indicator.objects.filter(plan=swale_plan, agency__name="Kent Police").first()
    with django_capture_on_commit_callbacks(execute=True):
        value = indicator_value_save(
            user=cast["police"], period=q2,
            entry=ValueEntry(indicator=indicator, value=Decimal(3), not_available=False,
                             rag_override=Rag.RED, rag_override_reason="Behind."),
        )  # fmt: skip
    value.refresh_from_db()
    assert value.value == Decimal(3)
    assert Delivery.objects.get(user=cast["admin"]).email == Delivery.Email.FAILED


# --- Reminders -----------------------------------------------------------------------------------


def test_the_daily_reminders_twice_a_day_send_nothing_twice(cast, swale_plan, mailoutbox):
    deadline = date(2020, 4, 30)
    period_open(plan=swale_plan, year=2019, quarter=4, deadline=deadline)
    day = deadline - timedelta(days=7)
    assert len(reminders_send(today=day).reminders) == 2
    assert len(reminders_send(today=day).reminders) == 0
    assert len(mailoutbox) == 2
    assert Notification.objects.filter(user=cast["csu"], kind="reminder").count() == 1
    assert len(reminders_send(today=day + timedelta(days=8)).reminders) == 2  # overdue, later


def test_reminders_turned_off_come_in_the_app_only(cast, swale_plan, mailoutbox):
    deadline = date(2020, 4, 30)
    period_open(plan=swale_plan, year=2019, quarter=4, deadline=deadline)
    services.preferences_save(user=cast["csu"], email_kinds=[])
    reminders_send(today=deadline - timedelta(days=7))
    assert recipients(mailoutbox) == {cast["police"].email}
    assert Notification.objects.filter(user=cast["csu"], kind="reminder").exists()


def test_send_a_reminder_now_goes_to_those_missing_items_once_a_day(
    cast, q2, swale_plan, mailoutbox, django_capture_on_commit_callbacks
):
    action = Action.objects.get(priority__plan=swale_plan, ref="2.2")
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.period_remind(period=q2, user=cast["admin"], today=date(2019, 10, 1))
    assert sent.recipients == 2
    assert recipients(mailoutbox) == {cast["csu"].email, cast["police"].email}
    (csu,) = to(mailoutbox, cast["csu"])
    assert csu.subject == "CSP Tracker: Reminder: 2019/20 Q2 updates still missing"
    assert f"- 2.2 {action.title[:30]}" in csu.body

    with pytest.raises(ValidationError) as refused:
        services.period_remind(period=q2, user=cast["admin"], today=date(2019, 10, 1))
    local = timezone.localtime(sent.sent_at).strftime("%H:%M")
    assert refused.value.messages == [
        f"A reminder for 2019/20 Q2 was already sent today at {local}. "
        "You can send another tomorrow."
    ]
    assert QuarterReminder.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):  # the next day: again
        services.period_remind(period=q2, user=cast["admin"], today=date(2019, 10, 2))
    assert len(to(mailoutbox, cast["csu"])) == 2


def test_a_failure_working_out_the_news_does_not_undo_the_change(
    cast, swale_plan, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(period):
        raise RuntimeError("cannot work out who owes what")

    monkeypatch.setattr("plans.notifications.news.owed_in", broken)
    with django_capture_on_commit_callbacks(execute=True):
        period_open(plan=swale_plan, year=2019, quarter=3, deadline=date(2020, 1, 31))
    assert ReportingPeriod.objects.filter(plan=swale_plan, year=2019, quarter=3).exists()
    assert "cannot work out who owes what" in caplog.text
