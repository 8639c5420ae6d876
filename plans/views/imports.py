"""Importing an annual action plan from Excel (upload → validate → preview → confirm →
created), exporting any plan back to the same workbook, and activating an imported draft.

The work is done by ``plans.workbook`` and ``plans.importing``; these views only move the
uploaded bytes between the admin and them. Nothing but the ``PlanImport`` row is written
before the admin confirms the preview, and the confirm writes in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from plans import access, importing, report_cache, services, workbook
from plans.forms import ImportConfirmForm, PlanUploadForm
from plans.importing import uploads
from plans.models import Plan, PlanImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORTED = "Imported as a draft: activate it when it is agreed"


def get_import_for_user(user, pk: int) -> PlanImport:
    """An uploaded workbook: 404 outside the user's partnerships, 403 unless they administer
    the partnership it was uploaded to."""
    plan_import = get_object_or_404(
        PlanImport.objects.filter(partnership__in=access.visible_partnerships(user)).select_related(
            "partnership", "plan"
        ),
        pk=pk,
    )
    if not access.is_partnership_admin(user, plan_import.partnership_id):
        raise PermissionDenied("Only the partnership's admins may import plans.")
    return plan_import


def problems_context(problems: Sequence[importing.Problem]) -> dict[str, object]:
    """Every problem's full message, grouped by sheet in the order the sheets come up;
    problems with the file as a whole (no sheet) first."""
    groups: dict[str, list[str]] = {}
    for problem in sorted(problems, key=lambda p: bool(p.sheet)):
        sheet = f"{problem.sheet} sheet" if problem.sheet else "The file"
        groups.setdefault(sheet, []).append(str(problem))
    return {"problems": list(groups.items()), "problem_count": len(problems)}


def xlsx_response(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@login_required
@require_GET
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, pk, admin=True)
    names = list(partnership.agencies.order_by("name").values_list("name", flat=True))
    return xlsx_response(workbook.template_workbook(agencies=names), "action-plan-template.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, pk, admin=True)
    max_bytes = importing.LIMITS["max_bytes"]
    if request.method != "POST":
        form = PlanUploadForm(max_bytes=max_bytes)
    else:
        form = PlanUploadForm(request.POST, request.FILES, max_bytes=max_bytes)
    problems: list[importing.Problem] = []
    if form.is_valid():
        upload = form.cleaned_data["workbook"]
        plan_import, problems = uploads.import_upload(
            partnership=partnership, user=request.user, file_name=upload.name, content=upload.read()
        )
        if not problems:
            return redirect("plans:plan_import_preview", pk=plan_import.pk)
        form.add_error("workbook", f"Correct the problems in {upload.name} and upload it again")
    context = {"partnership": partnership, "form": form, **problems_context(problems)}
    return render(request, "plans/plan_import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    plan_import = get_import_for_user(request.user, pk)
    if plan_import.status == PlanImport.Status.IMPORTED and plan_import.plan_id:
        messages.info(request, f"{plan_import.file_name} was already imported as this plan.")
        return redirect(plan_import.plan)
    if plan_import.status == PlanImport.Status.FAILED:
        raise Http404("A refused upload has no preview.")
    content = bytes(plan_import.content)
    partnership = plan_import.partnership
    try:
        preview = uploads.import_preview_of(plan_import)
    except importing.ImportRefused as refused:
        return render_preview(request, plan_import, None, None, refused.problems)
    form = ImportConfirmForm(
        request.POST if request.method == "POST" else None,
        new_agencies=list(preview.new_agencies),
        existing_plan=preview.existing_plan,
        existing_is_draft=preview.existing_is_draft,
    )
    if form.is_valid():
        try:
            plan = confirm_import(plan_import, content, request.user, form.cleaned_data)
        except importing.ImportRefused as refused:
            return render_preview(request, plan_import, preview, form, refused.problems)
        if plan is None:  # confirmed twice: the first confirm made the plan
            plan_import.refresh_from_db()
            if plan_import.plan is None:
                messages.info(request, "This upload cannot be imported: upload the file again.")
            return redirect(plan_import.plan or reverse("plans:plan_import", args=[partnership.pk]))
        messages.success(request, IMPORTED)
        return redirect(plan)
    return render_preview(request, plan_import, preview, form, None)


@transaction.atomic
def confirm_import(plan_import: PlanImport, content: bytes, user, choices: dict) -> Plan | None:
    """Import the workbook once: the status flips first, in the same transaction, so a
    second confirm (a double click, a second tab) finds nothing to do and returns None."""
    claimed = PlanImport.objects.filter(
        pk=plan_import.pk, status=PlanImport.Status.PREVIEWED
    ).update(status=PlanImport.Status.IMPORTED)
    if not claimed:
        return None
    plan = importing.plan_import(
        content=content,
        partnership=plan_import.partnership,
        user=user,
        create_agencies=frozenset(choices.get("create_agencies") or ()),
        replace_draft=bool(choices.get("replace_draft")),
    )
    PlanImport.objects.filter(pk=plan_import.pk).update(plan=plan)
    return plan


def preview_sections(priority: dict) -> list[tuple[dict | None, list[dict]]]:
    """A previewed priority's actions under their objectives, as the plan page shows them:
    actions without an objective first, under ``None``."""
    actions = priority.get("actions") or []
    sections: list[tuple[dict | None, list[dict]]] = []
    loose = [action for action in actions if not action.get("objective_ref")]
    if loose:
        sections.append((None, loose))
    for objective in priority.get("objectives") or []:
        ref = objective.get("ref")
        sections.append((objective, [a for a in actions if a.get("objective_ref") == ref]))
    return sections


def agency_notes(preview: importing.ImportPreview) -> dict[str, str]:
    """The importer's warning about each new agency, where it is first named and the known
    agency it may be a misspelling of ("did you mean 'Kent Police'?"), to show by its box."""
    notes: dict[str, str] = {}
    for warning in preview.warnings:
        for name in preview.new_agencies:
            if warning.message.startswith(f"'{name}' "):
                notes.setdefault(name, str(warning))
    return notes


def render_preview(request, plan_import, preview, form, problems) -> HttpResponse:
    context = {
        "plan_import": plan_import,
        "partnership": plan_import.partnership,
        "preview": preview,
        "form": form,
        **problems_context(problems or []),
    }
    if preview is not None:
        for priority in preview.priorities:
            priority["sections"] = preview_sections(priority)
        notes = agency_notes(preview)
        context["agency_choices"] = [
            (choice, notes.get(choice.data["value"], "")) for choice in form["create_agencies"]
        ]
        context["warnings"] = [str(w) for w in preview.warnings if str(w) not in notes.values()]
    return render(request, "plans/plan_import_preview.html", context)


@login_required
@require_GET
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    file_name = f"{slugify(plan.title) or 'plan'}.xlsx"
    # The same file for every reader: built once per data version (plans.report_cache).
    content = report_cache.cached(
        report_cache.plan_key("export", plan), lambda: workbook.plan_workbook(plan)
    )
    return xlsx_response(content, file_name)


@login_required
@require_http_methods(["GET", "POST"])
def plan_activate(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, admin=True)
    if plan.status != Plan.Status.DRAFT:
        messages.info(request, f"{plan.title} is already {plan.get_status_display().lower()}.")
        return redirect(plan)
    if request.method == "POST":
        services.plan_activate(plan=plan)
        messages.success(request, f"{plan.title} is now active.")
        return redirect(plan)
    return render(request, "plans/plan_activate.html", {"plan": plan})
