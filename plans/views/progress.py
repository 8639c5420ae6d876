"""The officer's My updates and the plans' reporting quarters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from plans import access, report_cache, services, worklist
from plans.forms import MyUpdatesFilterForm, PeriodOpenForm, add_service_errors, quarter_of_plan
from plans.models import Plan, Quarter, ReportingPeriod, quarter_dates, quarter_label
from plans.notifications.services import last_quarter_reminder
from plans.reporting import quarter_progress


@login_required
def my_updates(request: HttpRequest) -> HttpResponse:
    """Rendered once per user, query and data version of their partnerships, then read back
    until something they could see changes (``report_cache.page_key``)."""
    key = report_cache.page_key("my-updates", request, personal=True)
    html = cache.get(key) if key else None
    errors = False
    if html is None:
        context = _my_updates(request)
        errors = bool(context["filter"]["form"].errors)
        html = render_to_string("plans/_my_updates.html", context, request)
        if key and not errors:
            cache.set(key, html, report_cache.TIMEOUT)
    context = {"content_html": mark_safe(html), "errors": errors}
    return render(request, "plans/my_updates.html", context)


def _my_updates(request: HttpRequest) -> dict:
    user = request.user
    periods = list(
        worklist.open_periods(user).order_by(
            "plan__partnership__name", "plan__start_year", "plan__title", "year", "quarter"
        )
    )
    plans = list({period.plan_id: period.plan for period in periods}.values())  # Plan's order
    form = MyUpdatesFilterForm(request.GET, plans=plans)
    filters = form.cleaned_data if form.is_valid() else {}
    if filters.get("plan"):
        periods = [period for period in periods if period.plan_id == filters["plan"].pk]
    groups = worklist.work_groups(
        user, periods, priority=filters.get("priority"), today=timezone.localdate()
    )
    return {
        "groups": groups,
        "counts": worklist.work_counts(groups),
        "filter": {"form": form},
        "active_filters": any(filters.values()),
        "sign_off": any(group.period.plan.partnership.sign_off for group in groups),
    }


# --- Reporting quarters of a plan --------------------------------------------------------------


@dataclass
class QuarterRow:
    """A financial-year quarter inside a plan's period and, once opened, its period."""

    year: int
    quarter: int
    period: ReportingPeriod | None

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def dates(self) -> tuple[date, date]:
        return quarter_dates(self.year, self.quarter)

    @property
    def status(self) -> str:
        return self.period.get_status_display() if self.period else "Not opened"


def plan_quarters(plan: Plan) -> list[QuarterRow]:
    periods = {(period.year, period.quarter): period for period in plan.periods.all()}
    return [
        QuarterRow(year, quarter, periods.get((year, quarter)))
        for year in range(plan.start_year, plan.end_year + 1)
        for quarter in Quarter.values
    ]


@login_required
def period_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    context = {
        "plan": plan,
        "quarters": plan_quarters(plan),
        "is_admin": access.is_partnership_admin(request.user, plan.partnership_id),
        "today": timezone.localdate(),
    }
    return render(request, "plans/period_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def period_open(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, admin=True)
    quarter = quarter_of_plan(plan, request.GET)
    if quarter is None:
        messages.error(request, f"{plan.title} runs from {plan.period}: pick a quarter inside it.")
        return redirect("plans:period_list", pk=plan.pk)
    year, number = quarter
    existing = plan.periods.filter(year=year, quarter=number).first()
    starts_on, ends_on = quarter_dates(year, number)
    form = PeriodOpenForm(
        request.POST if request.method == "POST" else None,
        starts_on=starts_on,
        # The partnership's habit: updates due a fortnight after the quarter ends.
        initial=existing.deadline if existing else ends_on + timedelta(days=15),
    )
    if form.is_valid():
        deadline = form.cleaned_data["deadline"]
        try:
            period = services.period_open(plan=plan, year=year, quarter=number, deadline=deadline)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{period.label} is open for updates until {date_format(deadline)}."
            )
            return redirect("plans:period_list", pk=plan.pk)
    context = {"plan": plan, "form": form, "quarter": QuarterRow(year, number, existing)}
    return render(request, "plans/period_form.html", context)


@login_required
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    period = access.get_period_for_user(request.user, pk, admin=True)
    if period.is_open:
        services.period_close(period=period)
        messages.success(
            request, f"{period.label} is closed: only admin corrections can change it now."
        )
    return redirect(period)


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = access.get_period_for_user(request.user, pk)
    progress = quarter_progress(period)
    context = {
        "period": period,
        "plan": period.plan,
        "counts": progress.counts,
        "missing": progress.missing,
        "is_admin": access.is_partnership_admin(request.user, period.plan.partnership_id),
        "overdue": period.is_open and period.is_late_on(timezone.localdate()),
    }
    if context["is_admin"] and period.is_open:
        context["last_reminder"] = last_quarter_reminder(period)
    return render(request, "plans/period_detail.html", context)
