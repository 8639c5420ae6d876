"""The SEG dashboards: the partnership's overview of its active plans, a plan's quarter
with headline counts, priorities, exceptions, overdue milestones and missing updates, and
the navigation's "Dashboard", which takes each user to theirs."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from indicators.models import Indicator
from plans import access, report_cache, reporting
from plans.models import Agency, Plan, ReportingPeriod
from plans.reporting.rag_chart import RagChart
from plans.signoff import services as signoff
from priorities.models import Action, Priority


class DashboardFilterForm(forms.Form):
    """GET choices of the plan dashboard: the quarter, a priority, an agency. Choices come
    from rows already read, so checking them costs no query."""

    period = forms.TypedChoiceField(label="Quarter", coerce=int, required=False)
    priority = forms.TypedChoiceField(
        label="Priority or theme", coerce=int, required=False, empty_value=None
    )
    agency = forms.TypedChoiceField(
        label="Lead agency", coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        data,
        *,
        periods: list[ReportingPeriod],
        priorities: list[Priority],
        agencies: list[Agency],
    ) -> None:
        super().__init__(data)
        self.fields["period"].choices = [(p.pk, p.label) for p in reversed(periods)]
        self.fields["priority"].choices = [("", "All priorities")] + [
            (p.pk, f"{p.ref}. {p.title}") for p in priorities
        ]
        self.fields["agency"].choices = [("", "All agencies")] + [(a.pk, a.label) for a in agencies]
        for name, message in (
            ("period", "Select a quarter of this plan that has been opened"),
            ("priority", "Select a priority or theme of this plan"),
            ("agency", "Select an agency that leads work in this plan"),
        ):
            self.fields[name].error_messages["invalid_choice"] = message

    def choice(self, name: str) -> int | None:
        """The valid choice of one field, or None (its error is shown on the page)."""
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None


def plan_agencies(plan: Plan) -> list[Agency]:
    """The agencies that lead the plan's actions (or their themes) or report its indicators.

    One IN-subquery per kind of row, not an OR across three to-many joins: the joins multiply
    an agency's actions by its indicators in every plan before DISTINCT, so the cost grew with
    other partnerships' data (seconds at national size)."""
    return list(
        Agency.objects.filter(
            Q(pk__in=Action.objects.filter(priority__plan=plan).values("lead_agency"))
            | Q(pk__in=Priority.objects.filter(plan=plan).values("lead_agency"))
            | Q(pk__in=Indicator.objects.filter(plan=plan).values("agency"))
        )
    )


def headline(report: reporting.QuarterReport) -> list[tuple]:
    """(caption, id, lines, chart) of the first screen's counts: actions and indicators by
    RAG, each drawn as a bar chart beside its table."""
    return [
        (
            caption,
            kind,
            lines,
            RagChart(f"chart-{kind}", f"{caption}, {report.period.label}", lines),
        )
        for caption, kind, lines in report.summaries
    ]


def dashboard_fragments(plan, period, priority, agency) -> dict[str, str]:
    """The report's parts of the dashboard, rendered once per quarter, filter and data
    version and then read from the cache: they show nothing about the reader."""
    key = report_cache.report_key(
        "dashboard", period, priority.pk if priority else "", agency.pk if agency else ""
    )

    def render_parts() -> dict[str, str]:
        report = reporting.quarter_report(
            plan=plan, period=period, priority=priority, agency=agency
        )
        context = {"plan": plan, "period": period, "report": report, "headline": headline(report)}
        return {
            name: render_to_string(f"plans/_dashboard_{part}.html", context)
            for name, part in (("headline_html", "headline"), ("rows_html", "rows"))
        }

    return {name: mark_safe(html) for name, html in report_cache.cached(key, render_parts).items()}


@login_required
def plan_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    key = _page_key(plan, request)
    page = cache.get(key)
    if page is None:
        page = _dashboard_page(plan, request.GET, request.path)
        if not page["error"]:  # only valid choices: a bounded number of keys
            cache.set(key, page, report_cache.TIMEOUT)
    return render(request, "plans/plan_dashboard.html", {"plan": plan, "page": page})


def _page_key(plan: Plan, request: HttpRequest) -> str:
    """The dashboard's content depends only on the data, the date and the choices asked for
    (never on the reader): the query string is part of the key, hashed to bound its length."""
    asked = [request.path, bool(request.GET)] + [request.GET.get(name) for name in FILTERS]
    digest = hashlib.sha256(repr(asked).encode()).hexdigest()[:32]
    return report_cache.plan_key(f"dashboard-page:{digest}", plan)


FILTERS = ("period", "priority", "agency")


def _dashboard_page(plan: Plan, query, path: str) -> dict:
    """The dashboard's title parts and rendered content, for the quarter and filters asked."""
    periods = list(plan.periods.all())
    priorities, agencies = list(plan.priorities.all()), plan_agencies(plan)
    for row in [*periods, *priorities]:
        row.plan = plan
    form = DashboardFilterForm(
        query or None, periods=periods, priorities=priorities, agencies=agencies
    )
    chosen = {name: form.choice(name) if form.is_bound else None for name in form.fields}
    latest = periods[-1] if periods else None
    period = next((p for p in periods if p.pk == chosen["period"]), latest)
    priority = next((p for p in priorities if p.pk == chosen["priority"]), None)
    agency = next((a for a in agencies if a.pk == chosen["agency"]), None)
    context = {
        "plan": plan,
        "path": path,
        "period": period,
        "previous_period": None,
        "priority": priority,
        "agency": agency,
        "form": form,
        "filtered": bool(chosen["priority"] or chosen["agency"]),
        "awaiting": signoff.awaiting_sign_off_count(period) if period else None,
    }
    if period is not None:
        earlier = [p for p in periods if (p.year, p.quarter) < (period.year, period.quarter)]
        context["previous_period"] = earlier[-1] if earlier else None
        context |= dashboard_fragments(plan, period, priority, agency)
    return {
        "error": bool(form.errors),
        "period_label": period.label if period else "",
        "content": mark_safe(render_to_string("plans/_dashboard_page.html", context)),
    }


@login_required
def partnership_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, pk)
    plans = list(partnership.plans.filter(status=Plan.Status.ACTIVE).prefetch_related("periods"))
    latest = []  # each plan's latest opened quarter
    for plan in plans:
        plan.partnership = partnership
        if periods := list(plan.periods.all()):
            periods[-1].plan = plan
            latest.append(periods[-1])
    reports = {r.plan.pk: r for r in reporting.quarter_reports(latest)}
    context = {
        "partnership": partnership,
        "rows": [(plan, reports.get(plan.pk)) for plan in plans],
        "other_plans": partnership.plans.exclude(status=Plan.Status.ACTIVE),
    }
    return render(request, "plans/partnership_dashboard.html", context)


@login_required
def my_dashboard(request: HttpRequest) -> HttpResponse:
    """The navigation's "Dashboard": the one active plan's dashboard when the user's
    partnerships have only one, else their partnership's overview; with several
    partnerships, a choice of them."""
    active = Plan.objects.filter(status=Plan.Status.ACTIVE)
    partnerships = list(
        access.visible_partnerships(request.user).prefetch_related(
            Prefetch("plans", queryset=active, to_attr="active_plans")
        )
    )
    plans = [plan for partnership in partnerships for plan in partnership.active_plans]
    if len(plans) == 1:
        return redirect("plans:plan_dashboard", plans[0].pk)
    if len(partnerships) == 1:
        return redirect("plans:partnership_dashboard", partnerships[0].pk)
    return render(request, "plans/dashboard_choice.html", {"partnerships": partnerships})
