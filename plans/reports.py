"""The SEG report pack of a plan's quarter: the printable page, the Excel workbook, and
publishing both as a frozen snapshot.

Everything here works from the JSON snapshot of a ``plans.reporting.QuarterReport``
(``to_json()``), live or published: the live report pack and a published one are the same
template and the same workbook code fed the same kind of data, so what the SEG saw on the day
it was published is what it sees years later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.shortcuts import get_object_or_404
from django.template import Template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from plans import access
from plans.models import PublishedReport, ReportingPeriod
from plans.reporting import (
    ACTION_KEYS,
    ACTION_RAG_KEYS,
    ACTION_RAG_LABELS,
    COUNT_LABELS,
    INDICATOR_KEYS,
    STATUS_RAG,
    QuarterReport,
    quarter_report,
)

REPORT_TEMPLATE = "plans/report_pack.html"
# What a published report stores: the report itself, without the site's header, account bar
# (and its CSRF token) or footer. ``report_pack.html`` extends ``layout``: base.html on the
# live page, this bare layout when freezing it.
FROZEN_LAYOUT = Template("{% block report %}{% endblock %}")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Snapshot = dict[str, Any]


# --- Reading a snapshot ------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryLine:
    """A count of the executive summary beside the previous quarter's."""

    label: str
    count: int
    previous: int | None

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.count - self.previous

    @property
    def change_display(self) -> str:
        if self.change is None:
            return "Not known"
        return "No change" if self.change == 0 else f"{self.change:+d}"


def snapshot_of(report: QuarterReport | Snapshot) -> Snapshot:
    return report if isinstance(report, dict) else report.to_json()


def summary_lines(data: Snapshot) -> dict[str, list[SummaryLine]]:
    """The executive summary's counts, from a snapshot: actions by status and by RAG,
    indicators by RAG, each beside the previous quarter's (None when there is none)."""
    changes = data.get("changes") or {}
    previous_actions = changes.get("actions")
    previous_rags: dict[str, int] | None = None
    if previous_actions is not None:
        previous_rags = dict.fromkeys(ACTION_RAG_KEYS, 0)
        for status, n in previous_actions.items():
            key = STATUS_RAG.get(status) or ("no_rag" if status in STATUS_RAG else status)
            previous_rags[key] = previous_rags.get(key, 0) + n
    previous_indicators = changes.get("indicators")

    def lines(counts, previous, keys, labels) -> list[SummaryLine]:
        return [
            SummaryLine(
                labels[key], counts.get(key, 0), None if previous is None else previous.get(key, 0)
            )
            for key in keys
        ]

    return {
        "actions_by_status": lines(
            data["action_counts"], previous_actions, ACTION_KEYS, COUNT_LABELS
        ),
        "actions_by_rag": lines(
            data["action_rag_counts"], previous_rags, ACTION_RAG_KEYS, ACTION_RAG_LABELS
        ),
        "indicators_by_rag": lines(
            data["indicator_counts"], previous_indicators, INDICATOR_KEYS, COUNT_LABELS
        ),
    }


def report_context(data: Snapshot, *, published: PublishedReport | None) -> dict[str, Any]:
    """What ``report_pack.html`` needs besides the layout: the snapshot, its summary tables,
    its dates as dates, and ``published``, the version the page is (None on the live page)."""
    summary = summary_lines(data)
    actions = [row for p in data["priorities"] for row in p["actions"]]
    indicators = [row for p in data["priorities"] for row in p["indicators"]]
    return {
        "report": data,
        "summary_tables": [
            ("Actions by status", "actions-by-status", "Status", summary["actions_by_status"]),
            ("Actions by RAG", "actions-by-rag", "RAG", summary["actions_by_rag"]),
            ("Indicators by RAG", "indicators-by-rag", "RAG", summary["indicators_by_rag"]),
        ],
        "totals": {
            "actions": len(actions),
            "indicators": len(indicators),
            "exceptions": len(data["exceptions"]),
            "overdue_milestones": len(data["overdue_milestones"]),
            "missing_actions": sum(len(m["actions"]) for m in data["missing"]),
            "missing_indicators": sum(len(m["indicators"]) for m in data["missing"]),
        },
        "dates": {
            "starts_on": _date(data["period"]["starts_on"]),
            "ends_on": _date(data["period"]["ends_on"]),
            "cutoff": _date(data.get("cutoff")),
        },
        "milestones": [row | {"due": _date(row["due_date"])} for row in data["overdue_milestones"]],
        "generated_at": _datetime(data["generated_at"]),
        "published": published,
    }


