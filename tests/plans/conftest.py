"""A fixture shared by the quarter report's and the report cache's tests (each module has its
own ``known`` plan)."""

from __future__ import annotations

from datetime import date

import pytest

from indicators.models import Indicator
from plans.models import Plan
from plans.services import period_open
from tests.factories import IndicatorFactory
from tests.plans.known_plan import Known, value


@pytest.fixture
def with_predecessor(known) -> Indicator:
    """I1 continues "Victims satisfied" of the partnership's 2023/24 plan."""
    old_plan = Plan.objects.create(
        partnership=known.plan.partnership, title="Known plan 2023/24",
        kind=Plan.Kind.ACTION_PLAN, start_year=2023, end_year=2023,
        status=Plan.Status.CLOSED,
    )  # fmt: skip
    old = IndicatorFactory(
        plan=old_plan, ref="V1", title="Victims satisfied", target="80%",
        unit=Indicator.Unit.PERCENTAGE, direction=Indicator.Direction.UP,
    )  # fmt: skip
    for quarter, figure in ((2, 70), (4, 88)):
        period = period_open(plan=old_plan, year=2023, quarter=quarter, deadline=date(2025, 1, 1))
        value(Known(old_plan, period, period, {}, {"V1": old}, {}, {}, known.user), period,
              "V1", figure)  # fmt: skip
    known.indicators["I1"].predecessor = old
    known.indicators["I1"].save()
    return old
