"""Who may report on an action or indicator: answered from the role alone where it can be (no
query), and always the same answer as the full rule (agencies, delegations, roles)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator
from plans import access
from priorities.models import Action
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(csu_officer, police_officer, seg_member, swale_admin, outsider):
    return {
        "csu officer": csu_officer,
        "police officer (a delegate)": police_officer,
        "seg member": seg_member,
        "swale admin": swale_admin,
        "medway admin": outsider,
        "superuser": UserFactory(is_superuser=True),
    }


def test_the_quick_answer_is_the_full_rules_answer(cast):
    actions = list(Action.objects.select_related("priority__plan").order_by("pk")[::9])
    indicators = list(Indicator.objects.select_related("plan").order_by("pk")[::7])
    actions[0].delegates.add(cast["police officer (a delegate)"])
    for name, user in cast.items():
        access.forget_access(user)
        for action in actions:
            expected = access.reportable_actions(user).filter(pk=action.pk).exists()
            assert access.can_report_on_action(user, action) == expected, (name, action.pk)
        for indicator in indicators:
            expected = access.reportable_indicators(user).filter(pk=indicator.pk).exists()
            assert access.can_report_on_indicator(user, indicator) == expected, (name, indicator)


def test_readers_and_admins_are_answered_without_a_query(cast):
    swale = Action.objects.filter(priority__plan__partnership__name__startswith="Swale")
    action = swale.select_related("priority__plan").first()
    for name in ("seg member", "swale admin", "medway admin", "superuser"):
        user = cast[name]
        access.access_for(user)  # memberships read once per request anyway
        with CaptureQueriesContext(connection) as captured:
            access.can_report_on_action(user, action)
        assert len(captured) == 0, name
    officer = cast["csu officer"]
    access.access_for(officer)
    with CaptureQueriesContext(connection) as captured:
        access.can_report_on_action(officer, action)
    assert len(captured) == 1  # an officer's agencies and delegations decide
    bare = Action.objects.only("pk").get(pk=action.pk)  # plan not loaded: the full rule
    assert access.can_report_on_action(cast["seg member"], bare) is False
