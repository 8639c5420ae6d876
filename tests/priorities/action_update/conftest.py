"""Swale's plan, its CSU-led action 2.2 and its 2019/20 Q2, open (or with its deadline gone)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from plans.models import Plan, ReportingPeriod
from plans.services import period_open
from priorities.models import Action


@pytest.fixture
def plan(seeded) -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


@pytest.fixture
def action(plan) -> Action:
    """Led by the Swale Community Safety Unit, with three milestones."""
    return Action.objects.get(priority__plan=plan, ref="2.2")


@pytest.fixture
def period(plan) -> ReportingPeriod:
    """2019/20 Q2, open, with its deadline still to come."""
    return period_open(
        plan=plan, year=2019, quarter=2, deadline=timezone.localdate() + timedelta(days=30)
    )


@pytest.fixture
def late_period(plan) -> ReportingPeriod:
    """2019/20 Q2, open, its deadline long gone."""
    return period_open(plan=plan, year=2019, quarter=2, deadline=date(2019, 10, 15))
