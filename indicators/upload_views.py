"""Pages for figures that arrive in a spreadsheet: the quarter's sheet to download, its upload
and preview, earlier quarters' history (partnership admins), and an indicator's calculation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from indicators import calculated, history, uploads
from indicators.comparisons import comparisons
from indicators.forms import (
    CalculationForm,
    FiguresUploadForm,
    HistoryUploadForm,
    PopulationForm,
)
from indicators.models import Population, ValueUpload
from indicators.sheets import XLSX_TYPE, Problem, UploadRefused, read_grid
from indicators.views import bulk_indicators, conflict_message, refuse_closed_quarter
from plans import access
from plans.importing.archive import LIMITS
from plans.models import financial_year_label
from priorities.services import ConcurrentEdit

MAX_SHOWN = 100


def quarter_for(request: HttpRequest, plan_pk: int, period_pk: int):
    """The plan, quarter and the user's indicators due in it (403 if they report on none)."""
    plan = access.get_plan_for_user(request.user, plan_pk)
    period = access.get_period_for_user(request.user, period_pk)
    if period.plan_id != plan.pk:
        raise Http404("That quarter belongs to another plan.")
    indicators = bulk_indicators(request.user, period)
    if not indicators:
        raise PermissionDenied("You have no indicators to report in this plan.")
    refuse_closed_quarter(request.user, period)
    return plan, period, [i for i in indicators if i.is_due_in(period.quarter)]


@login_required
@require_GET
def values_sheet(request: HttpRequest, plan_pk: int, period_pk: int) -> HttpResponse:
    plan, period, due = quarter_for(request, plan_pk, period_pk)
    content = uploads.quarter_sheet(period=period, indicators=due, found=comparisons(due, period))
    response = HttpResponse(content, content_type=XLSX_TYPE)
    name = f"indicator-values-{period.label.replace('/', '-').replace(' ', '-')}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def values_upload(request: HttpRequest, plan_pk: int, period_pk: int) -> HttpResponse:
    """Upload a filled-in sheet for the quarter; problems are listed by row and column and
    nothing is kept; a clean sheet is kept and previewed."""
    plan, period, due = quarter_for(request, plan_pk, period_pk)
    if not period.is_open:
        raise PermissionDenied(f"{period.label} is closed: correct values one at a time.")
    form = FiguresUploadForm(*posted(request))
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            grid = read_grid(file_name=upload_file.name, content=read_bounded(upload_file))
            refs = set(plan.indicators.values_list("ref", flat=True))
            rows, problems = uploads.check_quarter_grid(
                grid, period=period, indicators=due, plan_refs=refs
            )
        except UploadRefused as refused:
            problems = [Problem(None, None, str(refused))]
        if not problems and not rows:
            problems = [Problem(None, None, "The sheet changes no figures: fill in some values")]
        if not problems:
            upload = uploads.upload_keep(user=request.user, plan=plan, period=period,
                                         kind=ValueUpload.Kind.QUARTER,
                                         file_name=upload_file.name, rows=rows)  # fmt: skip
            return redirect("indicators:values_upload_preview", pk=upload.pk)
    mark_file(form, problems)
    context = {"plan": plan, "period": period, "form": form, "problems": problems[:MAX_SHOWN],
               "more": max(len(problems) - MAX_SHOWN, 0)}  # fmt: skip
    return render(request, "indicators/values_upload.html", context)


def mark_file(form, problems: list[Problem]) -> None:
    """Show the file field in its error state when the file had problems (listed above it)."""
    if problems:
        form.add_error("file", "Correct the problems listed above, then upload the file again")


def posted(request: HttpRequest) -> tuple:
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def read_bounded(upload_file) -> bytes:
    """The file's bytes, reading no further than the size limit (and a byte more)."""
    return upload_file.read(LIMITS["max_bytes"] + 1)


