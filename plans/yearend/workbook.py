"""The year-end report as an Excel workbook (Summary, Actions, Indicators), built from its
JSON, so a published report's workbook holds exactly what was published. Tables are written
as the report pack's are (``pack_workbook.write_table``)."""

from __future__ import annotations

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from plans.reporting.pack import snapshot_date, snapshot_datetime
from plans.reporting.pack_workbook import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    Column,
    workbook_bytes,
    write_facts,
    write_table,
)


def file_name(plan_title: str, year_label: str, *, version: int | None = None) -> str:
    """``swale-community-safety-plan-2019-20-2019-20-year-end-report[-v2].xlsx``"""
    stem = slugify(f"{plan_title} {year_label} year end report".replace("/", "-"))
    return f"{stem}{f'-v{version}' if version else ''}.xlsx"


def year_end_workbook(data: dict) -> bytes:
    book = Workbook()
    _summary_sheet(book.active, data)
    _actions_sheet(book.create_sheet("Actions"), data)
    _indicators_sheet(book.create_sheet("Indicators"), data)
    return workbook_bytes(book, f"{data['plan']['title']}: year-end report {data['year']['label']}")


def _summary_sheet(sheet: Worksheet, data: dict) -> None:
    sheet.title = "Summary"
    year = data["year"]
    facts = [
        ("Partnership", data["plan"]["partnership"], None),
        ("Plan", data["plan"]["title"], None),
        ("Year", year["label"], None),
        ("Year starts", snapshot_date(year["starts_on"]), DATE_FORMAT),
        ("Year ends", snapshot_date(year["ends_on"]), DATE_FORMAT),
        ("Report as at", snapshot_datetime(data["generated_at"]), DATETIME_FORMAT),
        ("Status", "Draft: the plan is not closed yet" if data["draft"] else "Closed", None),
    ]
    write_facts(sheet, facts)
    rows = [["Actions", line["label"], line["count"]] for line in data["final_counts"]]
    rows += [["Indicators", line["label"], line["count"]] for line in data["indicator_counts"]]
    columns = [Column("Of", 14), Column("Final status or RAG", 40), Column("Count", 10, "number")]
    write_table(sheet, columns, rows, first_row=len(facts) + 2)


def _item_columns(noun: str) -> list[Column]:
    """The first columns of the Actions and Indicators sheets: the row's priority, and the
    action's or indicator's ref, title and lead (``_item_cells``)."""
    return [
        Column("Priority", 8),
        Column("Priority title", 28, "long"),
        Column("Ref", 8),
        Column(noun, 48, "long"),
        Column("Lead", 22, "long"),
    ]


def _item_cells(priority: dict, row: dict) -> list:
    return [priority["ref"], priority["title"], row["ref"], row["title"], row["lead"]]


def _actions_sheet(sheet: Worksheet, data: dict) -> None:
    columns = _item_columns("Action") + [
        Column("Final status", 20),
        Column("Reason", 60, "long"),
        Column("Completed in", 14),
    ]
    rows = [
        _item_cells(p, row) + [row["final_label"], row["reason"], row["completed_in"] or ""]
        for p in data["priorities"]
        for row in p["actions"]
    ]  # fmt: skip
    write_table(sheet, columns, rows)


def _indicators_sheet(sheet: Worksheet, data: dict) -> None:
    columns = _item_columns("Indicator") + [
        Column("Frequency", 14),
        Column("Target at year end (as written)", 28, "long"),
        Column("Target (as understood)", 28, "long"),
        Column(f"Outturn {data['year']['label']}", 14, "number"),
        Column("Shown as", 14),
        Column("Figure for", 14),
        Column("RAG", 10, "rag"),
        Column("RAG set by lead", 10),
        Column("Note", 50, "long"),
    ]
    rows = [
        _item_cells(p, row) + [
            row["frequency"], row["target"], row["target_summary"], row["value"], row["display"],
            row["quarter"] or "", row["rag"], "Yes" if row["rag_overridden"] else "No",
            row["note"],
        ]
        for p in data["priorities"]
        for row in p["indicators"]
    ]  # fmt: skip
    write_table(sheet, columns, rows)
