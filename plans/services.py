"""Write operations of the plans app: reporting quarters, memberships, delegations."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from plans.models import Membership, Plan, ReportingPeriod


@transaction.atomic
def period_open(*, plan: Plan, year: int, quarter: int, deadline: date) -> ReportingPeriod:
    """Open a quarter of a plan for updates (or re-open a closed one with a new deadline).
    The plan's row is locked first, so the same quarter opened twice at once is one row."""
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    period = ReportingPeriod.objects.filter(plan=plan, year=year, quarter=quarter).first()
    if period is None:
        period = ReportingPeriod(plan=plan, year=year, quarter=quarter)
    period.deadline = deadline
    period.status = ReportingPeriod.Status.OPEN
    period.closed_at = None
    period.full_clean()
    if deadline < period.starts_on:
        raise ValidationError({"deadline": "The deadline must be after the quarter starts"})
    period.save()
    return period


CLOSED_MEANWHILE = (
    "{label} was closed while you were entering this, so nothing was saved. "
    "Ask a partnership admin if it needs correcting."
)


def period_lock(*, period: ReportingPeriod) -> ReportingPeriod:
    """Lock the quarter's row until the transaction ends (PostgreSQL; SQLite writes one at a
    time anyway) and refresh its status: closing and saving into it are serialised."""
    fresh = (
        ReportingPeriod.objects.select_for_update().only("status", "closed_at").get(pk=period.pk)
    )
    period.status, period.closed_at = fresh.status, fresh.closed_at
    return period


@transaction.atomic
def period_close(*, period: ReportingPeriod) -> ReportingPeriod:
    period_lock(period=period)  # waits for saves under way; later ones see it closed
    if not period.is_open:
        return period
    period.status = ReportingPeriod.Status.CLOSED
    period.closed_at = timezone.now()
    period.save(update_fields=["status", "closed_at"])
    return period


@transaction.atomic
def membership_save(
    *,
    partnership,
    user,
    role: str,
    agencies: list,
    membership: Membership | None = None,
) -> Membership:
    """Add a user to a partnership, or change their role and agencies there."""
    if membership is None:
        if Membership.objects.filter(user=user, partnership=partnership).exists():
            raise ValidationError(
                {"username": f"{user.get_username()} is already a member of {partnership}"}
            )
        membership = Membership(user=user, partnership=partnership)
    elif membership.role == Membership.Role.ADMIN and role != Membership.Role.ADMIN:
        _keep_an_admin(membership)
    if role == Membership.Role.OFFICER and not agencies:
        raise ValidationError({"agencies": "Choose the agencies this officer reports for"})
    if membership.pk and role != Membership.Role.OFFICER:
        delegations_end(membership=membership)
    membership.role = role
    # Uniqueness is the database's to enforce (below): Django's own check words it as
    # "Membership with this User and Partnership already exists".
    membership.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: the same account added twice at once
            membership.save()
    except IntegrityError:
        raise ValidationError(
            {"username": f"{user.get_username()} is already a member of {partnership}"}
        ) from None
    membership.agencies.set(agencies)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    if membership.role == Membership.Role.ADMIN:
        _keep_an_admin(membership)
    delegations_end(membership=membership)
    membership.delete()


def delegations_end(*, membership: Membership) -> None:
    """A delegation lasts as long as the officer's membership: drop the user's delegated
    actions and indicators in that partnership (each removal is audited as an m2m change)."""
    for _kind, obj in delegations_of(membership):
        obj.delegates.remove(membership.user)


def delegations_of(membership: Membership) -> list[tuple[str, object]]:
    """("Action" or "Indicator", object) for each action and indicator of the membership's
    partnership delegated to its user."""
    actions = membership.user.delegated_actions.filter(
        priority__plan__partnership_id=membership.partnership_id
    ).select_related("priority__plan")
    indicators = membership.user.delegated_indicators.filter(
        plan__partnership_id=membership.partnership_id
    ).select_related("plan")
    return [("Action", a) for a in actions] + [("Indicator", i) for i in indicators]


def _keep_an_admin(membership: Membership) -> None:
    others = Membership.objects.filter(
        partnership=membership.partnership, role=Membership.Role.ADMIN
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            f"{membership.user.get_username()} is the partnership's only admin: "
            "make someone else an admin first"
        )


@transaction.atomic
def delegates_set(*, obj, users: list) -> None:
    """Who, besides the lead agency's officers, reports on an action or indicator."""
    obj.delegates.set(users)
