"""Write operations of the plans app: reporting quarters, memberships, delegations."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from csp_tracker.accounts.services import account_invite, user_by_email
from csp_tracker.accounts.templatetags.people import person_name
from plans.models import Membership, Plan, ReportingPeriod


@transaction.atomic
def period_open(*, plan: Plan, year: int, quarter: int, deadline: date) -> ReportingPeriod:
    """Open a quarter of a plan for updates (or re-open a closed one with a new deadline)."""
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


@transaction.atomic
def period_close(*, period: ReportingPeriod) -> ReportingPeriod:
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
                {"email": f"{person_name(user)} is already a member of {partnership}"}
            )
        membership = Membership(user=user, partnership=partnership)
    elif membership.role == Membership.Role.ADMIN and role != Membership.Role.ADMIN:
        _keep_an_admin(membership)
    if role == Membership.Role.OFFICER and not agencies:
        raise ValidationError({"agencies": "Choose the agencies this officer reports for"})
    membership.role = role
    membership.full_clean()
    membership.save()
    membership.agencies.set(agencies)
    return membership


@transaction.atomic
def member_add(
    *, partnership, full_name: str, email: str, role: str, agencies: list, added_by
) -> tuple[Membership, bool]:
    """Add someone by e-mail address: their existing account, or a new one they are invited
    to (the invitation e-mail goes when this commits). Returns the membership and whether an
    invitation was sent."""
    user = user_by_email(email)
    invited = user is None
    if invited:
        user = account_invite(
            full_name=full_name, email=email, invited_by=added_by, partnership=partnership
        )
    elif not user.get_full_name():
        user.first_name = full_name.strip()
        user.save(update_fields=["first_name"])
    membership = membership_save(partnership=partnership, user=user, role=role, agencies=agencies)
    return membership, invited


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    if membership.role == Membership.Role.ADMIN:
        _keep_an_admin(membership)
    membership.delete()


def _keep_an_admin(membership: Membership) -> None:
    others = Membership.objects.filter(
        partnership=membership.partnership, role=Membership.Role.ADMIN
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            f"{person_name(membership.user)} is the partnership's only admin: "
            "make someone else an admin first"
        )


@transaction.atomic
def delegates_set(*, obj, users: list) -> None:
    """Who, besides the lead agency's officers, reports on an action or indicator."""
    obj.delegates.set(users)
