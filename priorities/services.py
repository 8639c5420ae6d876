"""Writing quarterly action updates: drafts, submissions, late marking, admin corrections of
closed quarters, optimistic concurrency, and a kept version of every save."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from plans import access
from plans.models import PlanClosing, ReportingPeriod
from plans.services import CLOSED_AT_YEAR_END, CLOSED_MEANWHILE, period_lock
from plans.signoff import services as signoff
from priorities import cycle
from priorities.models import (
    Action,
    ActionUpdate,
    ActionUpdateVersion,
    Milestone,
    MilestoneProgress,
    UpdateState,
)


class ConcurrentEdit(Exception):
    """Someone else saved the record since this user opened the form."""

    def __init__(self, current) -> None:
        super().__init__("This was changed by someone else while you were editing it.")
        self.current = current


@dataclass(frozen=True)
class MilestoneReport:
    milestone: Milestone
    done: bool
    done_on: date | None


def check_period_writable(*, user, period: ReportingPeriod, correction_reason: str) -> None:
    """Open quarters take updates; closed ones only an admin's correction with a reason.

    Locks the quarter's row for the caller's transaction and reads its status afresh, so a
    save and the admin's close never interleave: a save that loses the race is refused."""
    was_open = period.is_open
    period_lock(period=period)
    if period.is_open:
        return
    if was_open:
        raise ValidationError(CLOSED_MEANWHILE.format(label=period.label))
    if not access.is_partnership_admin(user, period.plan.partnership_id):
        raise PermissionDenied(
            f"{period.label} is closed: only a partnership admin can correct it."
        )
    if PlanClosing.objects.filter(plan_id=period.plan_id).exists():
        raise ValidationError(CLOSED_AT_YEAR_END.format(plan=period.plan.title))
    if not correction_reason.strip():
        raise ValidationError(
            {"correction_reason": "Enter why you are correcting a closed quarter"}
        )


@transaction.atomic
def action_update_save(
    *,
    user,
    action: Action,
    period: ReportingPeriod,
    status: str,
    commentary: str,
    next_steps: str,
    milestones: list[MilestoneReport],
    submit: bool,
    expected_version: int | None,
    correction_reason: str = "",
    today: date | None = None,
) -> ActionUpdate:
    """Save a draft of, or submit, the quarter's update on an action.

    ``expected_version`` is the version the user's form was built from (``None`` for a new
    update); if someone saved in between, nothing is written and ``ConcurrentEdit`` carries
    what they saved.
    """
    if period.plan_id != action.priority.plan_id:
        raise ValidationError("That quarter belongs to another plan.")
    check_period_writable(user=user, period=period, correction_reason=correction_reason)
    now = timezone.now()
    today = today or timezone.localdate()
    update = _update_to_write(action=action, period=period, expected_version=expected_version)
    update.status = status
    update.commentary = commentary.strip()
    update.next_steps = next_steps.strip()
    was = update.state or None
    submitting = submit or was in (UpdateState.SUBMITTED, UpdateState.AWAITING)
    _set_state(update, user=user, period=period, submitting=submitting, submit=submit, now=now,
               today=today)  # fmt: skip
    _check_and_save(update, user=user, now=now)
    cycle.completion_record(update)

    _record_milestones(update, milestones)
    _keep_version(update, milestones, correction_reason=correction_reason, saved_at=now)
    if submitting and (submit or was != update.state):
        signoff.after_submit(item=update, was=was)
    return update


def _update_to_write(
    *, action: Action, period: ReportingPeriod, expected_version: int | None
) -> ActionUpdate:
    """The quarter's update, locked for this transaction (a new one if there is none yet);
    ``ConcurrentEdit`` if it is not the version the user's form was built from."""
    update = ActionUpdate.objects.select_for_update().filter(action=action, period=period).first()
    if update is None:
        if expected_version is not None:
            raise ConcurrentEdit(None)
        return ActionUpdate(action=action, period=period, version=0)
    if update.version != expected_version:
        raise ConcurrentEdit(update)
    return update


def _set_state(
    update: ActionUpdate,
    *,
    user,
    period: ReportingPeriod,
    submitting: bool,
    submit: bool,
    now: datetime,
    today: date,
) -> None:
    """Draft, or submitted (awaiting sign-off where the partnership signs off); a submission
    records who submitted it, when, and whether that was after the deadline."""
    update.state = UpdateState.DRAFT
    if submitting:
        signoff.mark_submitted(update, period)
    if submit:
        update.submitted_by = user
        update.submitted_at = now
        update.is_late = period.is_late_on(today)


def _check_and_save(update: ActionUpdate, *, user, now: datetime) -> None:
    """A new version, saved by ``user``; refused without a commentary where its status
    needs one."""
    update.saved_by = user
    update.saved_at = now
    update.version += 1
    update.is_sample = False
    update.full_clean()
    if update.status in ActionUpdate.NEEDS_COMMENTARY and not update.commentary:
        raise ValidationError(
            {"commentary": f"Enter a progress commentary for status {update.get_status_display()}"}
        )
    update.save()


def _record_milestones(update: ActionUpdate, milestones: list[MilestoneReport]) -> None:
    for report in milestones:
        MilestoneProgress.objects.update_or_create(
            update=update,
            milestone=report.milestone,
            defaults={"done": report.done, "done_on": report.done_on if report.done else None},
        )


def _keep_version(
    update: ActionUpdate, milestones: list[MilestoneReport], *, correction_reason: str, saved_at
) -> ActionUpdateVersion:
    """Every save is kept as it was, so the action's history shows each version."""
    return ActionUpdateVersion.objects.create(
        update=update,
        number=update.version,
        status=update.status,
        commentary=update.commentary,
        next_steps=update.next_steps,
        milestones_done=[
            {
                "milestone": r.milestone.pk,
                "text": r.milestone.text,
                "done": r.done,
                "done_on": r.done_on.isoformat() if (r.done and r.done_on) else None,
            }
            for r in milestones
        ],
        state=update.state,
        is_late=update.is_late,
        correction_reason=correction_reason.strip() if not update.period.is_open else "",
        saved_by=update.saved_by,
        saved_at=saved_at,
    )
