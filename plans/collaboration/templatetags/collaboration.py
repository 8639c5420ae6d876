"""Questions and evidence where people already are: the action and indicator pages, the
update and value forms, My updates and the plan dashboard. Each tag reads what it shows in a
fixed number of queries, so the pages that include it keep their query budgets."""

from __future__ import annotations

from collections import Counter

from django import template
from django.db.models import Count, Prefetch

from plans import access
from plans.collaboration.models import Comment, Evidence
from plans.collaboration.services import item_fields, item_kind
from priorities.models import Action

register = template.Library()


@register.inclusion_tag("collaboration/_item_panel.html", takes_context=True)
def item_collaboration(context, item) -> dict:
    """Every quarter's questions and answers on the item, and its files, quarter by quarter."""
    plan = item.priority.plan if isinstance(item, Action) else item.plan
    periods = list(plan.periods.order_by("-year", "-quarter"))
    answers = Comment.objects.select_related("author").prefetch_related("evidence")
    questions = (
        Comment.objects.filter(**item_fields(item), parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("answers", queryset=answers))
    )
    by_period: dict[int, list[Comment]] = {}
    for question in questions:
        by_period.setdefault(question.period_id, []).append(question)
    files = Counter(
        dict(
            Evidence.objects.filter(**item_fields(item))
            .values_list("period")
            .annotate(n=Count("pk"))
            .values_list("period", "n")
        )
    )
    return {
        "request": context.get("request"),
        "kind": item_kind(item),
        "item": item,
        "quarters": [(p, by_period.get(p.pk, []), files[p.pk]) for p in periods],
    }


@register.inclusion_tag("collaboration/_quarter_links.html")
def item_quarter_links(item, period) -> dict:
    """Links from an update or value form to the quarter's questions and evidence."""
    comments = Comment.objects.filter(**item_fields(item), period=period)
    return {
        "kind": item_kind(item),
        "item": item,
        "period": period,
        "open": comments.open_questions().count(),
        "files": Evidence.objects.filter(**item_fields(item), period=period).count(),
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
    questions = (
        access.answerable_comments(user)
        .open_questions()
        .select_related("period__plan", "action__priority", "indicator", "author")
        .order_by("created_at", "pk")
    )
    return {"questions": list(questions[:100])}
