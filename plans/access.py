"""Who may see and change what: the one place every view asks.

- Everyone signs in. A user sees the partnerships they are a member of (404 for the rest);
  superusers see all.
- SEG members read everything in their partnership and change nothing.
- Partnership officers also enter updates for the actions and indicators their agencies lead,
  and for those an admin delegated to them.
- Partnership admins do everything in their partnership: periods, members, delegations,
  corrections.

Roles live on ``Membership`` (one per user and partnership) and are mirrored into Django
groups (see ``plans.signals``) so the model permissions of each role hold too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from indicators.models import Indicator
from plans.models import Agency, Membership, Partnership, Plan, ReportingPeriod
from priorities.models import Action, Milestone

User = AbstractBaseUser | AnonymousUser
Role = Membership.Role


@dataclass(frozen=True)
class Access:
    """A user's memberships, read once per request: {partnership id: role} and agencies."""

    superuser: bool = False
    roles: dict[int, str] = field(default_factory=dict)
    agencies: dict[int, frozenset[int]] = field(default_factory=dict)

    def role(self, partnership_id: int) -> str | None:
        return Role.ADMIN if self.superuser else self.roles.get(partnership_id)


def access_for(user: User) -> Access:
    if not user.is_authenticated:
        return Access()
    cached = getattr(user, "_csp_access", None)
    if cached is None:
        if user.is_superuser:
            cached = Access(superuser=True)
        else:
            # One row per membership and agency (one with no agency for a membership with
            # none): one query, no model objects, on every request.
            rows = (
                Membership.objects.filter(user=user)
                .order_by("partnership__name")
                .values_list("partnership_id", "role", "agencies")
            )
            roles, agencies = {}, {}
            for partnership_id, role, agency_id in rows:
                roles[partnership_id] = role
                found = agencies.setdefault(partnership_id, set())
                if agency_id is not None:
                    found.add(agency_id)
            cached = Access(
                roles=roles,
                agencies={pk: frozenset(found) for pk, found in agencies.items()},
            )
        user._csp_access = cached
    return cached


def forget_access(user: User) -> None:
    """Drop the cached memberships (after they change within a request or a test)."""
    if hasattr(user, "_csp_access"):
        del user._csp_access


# --- What a user may see ---------------------------------------------------------------------


def visible_partnerships(user: User) -> QuerySet[Partnership]:
    access = access_for(user)
    if access.superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=list(access.roles))


def visible_plans(user: User) -> QuerySet[Plan]:
    access = access_for(user)
    if access.superuser:
        return Plan.objects.all()
    return Plan.objects.filter(partnership_id__in=list(access.roles))


def visible_actions(user: User) -> QuerySet[Action]:
    access = access_for(user)
    if access.superuser:
        return Action.objects.all()
    return Action.objects.filter(priority__plan__partnership_id__in=list(access.roles))


def visible_indicators(user: User) -> QuerySet[Indicator]:
    access = access_for(user)
    if access.superuser:
        return Indicator.objects.all()
    return Indicator.objects.filter(plan__partnership_id__in=list(access.roles))


def visible_milestones(user: User) -> QuerySet[Milestone]:
    access = access_for(user)
    if access.superuser:
        return Milestone.objects.all()
    return Milestone.objects.filter(action__priority__plan__partnership_id__in=list(access.roles))


def visible_agencies(user: User) -> QuerySet[Agency]:
    """Agencies that sit on the user's partnerships (none for a user with no membership)."""
    access = access_for(user)
    if access.superuser:
        return Agency.objects.all()
    if not access.roles:
        return Agency.objects.none()
    ids = Partnership.agencies.through.objects.filter(partnership_id__in=list(access.roles))
    return Agency.objects.filter(pk__in=ids.values("agency_id"))


# --- What a user may change ------------------------------------------------------------------


def is_partnership_admin(user: User, partnership_id: int) -> bool:
    return access_for(user).role(partnership_id) == Role.ADMIN


def reportable_actions(user: User) -> QuerySet[Action]:
    """Actions the user may enter updates for: led by their agencies (an action without a lead
    of its own is led by its theme's lead), delegated to them, or all in partnerships they
    administer."""
    access = access_for(user)
    if access.superuser:
        return Action.objects.all()
    admin_of = [p for p, role in access.roles.items() if role == Role.ADMIN]
    rule = Q(priority__plan__partnership_id__in=admin_of) | Q(
        pk__in=_delegated(Action, user), priority__plan__partnership_id__in=_officer_of(access)
    )
    for partnership_id, role in access.roles.items():
        agencies = list(access.agencies.get(partnership_id, ()))
        if role == Role.OFFICER and agencies:
            rule |= Q(priority__plan__partnership_id=partnership_id) & (
                Q(lead_agency__in=agencies)
                | Q(lead_agency__isnull=True, priority__lead_agency__in=agencies)
            )
    return Action.objects.filter(rule)


def reportable_indicators(user: User) -> QuerySet[Indicator]:
    access = access_for(user)
    if access.superuser:
        return Indicator.objects.all()
    admin_of = [p for p, role in access.roles.items() if role == Role.ADMIN]
    rule = Q(plan__partnership_id__in=admin_of) | Q(
        pk__in=_delegated(Indicator, user), plan__partnership_id__in=_officer_of(access)
    )
    for partnership_id, role in access.roles.items():
        agencies = list(access.agencies.get(partnership_id, ()))
        if role == Role.OFFICER and agencies:
            rule |= Q(plan__partnership_id=partnership_id, agency__in=agencies)
    return Indicator.objects.filter(rule)


