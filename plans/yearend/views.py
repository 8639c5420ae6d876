"""Year end's pages: closing a plan (its admins), the year-end report page and workbook
(everyone in the partnership), publishing it (admins) and its published versions. Every view
asks ``plans.access``; the writes are ``services.plan_close`` and
``publishing.year_end_publish``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from plans import access
from plans.forms import add_service_errors
from plans.limits import REASON
from plans.models import Plan, financial_year_label
from plans.reporting.pack_workbook import XLSX
from plans.views.reports import PublishForm
from plans.yearend import page, publishing, services
from plans.yearend.forms import PlanCloseForm
from plans.yearend.report import year_end_report
from plans.yearend.workbook import file_name, year_end_workbook

GET_POST = require_http_methods(["GET", "POST"])


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@GET_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, admin=True)
    if plan.status != Plan.Status.ACTIVE:
        messages.info(request, f"Only an active plan is closed: {plan.title} is "
                      f"{plan.get_status_display().lower()}.")  # fmt: skip
        return redirect(plan)
    actions = list(services.plan_actions(plan))
    form = PlanCloseForm(request.POST if request.method == "POST" else None, actions=actions)
    if form.is_valid():
        try:
            services.plan_close(plan=plan, user=request.user, decisions=form.decisions())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{plan.title} is closed. This is its year-end report.")
            return redirect("plans:year_end_report", pk=plan.pk)
    context = {
        "plan": plan,
        "form": form,
        "sections": _by_priority(form),
        "open_quarters": list(plan.periods.filter(status="open").order_by("year", "quarter")),
        "reason_limit": REASON,
    }
    return render(request, "plans/yearend/close.html", context)


def _by_priority(form: PlanCloseForm) -> list[tuple[object, list]]:
    sections: list[tuple[object, list]] = []
    for row in form.rows():
        if not sections or sections[-1][0] != row[0].priority:
            sections.append((row[0].priority, []))
        sections[-1][1].append(row)
    return sections


def _report_plan(request: HttpRequest, pk: int) -> Plan | None:
    """The plan of a year-end report: active (a draft report) or closed; None for a draft."""
    plan = access.get_plan_for_user(request.user, pk)
    if plan.status == Plan.Status.DRAFT:
        messages.info(request, f"{plan.title} is a draft: it has no year-end report yet.")
        return None
    return plan


@login_required
def year_end(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _report_plan(request, pk)
    if plan is None:
        return redirect("plans:plan_detail", pk=pk)
    data = year_end_report(plan)
    is_admin = access.is_partnership_admin(request.user, plan.partnership_id)
    versions = list(publishing.published_versions(plan))
    context = page.report_context(data, published=None) | {
        "plan": plan,
        "latest": versions[0] if versions else None,
        "published_versions": versions,
        "may_publish": is_admin and plan.status == Plan.Status.CLOSED,
        "may_close": is_admin and plan.status == Plan.Status.ACTIVE,
    }
    return render(request, page.TEMPLATE, context)


@login_required
def year_end_download(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _report_plan(request, pk)
    if plan is None:
        return redirect("plans:plan_detail", pk=pk)
    data = year_end_report(plan)
    return _xlsx(year_end_workbook(data), file_name(plan.title, data["year"]["label"]))


@login_required
@GET_POST
def year_end_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, admin=True)
    if plan.status != Plan.Status.CLOSED:
        messages.info(request, "Close the plan before publishing its year-end report.")
        return redirect("plans:year_end_report", pk=plan.pk)
    latest = publishing.published_versions(plan).first()
    form = PublishForm(
        request.POST if request.method == "POST" else None, republishing=latest is not None
    )
    if form.is_valid():
        try:
            published = publishing.year_end_publish(
                plan=plan, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Version {published.version} of the year-end report "
                             "is published.")  # fmt: skip
            return redirect("plans:year_end_published", pk=plan.pk, report_pk=published.pk)
    context = {"plan": plan, "form": form, "latest": latest}
    return render(request, "plans/yearend/publish.html", context)


@login_required
def year_end_published(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    published = publishing.get_published_for_user(
        request.user, pk, report_pk, defer=("data", "workbook")
    )
    # The HTML was rendered by the report template (autoescaped) when it was published.
    context = {
        "published": published,
        "plan": published.plan,
        "report_html": mark_safe(published.html),
        "running_header": page.running_header(
            {"plan": {"partnership": published.plan.partnership.name,
                      "title": published.plan.title}}, published=published,
        ),
    }  # fmt: skip
    return render(request, "plans/yearend/published.html", context)


@login_required
def year_end_published_download(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    published = publishing.get_published_for_user(
        request.user, pk, report_pk, defer=("data", "html")
    )
    label = financial_year_label(published.plan.end_year)
    name = file_name(published.plan.title, label, version=published.version)
    return _xlsx(bytes(published.workbook), name)  # made safe when it was published
