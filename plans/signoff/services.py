"""Sign-off decisions: where a submission goes, approving, returning, and turning sign-off on
or off for a partnership. Each decision is kept in the audit trail (and, for an action update,
as a version in its history) and told to whoever needs to know (``plans.events``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from indicators.models import IndicatorValue
from plans import access, access_items, events
from plans.models import Membership, Partnership, ReportingPeriod
from plans.signoff.fields import ItemState
from priorities import cycle
from priorities.models import ActionUpdate, ActionUpdateVersion

AUTHOR_ONLY_SIGNER = "Signed off by its author, the only signer"
COUNTED_WHEN_TURNED_OFF = "Counted without sign-off: sign-off was turned off"


def mark_submitted(item, period: ReportingPeriod) -> None:
    """Set a submission's state (the caller saves it): awaiting sign-off where the
    partnership asks for it; an admin's correction of a closed quarter counts at once."""
    if period.plan.partnership.sign_off and period.is_open:
        item.state = ItemState.AWAITING
        item.signed_off_by, item.signed_off_at, item.signed_off_by_author = None, None, False
    else:
        item.state = ItemState.SUBMITTED


def after_submit(*, item, was: str | None) -> None:
    """Tell the signers an item now awaits them, or receivers that it counts. ``was`` is the
    state before the save (None: new). Call after saving, inside the transaction."""
    if item.state == ItemState.AWAITING:
        if was != ItemState.AWAITING:
            _announce_awaiting(item)
    elif item.state == ItemState.SUBMITTED:
        events.counted(item)


def form_url(item) -> str:
    if isinstance(item, IndicatorValue):
        return reverse("indicators:indicator_value", args=[item.indicator_id, item.period_id])
    return reverse("priorities:action_update", args=[item.action_id, item.period_id])


def item_name(item) -> str:
    if isinstance(item, IndicatorValue):
        return f"indicator {item.indicator.ref} ({item.period.label})"
    return f"action {item.action.display_ref} ({item.period.label})"


def _announce_awaiting(item) -> None:
    partnership_id = access_items.item_partnership_id(item)
    signers = access_items.signer_ids(partnership_id, access_items.item_agency_id(item))
    author = access_items.item_author_id(item)
    if signers - {author}:
        signers -= {author}
    users = Membership.objects.filter(
        partnership_id=partnership_id, user_id__in=signers
    ).select_related("user")
    events.announce(
        kind=events.AWAITING_SIGN_OFF,
        recipients=[m.user for m in users],
        subject=f"Awaiting your sign-off: {item_name(item)}",
        body=f"The update on {item_name(item)} was submitted and awaits your sign-off.",
        url=reverse("plans:sign_off"),
        key=f"awaiting:{item._meta.model_name}:{item.pk}:{item.version}",
    )


def _locked(item):
    """The item afresh and locked, refused unless it awaits a decision by ``user``."""
    model = type(item)
    related = (
        ["indicator__plan__partnership", "period"]
        if model is IndicatorValue
        else ["action__priority__plan__partnership", "period"]
    )
    locked = model.objects.select_for_update(of=("self",)).select_related(*related)
    return locked.get(pk=item.pk)


def _decide(*, user, item):
    item = _locked(item)
    if not access_items.can_sign_off(user, item):
        raise PermissionDenied("Only someone who signs off for its lead agency may do this.")
    if item.state != ItemState.AWAITING:
        raise ValidationError("This no longer awaits sign-off: someone has decided already.")
    return item


@transaction.atomic
def item_approve(*, user, item):
    """Approve an update or a value: from now on it counts on dashboards and in reports."""
    item = _decide(user=user, item=item)
    by_author = access_items.item_author_id(item) == user.pk
    _count(item, user=user, note=AUTHOR_ONLY_SIGNER if by_author else "Signed off")
    item.signed_off_by, item.signed_off_by_author = user, by_author
    item.signed_off_at = timezone.now()
    item.full_clean()
    item.save()
    return item


def _count(item, *, user, note: str) -> None:
    """Make ``item`` count (the caller saves it), keep the decision in its history."""
    item.state = ItemState.SUBMITTED
    item.version += 1
    if isinstance(item, ActionUpdate):
        _keep_decision(item, user=user, note=note)
        cycle.completion_record(item)
    events.counted(item)


@transaction.atomic
def item_return(*, user, item, comment: str):
    """Send an update or a value back to its officer as a draft, saying what to change."""
    if not comment.strip():
        raise ValidationError({"comment": "Enter what needs to change before you can sign it off"})
    item = _decide(user=user, item=item)
    item.state = ItemState.DRAFT
    item.return_comment = comment.strip()
    item.returned_by, item.returned_at = user, timezone.now()
    item.version += 1
    item.full_clean()
    item.save()
    if isinstance(item, ActionUpdate):
        _keep_decision(item, user=user, note=f"Returned: {item.return_comment}")
    officer = get_user_model().objects.filter(pk=access_items.item_author_id(item)).first()
    events.announce(
        kind=events.UPDATE_RETURNED,
        recipients=[officer],
        subject=f"Returned for changes: {item_name(item)}",
        body=f"Your update on {item_name(item)} was returned. What to change:\n\n{comment}",
        url=form_url(item),
        key=f"returned:{item._meta.model_name}:{item.pk}:{item.version}",
    )
    return item


def _keep_decision(update: ActionUpdate, *, user, note: str) -> ActionUpdateVersion:
    """The decision as a version of the update, so its history shows the exchange."""
    last = update.versions.order_by("-number").first()
    return ActionUpdateVersion.objects.create(
        update=update,
        number=update.version,
        status=update.status,
        commentary=update.commentary,
        next_steps=update.next_steps,
        milestones_done=last.milestones_done if last else [],
        state=update.state,
        is_late=update.is_late,
        sign_off_note=note,
        saved_by=user,
        saved_at=timezone.now(),
    )


@transaction.atomic
def partnership_sign_off_set(*, user, partnership: Partnership, enabled: bool) -> int:
    """Turn sign-off on or off. Turning it on changes nothing already submitted; turning it
    off makes what awaits sign-off count at once (it was submitted, and nobody is left to
    approve it). Returns how many items started to count."""
    if not access.is_partnership_admin(user, partnership.pk):
        raise PermissionDenied("Only the partnership's admins may do this.")
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    partnership.sign_off = enabled
    partnership.full_clean()
    partnership.save()
    if enabled:
        return 0
    waiting = [
        *ActionUpdate.objects.awaiting_sign_off()
        .filter(action__priority__plan__partnership=partnership)
        .select_related("action__completed_in", "period"),
        *IndicatorValue.objects.awaiting_sign_off()
        .filter(indicator__plan__partnership=partnership)
        .select_related("period"),
    ]
    for item in waiting:
        _count(item, user=user, note=COUNTED_WHEN_TURNED_OFF)
        item.save()
    return len(waiting)


def awaiting_sign_off_count(period: ReportingPeriod) -> int | None:
    """How many of the quarter's updates and values await sign-off (None: sign-off is off,
    and nothing is asked; needs ``period.plan.partnership`` loaded)."""
    if not period.plan.partnership.sign_off:
        return None
    updates = ActionUpdate.objects.awaiting_sign_off().filter(period=period).count()
    return updates + IndicatorValue.objects.awaiting_sign_off().filter(period=period).count()
