"""Run a scheduled command once a day however many app servers' cron start it.

Every server runs the same cron line. The first to insert the (command, day) row of
``plans.ScheduledRun`` does the work; the unique key makes any other insert fail (on
PostgreSQL a concurrent insert waits for the first to commit, then fails), so they skip. The
claim is committed before the work starts, so a slow run still holds it; if the work fails the
claim is removed, so a later run (or the operator) can try again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone


class AlreadyRun(Exception):
    """Another server (or an earlier run) has claimed this command for this day."""


@contextmanager
def once_a_day(command: str, day: date) -> Iterator[object]:
    """Claim today's run of ``command`` or raise ``AlreadyRun``; yields the claim, whose
    ``summary`` the caller may set."""
    from plans.models import ScheduledRun

    try:
        with transaction.atomic():
            claim = ScheduledRun.objects.create(command=command, day=day)
    except IntegrityError:
        earlier = ScheduledRun.objects.filter(command=command, day=day).first()
        raise AlreadyRun(
            f"{command} has already run for {day}"
            + (f" (started {earlier.started_at:%H:%M:%S})" if earlier else "")
        ) from None
    try:
        yield claim
    except BaseException:
        ScheduledRun.objects.filter(pk=claim.pk).delete()
        raise
    claim.finished_at = timezone.now()
    claim.save(update_fields=["finished_at", "summary"])
