"""Write operations of the plans app: reporting quarters, memberships, delegations."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from csp_tracker.accounts.services import account_invite, user_by_email
from csp_tracker.accounts.templatetags.people import person_name
from plans.models import (
    Agency,
    Membership,
    Plan,
    PlanClosing,
    ReportingPeriod,
    named_agencies,
)
from plans.notifications.news import quarter_opened


@transaction.atomic
def period_open(*, plan: Plan, year: int, quarter: int, deadline: date) -> ReportingPeriod:
    """Open a quarter of a plan for updates (or re-open a closed one with a new deadline).
    The plan's row is locked first, so the same quarter opened twice at once is one row."""
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    if PlanClosing.objects.filter(plan=plan).exists():
        raise ValidationError(CLOSED_AT_YEAR_END.format(plan=plan.title))
    period = ReportingPeriod.objects.filter(plan=plan, year=year, quarter=quarter).first()
    if period is None:
        period = ReportingPeriod(plan=plan, year=year, quarter=quarter)
    news = "opened" if period.pk is None else ("reopened" if not period.is_open else "")
    period.deadline = deadline
    period.status = ReportingPeriod.Status.OPEN
    period.closed_at = None
    period.full_clean()
    if deadline < period.starts_on:
        raise ValidationError({"deadline": "The deadline must be after the quarter starts"})
    period.save()
    if news:  # officers with items due hear of it (after commit), not of a deadline change
        quarter_opened(period=period, reopened=news == "reopened")
    return period


# A plan closed at year end (plans.yearend) takes no more updates: its quarters stay closed.
CLOSED_AT_YEAR_END = (
    "{plan} was closed at year end, so its quarters are not opened or corrected again."
)
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
    signs_off_for: list | None = None,
) -> Membership:
    """Add a user to a partnership, or change their role and agencies there (and, for an
    officer, the agencies they sign off for: ``None`` leaves them as they are)."""
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
    if role != Membership.Role.OFFICER:
        membership.signs_off_for.clear()  # only officers sign off
    elif signs_off_for is not None:
        membership.signs_off_for.set(signs_off_for)
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
        try:  # the address becomes the user name: no look-alike of an existing one
            validate_new_username(email)
        except ValidationError as error:
            raise ValidationError({"email": error.messages}) from error
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
            f"{person_name(membership.user)} is the partnership's only admin: "
            "make someone else an admin first"
        )


@transaction.atomic
def delegates_set(*, obj, users: list) -> None:
    """Who, besides the lead agency's officers, reports on an action or indicator."""
    obj.delegates.set(users)


@transaction.atomic
def partnership_agency_add(
    *,
    partnership,
    agency: Agency | None = None,
    name: str = "",
    short_name: str = "",
    kind: str = "",
) -> Agency:
    """Put an agency on the partnership's list: a known one, or a new one by its name."""
    if agency is None:
        name = " ".join(name.split())
        agency = Agency.objects.filter(name__iexact=name).first()
        if agency is None:
            agency = Agency(
                name=name,
                short_name=short_name.strip(),
                kind=kind or Agency.Kind.PARTNER_ORGANISATION,
            )
            if agency.short_name and Agency.objects.filter(short_name__iexact=agency.short_name):
                raise ValidationError(
                    {"short_name": f"Another agency is already called {agency.short_name}"}
                )
            agency.full_clean(validate_constraints=False)  # the database words them badly
            try:
                with transaction.atomic():
                    agency.save()
            except IntegrityError:  # created by someone else at the same moment
                raise ValidationError(
                    {"name": f"An agency called {name} was just added: choose it from the list"}
                ) from None
    partnership.agencies.add(agency)
    return agency


@transaction.atomic
def partnership_agency_remove(*, partnership, agency: Agency) -> None:
    """Take an agency off the list, unless the partnership's plans or members name it."""
    if agency.pk in named_agencies(partnership.pk):
        raise ValidationError(
            f"{agency.name} leads, supports or reports work in {partnership}'s plans, or an "
            "officer reports for it, so it stays on the list."
        )
    partnership.agencies.remove(agency)


USERNAME_CHARACTERS = re.compile(r"[A-Za-z0-9.@+_-]+")


def validate_new_username(username: str) -> str:
    """A new account's user name, refused if it could be mistaken for an existing one: names
    are compared after Unicode NFKC normalisation and case folding, and only ASCII letters,
    digits and . @ + - _ are allowed, so no Cyrillic "а" can pose as a Latin "a". Returns
    the name as it will be stored."""
    username = username.strip()
    if unicodedata.normalize("NFKC", username) != username or not USERNAME_CHARACTERS.fullmatch(
        username
    ):
        raise ValidationError(
            "Use only the letters a to z, digits and . @ + - _ in a user name",
            code="username_characters",
        )
    folded = unicodedata.normalize("NFKC", username).casefold()
    clash = get_user_model().objects.filter(username__iexact=folded).first()
    if clash is not None:
        raise ValidationError(
            f"There is already an account called {clash.get_username()}: add it by that name, "
            "or choose a user name that differs by more than capital letters",
            code="username_taken",
        )
    return username


@transaction.atomic
def plan_activate(*, plan: Plan) -> bool:
    """Make a draft plan active (saved, not updated in bulk, so the audit log records it);
    False if it was no longer a draft (activated twice at once)."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != Plan.Status.DRAFT:
        return False
    locked.status = Plan.Status.ACTIVE
    locked.save(update_fields=["status"])
    plan.status = locked.status
    return True


@transaction.atomic
def period_ensure_closed(*, plan: Plan, year: int, quarter: int) -> ReportingPeriod:
    """A past quarter to hold figures loaded from history: the plan's own if it has one
    (open or closed: the caller decides what it may write), else a new one, created closed,
    its deadline the quarter's last day. The plan's row is locked as in ``period_open``."""
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    period = ReportingPeriod.objects.filter(plan=plan, year=year, quarter=quarter).first()
    if period is not None:
        return period
    period = ReportingPeriod(
        plan=plan,
        year=year,
        quarter=quarter,
        status=ReportingPeriod.Status.CLOSED,
        closed_at=timezone.now(),
    )
    period.deadline = period.ends_on
    period.full_clean()
    period.save()
    return period
