"""Roll forward's pages, under ``plans/<pk>/``: "Start next year's plan from this one" (the
partnership's admins) and "What changed from last year" (everyone who sees the plan). Each
asks ``plans.access``; the write is ``plans.rollforward.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from plans import access
from plans.rollforward import services
from plans.rollforward.comparison import compare
from plans.rollforward.forms import RollForwardForm


@login_required
@require_http_methods(["GET", "POST"])
def plan_roll_forward(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, admin=True)
    refused = services.refusal(plan)
    start, end = services.next_period(plan)
    initial = {"title": services.suggested_title(plan), "start_year": start, "end_year": end}
    posted = request.POST if request.method == "POST" else None
    form = RollForwardForm(posted, initial=initial, plan=plan)
    if request.method == "POST" and not refused and form.is_valid():
        try:
            new = services.plan_roll_forward(plan=plan, user=request.user, **form.cleaned_data)
        except services.RollForwardRefused as error:
            refused = error.messages[0]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{new.title} started from {plan.title}, as a draft. Drop or change "
                "what does not go on, then activate it."
            )  # fmt: skip
            return redirect("plans:plan_edit", new.pk)
    context = {"plan": plan, "form": form, "refused": refused,
               "successor": plan.successors.order_by("pk").first() if refused else None,
               "counts": _counts(plan) if not refused else None}  # fmt: skip
    return render(request, "plans/rollforward/roll_forward.html", context)


def _counts(plan) -> dict[str, int]:
    """What the new plan will start with, said on the form."""
    carried = services.carried_actions(plan)
    return {
        "priorities": plan.priorities.count(),
        "actions": len(carried),
        "deferred": sum(1 for a in carried if a.final_status == "deferred"),
        "indicators": plan.indicators.count(),
        "risks": plan.risks.count(),
    }


@login_required
def plan_comparison(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan beside the plan it was started from."""
    plan = access.get_plan_for_user(request.user, pk)
    previous = access.visible_plans(request.user).filter(pk=plan.predecessor_id).first()
    if previous is None:
        raise Http404("This plan was not started from an earlier plan.")
    context = {"plan": plan, "previous": previous, "comparison": compare(plan, previous)}
    return render(request, "plans/rollforward/comparison.html", context)