def report_file_name(plan_title: str, period_label: str, *, version: int | None = None) -> str:
    """``swale-community-safety-plan-2019-20-2019-20-q4-report[-v2].xlsx``"""
    stem = slugify(f"{plan_title} {period_label} report".replace("/", "-"))
    return f"{stem}{f'-v{version}' if version else ''}.xlsx"


# --- The workbook ------------------------------------------------------------------------------

# GOV.UK tag colours (light fills, dark text): readable on screen and in black and white,
# and the cell says the word as well.
RAG_STYLES = {
    "red": ("F4CDC6", "2A0B06"),
    "amber": ("FFF7BF", "594D00"),
    "green": ("CCE2D8", "005A30"),
}
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}
HEADER_FILL = PatternFill("solid", start_color="DDE9F5")
HEADER_FONT = Font(bold=True)
DATE_FORMAT = "d mmmm yyyy"
DATETIME_FORMAT = "d mmmm yyyy hh:mm"
NUMBER_FORMAT = "#,##0.###"
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
NUMERIC = re.compile(r"^-?\d+(\.\d+)?%?$")


@dataclass(frozen=True)
class Column:
    """A column of a workbook table: its header, width (in characters) and kind of value:
    "text", "long" (wrapped text), "number", "date", "datetime" or "rag"."""

    title: str
    width: int
    kind: str = "text"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> datetime | None:
    """An ISO timestamp as local time, without a time zone (Excel has none)."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None)


def _figure(value: Any) -> int | float | Decimal | str | None:
    """A figure as a number where it is one ("85%" → 85), else the text as shown."""
    if value is None or isinstance(value, (int, float, Decimal)):
        return value
    text = str(value).strip()
    if NUMERIC.match(text):
        try:
            number = Decimal(text.rstrip("%"))
        except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
            return text
        return int(number) if number == number.to_integral_value() else float(number)
    return text


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def write_table(
    sheet: Worksheet, columns: list[Column], rows: list[list[Any]], *, first_row: int = 1
) -> None:
    """A table from ``first_row``: bold header row kept in view when scrolling, filters on,
    widths set, and each cell typed by its column (numbers as numbers, dates as dates, RAG
    as its word on its colour)."""
    for n, column in enumerate(columns, start=1):
        cell = sheet.cell(row=first_row, column=n, value=column.title)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        sheet.column_dimensions[get_column_letter(n)].width = column.width
    for r, values in enumerate(rows, start=first_row + 1):
        for n, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            _write_cell(sheet, r, n, column, value)
    last = get_column_letter(len(columns))
    sheet.freeze_panes = sheet.cell(row=first_row + 1, column=1)
    sheet.auto_filter.ref = f"A{first_row}:{last}{first_row + max(len(rows), 1)}"


def _write_cell(sheet: Worksheet, row: int, col: int, column: Column, value: Any) -> None:
    if column.kind == "rag":
        cell = sheet.cell(row=row, column=col, value=RAG_WORDS.get(value or "", "No RAG"))
        if value in RAG_STYLES:
            fill, text = RAG_STYLES[value]
            cell.fill = PatternFill("solid", start_color=fill)
            cell.font = Font(bold=True, color=text)
        cell.alignment = TOP
        return
    if column.kind == "date":
        value = _date(value) if isinstance(value, str) else value
    elif column.kind == "datetime":
        value = _datetime(value) if isinstance(value, str) else value
    elif column.kind == "number":
        value = _figure(value)
    cell = sheet.cell(row=row, column=col, value=value)
    cell.alignment = WRAP if column.kind == "long" else TOP
    if column.kind == "date":
        cell.number_format = DATE_FORMAT
    elif column.kind == "datetime":
        cell.number_format = DATETIME_FORMAT
    elif column.kind == "number" and not isinstance(cell.value, str):
        cell.number_format = NUMBER_FORMAT


def report_workbook(report: QuarterReport | Snapshot) -> bytes:
    """The report pack as an Excel workbook: Summary, Actions, Indicators, Exceptions,
    Missing updates and Overdue milestones sheets. Built from the JSON snapshot, so a
    published report's workbook is built from exactly what was published."""
    data = snapshot_of(report)
    book = Workbook()
    _summary_sheet(book.active, data)
    _actions_sheet(book.create_sheet("Actions"), data)
    _indicators_sheet(book.create_sheet("Indicators"), data)
    _exceptions_sheet(book.create_sheet("Exceptions"), data)
    _missing_sheet(book.create_sheet("Missing updates"), data)
    _milestones_sheet(book.create_sheet("Overdue milestones"), data)
    book.properties.title = f"{data['plan']['title']}: {data['period']['label']} report"
    book.properties.creator = "CSP Tracker"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _summary_sheet(sheet: Worksheet, data: Snapshot) -> None:
    sheet.title = "Summary"
    period, previous = data["period"], data.get("previous_period")
    facts = [
        ("Partnership", data["plan"]["partnership"], None),
        ("Plan", data["plan"]["title"], None),
        ("Quarter", period["label"], None),
        ("Quarter starts", _date(period["starts_on"]), DATE_FORMAT),
        ("Quarter ends", _date(period["ends_on"]), DATE_FORMAT),
        ("Report as at", _datetime(data["generated_at"]), DATETIME_FORMAT),
        ("Compared with", previous["label"] if previous else "No earlier quarter", None),
    ]
    for r, (label, value, number_format) in enumerate(facts, start=1):
        sheet.cell(row=r, column=1, value=label).font = HEADER_FONT
        cell = sheet.cell(row=r, column=2, value=value)
        cell.alignment = Alignment(horizontal="left")
        if number_format:
            cell.number_format = number_format
    columns = [
        Column("Of", 14),
        Column("Measure", 32),
        Column(period["label"], 14, "number"),
        Column(previous["label"] if previous else "Previous quarter", 16, "number"),
        Column("Change", 12, "number"),
    ]
    groups = (
        ("Actions", "actions_by_status"),
        ("Actions (RAG)", "actions_by_rag"),
        ("Indicators", "indicators_by_rag"),
    )
    summary = summary_lines(data)
    rows = [
        [group, line.label, line.count, line.previous, line.change]
        for group, key in groups
        for line in summary[key]
    ]
    write_table(sheet, columns, rows, first_row=len(facts) + 2)
    sheet.column_dimensions["B"].width = max(sheet.column_dimensions["B"].width, 40)


