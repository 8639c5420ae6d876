"""Closing a plan at year end: every action's final status (with a reason unless Complete),
the plan's open quarters closed, the plan marked closed and the closing recorded, all in one
transaction or not at all. Each saved action and the plan are audited (django-auditlog)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from plans import access
from plans.limits import REASON
from plans.models import Plan, ReportingPeriod
from plans.services import period_close
from plans.yearend.models import PlanClosing
from priorities.models import Action, FinalStatus

NEEDS_REASON = {
    FinalStatus.NOT_ACHIEVED: "not achieved",
    FinalStatus.CANCELLED: "cancelled",
    FinalStatus.DEFERRED: "deferred to next year",
}


@dataclass(frozen=True)
class FinalDecision:
    """What the admin said of one action at year end."""

    action_id: int
    status: str
    reason: str = ""


def status_field(action_id: int) -> str:
    return f"status-{action_id}"


def reason_field(action_id: int) -> str:
    return f"reason-{action_id}"


def plan_actions(plan: Plan):
    """The plan's actions in the plan's order, with what the close page and report show."""
    return (
        Action.objects.filter(priority__plan=plan)
        .select_related("priority__lead_agency", "lead_agency", "completed_in")
        .order_by("priority__sort_key", "sort_key", "pk")
    )


def proposed_status(action: Action) -> str:
    """What the close page starts from: the final status already set, Complete for an action
    a submitted update completed, else nothing (the admin must choose)."""
    if action.final_status:
        return action.final_status
    return FinalStatus.COMPLETE if action.completed_in_id else ""


def decision_errors(actions: list[Action], decisions: dict[int, FinalDecision]) -> dict:
    """{field name: message} for every action without a final status, with an unknown one,
    or without the reason a non-complete status needs (or with one too long)."""
    errors: dict[str, str] = {}
    for action in actions:
        ref = action.display_ref
        decision = decisions.get(action.pk)
        status = decision.status if decision else ""
        if status not in FinalStatus.values:
            errors[status_field(action.pk)] = f"Choose how action {ref} ended the year"
            continue
        reason = decision.reason.strip()
        if status in NEEDS_REASON and not reason:
            errors[reason_field(action.pk)] = (
                f"Enter why action {ref} was {NEEDS_REASON[FinalStatus(status)]}"
            )
        elif len(reason) > REASON:
            errors[reason_field(action.pk)] = (
                f"The reason for action {ref} must be {REASON} characters or fewer"
            )
    return errors


@transaction.atomic
def plan_close(*, plan: Plan, user, decisions: list[FinalDecision]) -> PlanClosing:
    """Close an active plan at year end. Every action of the plan needs a decision; any
    error refuses the whole close (nothing is saved). Open quarters are closed with it, so
    no more updates or figures are taken; the closing stops them being reopened."""
    if not access.is_partnership_admin(user, plan.partnership_id):
        raise PermissionDenied("Only the partnership's admins may close a plan.")
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != Plan.Status.ACTIVE:
        raise ValidationError(
            f"{plan.title} is {locked.get_status_display().lower()}: only an active plan is "
            "closed at year end."
        )
    actions = list(plan_actions(plan))
    by_action = {d.action_id: d for d in decisions}
    errors = decision_errors(actions, by_action)
    if errors:
        raise ValidationError(errors)
    closed_quarters = []
    for period in plan.periods.filter(status=ReportingPeriod.Status.OPEN).order_by(
        "year", "quarter"
    ):
        period_close(period=period)
        closed_quarters.append(period.label)
    for action in actions:
        decision = by_action[action.pk]
        reason = "" if decision.status == FinalStatus.COMPLETE else decision.reason.strip()
        if (action.final_status, action.final_status_reason) == (decision.status, reason):
            continue
        action.final_status, action.final_status_reason = decision.status, reason
        action.save(update_fields=["final_status", "final_status_reason"])  # audited
    plan.status = locked.status = Plan.Status.CLOSED
    locked.save(update_fields=["status"])
    closing = PlanClosing(
        plan=plan,
        closed_by=user,
        closed_at=timezone.now(),
        quarters_closed=", ".join(closed_quarters),
    )
    closing.full_clean()
    closing.save()
    return closing


def closed_at_year_end(plan_id: int) -> PlanClosing | None:
    return PlanClosing.objects.filter(plan_id=plan_id).select_related("closed_by").first()
