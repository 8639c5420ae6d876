"""Publishing a quarter's report pack as a frozen, numbered version (its snapshot, page and
workbook; its PDF made from the snapshot on first download and stored), and reading the
published versions a user may see.

The PDF is not made when publishing: WeasyPrint takes seconds, most of publishing's time.
It is made from the frozen snapshot and the version's own (unchanging) details, so it reads
as it would have when published; once stored it never changes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Max, Q, QuerySet, Value
from django.shortcuts import get_object_or_404
from django.utils import timezone

from plans import access
from plans.models import PublishedReport, ReportingPeriod
from plans.notifications import news
from plans.reporting import pack_pdf
from plans.reporting.pack import render_report_html
from plans.reporting.pack_workbook import report_workbook
from plans.reporting.report import quarter_report

# The stored files, left unread where a page only lists or links to them.
FILES = ("data", "html", "workbook", "pdf")


def with_has_pdf(reports: QuerySet[PublishedReport]) -> QuerySet[PublishedReport]:
    """``has_pdf`` on each report, without reading the PDF: stored, or this server can make
    it on first download."""
    if pack_pdf.pdf_available():
        return reports.annotate(has_pdf=Value(True))
    return reports.annotate(
        has_pdf=ExpressionWrapper(Q(pdf__isnull=False), output_field=BooleanField())
    )


def latest_published(period: ReportingPeriod) -> PublishedReport | None:
    return (
        with_has_pdf(PublishedReport.objects.filter(period=period))
        .defer(*FILES)
        .select_related("published_by")
        .order_by("-version")
        .first()
    )


@transaction.atomic
def report_publish(*, period: ReportingPeriod, user, reason: str) -> PublishedReport:
    """Publish the quarter's report as it stands: a new version holding the report's data,
    its page and its workbook, frozen (its PDF follows on first download: ``published_pdf``).
    Republishing needs a reason."""
    if not access.is_partnership_admin(user, period.plan.partnership_id):
        raise PermissionDenied("Only the partnership's admins may publish reports.")
    # Lock the quarter so two admins publishing at once get versions 1 and 2, not a clash.
    ReportingPeriod.objects.select_for_update().filter(pk=period.pk).first()
    previous = PublishedReport.objects.filter(period=period).aggregate(n=Max("version"))["n"]
    reason = reason.strip()
    if previous and not reason:
        raise ValidationError({"reason": "Enter why you are republishing"})
    data = quarter_report(plan=period.plan, period=period).to_json()
    report = PublishedReport(
        plan=period.plan,
        period=period,
        version=(previous or 0) + 1,
        reason=reason,
        data=data,
        published_by=user,
        published_at=timezone.now(),
    )
    report.html = render_report_html(data, published=report)
    report.workbook = report_workbook(data)
    report.full_clean()
    report.save()
    news.report_published(report=report)  # to the SEG members, after commit
    return report


def published_pdf(report: PublishedReport) -> bytes | None:
    """The version's PDF: the stored one, else made now from its snapshot and stored (the
    first one stored wins when two downloads make it at once). None when this server cannot
    make PDFs. Raises whatever WeasyPrint raises: the version itself is untouched."""
    if report.pdf is not None:
        return bytes(report.pdf)
    content = pack_pdf.report_pdf(report.data, published=report, report_html=report.html)
    if content is None:
        return None
    stored = PublishedReport.objects.filter(pk=report.pk)
    if not stored.filter(pdf__isnull=True).update(pdf=content):  # another download's came first
        content = bytes(stored.values_list("pdf", flat=True).get())
    return content


def visible_published_reports(user) -> QuerySet[PublishedReport]:
    """Published reports of the plans the user may see (every member of the partnership)."""
    return PublishedReport.objects.filter(plan__in=access.visible_plans(user))


def get_published_report_for_user(user, pk: int, *, defer: tuple[str, ...] = ()) -> PublishedReport:
    """One published report, or 404 when the user may not see its plan."""
    reports = with_has_pdf(visible_published_reports(user)).select_related(
        "plan__partnership", "period", "published_by"
    )
    return get_object_or_404(reports.defer(*defer), pk=pk)
