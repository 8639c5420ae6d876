"""Pages for actions: the cross-plan table and one page per action."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from plans import access
from plans.listing import filtered_table
from priorities.filters import ActionFilterSet
from priorities.tables import ActionTable


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    actions = access.visible_actions(request.user).select_related(
        "priority__plan", "priority__lead_agency", "lead_agency"
    )
    return filtered_table(
        request,
        queryset=actions,
        filterset_class=ActionFilterSet,
        table_class=ActionTable,
        template="priorities/action_list.html",
        export_name="actions",
    )


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = access.get_action_for_user(request.user, pk)
    context = {
        "action": action,
        "plan": action.priority.plan,
        "milestones": action.milestones.all(),
        "supporting_agencies": action.supporting_agencies.all(),
        "indicators": action.priority.indicators.select_related("agency"),
    }
    return render(request, "priorities/action_detail.html", context)
