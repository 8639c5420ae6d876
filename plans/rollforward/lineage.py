"""What plan editing tells roll forward (``plans.editing`` calls these): in a plan started
from last year's, an action added is new; a carried-over action edited so that it differs
from last year's is changed (and carried over again if edited back); and removing a
carried-over action, or a priority holding some, needs a reason and records each as dropped."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from plans.limits import REASON
from plans.models import Plan
from plans.rollforward.models import DroppedAction
from priorities.models import Action, Lineage, Priority

DROP_REASON_NEEDED = "Enter why it is dropped from this year's plan"

# What an action's change is told by: (label, how it reads). The comparison page shows these.
COMPARED = {
    "title": ("Title", lambda a: a.title),
    "desired_outcome": ("Desired outcome", lambda a: a.desired_outcome),
    "lead": ("Lead", lambda a: a.lead_as_written or (a.lead_agency_id and a.lead_agency.label)),
    "lead_officer": ("Lead officer", lambda a: a.lead_officer_display),
    "timescale": ("Timescale", lambda a: a.timescale),
    "supporting": (
        "Supporting agencies",
        lambda a: ", ".join(sorted(agency.label for agency in a.supporting_agencies.all())),
    ),
    "responsible": ("Responsible", lambda a: a.responsible),
    "partner_priority": ("Partner priority", lambda a: a.partner_priority),
    "footnote": ("Footnote", lambda a: a.footnote),
}  # fmt: skip


def differences(before: Action, after: Action) -> list[tuple[str, str, str]]:
    """(label, last year's, this year's) for each compared field that differs."""
    found = []
    for label, read in COMPARED.values():
        old, new = (read(before) or "").strip(), (read(after) or "").strip()
        if old != new:
            found.append((label, old, new))
    return found


def action_saved(*, plan: Plan, action: Action, adding: bool) -> None:
    """Keep the lineage of an action just added or changed in a plan with a predecessor."""
    if not plan.predecessor_id:
        return
    if adding:
        lineage = Lineage.NEW
    elif action.predecessor_id and action.lineage in (Lineage.CARRIED_OVER, Lineage.CHANGED):
        before = Action.objects.select_related("lead_agency", "lead_officer").get(
            pk=action.predecessor_id
        )
        after = Action.objects.select_related("lead_agency", "lead_officer").get(pk=action.pk)
        lineage = Lineage.CHANGED if differences(before, after) else Lineage.CARRIED_OVER
    else:
        return
    if action.lineage != lineage:
        action.lineage = lineage
        action.save(update_fields=["lineage"])


def carried_over_in(item: models.Model) -> list[Action]:
    """The carried-over actions removing ``item`` would drop (an action, or a priority's)."""
    if isinstance(item, Action):
        return [item] if item.predecessor_id else []
    if isinstance(item, Priority):
        return list(item.actions.filter(predecessor__isnull=False).select_related("priority"))
    return []


def ask_drop_reason(form: forms.Form, item: models.Model) -> None:
    """Make the removal form ask why, when it would drop actions carried over from last year."""
    dropped = carried_over_in(item)
    if not dropped:
        return
    if isinstance(item, Action):
        help_text = (
            f"Action {item.display_ref} was carried over from last year's plan. The reason is "
            'shown on "What changed from last year".'
        )
    else:
        n = len(dropped)
        help_text = (
            f"{n} of its actions {'was' if n == 1 else 'were'} carried over from last year's "
            'plan: each is recorded as dropped, with this reason, on "What changed from last year".'
        )
    form.fields["reason"] = forms.CharField(
        label="Why is it dropped from this year's plan?",
        help_text=help_text,
        max_length=REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": DROP_REASON_NEEDED},
    )


def check_drop_reason(item: models.Model, reason: str) -> list[Action]:
    """Before removing ``item``: the carried-over actions it drops, refused without a reason."""
    dropped = carried_over_in(item)
    if dropped and not reason.strip():
        raise ValidationError({"reason": DROP_REASON_NEEDED})
    return dropped


def record_dropped(*, plan: Plan, actions: list[Action], reason: str, user) -> None:
    """After the removal: each carried-over action's predecessor is recorded as dropped."""
    if not actions:
        return
    previous = Action.objects.select_related("priority").in_bulk(
        [action.predecessor_id for action in actions]
    )
    for action in actions:
        before = previous.get(action.predecessor_id)
        if before is None:
            continue
        drop = DroppedAction(
            plan=plan, predecessor=before, ref=before.display_ref, title=before.title,
            reason=reason.strip(), by=user, at=timezone.now(),
        )  # fmt: skip
        drop.full_clean()
        drop.save()
