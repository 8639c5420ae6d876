"""Signers, submitting and entering for them to sign off, and what counts."""

from __future__ import annotations

from decimal import Decimal

from indicators.models import IndicatorValue
from indicators.services import ValueEntry, indicator_value_save
from plans import reporting
from plans.models import Agency, Membership
from priorities.models import ActionUpdate
from priorities.services import action_update_save
from tests.conftest import SWALE, member

CSU, POLICE = "Swale Community Safety Unit", "Kent Police"


def signer(username: str, agencies: list[str], role: str = Membership.Role.OFFICER, where=SWALE):
    """A member who signs off for ``agencies`` (and reports for them too)."""
    user = member(username, where, role, agencies if role == Membership.Role.OFFICER else ())
    membership = Membership.objects.get(user=user)
    membership.signs_off_for.set(Agency.objects.filter(name__in=agencies))
    return user


def submit_update(swale, user, status="on_track", commentary="On course.") -> ActionUpdate:
    current = ActionUpdate.objects.filter(action=swale["action"], period=swale["period"]).first()
    return action_update_save(
        user=user, action=swale["action"], period=swale["period"], status=status,
        commentary=commentary, next_steps="", milestones=[], submit=True,
        expected_version=current.version if current else None,
    )  # fmt: skip


def enter_value(swale, user, value="12") -> IndicatorValue:
    current = IndicatorValue.objects.filter(
        indicator=swale["indicator"], period=swale["period"]
    ).first()
    entry = ValueEntry(
        indicator=swale["indicator"], value=Decimal(value), not_available=False,
        expected_version=current.version if current else None,
    )  # fmt: skip
    return indicator_value_save(user=user, period=swale["period"], entry=entry)


def reported(swale) -> tuple[int, int]:
    """(actions, indicators) that count in the quarter's report."""
    report = reporting.quarter_report(plan=swale["plan"], period=swale["period"])
    return report.completeness.actions_reported, report.completeness.indicators_reported


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()
