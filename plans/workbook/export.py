"""Any plan exported to the template's layout, as rows of each sheet and as .xlsx bytes
(which ``plans.importing`` reads back)."""

from __future__ import annotations

from typing import Any

from plans.models import Plan
from plans.models_content import FundingLine, funding_json
from plans.workbook.columns import FUNDING_SUMMARY_SHEET, SHEETS, shown_ref
from plans.workbook.progress import progress_rows
from plans.workbook.template import build
from priorities.models import Action, Milestone, Objective, Priority

Row = dict[str, Any]


def plan_workbook(plan: Plan) -> bytes:
    """``plan`` exported to the template's layout (no example rows), as .xlsx bytes."""
    agencies = list(plan.partnership.agencies.order_by("name").values_list("name", flat=True))
    funding = funding_json(plan)

    def summary(book) -> None:
        from plans.reporting.pack_workbook import funding_sheet

        if funding["sources"]:
            funding_sheet(book.create_sheet(FUNDING_SUMMARY_SHEET), funding)

    return build(plan_rows(plan), agencies=agencies, examples=False, extra=summary)


def plan_rows(plan: Plan) -> dict[str, list[Row]]:
    """The plan as rows of each sheet ({field: value}), in the plan's order."""
    priorities = list(plan.priorities.select_related("lead_agency").prefetch_related("key_themes"))
    priority_refs = {priority.pk: priority.ref for priority in priorities}
    rows: dict[str, list[Row]] = {name: [] for name in SHEETS}
    rows["Plan"].append(_plan_row(plan))
    rows["Priorities"] = [_priority_row(priority) for priority in priorities]
    objective_keys: dict[int, tuple[str, str]] = {}  # objective pk → (priority ref, ref)
    rows["Objectives"] = _objective_rows(plan, priority_refs, objective_keys)
    action_keys: dict[int, tuple[str, str]] = {}  # action pk → (priority ref, action ref)
    rows["Actions"] = _action_rows(plan, priority_refs, action_keys)
    rows["Milestones"] = _milestone_rows(plan, action_keys)
    rows["Indicators"] = _indicator_rows(plan, priority_refs, action_keys, objective_keys)
    rows["Risks"] = _risk_rows(plan)
    rows.update(progress_rows(plan, action_keys))
    rows["Funding"] = _funding_rows(plan, action_keys)
    rows["Previous results"] = [
        {field: getattr(result, field) for field in RESULT_FIELDS}
        for result in plan.previous_results.all()
    ]
    return rows


RESULT_FIELDS = ("ref", "title", "target", "outturn", "period", "comment")


def _funding_rows(plan: Plan, action_keys: dict[int, tuple[str, str]]) -> list[Row]:
    lines = FundingLine.objects.filter(action__priority__plan=plan).order_by(
        "action__priority__sort_key", "action__sort_key", "order", "pk"
    )
    return [
        {
            "priority_ref": action_keys[line.action_id][0],
            "action_ref": action_keys[line.action_id][1],
            "source": line.source,
            "amount": line.amount,
            "financial_year": line.financial_year,
            "as_written": line.as_written,
        }
        for line in lines
    ]


def _plan_row(plan: Plan) -> Row:
    return {
        "title": plan.title,
        "kind": plan.kind,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "summary": plan.summary,
        "source": plan.source,
        "parent_title": plan.parent.title if plan.parent_id else "",
    }


def _priority_row(priority: Priority) -> Row:
    return {
        "ref": priority.ref,
        "title": priority.title,
        "lead_agency": priority.lead_agency.name if priority.lead_agency_id else "",
        "lead_as_written": priority.lead_as_written,
        "is_cross_cutting": priority.is_cross_cutting,
        "summary": priority.summary,
        "key_themes": "\n".join(theme.text for theme in priority.key_themes.all()),
        "ref_generated": numbered(priority),
    }


def _objective_rows(
    plan: Plan, priority_refs: dict[int, str], objective_keys: dict[int, tuple[str, str]]
) -> list[Row]:
    """The objectives' rows; ``objective_keys`` is filled in for the indicators."""
    objectives = Objective.objects.filter(priority__plan=plan).order_by(
        "priority__sort_key", "sort_key"
    )
    objective_keys.update({o.pk: (priority_refs[o.priority_id], o.ref) for o in objectives})
    return [
        {
            "priority_ref": priority_refs[objective.priority_id],
            "ref": objective.ref,
            "title": objective.title,
            "description": objective.description,
            "ref_generated": numbered(objective),
        }
        for objective in objectives
    ]


