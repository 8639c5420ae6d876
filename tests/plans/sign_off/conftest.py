"""Swale's open 2019/20 Q2 with its CSU-led action and Kent Police indicator, the CSU's and the
police's signers, and what is announced."""

from __future__ import annotations

from datetime import date

import pytest

from indicators.models import Indicator
from plans import events
from plans.models import Plan
from plans.services import period_open
from priorities.models import Action
from tests.plans.sign_off.signing import (
    CSU,
    POLICE,
    signer,
)


@pytest.fixture
def swale(seeded):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    period = period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 1))
    period.plan = plan
    plan.partnership.sign_off = True
    plan.partnership.save()
    return {
        "plan": plan,
        "period": period,
        "action": Action.objects.get(priority__plan=plan, ref="2.2"),  # led by the CSU
        "indicator": Indicator.objects.get(plan=plan, title="Number of incidents of Hate Crime"),
    }


@pytest.fixture
def csu_signer(seeded):
    return signer("csu-signer", [CSU])


@pytest.fixture
def police_signer(seeded):
    return signer("police-signer", [POLICE])


@pytest.fixture
def news():
    """Everything announced or counted, after commit."""
    received: dict[str, list] = {"news": [], "counted": []}

    def on_news(sender, **kwargs):
        received["news"].append(kwargs)

    def on_counted(sender, item, **kwargs):
        received["counted"].append(item)

    events.news.connect(on_news)
    events.item_counted.connect(on_counted)
    yield received
    events.news.disconnect(on_news)
    events.item_counted.disconnect(on_counted)
