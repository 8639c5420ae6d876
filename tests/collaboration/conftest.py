"""The Swale plan's 2019/20 Q2, open, with its CSU-led action 2.2 (Amber) and the Kent
Police indicator on hate crime; files go to a temporary MEDIA_ROOT."""

from __future__ import annotations

from datetime import date

import pytest

from indicators.models import Indicator
from plans import events
from plans.models import Plan
from plans.services import period_open
from priorities.models import Action


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def swale(seeded):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    period = period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 1))
    return {
        "plan": plan,
        "period": period,
        "action": Action.objects.select_related("priority__plan").get(
            priority__plan=plan, ref="2.2"
        ),
        "indicator": Indicator.objects.select_related("plan").get(
            plan=plan, title="Number of incidents of Hate Crime"
        ),
    }


@pytest.fixture
def news():
    """Every piece of news announced (after commit), as the notifications app receives it."""
    received: list[dict] = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    events.news.connect(receiver)
    yield received
    events.news.disconnect(receiver)
