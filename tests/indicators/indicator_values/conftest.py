"""Swale's plan, its open 2019/20 Q2 and its Kent Police indicator 1.1."""

from __future__ import annotations

import pytest

from indicators.models import Indicator
from plans.models import Plan
from plans.services import period_open
from tests.indicators.indicator_values.entering import (
    FAR_DEADLINE,
)


@pytest.fixture
def swale(seeded) -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


@pytest.fixture
def q2(swale):
    """2019/20 Q2 of the Swale plan, open, deadline not yet passed."""
    return period_open(plan=swale, year=2019, quarter=2, deadline=FAR_DEADLINE)


@pytest.fixture
def dv(swale) -> Indicator:
    """1.1 Number of reported incidents of domestic abuse: a Kent Police count."""
    return Indicator.objects.get(plan=swale, ref="1.1")
