"""Publishing a closed plan's year-end report as a frozen, numbered version (its JSON, page
and workbook), and reading the published versions a user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from plans import access
from plans.models import Plan
from plans.yearend.models import YearEndReport
from plans.yearend.page import render_report_html
from plans.yearend.report import year_end_report
from plans.yearend.workbook import year_end_workbook

FILES = ("data", "html", "workbook")


def published_versions(plan: Plan) -> QuerySet[YearEndReport]:
    """The plan's published year-end reports, newest first, without their stored files."""
    return plan.year_end_reports.defer(*FILES).order_by("-version")


@transaction.atomic
def year_end_publish(*, plan: Plan, user, reason: str) -> YearEndReport:
    """Publish the year-end report of a closed plan as it stands: a new version holding its
    data, page and workbook, frozen. Republishing needs a reason."""
    if not access.is_partnership_admin(user, plan.partnership_id):
        raise PermissionDenied("Only the partnership's admins may publish reports.")
    # Lock the plan so two admins publishing at once get versions 1 and 2, not a clash.
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != Plan.Status.CLOSED:
        raise ValidationError("Close the plan before publishing its year-end report.")
    previous = YearEndReport.objects.filter(plan=plan).aggregate(n=Max("version"))["n"]
    reason = reason.strip()
    if previous and not reason:
        raise ValidationError({"reason": "Enter why you are republishing"})
    data = year_end_report(plan)
    report = YearEndReport(
        plan=plan,
        version=(previous or 0) + 1,
        reason=reason,
        data=data,
        published_by=user,
        published_at=timezone.now(),
    )
    report.html = render_report_html(data, published=report)
    report.workbook = year_end_workbook(data)
    report.full_clean()
    report.save()
    return report


def get_published_for_user(user, plan_pk: int, pk: int, *, defer=()) -> YearEndReport:
    """One published year-end report of a plan the user may see (404 otherwise)."""
    reports = YearEndReport.objects.filter(plan__in=access.visible_plans(user), plan_id=plan_pk)
    return get_object_or_404(
        reports.select_related("plan__partnership", "published_by").defer(*defer), pk=pk
    )
