"""Who may see and do what on an item's quarter: questions, evidence, notifications and
sign-off (plans.collaboration, plans.notifications). The same rules as ``plans.access``,
which holds the visibility and role checks these build on."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, Value
from django.http import Http404
from django.shortcuts import get_object_or_404

from indicators.models import Indicator, IndicatorValue
from plans.access import (
    Role,
    User,
    access_for,
    can_report_on_action,
    can_report_on_indicator,
    get_action_for_user,
    get_indicator_for_user,
    is_partnership_admin,
    reportable_actions,
    reportable_indicators,
    visible_actions,
    visible_indicators,
)
from plans.models import Membership, ReportingPeriod
from priorities.models import Action, ActionUpdate

# --- Questions and evidence on an item's quarter (plans.collaboration) -----------------------
# Anyone who sees the item reads its questions and downloads its evidence; SEG members and
# admins ask; whoever reports on the item (its lead's officers, delegates, admins) answers and
# adds evidence. Authors edit their own words; authors and admins remove.


def get_item_for_user(user: User, kind: str, pk: int, *, write: bool = False):
    """An action or an indicator by kind ("action" or "indicator"), as the getters above."""
    if kind == "action":
        return get_action_for_user(user, pk, write=write)
    if kind == "indicator":
        return get_indicator_for_user(user, pk, write=write)
    raise Http404("No such kind of item.")


def partnership_of_item(item: Action | Indicator) -> int:
    plan = item.priority.plan if isinstance(item, Action) else item.plan
    return plan.partnership_id


def get_item_period(item: Action | Indicator, pk: int) -> ReportingPeriod:
    """One of the item's plan's quarters (404 for any other)."""
    plan_id = item.priority.plan_id if isinstance(item, Action) else item.plan_id
    return get_object_or_404(ReportingPeriod.objects.select_related("plan"), pk=pk, plan_id=plan_id)


def can_report_on_item(user: User, item: Action | Indicator) -> bool:
    if isinstance(item, Action):
        return can_report_on_action(user, item)
    return can_report_on_indicator(user, item)


def can_ask_about(user: User, item: Action | Indicator) -> bool:
    """SEG members and admins of the item's partnership ask questions."""
    return access_for(user).role(partnership_of_item(item)) in (Role.SEG, Role.ADMIN)


def can_edit_comment(user: User, comment) -> bool:
    return comment.author_id == user.pk and comment.removed_at is None


def can_remove_comment(user: User, comment, item: Action | Indicator) -> bool:
    if comment.removed_at is not None:
        return False
    return comment.author_id == user.pk or is_partnership_admin(user, partnership_of_item(item))


def can_remove_evidence(user: User, evidence, item: Action | Indicator) -> bool:
    """The uploader while they still report on the item, or an admin."""
    if is_partnership_admin(user, partnership_of_item(item)):
        return True
    return evidence.uploaded_by_id == user.pk and can_report_on_item(user, item)


def visible_comments(user: User):
    from plans.collaboration.models import Comment

    return Comment.objects.filter(
        Q(action__in=visible_actions(user)) | Q(indicator__in=visible_indicators(user))
    )


def answerable_comments(user: User):
    """Questions and answers on the items the user reports on."""
    from plans.collaboration.models import Comment

    comments = Comment.objects.filter(
        Q(action__in=reportable_actions(user)) | Q(indicator__in=reportable_indicators(user))
    )
    access = access_for(user)
    if access.superuser:
        return comments
    # Narrowed to the user's partnerships' quarters first, so the query does not read every
    # partnership's questions (My updates would slow down as others ask more).
    return comments.filter(period__plan__partnership_id__in=list(access.roles))


