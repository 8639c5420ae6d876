"""A plan's year-end report as JSON (strings, numbers, ISO dates): the final status of every
action with its reason, counts by final status, and each indicator's outturn for the year
against the target in force at year end, with its RAG. The page, the workbook and a
published snapshot are all built from this, so a published report never changes.

The year is the plan's last financial year (``Plan.end_year``). The outturn is the year's
figure for an annual indicator (its due quarter's, else the last one given) and the last
figure of the year for the others; only figures that count (submitted, and signed off where
the partnership signs off) are used. A ten-row plan and a thousand-row plan cost the same
six queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from indicators import rag as rag_rules
from indicators import targets
from indicators.models import Indicator, IndicatorValue
from plans.editing.history import attach_target_history, flag_target_history, target_in_force
from plans.models import Plan, financial_year_label, quarter_dates, quarter_label
from plans.reporting.rows import indicator_lead
from plans.yearend.services import closed_at_year_end, plan_actions
from priorities.models import Action, FinalStatus

NOT_SET = "not_set"
FINAL_KEYS: tuple[str, ...] = (*FinalStatus.values, NOT_SET)
RAG_KEYS: tuple[str, ...] = ("red", "amber", "green", "no_rag", "no_value")
RAG_COUNT_LABELS = {
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "no_rag": "No RAG (no measurable target)",
    "no_value": "No figure for the year",
}
# GOV.UK tag colours for final statuses (the word is always shown too).
FINAL_TAG_CLASSES = {
    FinalStatus.COMPLETE: "govuk-tag--green",
    FinalStatus.NOT_ACHIEVED: "govuk-tag--red",
    FinalStatus.CANCELLED: "govuk-tag--grey",
    FinalStatus.DEFERRED: "govuk-tag--blue",
    NOT_SET: "govuk-tag--yellow",
}


def year_end_report(plan: Plan) -> dict:
    """The year-end report of ``plan`` as it stands now (a draft while the plan is active)."""
    year = plan.end_year
    closing = closed_at_year_end(plan.pk)
    draft = plan.status != Plan.Status.CLOSED
    actions = list(plan_actions(plan))
    indicators = list(
        flag_target_history(Indicator.objects.filter(plan=plan)).select_related("agency")
    )
    attach_target_history(indicators)
    values = _counted_values(indicators, year)
    action_rows = [_action_json(action, draft=draft) for action in actions]
    indicator_rows = [_indicator_json(i, values, year) for i in indicators]
    final_counts = Counter(row["final_status"] for row in action_rows)
    rag_counts = Counter(_rag_key(row) for row in indicator_rows)
    return {
        "kind": "year_end",
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "period": plan.period,
            "status": plan.get_status_display(),
            "partnership": plan.partnership.name,
        },
        "year": {
            "year": year,
            "label": financial_year_label(year),
            "starts_on": quarter_dates(year, 1)[0].isoformat(),
            "ends_on": quarter_dates(year, 4)[1].isoformat(),
        },
        "draft": draft,
        "closed_at": closing.closed_at.isoformat() if closing else None,
        "quarters_closed": closing.quarters_closed if closing else "",
        "generated_at": timezone.now().isoformat(),
        "final_counts": [
            {"key": key, "label": final_label(key, draft=draft), "count": final_counts[key]}
            for key in FINAL_KEYS
        ],
        "indicator_counts": [
            {"key": key, "label": RAG_COUNT_LABELS[key], "count": rag_counts[key]}
            for key in RAG_KEYS
        ],
        "priorities": _by_priority(plan, actions, action_rows, indicators, indicator_rows),
    }


def _rag_key(row: dict) -> str:
    if row["rag"]:
        return row["rag"]
    return "no_value" if row["value"] is None else "no_rag"


def final_label(key: str, *, draft: bool) -> str:
    if key == NOT_SET:
        return "Not decided yet" if draft else "Not recorded"
    return FinalStatus(key).label


def _action_json(action: Action, *, draft: bool) -> dict:
    status = action.final_status
    proposed = not status and draft and action.completed_in_id is not None
    if proposed:
        status = FinalStatus.COMPLETE.value
    key = status or NOT_SET
    return {
        "ref": action.display_ref,
        "title": action.title,
        "lead": action.lead_display,
        "final_status": key,
        "final_label": final_label(key, draft=draft),
        "tag_class": FINAL_TAG_CLASSES[key],
        "reason": action.final_status_reason,
        "completed_in": action.completed_in.label if action.completed_in_id else None,
        "proposed": proposed,
    }


def _counted_values(indicators: list[Indicator], year: int) -> dict:
    """{(indicator id, year, quarter): value} for the year and the year before (the start of
    a "reduce by" target without a baseline), for the indicators and their predecessors."""
    ids = {i.pk for i in indicators} | {i.predecessor_id for i in indicators if i.predecessor_id}
    rows = (
        IndicatorValue.objects.counted()
        .filter(Q(indicator_id__in=ids), period__year__in=[year - 1, year])
        .select_related("period")
    )
    return {(v.indicator_id, v.period.year, v.period.quarter): v for v in rows}


def outturn(indicator: Indicator, values: dict, year: int) -> IndicatorValue | None:
    """The figure that stands for the year: an annual indicator's own quarter if given, else
    the latest quarter with a figure, else the latest "not available"."""
    found = [values.get((indicator.pk, year, q)) for q in (4, 3, 2, 1)]
    found = [v for v in found if v is not None]
    if indicator.frequency == Indicator.Frequency.ANNUALLY:
        own = values.get((indicator.pk, year, indicator.due_quarter))
        if own is not None and not own.not_available:
            return own
    with_figure = [v for v in found if not v.not_available and v.value is not None]
    return (with_figure or found or [None])[0]


def _reference(indicator: Indicator, values: dict, year: int, quarter: int) -> Decimal | None:
    """The same quarter a year before, in this plan or the indicator's predecessor."""
    for pk in (indicator.pk, indicator.predecessor_id):
        value = values.get((pk, year - 1, quarter))
        if value is not None and not value.not_available and value.value is not None:
            return value.value
    return None


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _indicator_json(indicator: Indicator, values: dict, year: int) -> dict:
    target = target_in_force(indicator, year, 4)  # the target in force at year end
    value = outturn(indicator, values, year)
    figure = None if value is None or value.not_available else value.value
    rag = None
    if value is not None:
        value.indicator = indicator  # for its display, without a query
        if value.rag_override:
            rag = value.rag_override  # the lead's own RAG wins, as in every quarter
        elif figure is not None:
            reference = _reference(indicator, values, year, value.period.quarter)
            rag = rag_rules.derive_rag(target, figure, reference=reference)
    return {
        "ref": indicator.ref,
        "title": indicator.title,
        "lead": indicator_lead(indicator),
        "frequency": indicator.frequency_as_written or indicator.get_frequency_display(),
        "target": target.target,
        "target_summary": targets.target_summary(target)
        if target.target or target.target_comparator
        else "No target in the plan",
        "target_changed": target is not indicator,
        "value": _number(figure),
        "not_available": bool(value and value.not_available),
        "display": value.display if value else "No figure",
        "quarter": quarter_label(year, value.period.quarter) if value else None,
        "rag": rag,
        "rag_label": rag_rules.rag_label(rag),
        "tag_class": rag_rules.RAG_TAG_CLASSES.get(rag or "", "govuk-tag--grey"),
        "rag_overridden": bool(value and value.rag_override),
        "note": _note(value),
    }