def _action_rows(
    plan: Plan, priority_refs: dict[int, str], action_keys: dict[int, tuple[str, str]]
) -> list[Row]:
    """The actions' rows; ``action_keys`` is filled in for their milestones."""
    actions = (
        Action.objects.filter(priority__plan=plan)
        .select_related("objective", "lead_agency", "lead_officer")
        .prefetch_related("supporting_agencies")
        .order_by("priority__sort_key", "sort_key")
    )
    rows = []
    for action in actions:
        action_keys[action.pk] = (priority_refs[action.priority_id], action.ref)
        rows.append(
            {
                "priority_ref": priority_refs[action.priority_id],
                "objective_ref": action.objective.ref if action.objective_id else "",
                "ref": action.ref,
                "title": action.title,
                "desired_outcome": action.desired_outcome,
                "lead_agency": action.lead_agency.name if action.lead_agency_id else "",
                "lead_as_written": action.lead_as_written,
                "supporting_agencies": "; ".join(
                    sorted(agency.name for agency in action.supporting_agencies.all())
                ),
                "lead_officer": lead_officer_cell(action),
                "responsible": action.responsible,
                "timescale": action.timescale,
                "due_date": action.due_date,
                "partner_priority": action.partner_priority,
                "footnote": action.footnote,
                "ref_generated": numbered(action),
            }
        )
    return rows


def _milestone_rows(plan: Plan, action_keys: dict[int, tuple[str, str]]) -> list[Row]:
    milestones = (
        Milestone.objects.filter(action__priority__plan=plan)
        .select_related("lead_officer")
        .prefetch_related("supporting_agencies")
        .order_by("action__priority__sort_key", "action__sort_key", "order")
    )
    rows = []
    for milestone in milestones:
        priority_ref, action_ref = action_keys[milestone.action_id]
        rows.append(
            {
                "priority_ref": priority_ref,
                "action_ref": action_ref,
                "text": milestone.text,
                "timescale": milestone.timescale,
                "due_date": milestone.due_date,
                "lead_officer": lead_officer_cell(milestone),
                "supporting_agencies": "; ".join(
                    sorted(agency.name for agency in milestone.supporting_agencies.all())
                ),
            }
        )
    return rows


def _indicator_rows(
    plan: Plan, priority_refs: dict[int, str], action_keys: dict, objective_keys: dict
) -> list[Row]:
    indicators = plan.indicators.select_related("agency").prefetch_related(
        "reported_to", "measures_actions", "measures_objectives"
    )
    return [
        _indicator_row(indicator, priority_refs, action_keys, objective_keys)
        for indicator in indicators
    ]


def _indicator_row(indicator, priority_refs: dict, action_keys: dict, objective_keys: dict) -> Row:
    return {
        "ref": indicator.ref,
        "title": indicator.title,
        "priority_ref": priority_refs.get(indicator.priority_id, ""),
        "theme": indicator.theme,
        "target": indicator.target,
        "baseline": indicator.baseline,
        "due_as_written": indicator.due_as_written,
        "due_date": indicator.due_date,
        "responsible": indicator.responsible,
        "agency": indicator.agency.name if indicator.agency_id else "",
        "agency_as_written": indicator.agency_as_written,
        "reported_to": "; ".join(sorted(group.name for group in indicator.reported_to.all())),
        "frequency": indicator.frequency,
        "frequency_as_written": indicator.frequency_as_written,
        "measure_code": indicator.measure_code,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "measures_actions": "; ".join(
            shown_ref(action_keys[a.pk], action_keys.values())
            for a in indicator.measures_actions.all()
        ),
        "measures_objectives": "; ".join(
            f"{objective_keys[o.pk][0]}/{objective_keys[o.pk][1]}"
            for o in indicator.measures_objectives.all()
        ),
        "ref_generated": numbered(indicator),
    }


def numbered(item) -> bool | None:
    """Yes where CSP Tracker numbered it (left empty otherwise, as plans number most)."""
    return True if item.ref_generated else None


def lead_officer_cell(item) -> str:
    """The lead officer as the workbook names them: a user by e-mail address (their name
    where they have none), else the name or role as written."""
    if item.lead_officer_id:
        user = item.lead_officer
        return user.email or user.get_full_name() or user.get_username()
    return item.lead_officer_as_written


def _risk_rows(plan: Plan) -> list[Row]:
    return [
        {
            "ref": risk.ref,
            "risk": risk.risk,
            "implications": risk.implications,
            "controls": risk.controls,
            "likelihood_before": risk.likelihood_before,
            "impact_before": risk.impact_before,
            "likelihood_after": risk.likelihood_after,
            "impact_after": risk.impact_after,
            "status": risk.status,
        }
        for risk in plan.risks.all()
    ]
