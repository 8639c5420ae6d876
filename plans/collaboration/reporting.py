"""The quarter's answered questions, for the report pack's snapshot (``snapshot.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plans.collaboration.models import Comment

if TYPE_CHECKING:
    from plans.reporting.report import QuarterReport


def answered_questions_json(report: QuarterReport) -> list[dict]:
    """Each answered question on an action or indicator the report shows, with its standing
    answers, oldest first: plain strings, as a published report keeps them. Two queries."""
    actions = {row.action.pk: row for row in report.actions}
    indicators = {row.indicator.pk: row for row in report.indicators}
    comments = list(
        Comment.objects.filter(period=report.period, removed_at__isnull=True).select_related(
            "author"
        )
    )
    answers: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id:
            answers.setdefault(comment.parent_id, []).append(comment)
    questions = [c for c in comments if not c.parent_id and c.pk in answers]
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
                    for a in answers[question.pk]
                ],
            }
        )
    return shown


def _name(user) -> str:
    if user is None:
        return "A former user"
    return user.get_full_name() or user.get_username()
