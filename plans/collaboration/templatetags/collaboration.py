"""Questions and evidence where people already are: the action and indicator pages, the
update and value forms, My updates and the plan dashboard. Each tag reads what it shows in a
fixed number of queries, so the pages that include it keep their query budgets."""

from __future__ import annotations

from collections import Counter

from django import template
from django.db.models import Count, Subquery

from plans import access_items
from plans.collaboration.models import Comment, Evidence
from plans.collaboration.services import item_fields, item_kind
from plans.models import ReportingPeriod
from priorities.models import Action

register = template.Library()


@register.inclusion_tag("collaboration/_item_panel.html", takes_context=True)
def item_collaboration(context, item) -> dict:
    return {"request": context.get("request"), **item_panel(item)}


def item_panel(item) -> dict:
    """Each quarter's questions and answers on the item, and its files, quarter by quarter:
    three queries (the quarters, the comments, the files) however long the threads. The same
    for every reader (no controls), so an action's page keeps it rendered (action_page)."""
    plan = item.priority.plan if isinstance(item, Action) else item.plan
    periods = list(plan.periods.order_by("-year", "-quarter"))
    comments = list(
        Comment.objects.filter(**item_fields(item)).select_related("author", "removed_by")
    )
    files = list(
        Evidence.objects.filter(**item_fields(item)).only(
            "pk", "period_id", "comment_id", "name", "size"
        )
    )
    by_comment: dict[int, list[Evidence]] = {}
    for file in files:
        by_comment.setdefault(file.comment_id, []).append(file)
    answers: dict[int, list[Comment]] = {}
    for comment in comments:
        comment.attached = by_comment.get(comment.pk, [])
        if comment.parent_id:
            answers.setdefault(comment.parent_id, []).append(comment)
    by_period: dict[int, list[Comment]] = {}
    for comment in comments:
        if not comment.parent_id:
            comment.replies = answers.get(comment.pk, [])
            comment.answered = any(not a.is_removed for a in comment.replies)
            by_period.setdefault(comment.period_id, []).append(comment)
    counts = Counter(file.period_id for file in files)
    return {
        "kind": item_kind(item),
        "item": item,
        # Open quarters, and closed ones that have something to show.
        "quarters": [
            (p, by_period.get(p.pk, []), counts[p.pk])
            for p in periods
            if p.is_open or p.pk in by_period or counts[p.pk]
        ],
        "any_quarter": bool(periods),
    }


@register.inclusion_tag("collaboration/_quarter_links.html")
def item_quarter_links(item, period) -> dict:
    """Links from an update or value form to the quarter's questions and evidence (one
    query: the open questions counted in a subquery beside the files)."""
    fields = item_fields(item)
    open_questions = (
        Comment.objects.filter(**fields, period=period)
        .open_questions()
        .order_by()
        .values("period")
        .annotate(n=Count("pk"))
        .values("n")
    )
    files = (
        Evidence.objects.filter(**fields, period=period)
        .order_by()
        .values("period")
        .annotate(n=Count("pk"))
        .values("n")
    )
    counts = ReportingPeriod.objects.filter(pk=period.pk).values(
        open=Subquery(open_questions), files=Subquery(files)
    )[0]
    return {
        "kind": item_kind(item),
        "item": item,
        "period": period,
        "open": counts["open"] or 0,
        "files": counts["files"] or 0,
    }


@register.inclusion_tag("collaboration/_plan_open_questions.html")
def plan_open_questions(plan) -> dict:
    """ "3 questions awaiting an answer" on the plan dashboard."""
    return {
        "plan": plan,
        "open": Comment.objects.filter(period__plan=plan).open_questions().count(),
    }


@register.inclusion_tag("collaboration/_my_open_questions.html", takes_context=True)
def my_open_questions(context) -> dict:
    """On My updates: questions awaiting an answer on what the user reports on."""
    user = context["request"].user
    return {"questions": access_items.open_questions_to_answer(user)}
