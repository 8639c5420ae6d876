"""Pages for actions: the cross-plan table, one page per action with its progress history,
and the quarterly update form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from plans import access, audit
from plans.listing import filtered_table
from plans.models import ReportingPeriod
from priorities import services
from priorities.filters import ActionFilterSet
from priorities.forms import ActionUpdateForm
from priorities.models import (
    Action,
    ActionUpdate,
    ActionUpdateVersion,
    MilestoneProgress,
    UpdateState,
)
from priorities.tables import ActionTable

CONCURRENT_EDIT = "Someone else saved this update while you were editing it"


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
    plan = action.priority.plan
    # One row per opened quarter, each with this action's update (if any) and its versions.
    periods = list(
        plan.periods.prefetch_related(
            Prefetch("action_updates", queryset=_history(action), to_attr="updates_here")
        )
    )
    may_report = any(p.is_open for p in periods) and access.can_report_on_action(
        request.user, action
    )
    is_admin = access.is_partnership_admin(request.user, plan.partnership_id)
    updates = [update for period in periods for update in period.updates_here]
    context = {
        "action": action,
        "plan": plan,
        "milestones": action.milestones.all(),
        "supporting_agencies": action.supporting_agencies.all(),
        "indicators": action.priority.indicators.select_related("agency", "reporting_group"),
        "progress": [(p, p.updates_here[0] if p.updates_here else None) for p in periods],
        "may_report": may_report,
        "is_admin": is_admin,
        "audit_trail": audit.audit_trail([action, *updates]) if is_admin else None,
    }
    return render(request, "priorities/action_detail.html", context)


def _history(action: Action):
    return (
        ActionUpdate.objects.filter(action=action)
        .select_related("saved_by", "submitted_by")
        .prefetch_related(
            Prefetch(
                "milestone_progress",
                queryset=MilestoneProgress.objects.filter(done=True).select_related("milestone"),
                to_attr="milestones_done",
            ),
            Prefetch("versions", queryset=ActionUpdateVersion.objects.select_related("saved_by")),
        )
    )


@login_required
def action_update(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    """Enter, amend or (for an admin, in a closed quarter) correct a quarter's update."""
    action = access.get_action_for_user(request.user, pk, write=True)
    period = _writable_period(request, action, period_pk)
    update = (
        ActionUpdate.objects.filter(action=action, period=period).select_related("saved_by").first()
    )
    form_options = {"milestones": list(action.milestones.all()), "correcting": not period.is_open}
    if request.method != "POST":
        progress = list(update.milestone_progress.all()) if update else []
        initial = ActionUpdateForm.initial_from(update, progress)
        form = ActionUpdateForm(initial=initial, **form_options)
        return _update_page(request, action, period, update, form)
    form = ActionUpdateForm(request.POST, **form_options)
    if form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            saved = services.action_update_save(
                user=request.user, action=action, period=period, submit=submit, **form.to_save()
            )
        except services.ConcurrentEdit as clash:
            return _clash_page(request, action, period, clash.current, form_options)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _saved_message(saved, submit))
            return redirect(action)
    return _update_page(request, action, period, update, form)


def _writable_period(request: HttpRequest, action: Action, period_pk: int) -> ReportingPeriod:
    period = access.get_period_for_user(request.user, period_pk)
    if period.plan_id != action.priority.plan_id:
        raise Http404("That quarter belongs to another plan.")
    if not period.is_open and not access.is_partnership_admin(
        request.user, period.plan.partnership_id
    ):
        raise PermissionDenied(
            f"{period.label} is closed, so its updates can no longer be changed. "
            "Ask a partnership admin if something needs correcting."
        )
    return period


def _clash_page(
    request: HttpRequest,
    action: Action,
    period: ReportingPeriod,
    current: ActionUpdate | None,
    form_options: dict,
) -> HttpResponse:
    """The user's input again, now against the version someone else saved: submitting once
    more overwrites it on purpose."""
    data = request.POST.copy()
    data["version"] = str(current.version) if current else ""
    form = ActionUpdateForm(data, **form_options)
    form.is_valid()
    form.add_error(None, CONCURRENT_EDIT)
    return _update_page(request, action, period, current, form, clash=current or True)


def _update_page(
    request: HttpRequest,
    action: Action,
    period: ReportingPeriod,
    update: ActionUpdate | None,
    form: ActionUpdateForm,
    clash: ActionUpdate | bool | None = None,
) -> HttpResponse:
    context = {
        "action": action,
        "plan": action.priority.plan,
        "period": period,
        "update": update,
        "form": form,
        "clash": clash,
        "is_late_now": period.is_open and period.is_late_on(form.today),
    }
    return render(request, "priorities/actionupdate_form.html", context)


def _saved_message(update: ActionUpdate, submit: bool) -> str:
    if submit:
        return "Update submitted"
    if update.state == UpdateState.SUBMITTED:
        return "Changes saved: the update stays submitted"
    return "Update saved as draft"