def _delegated(model, user: User) -> QuerySet:
    """Ids of the actions or indicators delegated to the user, as a subquery: joining the
    delegates repeats rows, and the DISTINCT that removed them sorted every column."""
    return model.delegates.through.objects.filter(user=user).values(model._meta.model_name)


def _officer_of(access: Access) -> list[int]:
    """Partnerships where the user is an officer now: a delegation counts only there, so a
    stale one (the role changed by any path) never lets anyone write."""
    return [p for p, role in access.roles.items() if role == Role.OFFICER]


def can_report_on_action(user: User, action: Action) -> bool:
    answer = _answer_by_role(user, action)
    return reportable_actions(user).filter(pk=action.pk).exists() if answer is None else answer


def can_report_on_indicator(user: User, indicator: Indicator) -> bool:
    answer = _answer_by_role(user, indicator)
    if answer is None:
        return reportable_indicators(user).filter(pk=indicator.pk).exists()
    return answer


def _answer_by_role(user: User, item: Action | Indicator) -> bool | None:
    """Whether the user may report on the item, where their role there says it without a
    query (admins and superusers may, anyone but an officer may not); None for an officer,
    whose agencies and delegations decide, or when the item's plan is not loaded."""
    holder = item
    if isinstance(item, Action):
        if not Action._meta.get_field("priority").is_cached(item):
            return None
        holder = item.priority
    if not type(holder)._meta.get_field("plan").is_cached(holder):
        return None
    role = access_for(user).role(holder.plan.partnership_id)
    if role == Role.ADMIN:
        return True
    return None if role == Role.OFFICER else False


def can_reopen_action(user: User, action: Action) -> bool:
    """A completed action is reopened by its lead agency's officers or a partnership admin
    (not by delegates, who report on it for the lead). Needs ``priority`` loaded."""
    partnership_id = action.priority.plan.partnership_id
    if is_partnership_admin(user, partnership_id):
        return True
    user_access = access_for(user)
    if user_access.role(partnership_id) != Role.OFFICER:
        return False
    lead = action.lead_agency_id or action.priority.lead_agency_id
    return lead in user_access.agencies.get(partnership_id, frozenset())


# --- Loading one object for a view: 404 if not visible, 403 if visible but not changeable ---


def get_partnership_for_user(user: User, pk: int, *, admin: bool = False) -> Partnership:
    partnership = get_object_or_404(visible_partnerships(user), pk=pk)
    if admin and not is_partnership_admin(user, partnership.pk):
        raise PermissionDenied("Only the partnership's admins may do this.")
    return partnership


def get_plan_for_user(user: User, pk: int, *, admin: bool = False) -> Plan:
    plan = get_object_or_404(visible_plans(user).select_related("partnership", "parent"), pk=pk)
    if admin and not is_partnership_admin(user, plan.partnership_id):
        raise PermissionDenied("Only the partnership's admins may do this.")
    return plan


def get_period_for_user(user: User, pk: int, *, admin: bool = False) -> ReportingPeriod:
    period = get_object_or_404(
        ReportingPeriod.objects.filter(plan__in=visible_plans(user)).select_related(
            "plan__partnership"
        ),
        pk=pk,
    )
    if admin and not is_partnership_admin(user, period.plan.partnership_id):
        raise PermissionDenied("Only the partnership's admins may do this.")
    return period


def get_action_for_user(user: User, pk: int, *, write: bool = False) -> Action:
    action = get_object_or_404(
        visible_actions(user).select_related(
            "priority__plan__partnership", "priority__lead_agency", "objective", "lead_agency"
        ),
        pk=pk,
    )
    if write and not can_report_on_action(user, action):
        raise PermissionDenied("Only the lead agency's officers may update this action.")
    return action


def get_indicator_for_user(user: User, pk: int, *, write: bool = False) -> Indicator:
    indicator = get_object_or_404(
        visible_indicators(user).select_related("plan__partnership", "priority", "agency"),
        pk=pk,
    )
    if write and not can_report_on_indicator(user, indicator):
        raise PermissionDenied("Only the reporting agency's officers may enter this value.")
    return indicator


def get_agency_for_user(user: User, pk: int) -> Agency:
    return get_object_or_404(visible_agencies(user), pk=pk)


# --- Editing a plan in the browser (plans.editing) -------------------------------------------


def can_edit_plan(user: User, plan: Plan) -> bool:
    """Partnership admins change their plans' items; a closed plan is not changed."""
    return is_partnership_admin(user, plan.partnership_id) and plan.status != Plan.Status.CLOSED


def get_plan_for_editing(user: User, pk: int) -> Plan:
    """A plan to edit: 404 outside the user's partnerships, 403 for anyone but its admins
    (and for a closed plan)."""
    plan = get_plan_for_user(user, pk)
    if not can_edit_plan(user, plan):
        raise PermissionDenied("Only the partnership's admins may change an open plan.")
    return plan


# --- Open crime data (indicators.crimedata) ----------------------------------------------------


def can_load_open_data(user: User) -> bool:
    """police.uk files and the ONS lookup cover many partnerships at once: superusers (the
    service's operators) load them, not one partnership's admins."""
    return access_for(user).superuser


def get_indicator_for_admin(user: User, pk: int) -> Indicator:
    """An indicator its partnership's admins configure: 404 outside, 403 for other roles."""
    indicator = get_indicator_for_user(user, pk)
    if not is_partnership_admin(user, indicator.plan.partnership_id):
        raise PermissionDenied("Only the partnership's admins may do this.")
    return indicator
