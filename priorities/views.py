"""Pages for actions: the cross-plan table, one page per action with its progress history,
and the quarterly update form."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from plans import access, audit, worklist
from plans.listing import filtered_table
from plans.models import ReportingPeriod, quarter_dates
from plans.timescales import PERIODIC
from priorities import action_page, cycle, services
from priorities.filters import ActionFilterSet, MilestoneFilterSet
from priorities.forms import ActionUpdateForm, ReopenForm
from priorities.models import (
    Action,
    ActionReopening,
    ActionUpdate,
    Milestone,
    MilestoneProgress,
    UpdateState,
)
from priorities.tables import ActionTable, MilestoneTable

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
        results_template="includes/_table_results.html",
        extra_context={"noun": "actions"},
        export_name="actions",
    )


@login_required
def milestone_list(request: HttpRequest) -> HttpResponse:
    """Every milestone not yet done that is overdue or due by the end of this quarter."""
    today = timezone.localdate()
    milestones = milestones_due(access.visible_milestones(request.user), today=today)
    return filtered_table(
        request,
        queryset=milestones.select_related(
            "action__priority__plan", "action__priority__lead_agency", "action__lead_agency"
        ),
        filterset_class=MilestoneFilterSet,
        table_class=MilestoneTable,
        template="priorities/milestone_list.html",
        export_name="milestones",
        extra_context={"quarter_ends": quarter_end(today), "today": today},
    )


def quarter_end(day: date) -> date:
    """The last day of the financial quarter ``day`` falls in."""
    year, quarter = (day.year, (day.month - 1) // 3) if day.month >= 4 else (day.year - 1, 4)
    return quarter_dates(year, quarter)[1]


def milestones_due(milestones: QuerySet[Milestone], *, today: date) -> QuerySet[Milestone]:
    """Dated milestones due by the end of this quarter that nobody has reported done, of
    actions still open, each marked ``is_overdue``."""
    done = MilestoneProgress.objects.filter(milestone=OuterRef("pk"), done=True)
    # A milestone that comes round again is never late because its first date passed; one
    # whose first date is still to come this quarter is due like any other.
    recurring = Q(recurrence__in=PERIODIC)
    return (
        milestones.filter(due_date__lte=quarter_end(today), action__completed_in__isnull=True)
        .exclude(Exists(done))
        .exclude(recurring & Q(due_date__lt=today))
        .annotate(
            is_overdue=Case(
                When(due_date__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = access.get_action_for_user(request.user, pk)
    plan = action.priority.plan
    periods = list(plan.periods.all())  # one row per opened quarter
    may_report = any(p.is_open for p in periods) and access.can_report_on_action(
        request.user, action
    )
    is_admin = access.is_partnership_admin(request.user, plan.partnership_id)
    parts = action_page.action_parts(action, any_period=bool(periods))  # cached
    context = {
        "action": action,
        "completed_in": action.completed_in,
        "may_reopen": action.completed_in_id and access.can_reopen_action(request.user, action),
        "plan": plan,
        "about": parts["about"],
        "reopenings": parts["reopenings"],
        "indicators": parts["indicators"],
        "collaboration": parts["collaboration"],
        "progress": [
            (p, parts["updates"].get(p.pk), cycle.is_done_for(action, p)) for p in periods
        ],
        "asked_in": [p for p in periods if p.is_open and not cycle.is_done_for(action, p)],
        "may_report": may_report,
        "is_admin": is_admin,
        "audit_trail": _audit_trail(action, parts) if is_admin else None,
    }
    return render(request, "priorities/action_detail.html", context)


def _audit_trail(action: Action, parts: dict):
    return audit.audit_trail(
        [
            action,
            *(ActionUpdate(pk=pk) for pk in parts["update_pks"]),
            *(ActionReopening(pk=pk) for pk in parts["reopening_pks"]),
        ]
    )


@login_required
def action_update(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    """Enter, amend or (for an admin, in a closed quarter) correct a quarter's update. A new
    quarter starts from the last submitted update; a completed action is not asked for."""
    action = access.get_action_for_user(request.user, pk, write=True)
    period = _writable_period(request, action, period_pk)
    if cycle.is_done_for(action, period):
        messages.info(request, _done_message(action, period))
        return redirect(action)
    update = (
        ActionUpdate.objects.filter(action=action, period=period).select_related("saved_by").first()
    )
    previous = cycle.previous_update(action, period)
    form_options = {"milestones": list(action.milestones.all()), "correcting": not period.is_open}
    if request.method != "POST":
        if update is None and previous is not None:
            initial = ActionUpdateForm.initial_carried_over(previous)
        else:
            progress = list(update.milestone_progress.all()) if update else []
            initial = ActionUpdateForm.initial_from(update, progress)
        form = ActionUpdateForm(initial=initial, **form_options)
        return _update_page(request, action, period, update, form, previous=previous)
    form = ActionUpdateForm(request.POST, **form_options)
    if form.is_valid():
        choice = request.POST.get("action")
        submit = choice in ("submit", "submit_next")
        try:
            saved = services.action_update_save(
                user=request.user, action=action, period=period, submit=submit, **form.to_save()
            )
        except services.ConcurrentEdit as clash:
            return _clash_page(request, action, period, clash.current, form_options, previous)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _saved_message(saved, submit))
            if choice == "submit_next":
                return _go_to_next(request, action, period)
            return redirect(action)
    return _update_page(request, action, period, update, form, previous=previous)


def _go_to_next(request: HttpRequest, current, period: ReportingPeriod) -> HttpResponse:
    """The next thing still to do in My updates (for this quarter), or My updates itself."""
    following = worklist.next_item(request.user, period, current, today=timezone.localdate())
    if following is None:
        messages.info(request, f"You have nothing else to do for {period.label}.")
        return redirect("plans:my_updates")
    return redirect(following.url)


def _done_message(action: Action, period: ReportingPeriod) -> str:
    return (
        f"Action {action.ref} was completed in {action.completed_in.label}, so it is not asked "
        f"for in {period.label}. Reopen it if it needs reporting on again."
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a completed action back into quarterly reporting, with a reason."""
    action = access.get_action_for_user(request.user, pk)
    if not access.can_reopen_action(request.user, action):
        raise PermissionDenied(
            "Only the action's lead agency or a partnership admin may reopen it."
        )
    if action.completed_in_id is None:
        messages.info(request, f"Action {action.ref} is not completed: it is open already.")
        return redirect(action)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            cycle.action_reopen(
                user=request.user, action=action, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            messages.success(request, f"Action {action.ref} reopened: it is asked for again")
            return redirect(action)
    context = {"action": action, "plan": action.priority.plan, "form": form}
    return render(request, "priorities/action_reopen.html", context)


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
    previous: ActionUpdate | None = None,
) -> HttpResponse:
    """The user's input again, now against the version someone else saved: submitting once
    more overwrites it on purpose."""
    data = request.POST.copy()
    data["version"] = str(current.version) if current else ""
    form = ActionUpdateForm(data, **form_options)
    form.is_valid()
    form.add_error(None, CONCURRENT_EDIT)
    return _update_page(
        request, action, period, current, form, clash=current or True, previous=previous
    )


def _update_page(
    request: HttpRequest,
    action: Action,
    period: ReportingPeriod,
    update: ActionUpdate | None,
    form: ActionUpdateForm,
    clash: ActionUpdate | bool | None = None,
    previous: ActionUpdate | None = None,
) -> HttpResponse:
    context = {
        "previous": previous,
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
    if update.state == UpdateState.AWAITING:
        if not submit:
            return "Changes saved: the update awaits sign-off again"
        return "Update submitted: it counts once it is signed off"
    if submit:
        return "Update submitted"
    if update.state == UpdateState.SUBMITTED:
        return "Changes saved: the update stays submitted"
    return "Update saved as draft"
