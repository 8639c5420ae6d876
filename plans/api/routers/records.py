"""Partnerships, plans (each with its tree), quarters and published reports: what the user
sees, narrowed by ``plans.access`` before anything else is read."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from indicators.models import Indicator
from plans import access
from plans.api.pagination import Pages
from plans.api.schemas import PartnershipOut, PlanOut, PlanTreeOut, QuarterOut, ReportOut
from plans.models import PublishedReport, ReportingPeriod
from plans.reporting.publishing import with_has_pdf
from priorities.models import Action, Objective, Priority

partnerships = Router(tags=["Partnerships"])
plans = Router(tags=["Plans"])
quarters = Router(tags=["Quarters"])
reports = Router(tags=["Published reports"])


@partnerships.get("", response=list[PartnershipOut], summary="Your partnerships")
@paginate(Pages)
def partnership_list(request: HttpRequest):
    return access.visible_partnerships(request.user).order_by("name", "pk")


@partnerships.get("/{int:pk}", response=PartnershipOut, summary="A partnership")
def partnership_detail(request: HttpRequest, pk: int):
    return access.get_partnership_for_user(request.user, pk)


@plans.get("", response=list[PlanOut], summary="Plans")
@paginate(Pages)
def plan_list(request: HttpRequest, partnership: int | None = None, status: str | None = None):
    """The plans of your partnerships, optionally of one partnership or status
    (draft, active, closed)."""
    rows = access.visible_plans(request.user).order_by("partnership_id", "start_year", "pk")
    if partnership is not None:
        rows = rows.filter(partnership_id=partnership)
    if status:
        rows = rows.filter(status=status)
    return rows


@plans.get("/{int:pk}", response=PlanTreeOut, summary="A plan with its tree")
def plan_detail(request: HttpRequest, pk: int):
    """The plan and its tree: priorities (and cross-cutting themes) with their objectives,
    their actions (under an objective or not) and their indicators; indicators under no
    priority at the end."""
    plan = access.get_plan_for_user(request.user, pk)
    priorities = list(Priority.objects.filter(plan=plan).select_related("lead_agency"))
    objectives = list(Objective.objects.filter(priority__plan=plan))
    actions = list(
        Action.objects.filter(priority__plan=plan).select_related(
            "priority__lead_agency", "lead_agency"
        )
    )
    indicators = list(Indicator.objects.filter(plan=plan))
    for objective in objectives:
        objective.tree_actions = [a for a in actions if a.objective_id == objective.pk]
    for priority in priorities:
        priority.lead = priority.lead_display
        priority.objectives_ = [o for o in objectives if o.priority_id == priority.pk]
        priority.tree_actions = [
            a for a in actions if a.priority_id == priority.pk and a.objective_id is None
        ]
        priority.tree_indicators = [i for i in indicators if i.priority_id == priority.pk]
    return _tree(request, plan, priorities, [i for i in indicators if i.priority_id is None])


def _tree(request: HttpRequest, plan, priorities, loose_indicators) -> dict:
    url = request.build_absolute_uri

    def action(a):
        return {"id": a.pk, "ref": a.ref, "display_ref": a.display_ref, "title": a.title,
                "lead": a.lead_display, "due_date": a.due_date,
                "url": url(a.get_absolute_url())}  # fmt: skip

    def indicator(i):
        return {"id": i.pk, "ref": i.ref, "measure_code": i.measure_code, "title": i.title,
                "target": i.target, "url": url(i.get_absolute_url())}  # fmt: skip

    return PlanOut.from_orm(plan).model_dump() | {
        "url": url(plan.get_absolute_url()),
        "priorities": [
            {
                "id": p.pk, "ref": p.ref, "title": p.title, "lead": p.lead,
                "is_cross_cutting": p.is_cross_cutting,
                "objectives": [
                    {"id": o.pk, "ref": o.ref, "title": o.title,
                     "actions": [action(a) for a in o.tree_actions]}
                    for o in p.objectives_
                ],
                "actions": [action(a) for a in p.tree_actions],
                "indicators": [indicator(i) for i in p.tree_indicators],
            }
            for p in priorities
        ],
        "indicators": [indicator(i) for i in loose_indicators],
    }  # fmt: skip


@quarters.get("", response=list[QuarterOut], summary="Reporting quarters")
@paginate(Pages)
def quarter_list(request: HttpRequest, plan: int | None = None, status: str | None = None):
    """The quarters opened for reporting on your partnerships' plans (open or closed)."""
    rows = ReportingPeriod.objects.filter(plan__in=access.visible_plans(request.user))
    if plan is not None:
        rows = rows.filter(plan_id=plan)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("plan_id", "year", "quarter")


@quarters.get("/{int:pk}", response=QuarterOut, summary="A reporting quarter")
def quarter_detail(request: HttpRequest, pk: int):
    return access.get_period_for_user(request.user, pk)


def _reports(request: HttpRequest):
    rows = PublishedReport.objects.filter(plan__in=access.visible_plans(request.user))
    return with_has_pdf(rows).defer("data", "html", "workbook", "pdf").select_related("period")


@reports.get("", response=list[ReportOut], summary="Published reports")
@paginate(Pages)
def report_list(request: HttpRequest, plan: int | None = None, quarter: int | None = None):
    """Report packs as published (frozen), newest first, with links to the HTML page, the
    Excel workbook and the PDF (null where the server made none)."""
    rows = _reports(request)
    if plan is not None:
        rows = rows.filter(plan_id=plan)
    if quarter is not None:
        rows = rows.filter(period_id=quarter)
    return rows.order_by("-published_at", "-pk")


@reports.get("/{int:pk}", response=ReportOut, summary="A published report")
def report_detail(request: HttpRequest, pk: int):
    return get_object_or_404(_reports(request), pk=pk)
