"""Pages for indicators: the cross-plan table and one page per indicator."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from indicators.filters import IndicatorFilterSet
from indicators.tables import IndicatorTable
from plans import access
from plans.listing import filtered_table


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = access.visible_indicators(request.user).select_related(
        "plan", "priority", "agency", "reporting_group"
    )
    return filtered_table(
        request,
        queryset=indicators,
        filterset_class=IndicatorFilterSet,
        table_class=IndicatorTable,
        template="indicators/indicator_list.html",
        export_name="indicators",
    )


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = access.get_indicator_for_user(request.user, pk)
    return render(
        request,
        "indicators/indicator_detail.html",
        {"indicator": indicator, "plan": indicator.plan},
    )
