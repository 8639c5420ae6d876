"""A Swale quarter with known updates and figures (``Known``) for the report pack's tests, and
helpers to read its page and workbook."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Indicator, IndicatorValue
from indicators.services import ValueEntry, indicator_value_save
from plans.models import Plan, ReportingPeriod
from plans.services import period_open
from priorities.models import Action, ActionUpdate
from priorities.services import action_update_save

SWALE_PLAN = "Swale Community Safety Plan 2019/20"


# --- Known data -------------------------------------------------------------------------------


def save_update(user, action, period, status, commentary="", *, submit=True, next_steps=""):
    current = ActionUpdate.objects.filter(action=action, period=period).first()
    return action_update_save(
        user=user,
        action=action,
        period=period,
        status=status,
        commentary=commentary,
        next_steps=next_steps,
        milestones=[],
        submit=submit,
        expected_version=current.version if current else None,
        today=period.deadline,
    )


def save_value(user, indicator, period, value, note=""):
    current = IndicatorValue.objects.filter(indicator=indicator, period=period).first()
    entry = ValueEntry(
        indicator=indicator,
        value=Decimal(value),
        not_available=False,
        note=note,
        expected_version=current.version if current else None,
    )
    return indicator_value_save(user=user, period=period, entry=entry, today=period.deadline)


def percentage_target(indicator: Indicator, figure: int) -> Indicator:
    """Give a seed indicator (Swale's have no targets) an "at least N%" target."""
    Indicator.objects.filter(pk=indicator.pk).update(
        target=f"{figure}%",
        target_comparator="at_least",
        target_value=figure,
        target_unit="percent",
        target_parsed_from=f"{figure}%",
        unit=Indicator.Unit.PERCENTAGE,
    )
    indicator.refresh_from_db()
    return indicator


class Known:
    """Swale's plan with Q1 and Q2 2019/20 reported on: what the tests expect to see."""

    def __init__(self, admin) -> None:
        self.admin = admin
        self.plan = Plan.objects.get(title=SWALE_PLAN)
        self.q1 = period_open(plan=self.plan, year=2019, quarter=1, deadline=date(2019, 7, 31))
        self.q2 = period_open(plan=self.plan, year=2019, quarter=2, deadline=date(2019, 10, 31))
        actions = Action.objects.filter(priority__plan=self.plan).select_related("priority")
        self.oss = actions.get(priority__ref="1", ref="1.2")
        self.vawc = actions.get(priority__ref="1", ref="1.1")
        self.ribbon = actions.get(priority__ref="1", ref="1.3")
        indicators = Indicator.objects.filter(plan=self.plan)
        self.referrals = percentage_target(indicators.get(ref="1.1"), 85)
        self.repeat = percentage_target(indicators.get(ref="1.2"), 85)

        save_update(admin, self.vawc, self.q1, ActionUpdate.Status.ON_TRACK)
        save_update(admin, self.vawc, self.q2, ActionUpdate.Status.ON_TRACK, "Group met twice.")
        save_update(admin, self.oss, self.q1, ActionUpdate.Status.ON_TRACK)
        save_update(
            admin,
            self.oss,
            self.q2,
            ActionUpdate.Status.OFF_TRACK,
            "The Sittingbourne venue closed in August.",
            next_steps="Find a new venue by December.",
        )
        save_update(admin, self.ribbon, self.q2, ActionUpdate.Status.AT_RISK, "x", submit=False)
        save_value(admin, self.referrals, self.q1, "90")
        save_value(admin, self.referrals, self.q2, "80", note="Two referral routes paused.")
        save_value(admin, self.repeat, self.q2, "82.5")


def report_html(client, period: ReportingPeriod) -> str:
    response = client.get(reverse("plans:report_pack", args=[period.pk]))
    assert response.status_code == 200
    return response.content.decode()


def workbook_of(content: bytes):
    return load_workbook(BytesIO(content))


def publish_url(period: ReportingPeriod) -> str:
    return reverse("plans:report_publish", args=[period.pk])
