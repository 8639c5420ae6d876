"""Receivers of ``plans.events``: news becomes notifications (and e-mails), and an item that
starts counting is compared with the quarter before to see whether it turned Red."""

from __future__ import annotations

from django.urls import reverse

from indicators.models import IndicatorValue, Rag
from indicators.rag import value_rag
from plans import events
from plans.models import Membership, ReportingPeriod
from plans.notifications import services
from plans.reporting.quarters import quarter_before
from priorities.models import ActionUpdate, UpdateState


def deliver_news(sender, *, kind, recipients, subject, body, url, key, **kwargs) -> None:
    services.deliver_all(
        kind=kind, recipients=recipients, subject=subject, body=body, url=url, key=key
    )


def _previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    year, quarter = quarter_before(period.year, period.quarter)
    periods = ReportingPeriod.objects.filter(plan_id=period.plan_id, year=year, quarter=quarter)
    return periods.first()


def _admins(partnership_id: int) -> list:
    memberships = Membership.objects.filter(
        partnership_id=partnership_id, role=Membership.Role.ADMIN, user__is_active=True
    ).select_related("user")
    return [m.user for m in memberships]


def action_turned_red(update: ActionUpdate) -> bool:
    """Off track (Red) now, and not in the quarter before (or not reported then)."""
    if update.status != ActionUpdate.Status.OFF_TRACK:
        return False
    previous = _previous_period(update.period)
    if previous is None:
        return True
    before = ActionUpdate.objects.filter(
        action_id=update.action_id, period=previous, state=UpdateState.SUBMITTED
    ).first()
    return before is None or before.status != ActionUpdate.Status.OFF_TRACK


def indicator_turned_red(value: IndicatorValue) -> bool:
    if value_rag(value) != Rag.RED:
        return False
    previous = _previous_period(value.period)
    before = (
        previous
        and IndicatorValue.objects.filter(indicator_id=value.indicator_id, period=previous)
        .select_related("indicator", "period")
        .first()
    )
    return not before or value_rag(before) != Rag.RED


def item_counted(sender, *, item, **kwargs) -> None:
    """Tell the plan's partnership admins when an action or an indicator turns Red."""
    if isinstance(item, ActionUpdate):
        if not action_turned_red(item):
            return
        thing, label = item.action, "Action"
        url = reverse("priorities:action_detail", args=[item.action_id])
        plan = thing.priority.plan
    elif isinstance(item, IndicatorValue):
        if not indicator_turned_red(item):
            return
        thing, label = item.indicator, "Indicator"
        url = reverse("indicators:indicator_detail", args=[item.indicator_id])
        plan = thing.plan
    else:
        return
    period = item.period
    name = " ".join(part for part in (thing.ref, thing.title[:120]) if part)
    events.announce(
        kind=events.TURNED_RED,
        recipients=_admins(plan.partnership_id),
        subject=f"{label} {thing.ref} is Red in {period.label}".replace("  ", " "),
        body=(
            f"{plan}, {period.label}: {label.lower()} {name} is now Red; "
            "it was not Red the quarter before."
        ),
        url=url,
        key=f"turned_red:{label.lower()}:{thing.pk}:{period.pk}",
    )
