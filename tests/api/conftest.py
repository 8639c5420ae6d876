"""Swale with a quarter of reports: a counted update and an update awaiting sign-off, figures,
and a published report; tokens for the fixed cast."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue
from plans.api.tokens import api_token_create
from plans.models import Plan, PublishedReport
from plans.services import period_open
from priorities.models import Action, ActionUpdate


@pytest.fixture
def swale(seeded):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    q1 = period_open(plan=plan, year=2019, quarter=1, deadline=date(2099, 1, 1))
    q2 = period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 1))
    now = timezone.now()
    action = Action.objects.get(priority__plan=plan, ref="2.2")
    other = Action.objects.get(priority__plan=plan, ref="2.3")
    ActionUpdate.objects.create(
        action=action, period=q1, status="at_risk", commentary="Slipping.", state="submitted",
        saved_at=now, submitted_at=now,
    )  # fmt: skip
    # Q2's update awaits sign-off: it does not count, so Q1's status is the latest.
    ActionUpdate.objects.create(
        action=action, period=q2, status="complete", commentary="Done?", state="awaiting",
        saved_at=now, submitted_at=now,
    )  # fmt: skip
    ActionUpdate.objects.create(
        action=other, period=q2, status="on_track", commentary="Fine.", state="draft",
        saved_at=now,
    )  # fmt: skip
    indicator = Indicator.objects.get(plan=plan, title="Number of incidents of Hate Crime")
    IndicatorValue.objects.create(
        indicator=indicator, period=q1, value=Decimal(41), entered_at=now, state="submitted"
    )
    IndicatorValue.objects.create(
        indicator=indicator, period=q2, value=Decimal(99), entered_at=now, state="draft"
    )
    report = PublishedReport.objects.create(
        plan=plan, period=q1, version=1, data={}, html="", workbook=b"", pdf=None,
        published_at=now,
    )  # fmt: skip
    return {"plan": plan, "q1": q1, "q2": q2, "action": action, "indicator": indicator,
            "report": report}  # fmt: skip


def bearer(user) -> dict:
    _, key = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