def open_questions_to_answer(user: User, *, limit: int = 100) -> list:
    """The open questions on what the user reports on (``answerable_comments``), oldest first,
    with their quarter, item and author loaded: My updates' list.

    The same rows as filtering ``answerable_comments``, read more cheaply: the open questions
    in the user's partnerships first (usually none: one plain query), and only when there are
    some, which of their items the user reports on (one query). Compiling the reportable
    actions' and indicators' rules as subqueries cost more than running them."""
    from plans.collaboration.models import Comment

    access = access_for(user)
    loaded = ("period__plan", "action__priority", "indicator", "author")
    if access.superuser:
        questions = answerable_comments(user).open_questions().select_related(*loaded)
        return list(questions.order_by("created_at", "pk")[:limit])
    answering = [p for p, role in access.roles.items() if role in (Role.ADMIN, Role.OFFICER)]
    if not answering:
        return []  # SEG members answer nothing (reportable_* are empty for them)
    candidates = list(
        Comment.objects.filter(period__plan__partnership_id__in=answering)
        .open_questions()
        .select_related(*loaded)
        .order_by("created_at", "pk")
    )
    if not candidates:
        return []
    action_ids = {c.action_id for c in candidates if c.action_id}
    indicator_ids = {c.indicator_id for c in candidates if c.indicator_id}
    actions = reportable_actions(user).filter(pk__in=action_ids).annotate(kind=Value("a"))
    indicators = reportable_indicators(user).filter(pk__in=indicator_ids)
    indicators = indicators.annotate(kind=Value("i"))
    answerable = set(
        actions.order_by()
        .values_list("kind", "pk")
        .union(indicators.order_by().values_list("kind", "pk"), all=True)
    )
    return [
        c
        for c in candidates
        if ("a", c.action_id) in answerable or ("i", c.indicator_id) in answerable
    ][:limit]


def get_comment_for_user(user: User, pk: int):
    """A question or answer with its item loaded (404 unless the user sees the item)."""
    from plans.collaboration.models import Comment

    comment = get_object_or_404(Comment.objects.select_related("period__plan", "author"), pk=pk)
    kind, item_pk = ("action", comment.action_id) if comment.action_id else (
        "indicator", comment.indicator_id)  # fmt: skip
    comment.item_loaded = get_item_for_user(user, kind, item_pk)
    return comment


def get_evidence_for_user(user: User, pk: int):
    """An evidence file with its item loaded: 404 unless the user sees the item, so another
    partnership's file is not found."""
    from plans.collaboration.models import Evidence

    evidence = get_object_or_404(
        Evidence.objects.select_related("period__plan", "uploaded_by"), pk=pk
    )
    kind, item_pk = ("action", evidence.action_id) if evidence.action_id else (
        "indicator", evidence.indicator_id)  # fmt: skip
    evidence.item_loaded = get_item_for_user(user, kind, item_pk)
    return evidence


def item_answerers(item: Action | Indicator):
    """Who is told when a question is asked: the officers of the item's lead agency in its
    partnership, and its delegates who are officers there."""
    from django.contrib.auth import get_user_model

    partnership_id = partnership_of_item(item)
    if isinstance(item, Action):
        lead = item.lead_agency_id or item.priority.lead_agency_id
    else:
        lead = item.agency_id
    officers = Membership.objects.filter(partnership_id=partnership_id, role=Role.OFFICER)
    rule = Q(pk__in=officers.filter(agencies=lead).values("user")) if lead else Q(pk__in=[])
    rule |= Q(pk__in=item.delegates.values("pk")) & Q(pk__in=officers.values("user"))
    return get_user_model().objects.filter(rule, is_active=True)


# --- Notifications: each user sees and marks only their own ------------------------------------


def own_notifications(user: User) -> QuerySet:
    from django.apps import apps

    notification = apps.get_model("notifications", "Notification")
    if not user.is_authenticated:
        return notification.objects.none()
    return notification.objects.filter(user=user)


def get_notification_for_user(user: User, pk: int):
    """One of the user's own notifications; 404 for anyone else's."""
    return get_object_or_404(own_notifications(user), pk=pk)


# --- Sign-off: who approves or returns a submitted update or value ---------------------------
# An officer whose membership "signs off for" the item's lead agency, never their own item
# unless nobody else signs off for that agency there.


def item_partnership_id(item) -> int:
    """Needs ``action__priority__plan`` or ``indicator__plan`` loaded."""
    if isinstance(item, IndicatorValue):
        return item.indicator.plan.partnership_id
    return item.action.priority.plan.partnership_id


