"""The report pack as an Excel workbook: Summary, Actions, Indicators, Exceptions, Missing
updates and Overdue milestones sheets, built from a report's JSON snapshot, so a published
report's workbook is built from exactly what was published. ``write_table`` writes one typed,
filterable table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from plans.reporting.pack import (
    Snapshot,
    snapshot_date,
    snapshot_datetime,
    snapshot_of,
    summary_lines,
)
from plans.reporting.report import QuarterReport
from plans.safe_export import neutralise_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
# Whole numbers as whole numbers ("704", where "#,##0.###" shows "704."), fractions with up
# to three decimals ("82.5").
WHOLE_NUMBER_FORMAT = "#,##0"
NUMBER_FORMAT = "#,##0.0##"
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


def report_file_name(
    plan_title: str, period_label: str, *, version: int | None = None, suffix: str = "xlsx"
) -> str:
    """``swale-community-safety-plan-2019-20-2019-20-q4-report[-v2].xlsx`` (or ``.pdf``)"""
    stem = slugify(f"{plan_title} {period_label} report".replace("/", "-"))
    return f"{stem}{f'-v{version}' if version else ''}.{suffix}"


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
        value = snapshot_date(value) if isinstance(value, str) else value
    elif column.kind == "datetime":
        value = snapshot_datetime(value) if isinstance(value, str) else value
    elif column.kind == "number":
        value = _figure(value)
    cell = sheet.cell(row=row, column=col, value=value)
    cell.alignment = WRAP if column.kind == "long" else TOP
    if column.kind == "date":
        cell.number_format = DATE_FORMAT
    elif column.kind == "datetime":
        cell.number_format = DATETIME_FORMAT
    elif column.kind == "number" and not isinstance(cell.value, str) and cell.value is not None:
        whole = isinstance(cell.value, int) or float(cell.value).is_integer()
        cell.number_format = WHOLE_NUMBER_FORMAT if whole else NUMBER_FORMAT


def report_workbook(report: QuarterReport | Snapshot) -> bytes:
    """The report pack as an Excel workbook: Summary, Actions, Indicators, Exceptions,
    Missing updates, Overdue milestones and (answered) Questions sheets. Built from the JSON
    snapshot, so a published report's workbook is built from exactly what was published."""
    data = snapshot_of(report)
    book = Workbook()
    _summary_sheet(book.active, data)
    _actions_sheet(book.create_sheet("Actions"), data)
    _indicators_sheet(book.create_sheet("Indicators"), data)
    _exceptions_sheet(book.create_sheet("Exceptions"), data)
    _missing_sheet(book.create_sheet("Missing updates"), data)
    _milestones_sheet(book.create_sheet("Overdue milestones"), data)
    _questions_sheet(book.create_sheet("Questions"), data)
    if (data.get("funding") or {}).get("sources"):  # reports published before it had none
        funding_sheet(book.create_sheet("Funding"), data["funding"])
    return workbook_bytes(book, f"{data['plan']['title']}: {data['period']['label']} report")


def workbook_bytes(book: Workbook, title: str) -> bytes:
    """The finished file: titled, and with no cell that a spreadsheet would run as a formula
    (commentary and reasons are typed by people)."""
    book.properties.title = title
    book.properties.creator = "CSP Tracker"
    out = BytesIO()
    neutralise_workbook(book).save(out)
    return out.getvalue()


def write_facts(sheet: Worksheet, facts: list[tuple[str, Any, str | None]]) -> None:
    """Label and value pairs down the first two columns, from the top: (label, value,
    number format or None)."""
    for r, (label, value, number_format) in enumerate(facts, start=1):
        sheet.cell(row=r, column=1, value=label).font = HEADER_FONT
        cell = sheet.cell(row=r, column=2, value=value)
        cell.alignment = Alignment(horizontal="left")
        if number_format:
            cell.number_format = number_format


def _summary_sheet(sheet: Worksheet, data: Snapshot) -> None:
    sheet.title = "Summary"
    period, previous = data["period"], data.get("previous_period")
    facts = [
        ("Partnership", data["plan"]["partnership"], None),
        ("Plan", data["plan"]["title"], None),
        ("Quarter", period["label"], None),
        ("Quarter starts", snapshot_date(period["starts_on"]), DATE_FORMAT),
        ("Quarter ends", snapshot_date(period["ends_on"]), DATE_FORMAT),
        ("Report as at", snapshot_datetime(data["generated_at"]), DATETIME_FORMAT),
        ("Compared with", previous["label"] if previous else "No earlier quarter", None),
    ]
    write_facts(sheet, facts)
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


def funding_sheet(sheet: Worksheet, funding: dict) -> None:
    """The plan's funding by source, then by source and financial year (``funding_json``)."""
    columns = [Column("Source", 40, "long"), Column("Financial year", 14),
               Column("Lines", 10, "number"), Column("Amount (£)", 16, "number")]  # fmt: skip
    rows = [[s["source"], "All years", s["lines"], s["total"]] for s in funding["sources"]]
    rows += [[y["source"], y["year"] or "Not given", None, y["total"]] for y in funding["by_year"]]
    rows.append(["Total", "", None, funding["total"]])
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


def _questions_sheet(sheet: Worksheet, data: Snapshot) -> None:
    """The quarter's answered questions, as the HTML pack shows them (none in reports
    published before questions were kept)."""
    columns = [
        Column("Kind", 10),
        Column("Ref", 8),
        Column("Title", 40, "long"),
        Column("Lead", 22, "long"),
        Column("Question", 48, "long"),
        Column("Asked by", 20, "long"),
        Column("Answer", 60, "long"),
    ]
    rows = [
        [
            question["kind"].capitalize(),
            question["ref"],
            question["title"],
            question["lead"],
            question["question"],
            question["asked_by"],
            "\n\n".join(f"{a['text']} ({a['by']})" for a in question["answers"]),
        ]
        for question in data.get("questions", [])
    ]
    write_table(sheet, columns, rows)
