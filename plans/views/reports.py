"""The SEG report pack of a quarter (page and workbook), publishing it, and its published
versions: every member of the partnership reads them, only its admins publish."""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from plans import access, report_cache
from plans.forms import add_service_errors
from plans.limits import NOTE
from plans.reporting import pack, pack_pdf, pack_workbook, publishing, quarter_report
from plans.safe_export import neutralise_xlsx

logger = logging.getLogger(__name__)
PDF_FAILED = (
    "The PDF could not be made just now. The published report is safe and unchanged: try the "
    "download again later, or print this page, or save it as PDF, from your browser's print "
    "dialogue."
)


class PublishForm(forms.Form):
    """Confirm publishing; a republication says why."""

    reason = forms.CharField(
        label="Note for the SEG (optional)",
        required=False,
        max_length=NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, data=None, *, republishing: bool) -> None:
        super().__init__(data)
        if republishing:
            field = self.fields["reason"]
            field.required = True
            field.label = "Why are you republishing?"
            field.help_text = "For example, a late update from an agency or a corrected figure."
            field.error_messages["required"] = "Enter why you are republishing"


def _xlsx(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=pack_workbook.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def _pdf(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=pack_pdf.PDF)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def _no_pdf(request: HttpRequest, url: str) -> HttpResponse:
    messages.warning(
        request,
        f"{pack_pdf.NOT_AVAILABLE}. Print the report, or save it as PDF, from your browser's "
        "print dialogue instead.",
    )
    return redirect(url)


def report_data(period) -> dict:
    """The live report's snapshot, built once per data version (plans.report_cache)."""
    return report_cache.cached(
        report_cache.report_key("snapshot", period),
        lambda: quarter_report(plan=period.plan, period=period).to_json(),
    )


@login_required
def report_pack(request: HttpRequest, pk: int) -> HttpResponse:
    period = access.get_period_for_user(request.user, pk)
    data = report_data(period)
    latest = publishing.latest_published(period)
    context = pack.report_context(data, published=None) | {
        "period": period,
        "latest": latest,
        "is_admin": access.is_partnership_admin(request.user, period.plan.partnership_id),
        "pdf_available": pack_pdf.pdf_available(),
        "running_header": pack_pdf.snapshot_header(data, published=None),
    }
    # The report itself names nothing of the reader: rendered once per data version.
    key = report_cache.report_key("pack", period, latest.pk if latest else "")
    context["report_html"] = mark_safe(
        report_cache.cached(
            key,
            lambda: render_to_string(
                pack.REPORT_TEMPLATE, context | {"layout": pack.FROZEN_LAYOUT}
            ).strip(),
        )
    )
    return render(request, "plans/report_pack.html", context)


@login_required
def report_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    period = access.get_period_for_user(request.user, pk)
    content = report_cache.cached(
        report_cache.report_key("workbook", period),
        lambda: pack_workbook.report_workbook(report_data(period)),
    )
    file_name = pack_workbook.report_file_name(period.plan.title, period.label)
    return _xlsx(content, file_name)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The live (draft) report pack as a PDF, as it would be published now."""
    period = access.get_period_for_user(request.user, pk)
    data = report_data(period)
    content = pack_pdf.report_pdf(data, published=None)
    if content is None:
        return _no_pdf(request, reverse("plans:report_pack", args=[period.pk]))
    file_name = pack_workbook.report_file_name(period.plan.title, period.label, suffix="pdf")
    return _pdf(content, file_name.replace(".pdf", "-draft.pdf"))


@login_required
@require_http_methods(["GET", "POST"])
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    period = access.get_period_for_user(request.user, pk, admin=True)
    latest = publishing.latest_published(period)
    form = PublishForm(
        request.POST if request.method == "POST" else None, republishing=latest is not None
    )
    if form.is_valid():
        try:
            published = publishing.report_publish(
                period=period, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Version {published.version} of the {period.label} report is published."
            )
            return redirect("plans:published_report", pk=published.pk)
    context = {"period": period, "plan": period.plan, "form": form, "latest": latest}
    return render(request, "plans/report_publish.html", context)


@login_required
def published_report_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    published = (
        publishing.with_has_pdf(plan.published_reports.all())
        .select_related("period", "published_by")
        .defer(*publishing.FILES)
        .order_by("-period__year", "-period__quarter", "-version")
    )
    context = {
        "plan": plan,
        "published_reports": published,
        "periods": plan.periods.order_by("-year", "-quarter"),
        "is_admin": access.is_partnership_admin(request.user, plan.partnership_id),
    }
    return render(request, "plans/published_report_list.html", context)


@login_required
def published_report(request: HttpRequest, pk: int) -> HttpResponse:
    published = publishing.get_published_report_for_user(
        request.user, pk, defer=("data", "workbook", "pdf")
    )
    # The HTML was rendered by report_pack.html (autoescaped) when it was published.
    context = {
        "published": published,
        "report_html": mark_safe(published.html),
        "running_header": pack_pdf.running_header(
            partnership=published.plan.partnership.name,
            plan=published.plan.title,
            quarter=published.period.label,
            version=published.version,
        ),
        "not_available": pack_pdf.NOT_AVAILABLE,
    }
    return render(request, "plans/published_report_detail.html", context)


@login_required
def published_report_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    published = publishing.get_published_report_for_user(
        request.user, pk, defer=("data", "html", "pdf")
    )
    file_name = pack_workbook.report_file_name(
        published.plan.title, published.period.label, version=published.version
    )
    # Copies published before downloads were made safe may hold live formulas.
    return _xlsx(neutralise_xlsx(bytes(published.workbook)), file_name)


@login_required
def published_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    published = publishing.get_published_report_for_user(
        request.user, pk, defer=("data", "html", "workbook")
    )
    page = reverse("plans:published_report", args=[published.pk])
    try:
        content = publishing.published_pdf(published)
    except Exception:  # WeasyPrint's failures have no common class; the version is kept
        logger.exception("Could not make the PDF of published report %s", published.pk)
        messages.error(request, PDF_FAILED)
        return redirect(page)
    if content is None:
        return _no_pdf(request, page)
    file_name = pack_workbook.report_file_name(
        published.plan.title, published.period.label, version=published.version, suffix="pdf"
    )
    return _pdf(content, file_name)