def item_agency_id(item) -> int | None:
    """The agency that answers for the item: an indicator's agency; an action's lead (its
    theme's lead when it has none)."""
    if isinstance(item, IndicatorValue):
        return item.indicator.agency_id
    return item.action.lead_agency_id or item.action.priority.lead_agency_id


def item_author_id(item) -> int | None:
    if isinstance(item, IndicatorValue):
        return item.entered_by_id
    return item.submitted_by_id


def signer_ids(partnership_id: int, agency_id: int | None) -> set[int]:
    """The users who sign off for ``agency_id`` in the partnership (officers only)."""
    if agency_id is None:
        return set()
    return set(
        Membership.objects.filter(
            partnership_id=partnership_id, role=Role.OFFICER, signs_off_for=agency_id
        ).values_list("user_id", flat=True)
    )


def can_sign_off(user: User, item) -> bool:
    """Whether ``user`` may approve or return ``item`` (whatever state it is in)."""
    partnership_id = item_partnership_id(item)
    if not user.is_authenticated or access_for(user).role(partnership_id) != Role.OFFICER:
        return False
    signers = signer_ids(partnership_id, item_agency_id(item))
    if user.pk not in signers:
        return False
    return item_author_id(item) != user.pk or signers == {user.pk}


def sign_off_queue(user: User) -> tuple[list[ActionUpdate], list[IndicatorValue]]:
    """What awaits the user's sign-off: updates and values, five queries however many."""
    if not user.is_authenticated:
        return [], []
    memberships = Membership.objects.filter(user=user, role=Role.OFFICER).prefetch_related(
        "signs_off_for"
    )
    scope = {m.partnership_id: {a.pk for a in m.signs_off_for.all()} for m in memberships}
    scope = {p: agencies for p, agencies in scope.items() if agencies}
    if not scope:
        return [], []
    others = Membership.signs_off_for.through.objects.filter(
        membership__partnership_id__in=list(scope), membership__role=Role.OFFICER
    ).exclude(membership__user=user)
    shared = set(others.values_list("membership__partnership_id", "agency_id"))
    action_rule, indicator_rule = Q(pk__in=[]), Q(pk__in=[])
    for partnership_id, agencies in scope.items():
        action_rule |= Q(action__priority__plan__partnership_id=partnership_id) & (
            Q(action__lead_agency__in=agencies)
            | Q(action__lead_agency__isnull=True, action__priority__lead_agency__in=agencies)
        )
        indicator_rule |= Q(
            indicator__plan__partnership_id=partnership_id, indicator__agency__in=agencies
        )
    updates = (
        ActionUpdate.objects.awaiting_sign_off()
        .filter(action_rule)
        .select_related("action__priority__plan", "action__lead_agency", "period", "submitted_by")
    )
    values = (
        IndicatorValue.objects.awaiting_sign_off()
        .filter(indicator_rule)
        .select_related("indicator__plan", "indicator__agency", "period", "entered_by")
    )

    def mine(item) -> bool:  # the user's own item: theirs only if nobody else signs off
        key = (item_partnership_id(item), item_agency_id(item))
        return item_author_id(item) != user.pk or key not in shared

    return [u for u in updates if mine(u)], [v for v in values if mine(v)]


def get_sign_off_item_for_user(user: User, kind: str, pk: int):
    """An update (``kind`` "update") or value ("value") for a sign-off decision: 404 unless
    the user sees it, 403 unless they may sign it off."""
    if kind == "update":
        rows = ActionUpdate.objects.filter(action__in=visible_actions(user)).select_related(
            "action__priority__plan", "action__lead_agency", "period"
        )
    elif kind == "value":
        rows = IndicatorValue.objects.filter(indicator__in=visible_indicators(user)).select_related(
            "indicator__plan", "indicator__agency", "period"
        )
    else:
        raise Http404("No such kind of item.")
    item = get_object_or_404(rows, pk=pk)
    if not can_sign_off(user, item):
        raise PermissionDenied("Only someone who signs off for its lead agency may do this.")
    return item