def _actions_sheet(sheet: Worksheet, data: Snapshot) -> None:
    columns = [
        Column("Priority", 8),
        Column("Priority title", 28, "long"),
        Column("Ref", 8),
        Column("Action", 48, "long"),
        Column("Lead", 22, "long"),
        Column("Status", 18),
        Column("RAG", 10, "rag"),
        Column("Commentary", 60, "long"),
        Column("Next steps", 40, "long"),
        Column("Submitted", 20, "datetime"),
        Column("Late", 8),
        Column("Overdue milestone, no update", 14),
    ]
    rows = [
        [
            priority["ref"] or "",
            priority["title"],
            row["ref"],
            row["title"],
            row["lead"],
            row["status_label"],
            row["rag"],
            row["commentary"],
            row.get("next_steps", ""),
            row.get("submitted_at"),
            _yes_no(row.get("late", False)),
            _yes_no(row.get("flagged", False)),
        ]
        for priority in data["priorities"]
        for row in priority["actions"]
    ]
    write_table(sheet, columns, rows)


def _last_four_titles(data: Snapshot) -> list[str]:
    for priority in data["priorities"]:
        for row in priority["indicators"]:
            if row.get("last_four"):
                return [point["quarter"] for point in row["last_four"]]
    return [f"Quarter {n}" for n in range(1, 5)]


