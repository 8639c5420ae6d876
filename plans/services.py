"""Opening and closing quarters for updates."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from plans.models import Plan, ReportingPeriod


@transaction.atomic
def period_open(*, plan: Plan, year: int, quarter: int, deadline: date) -> ReportingPeriod:
    """Open a quarter of a plan for updates (or re-open a closed one with a new deadline)."""
    period = ReportingPeriod.objects.filter(plan=plan, year=year, quarter=quarter).first()
    if period is None:
        period = ReportingPeriod(plan=plan, year=year, quarter=quarter)
    period.deadline = deadline
    period.status = ReportingPeriod.Status.OPEN
    period.closed_at = None
    period.full_clean()
    if deadline < period.starts_on:
        raise ValidationError({"deadline": "The deadline must be after the quarter starts"})
    period.save()
    return period


@transaction.atomic
def period_close(*, period: ReportingPeriod) -> ReportingPeriod:
    period.status = ReportingPeriod.Status.CLOSED
    period.closed_at = timezone.now()
    period.save(update_fields=["status", "closed_at"])
    return period
