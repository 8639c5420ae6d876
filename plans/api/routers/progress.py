"""Actions with their latest status and indicators with their quarterly figures, as they count
on dashboards and in reports (``counted()``: submitted, and signed off where the partnership
signs off): a draft or an update awaiting sign-off is never shown here."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from indicators.models import IndicatorValue
from plans import access
from plans.api.pagination import Pages
from plans.api.schemas import ActionOut, IndicatorOut
from priorities.models import ActionUpdate

actions = Router(tags=["Actions"])
indicators = Router(tags=["Indicators"])


def _actions(request: HttpRequest):
    counted = (
        ActionUpdate.objects.counted()
        .select_related("period")
        .order_by("-period__year", "-period__quarter")
    )
    return (
        access.visible_actions(request.user)
        .select_related("priority__lead_agency", "lead_agency", "completed_in")
        .prefetch_related(Prefetch("updates", queryset=counted, to_attr="counted_updates"))
    )


@actions.get("", response=list[ActionOut], summary="Actions with their latest status")
@paginate(Pages)
def action_list(
    request: HttpRequest,
    plan: int | None = None,
    partnership: int | None = None,
    lead_agency: int | None = None,
):
    """Actions of your partnerships' plans, in plan order, each with the status of the latest
    quarter whose update counts (null if none does yet)."""
    rows = _actions(request)
    if plan is not None:
        rows = rows.filter(priority__plan_id=plan)
    if partnership is not None:
        rows = rows.filter(priority__plan__partnership_id=partnership)
    if lead_agency is not None:
        rows = rows.filter(lead_agency_id=lead_agency)
    return rows.order_by("priority__plan_id", "priority__sort_key", "sort_key", "pk")


@actions.get("/{int:pk}", response=ActionOut, summary="An action with its latest status")
def action_detail(request: HttpRequest, pk: int):
    return get_object_or_404(_actions(request), pk=pk)


def _indicators(request: HttpRequest):
    counted = (
        IndicatorValue.objects.counted()
        .select_related("period")
        .order_by("period__year", "period__quarter")
    )
    return (
        access.visible_indicators(request.user)
        .select_related("agency")
        .prefetch_related(Prefetch("values", queryset=counted, to_attr="counted_values"))
    )


@indicators.get("", response=list[IndicatorOut], summary="Indicators with figures by quarter")
@paginate(Pages)
def indicator_list(
    request: HttpRequest,
    plan: int | None = None,
    partnership: int | None = None,
    measure_code: str | None = None,
):
    """Indicators of your partnerships' plans, each with every quarter's figure that counts,
    oldest first. A measure code (e.g. "NI 111") finds a shared national measure."""
    rows = _indicators(request)
    if plan is not None:
        rows = rows.filter(plan_id=plan)
    if partnership is not None:
        rows = rows.filter(plan__partnership_id=partnership)
    if measure_code:
        rows = rows.filter(measure_code=measure_code)
    return rows.order_by("plan_id", "sort_key", "pk")


@indicators.get("/{int:pk}", response=IndicatorOut, summary="An indicator with its figures")
def indicator_detail(request: HttpRequest, pk: int):
    return get_object_or_404(_indicators(request), pk=pk)
