"""Two servers delivering the same news (or running the reminders) at the same moment send it
once: the unique (key, user) of a delivery decides, on PostgreSQL with real threads."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection

from plans import events
from plans.models import Plan
from plans.notifications import services
from plans.notifications.models import Delivery, Notification
from plans.reminders import reminders_send
from plans.services import period_open
from tests.notifications.conftest import to, with_email
from tests.plans.test_trust_concurrency import in_threads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency: PostgreSQL"),
]


def test_two_threads_deliver_the_same_news_once(seeded, seg_member, mailoutbox):
    with_email(seg_member)

    def job():
        return services.deliver(
            kind=events.REPORT_PUBLISHED, user=seg_member, subject="Published",
            body="Out now.", url="/", key="report_published:99",
        )  # fmt: skip

    results = in_threads(job, job, job)
    assert sum(isinstance(r, Delivery) for r in results) == 1
    assert results.count(None) == 2
    assert len(to(mailoutbox, seg_member)) == 1
    assert Notification.objects.filter(user=seg_member).count() == 1


def test_reminders_sent_by_two_servers_at_once_go_once(
    seeded, csu_officer, police_officer, mailoutbox
):
    with_email(csu_officer, police_officer)
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    deadline = date(2020, 4, 30)
    period_open(plan=plan, year=2019, quarter=4, deadline=deadline)
    mailoutbox.clear()  # the quarter-opened news

    def job():
        return reminders_send(today=deadline - timedelta(days=7))

    runs = in_threads(job, job)
    assert sorted(len(run.reminders) for run in runs) in ([0, 2], [1, 1])
    assert len(to(mailoutbox, csu_officer)) == 1
    assert len(to(mailoutbox, police_officer)) == 1
    assert Delivery.objects.filter(kind=events.REMINDER).count() == 2
