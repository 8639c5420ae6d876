"""Cron on every app server: today's reminders go out once, however many servers run them."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from plans.models import Plan, ScheduledRun
from plans.services import period_open
from tests.plans.test_reminders import with_email

DEADLINE = date(2020, 4, 30)
REMINDER_DAY = DEADLINE - timedelta(days=7)


@pytest.fixture
def due(seeded, csu_officer, police_officer, mailoutbox):
    with_email(csu_officer, police_officer)
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    period = period_open(plan=plan, year=2019, quarter=4, deadline=DEADLINE)
    mailoutbox.clear()  # "Q4 is open" (sent at once where a test commits): not a reminder
    return period


def remind(*args: str) -> str:
    out = StringIO()
    call_command("send_update_reminders", f"--today={REMINDER_DAY}", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_second_run_the_same_day_sends_nothing(due, mailoutbox):
    assert "Sent 2 reminders" in remind()
    again = remind()
    assert "send_update_reminders has already run for 2020-04-23" in again
    assert "nothing sent" in again
    assert len(mailoutbox) == 2
    run = ScheduledRun.objects.get()
    assert run.finished_at is not None and run.summary == "Sent 2 reminders"


@pytest.mark.django_db
def test_dry_run_and_force_do_not_claim_the_day(due, mailoutbox):
    assert "Would send 2 reminders" in remind("--dry-run")
    assert "Sent 2 reminders" in remind()
    assert "Sent 2 reminders" in remind("--force")
    assert len(mailoutbox) == 4
    assert ScheduledRun.objects.count() == 1


@pytest.mark.django_db
def test_a_failed_run_gives_up_its_claim(due, mailoutbox, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("plans.reminders.get_connection", broken)
    with pytest.raises(ConnectionRefusedError):
        remind()
    assert not ScheduledRun.objects.exists()
    monkeypatch.undo()
    assert "Sent 2 reminders" in remind()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_servers_running_at_the_same_moment_send_once(due, mailoutbox):
    """Four "servers" start the command together, each on its own database connection."""
    outputs: list[str] = []
    start = threading.Barrier(4)

    def server() -> None:
        try:
            start.wait()
            outputs.append(remind())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=server) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted("Sent 2" in out for out in outputs) == [False, False, False, True], outputs
    assert len(mailoutbox) == 2
