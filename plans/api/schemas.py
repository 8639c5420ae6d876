"""What each endpoint returns. Field names are stable: reports in Power BI and Excel name them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse
from ninja import Schema


def page_url(obj, context=None) -> str:
    """The object's page on the site, as a full URL (a dict already built carries it)."""
    if isinstance(obj, dict):
        return obj["url"]
    return absolute(obj.get_absolute_url(), context)


def absolute(path: str, context=None) -> str:
    request = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


class PageLinked(Schema):
    """A record with a ``url`` field: its page on the site. No fields of its own, so each
    schema keeps its fields' order (the OpenAPI document stays as it was)."""

    @staticmethod
    def resolve_url(obj, context) -> str:
        return page_url(obj, context)


class PartnershipOut(PageLinked):
    id: int
    name: str
    area: str
    sign_off: bool
    url: str


class PlanOut(PageLinked):
    id: int
    partnership_id: int
    title: str
    kind: str
    status: str
    start_year: int
    end_year: int
    period: str
    parent_id: int | None
    predecessor_id: int | None
    url: str


class QuarterOut(Schema):
    id: int
    plan_id: int
    label: str
    year: int
    quarter: int
    starts_on: date
    ends_on: date
    deadline: date
    status: str


class StatusOut(Schema):
    """An action's status in a quarter, as it counts (submitted, and signed off if needed)."""

    quarter_id: int
    quarter: str
    status: str
    status_label: str
    commentary: str
    next_steps: str
    is_late: bool
    submitted_at: datetime | None


class ActionOut(PageLinked):
    id: int
    plan_id: int
    priority_id: int
    objective_id: int | None
    ref: str
    display_ref: str
    title: str
    desired_outcome: str
    lead: str
    lead_agency_id: int | None
    timescale: str
    due_date: date | None
    completed_in: str | None
    latest_status: StatusOut | None
    url: str

    @staticmethod
    def resolve_plan_id(obj) -> int:
        return obj.priority.plan_id

    @staticmethod
    def resolve_lead(obj) -> str:
        return obj.lead_display

    @staticmethod
    def resolve_completed_in(obj) -> str | None:
        return obj.completed_in.label if obj.completed_in_id else None

    @staticmethod
    def resolve_latest_status(obj) -> StatusOut | None:
        """The newest quarter's update that counts (prefetched newest first)."""
        return status_of(obj.counted_updates[0]) if obj.counted_updates else None


def status_of(update) -> dict:
    return {
        "quarter_id": update.period_id,
        "quarter": update.period.label,
        "status": update.status,
        "status_label": update.get_status_display(),
        "commentary": update.commentary,
        "next_steps": update.next_steps,
        "is_late": update.is_late,
        "submitted_at": update.submitted_at,
    }


class ValueOut(Schema):
    """An indicator's figure for a quarter, as it counts."""

    quarter_id: int
    quarter: str
    year: int
    quarter_number: int
    value: Decimal | None
    not_available: bool
    not_available_reason: str
    note: str
    source: str


class IndicatorOut(PageLinked):
    id: int
    plan_id: int
    priority_id: int | None
    ref: str
    measure_code: str
    title: str
    theme: str
    target: str
    baseline: str
    unit: str
    frequency: str
    direction: str
    agency: str
    agency_id: int | None
    values: list[ValueOut]
    url: str

    @staticmethod
    def resolve_agency(obj) -> str:
        return obj.agency.label if obj.agency_id else ""

    @staticmethod
    def resolve_values(obj) -> list[dict]:
        """Every quarter's figure that counts (prefetched oldest first)."""
        return [
            {
                "quarter_id": v.period_id,
                "quarter": v.period.label,
                "year": v.period.year,
                "quarter_number": v.period.quarter,
                "value": v.value,
                "not_available": v.not_available,
                "not_available_reason": v.not_available_reason,
                "note": v.note,
                "source": v.source,
            }
            for v in obj.counted_values
        ]


class ObjectiveNode(Schema):
    id: int
    ref: str
    title: str
    actions: list[TreeAction]


class TreeAction(Schema):
    id: int
    ref: str
    display_ref: str
    title: str
    lead: str
    due_date: date | None
    url: str


class TreeIndicator(Schema):
    id: int
    ref: str
    measure_code: str
    title: str
    target: str
    url: str


class PriorityNode(Schema):
    id: int
    ref: str
    title: str
    is_cross_cutting: bool
    lead: str
    objectives: list[ObjectiveNode]
    actions: list[TreeAction]  # the priority's actions under no objective
    indicators: list[TreeIndicator]


class PlanTreeOut(PlanOut):
    priorities: list[PriorityNode]
    indicators: list[TreeIndicator]  # the plan's indicators under no priority


ObjectiveNode.model_rebuild()


class ReportLinks(Schema):
    html: str
    workbook: str
    pdf: str | None


class ReportOut(Schema):
    id: int
    plan_id: int
    quarter_id: int
    quarter: str
    version: int
    reason: str
    published_at: datetime
    links: ReportLinks

    @staticmethod
    def resolve_quarter_id(obj) -> int:
        return obj.period_id

    @staticmethod
    def resolve_quarter(obj) -> str:
        return obj.period.label

    @staticmethod
    def resolve_links(obj, context) -> dict:
        def link(name: str) -> str:
            return absolute(reverse(f"plans:{name}", args=[obj.pk]), context)

        return {
            "html": link("published_report"),
            "workbook": link("published_report_workbook"),
            "pdf": link("published_report_pdf") if obj.has_pdf else None,
        }
