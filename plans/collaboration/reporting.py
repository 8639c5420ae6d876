"""The quarter's answered questions, for the report pack's snapshot (``snapshot.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch

from plans.collaboration.models import Comment

if TYPE_CHECKING:
    from plans.reporting.report import QuarterReport


def answered_questions_json(report: QuarterReport) -> list[dict]:
    """Each answered question on an action or indicator the report shows, with its standing
    answers, oldest first: plain strings, as a published report keeps them. Two queries."""
    actions = {row.action.pk: row for row in report.actions}
    indicators = {row.indicator.pk: row for row in report.indicators}
    answers = Comment.objects.filter(removed_at__isnull=True).select_related("author")
    questions = (
        Comment.objects.filter(period=report.period)
        .answered_questions()
        .select_related("author")
        .prefetch_related(Prefetch("answers", queryset=answers, to_attr="standing"))
    )
    shown = []
    for question in questions:
        row = actions.get(question.action_id) or indicators.get(question.indicator_id)
        if row is None:  # filtered out of this report, or another plan's
            continue
        shown.append(
            {
                "kind": row.kind,
                "ref": row.ref,
                "title": row.title,
                "lead": row.lead,
                "question": question.text,
                "asked_by": _name(question.author),
                "asked_at": question.created_at.isoformat(),
                "answers": [
                    {"text": a.text, "by": _name(a.author), "at": a.created_at.isoformat()}
                    for a in question.standing
                ],
            }
        )
    return shown


def _name(user) -> str:
    if user is None:
        return "A former user"
    return user.get_full_name() or user.get_username()