@login_required
def history_upload(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Partnership admins: load figures for earlier quarters of a plan's indicators."""
    plan = access.get_plan_for_user(request.user, plan_pk, admin=True)
    form = HistoryUploadForm(*posted(request))
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            grid = read_grid(file_name=upload_file.name, content=read_bounded(upload_file))
            rows, problems = history.check_history_grid(grid, plan=plan, today=timezone.localdate())
        except UploadRefused as refused:
            problems = [Problem(None, None, str(refused))]
        if not problems and not rows:
            problems = [Problem(None, None, "The sheet holds no figures")]
        if not problems:
            upload = uploads.upload_keep(user=request.user, plan=plan, period=None,
                                         kind=ValueUpload.Kind.HISTORY, file_name=upload_file.name,
                                         rows=rows, source=form.cleaned_data["source"])  # fmt: skip
            return redirect("indicators:values_upload_preview", pk=upload.pk)
    mark_file(form, problems)
    context = {"plan": plan, "form": form, "problems": problems[:MAX_SHOWN],
               "more": max(len(problems) - MAX_SHOWN, 0), "history": True}  # fmt: skip
    return render(request, "indicators/values_upload.html", context)


@login_required
def values_upload_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What a kept upload will set; POST saves it all or nothing."""
    upload = get_object_or_404(ValueUpload.objects.select_related("plan", "period"), pk=pk,
                               user=request.user)  # fmt: skip
    plan = access.get_plan_for_user(request.user, upload.plan_id, admin=upload.kind == "history")
    error = ""
    if request.method == "POST":
        try:
            done = confirm(request, upload)
        except ConcurrentEdit as conflict:
            error = "Row for " + (conflict.current.indicator.ref if conflict.current else "a value")
            error += ": " + conflict_message(conflict.current)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, done)
            if upload.kind == ValueUpload.Kind.HISTORY:
                return redirect(plan)
            return redirect("indicators:bulk_values", plan_pk=plan.pk, period_pk=upload.period_id)
    context = {"upload": upload, "plan": plan, "period": upload.period, "error": error}
    return render(request, "indicators/values_upload_preview.html", context)


def confirm(request: HttpRequest, upload: ValueUpload) -> str:
    """Save the upload (permissions checked again) and say what was done."""
    if upload.kind == ValueUpload.Kind.HISTORY:
        count = history.history_import(user=request.user, upload=upload)
        return f"{count} earlier figure{'' if count == 1 else 's'} loaded from {upload.source}"
    period = upload.period
    refuse_closed_quarter(request.user, period)
    mine = {i.pk: i for i in bulk_indicators(request.user, period)}
    saved = uploads.quarter_upload_confirm(user=request.user, upload=upload, indicators=mine)
    return f"{len(saved)} value{'' if len(saved) == 1 else 's'} for {period.label} saved"


@login_required
def indicator_calculation(request: HttpRequest, pk: int) -> HttpResponse:
    """Partnership admins: make an indicator calculated from others of its plan."""
    indicator = access.get_indicator_for_user(request.user, pk)
    if not access.is_partnership_admin(request.user, indicator.plan.partnership_id):
        raise PermissionDenied("Only the partnership's admins may set a calculation.")
    form = CalculationForm(request.POST or None, initial={"expression": indicator.expression})
    if request.method == "POST" and form.is_valid():
        try:
            calculated.indicator_expression_set(
                indicator=indicator, text=form.cleaned_data["expression"], user=request.user
            )
        except ValidationError as error:
            form.add_error("expression", error.message_dict.get("expression", error.messages))
        else:
            messages.success(request, f"Calculation for {indicator.ref} saved")
            return redirect(indicator)
    refs = list(indicator.plan.indicators.exclude(pk=indicator.pk).values_list("ref", "title"))
    context = {"indicator": indicator, "plan": indicator.plan, "form": form, "refs": refs,
               "words": calculated.formula_words(indicator)}  # fmt: skip
    return render(request, "indicators/indicator_calculation.html", context)


@login_required
def population(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    """Partnership admins: the area's residents per year, for rates per 1,000 residents."""
    partnership = access.get_partnership_for_user(request.user, partnership_pk, admin=True)
    form = PopulationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        calculated.population_set(partnership=partnership, user=request.user, **form.cleaned_data)
        year = financial_year_label(form.cleaned_data["year"])
        messages.success(request, f"Population for {year} saved")
        return redirect("indicators:population", partnership_pk=partnership.pk)
    figures = Population.objects.filter(partnership=partnership).order_by("-year")
    context = {"partnership": partnership, "form": form, "figures": figures}
    return render(request, "indicators/population.html", context)
