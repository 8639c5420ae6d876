"""Who may see what: the one place every view asks.

Every page is behind sign-in. Until partnership memberships exist (the quarterly-progress
issue), any signed-in user may read every partnership's plans; the helpers below are the seam
where that narrowing goes, so views never check roles themselves.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from indicators.models import Indicator
from plans.models import Agency, Partnership, Plan
from priorities.models import Action

User = AbstractBaseUser | AnonymousUser


def visible_partnerships(user: User) -> QuerySet[Partnership]:
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.all()


def visible_plans(user: User) -> QuerySet[Plan]:
    return Plan.objects.filter(partnership__in=visible_partnerships(user))


def visible_actions(user: User) -> QuerySet[Action]:
    return Action.objects.filter(priority__plan__in=visible_plans(user))


def visible_indicators(user: User) -> QuerySet[Indicator]:
    return Indicator.objects.filter(plan__in=visible_plans(user))


def visible_agencies(user: User) -> QuerySet[Agency]:
    if not user.is_authenticated:
        return Agency.objects.none()
    return Agency.objects.all()


def get_partnership_for_user(user: User, pk: int) -> Partnership:
    return get_object_or_404(visible_partnerships(user), pk=pk)


def get_plan_for_user(user: User, pk: int) -> Plan:
    return get_object_or_404(visible_plans(user).select_related("partnership", "parent"), pk=pk)


def get_action_for_user(user: User, pk: int) -> Action:
    return get_object_or_404(
        visible_actions(user).select_related(
            "priority__plan__partnership", "objective", "lead_agency"
        ),
        pk=pk,
    )


def get_indicator_for_user(user: User, pk: int) -> Indicator:
    return get_object_or_404(
        visible_indicators(user).select_related(
            "plan__partnership", "priority", "agency", "reporting_group"
        ),
        pk=pk,
    )


def get_agency_for_user(user: User, pk: int) -> Agency:
    return get_object_or_404(visible_agencies(user), pk=pk)
