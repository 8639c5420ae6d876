"""The quarterly cycle of actions: what carries over from the last quarter, and completion.

Carry-over: a new quarter's form starts from the last submitted update (``previous_update``).

Completed actions: an action whose submitted update says Complete is done. It is not asked
for again in later quarters and counts as Complete there, until its lead or an admin reopens
it with a reason.

``Action.completed_in`` holds the quarter that completed it. The update service keeps it in
step with each submission (``completion_record``); ``completed_in_backfill`` works it out
from the updates already saved (the data migration and the demo loader use it).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from plans import access
from plans.models import ReportingPeriod
from priorities.models import (
    Action,
    ActionReopening,
    ActionUpdate,
    MilestoneProgress,
    UpdateState,
)


def quarter_key(period: ReportingPeriod) -> tuple[int, int]:
    return (period.year, period.quarter)


def is_done_for(action: Action, period: ReportingPeriod) -> bool:
    """Whether the action was completed in a quarter before ``period`` (so it is not asked
    for in ``period``). Needs ``completed_in`` loaded to avoid a query."""
    if action.completed_in_id is None:
        return False
    return quarter_key(action.completed_in) < quarter_key(period)


def previous_update(action: Action, period: ReportingPeriod) -> ActionUpdate | None:
    """The latest submitted update of a quarter before ``period``, with ``milestones_done``
    (its milestones reported done)."""
    earlier = Q(period__year__lt=period.year) | Q(
        period__year=period.year, period__quarter__lt=period.quarter
    )
    done = MilestoneProgress.objects.filter(done=True).select_related("milestone")
    return (
        ActionUpdate.objects.counted()
        .filter(earlier, action=action)
        .select_related("period")
        .prefetch_related(Prefetch("milestone_progress", queryset=done, to_attr="milestones_done"))
        .order_by("-period__year", "-period__quarter")
        .first()
    )


def done_before(period: ReportingPeriod) -> Q:
    """``is_done_for`` as a query filter on actions: completed in a quarter before ``period``."""
    return Q(completed_in__year__lt=period.year) | Q(
        completed_in__year=period.year, completed_in__quarter__lt=period.quarter
    )


def completion_record(update: ActionUpdate) -> None:
    """After a save: a submitted Complete sets the action's ``completed_in`` (the earliest
    such quarter wins); any other status, in the quarter that completed it, clears it."""
    action = update.action
    complete = (
        update.state == UpdateState.SUBMITTED and update.status == ActionUpdate.Status.COMPLETE
    )
    current = action.completed_in
    if complete:
        if current is None or quarter_key(update.period) < quarter_key(current):
            action.completed_in = update.period
            action.save(update_fields=["completed_in"])
    elif current is not None and action.completed_in_id == update.period_id:
        action.completed_in = None
        action.save(update_fields=["completed_in"])


@transaction.atomic
def action_reopen(*, user, action: Action, reason: str) -> ActionReopening:
    """Put a completed action back into reporting: the reason and who gave it are kept, and
    the change to ``completed_in`` is in the audit trail."""
    if not access.can_reopen_action(user, action):
        raise PermissionDenied(
            "Only the action's lead agency or a partnership admin may reopen it."
        )
    # Locked alone: PostgreSQL will not lock the nullable side of a join.
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.completed_in_id is None:
        raise ValidationError({"reason": f"Action {action.ref} is not completed, so it is open"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are reopening this action"})
    reopening = ActionReopening(
        action=action,
        completed_in=action.completed_in,
        reason=reason.strip(),
        reopened_by=user,
        reopened_at=timezone.now(),
    )
    reopening.full_clean()
    reopening.save()
    action.completed_in = None
    action.save(update_fields=["completed_in"])
    return reopening


def completed_in_backfill(update_model=ActionUpdate, action_model=Action, actions=None) -> int:
    """Set ``completed_in`` for actions whose latest submitted updates say Complete: the first
    quarter of that closing run of Complete updates. Actions that have one already, or have
    been reopened since, are left alone. Takes the models so a data migration can pass its
    historical ones. Returns how many actions were marked complete."""
    updates = update_model.objects.filter(state="submitted", action__completed_in__isnull=True)
    if actions is not None:
        updates = updates.filter(action__in=actions)
    updates = updates.select_related("period").order_by(
        "action_id", "period__year", "period__quarter"
    )
    first_complete: dict[int, int | None] = {}
    for update in updates:
        if update.status == "complete":
            if first_complete.get(update.action_id) is None:
                first_complete[update.action_id] = update.period_id
        else:
            first_complete[update.action_id] = None
    reopened = set(
        action_model.objects.filter(reopenings__isnull=False).values_list("pk", flat=True)
    )
    marked = 0
    for action_id, period_id in first_complete.items():
        if period_id is not None and action_id not in reopened:
            marked += action_model.objects.filter(pk=action_id).update(completed_in_id=period_id)
    return marked