def _indicators_sheet(sheet: Worksheet, data: Snapshot) -> None:
    quarters = _last_four_titles(data)
    columns = [
        Column("Priority", 8),
        Column("Priority title", 28, "long"),
        Column("Ref", 8),
        Column("Indicator", 48, "long"),
        Column("Lead", 22, "long"),
        Column("Target (as written)", 28, "long"),
        Column("Target (as understood)", 28, "long"),
        Column(f"Value {data['period']['label']}", 14, "number"),
        Column("Shown as", 14),
        Column("RAG", 10, "rag"),
        Column("RAG set by lead", 10),
        Column("Direction since last quarter", 18),
        Column("Direction since a year ago", 18),
        *(Column(title, 12, "number") for title in quarters),
        Column("Commentary", 50, "long"),
    ]
    rows = []
    for priority in data["priorities"]:
        for row in priority["indicators"]:
            points = [point.get("value", point["display"]) for point in row["last_four"]]
            points = (points + [None] * len(quarters))[: len(quarters)]
            rows.append(
                [
                    priority["ref"] or "",
                    priority["title"],
                    row["ref"],
                    row["title"],
                    row["lead"],
                    row["target"],
                    row["target_summary"],
                    row["value"],
                    row["display"],
                    row["rag"],
                    _yes_no(row.get("rag_overridden", False)),
                    row["direction_label"],
                    row["direction_year_label"],
                    *points,
                    row["commentary"],
                ]
            )
    write_table(sheet, columns, rows)


def _exceptions_sheet(sheet: Worksheet, data: Snapshot) -> None:
    columns = [
        Column("Kind", 10),
        Column("Ref", 8),
        Column("Title", 48, "long"),
        Column("Lead", 22, "long"),
        Column("RAG", 10, "rag"),
        Column("Status or value", 18),
        Column("Target", 24, "long"),
        Column("Commentary", 60, "long"),
    ]
    rows = [
        [
            row["kind"].capitalize(),
            row["ref"],
            row["title"],
            row["lead"],
            row["rag"],
            row["status_label"] if row["kind"] == "action" else row["display"],
            row.get("target", ""),
            row["commentary"],
        ]
        for row in data["exceptions"]
    ]
    write_table(sheet, columns, rows)


def _missing_sheet(sheet: Worksheet, data: Snapshot) -> None:
    columns = [
        Column("Agency", 30, "long"),
        Column("Kind", 10),
        Column("Ref", 8),
        Column("Title", 60, "long"),
    ]
    rows = [
        [missing["agency"], kind, item["ref"], item["title"]]
        for missing in data["missing"]
        for kind, items in (("Action", missing["actions"]), ("Indicator", missing["indicators"]))
        for item in items
    ]
    write_table(sheet, columns, rows)


def _milestones_sheet(sheet: Worksheet, data: Snapshot) -> None:
    columns = [
        Column("Action", 8),
        Column("Action title", 40, "long"),
        Column("Milestone", 48, "long"),
        Column("Due", 16, "date"),
        Column("Lead", 22, "long"),
        Column("No update this quarter", 14),
    ]
    rows = [
        [
            row["action"],
            row["action_title"],
            row["milestone"],
            row["due_date"],
            row["lead"],
            _yes_no(row.get("flagged", False)),
        ]
        for row in data["overdue_milestones"]
    ]
    write_table(sheet, columns, rows)


# --- Publishing --------------------------------------------------------------------------------


def render_report_html(data: Snapshot, *, published: PublishedReport | None) -> str:
    """The report as it reads on the page, without the site around it: what is frozen."""
    context = report_context(data, published=published) | {"layout": FROZEN_LAYOUT}
    return render_to_string(REPORT_TEMPLATE, context).strip()


def latest_published(period: ReportingPeriod) -> PublishedReport | None:
    return (
        PublishedReport.objects.filter(period=period)
        .defer("data", "html", "workbook")
        .select_related("published_by")
        .order_by("-version")
        .first()
    )


@transaction.atomic
def report_publish(*, period: ReportingPeriod, user, reason: str) -> PublishedReport:
    """Publish the quarter's report as it stands: a new version holding the report's data,
    its page and its workbook, frozen. Republishing needs a reason."""
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
    return report


# --- Reading published reports -----------------------------------------------------------------


def visible_published_reports(user) -> QuerySet[PublishedReport]:
    """Published reports of the plans the user may see (every member of the partnership)."""
    return PublishedReport.objects.filter(plan__in=access.visible_plans(user))


def get_published_report_for_user(user, pk: int, *, defer: tuple[str, ...] = ()) -> PublishedReport:
    """One published report, or 404 when the user may not see its plan."""
    reports = visible_published_reports(user).select_related(
        "plan__partnership", "period", "published_by"
    )
    return get_object_or_404(reports.defer(*defer), pk=pk)
