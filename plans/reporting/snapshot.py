"""A quarter report as JSON (strings, numbers, ISO dates): what ``PublishedReport.data``
holds, and what the report pack page and workbook are built from, live or published."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from plans.collaboration.reporting import answered_questions_json
from plans.models import ReportingPeriod
from plans.models_content import funding_json
from plans.reporting.rows import ActionRow, IndicatorRow, MilestoneRow

if TYPE_CHECKING:
    from plans.reporting.report import QuarterReport


def report_snapshot(report: QuarterReport) -> dict:
    """A snapshot of everything the report shows."""
    plan = report.plan
    return {
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "period": plan.period,
            "status": plan.get_status_display(),
            "partnership": plan.partnership.name,
        },
        "period": _period_json(report.period),
        "previous_period": _period_json(report.previous_period),
        "generated_at": report.generated_at.isoformat(),
        "filters": {
            "priority": str(report.priority) if report.priority else None,
            "agency": report.agency.label if report.agency else None,
        },
        "action_counts": dict(report.action_counts),
        "action_rag_counts": report.action_rag_counts,
        "indicator_counts": dict(report.indicator_counts),
        "changes": {kind: dict(counts) for kind, counts in report.changes.items()},
        "provisional": report.provisional,
        "completeness": report.completeness.as_dict(),
        "changed": {
            kind: [_changed_json(row) for row in rows] for kind, rows in report.changed.items()
        },
        "priorities": [
            {
                "ref": p.priority.ref if p.priority else None,
                "title": p.title,
                "lead": p.priority.lead_display if p.priority else "",
                "cross_cutting": bool(p.priority and p.priority.is_cross_cutting),
                "actions": [_action_json(row) for row in p.actions],
                "indicators": [_indicator_json(row) for row in p.indicators],
            }
            for p in report.priorities
        ],
        "exceptions": [
            _action_json(row) if row.kind == "action" else _indicator_json(row)
            for row in report.exceptions
        ],
        "cutoff": report.cutoff.isoformat() if report.cutoff else None,
        "overdue_milestones": [_milestone_json(row) for row in report.overdue_milestones],
        "flagged_actions": [row.ref for row in report.flagged_actions],
        "missing": [
            {
                "agency": m.label,
                "actions": [{"ref": r.ref, "title": r.title} for r in m.actions],
                "indicators": [{"ref": r.ref, "title": r.title} for r in m.indicators],
            }
            for m in report.missing
        ],
        "questions": answered_questions_json(report),
        "funding": funding_json(plan),
    }


def _period_json(period: ReportingPeriod | None) -> dict | None:
    if period is None:
        return None
    return {
        "id": period.pk,
        "label": period.label,
        "year": period.year,
        "quarter": period.quarter,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "deadline": period.deadline.isoformat(),
        "status": period.get_status_display(),
    }


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _action_json(row: ActionRow) -> dict:
    update = row.update
    return {
        "kind": "action",
        "ref": row.ref,
        "title": row.title,
        "lead": row.lead,
        "status": row.status,
        "status_label": row.status_label,
        "rag": row.rag,
        "commentary": row.commentary,
        "next_steps": update.next_steps if update else "",
        "late": bool(update and update.is_late),
        "submitted_at": update.submitted_at.isoformat() if update and update.submitted_at else None,
        "flagged": row.flagged,
        "status_note": row.status_note,
        "carried_forward": row.carried_forward,
        "done": row.done,
        "previous_label": row.previous_label if row.previous else None,
        "previous_rag": row.previous_rag,
    }


def _indicator_json(row: IndicatorRow) -> dict:
    value = row.value
    return {
        "kind": "indicator",
        "ref": row.ref,
        "title": row.title,
        "lead": row.lead,
        "target": row.target_text,
        "target_summary": row.target_summary,
        "value": _number(value.value) if value else None,
        "not_available": bool(value and value.not_available),
        "display": row.display,
        "rag": row.rag,
        "rag_overridden": bool(value and value.rag_override),
        "direction": row.direction,
        "direction_label": row.direction_label,
        "direction_year": row.direction_year,
        "direction_year_label": row.direction_year_label,
        "last_four": [{"quarter": label, "display": shown} for label, shown in row.last_four],
        "commentary": row.commentary,
        "status_note": row.status_note,
        "carried_forward": row.carried_forward,
        "due": row.due,
        "previous_label": row.previous_label if row.previous else None,
        "previous_rag": row.previous_rag,
    }


def _changed_json(row: ActionRow | IndicatorRow) -> dict:
    """A line of "Changed since last quarter"."""
    return {
        "kind": row.kind,
        "ref": row.ref,
        "title": row.title,
        "lead": row.lead,
        "rag": row.rag,
        "now": row.now,
        "previous_label": row.previous_label,
        "previous_rag": row.previous_rag,
    }


def _milestone_json(row: MilestoneRow) -> dict:
    return {
        "action": row.action.display_ref,
        "action_title": row.action.title,
        "milestone": row.milestone.text,
        "due_date": row.due_date.isoformat(),
        "lead": row.lead,
        "flagged": row.flagged,
    }
