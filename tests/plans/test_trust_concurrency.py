"""Findings 4 and 7 with real threads on PostgreSQL: closing a quarter and saving into it are
serialised, and concurrent first creates end in one row and a clear message, never a 500.
(SQLite writes one transaction at a time, so these only run on PostgreSQL.)"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from plans.models import Membership, Partnership, Plan, ReportingPeriod
from plans.services import CLOSED_MEANWHILE, membership_save, period_close, period_open
from priorities.models import Action, ActionUpdate
from priorities.services import ConcurrentEdit, action_update_save

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and real concurrency: PostgreSQL"
    ),
]


def in_threads(*jobs) -> list:
    """Run each job in its own thread (own connection), started together; their results or
    the exceptions they raised, in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the test looks at what each raised
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def quarter(seeded, csu_officer):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    period = period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 1))
    actions = list(
        Action.objects.filter(priority__plan=plan, lead_agency__name="Swale Community Safety Unit")
    )
    return {"plan": plan, "period": period, "actions": actions, "user": csu_officer}


def save_job(quarter, action, period=None):
    def job():
        return action_update_save(
            user=quarter["user"], action=action, period=period or quarter["period"],
            status="on_track", commentary="On course.", next_steps="", milestones=[],
            submit=True, expected_version=None,
        )  # fmt: skip

    return job


def test_a_save_waiting_on_the_close_is_refused_with_a_clear_message(quarter):
    stale = ReportingPeriod.objects.get(pk=quarter["period"].pk)  # loaded while open
    started = threading.Event()
    outcome: list = []

    def officer_saves():
        started.set()
        try:
            outcome.append(save_job(quarter, quarter["actions"][0], stale)())
        except Exception as error:  # noqa: BLE001
            outcome.append(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        period_close(period=ReportingPeriod.objects.get(pk=stale.pk))  # holds the row lock
        worker = threading.Thread(target=officer_saves)
        worker.start()
        started.wait()
        worker.join(timeout=1)
        assert worker.is_alive(), "the save must wait for the close to commit"
    worker.join(timeout=30)
    [error] = outcome
    assert isinstance(error, ValidationError)
    assert error.messages == [CLOSED_MEANWHILE.format(label=stale.label)]
    assert not ActionUpdate.objects.exists()


def test_no_save_lands_after_the_close(quarter):
    actions = quarter["actions"][:7]
    close = lambda: period_close(period=ReportingPeriod.objects.get(pk=quarter["period"].pk))  # noqa: E731
    # Each save has its own copy of the quarter, loaded while it was open (as each request does).
    stale = [ReportingPeriod.objects.get(pk=quarter["period"].pk) for _ in actions]
    saves = [
        save_job(quarter, action, period) for action, period in zip(actions, stale, strict=True)
    ]
    results = in_threads(*saves, close)
    period = ReportingPeriod.objects.get(pk=quarter["period"].pk)
    assert period.closed_at is not None
    for result in results[:-1]:
        assert isinstance(result, ActionUpdate | ValidationError), result
    for update in ActionUpdate.objects.filter(period=period):
        assert update.saved_at <= period.closed_at


def test_two_first_updates_of_one_action_end_in_one_row(quarter):
    action = quarter["actions"][0]
    results = in_threads(save_job(quarter, action), save_job(quarter, action))
    assert ActionUpdate.objects.filter(action=action).count() == 1
    assert sorted(type(r).__name__ for r in results) == ["ActionUpdate", "ConcurrentEdit"]
    assert any(isinstance(r, ConcurrentEdit) for r in results)


def test_the_same_quarter_opened_twice_is_one_row(quarter):
    plan = quarter["plan"]
    job = lambda: period_open(plan=plan, year=2019, quarter=3, deadline=date(2099, 1, 1))  # noqa: E731
    results = in_threads(job, job, job)
    assert all(isinstance(r, ReportingPeriod) for r in results), results
    assert ReportingPeriod.objects.filter(plan=plan, year=2019, quarter=3).count() == 1


def test_the_same_account_added_twice_is_one_membership(seeded, seg_member):
    medway = Partnership.objects.get(name__startswith="Medway")
    job = lambda: membership_save(  # noqa: E731
        partnership=medway, user=seg_member, role=Membership.Role.SEG, agencies=[]
    )
    results = in_threads(job, job)
    assert Membership.objects.filter(user=seg_member, partnership=medway).count() == 1
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) <= 1
    for error in errors:
        assert isinstance(error, ValidationError)
        assert "is already a member of" in error.messages[0]