def _note(value: IndicatorValue | None) -> str:
    if value is None:
        return ""
    if value.not_available:
        return f"Not available: {value.not_available_reason}".strip().rstrip(":")
    if value.rag_override and value.rag_override_reason:
        return f"RAG set by the lead: {value.rag_override_reason}"
    return value.note


def _by_priority(plan, actions, action_rows, indicators, indicator_rows) -> list[dict]:
    """The rows under their priorities, in the plan's order; indicators outside any
    priority last."""
    action_groups, indicator_groups = defaultdict(list), defaultdict(list)
    for action, row in zip(actions, action_rows, strict=True):
        action_groups[action.priority_id].append(row)
    for indicator, row in zip(indicators, indicator_rows, strict=True):
        indicator_groups[indicator.priority_id].append(row)
    sections = [
        {
            "ref": priority.ref,
            "title": priority.title,
            "kind": priority.kind_label,
            "actions": action_groups[priority.pk],
            "indicators": indicator_groups[priority.pk],
        }
        for priority in plan.priorities.order_by("sort_key", "pk")
    ]
    if indicator_groups[None]:
        sections.append(
            {"ref": "", "title": "Indicators not linked to a priority", "kind": "Indicators",
             "actions": [], "indicators": indicator_groups[None]}
        )  # fmt: skip
    return [s for s in sections if s["actions"] or s["indicators"]]
