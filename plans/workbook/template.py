"""The template's layout, written with openpyxl: an Instructions sheet, a sheet per entry of
``SHEETS`` with its header row (help as comments), drop-down lists from a hidden Lists sheet,
and the downloadable blank template with its example rows. ``plans.workbook.export`` fills
the same layout with a plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from plans.safe_export import neutralise_workbook
from plans.workbook.columns import (
    DIRECTIONS,
    EXAMPLE_MARKER,
    FREQUENCIES,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    MAX_EXCEL_CELL,
    MONEY_FORMAT,
    PLAN_KINDS,
    REF_FIELDS,
    SCORE_HELP,
    SHEETS,
    UNITS,
    VALIDATED_ROWS,
    YES_NO,
    Column,
    choice_label,
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
EXAMPLE_FONT = Font(italic=True, color="6F777B")
WRAP = Alignment(wrap_text=True, vertical="top")


def template_workbook(*, agencies: list[str]) -> bytes:
    """The blank template as .xlsx bytes: an Instructions sheet, then every sheet of ``SHEETS``
    with its header row, example rows (marked ``EXAMPLE_MARKER`` in the column after the last
    header, grey italic; the importer skips them) and drop-down lists where the values are known
    (``agencies`` by name, yes/no, frequency, unit, direction)."""
    return build(EXAMPLE_ROWS, agencies=agencies, examples=True)


def build(
    rows: dict[str, list[dict[str, Any]]],
    *,
    agencies: list[str],
    examples: bool,
    extra: Callable[[Workbook], None] | None = None,
) -> bytes:
    """The workbook as .xlsx bytes, ``rows`` ({sheet: [{field: value}]}) under each sheet's
    header row; with ``examples``, each row is greyed and marked ``EXAMPLE_MARKER``;
    ``extra`` adds sheets that the import ignores (a summary)."""
    book = Workbook()
    _instructions(book.active, examples=examples)
    lists = _lists_sheet(book, agencies)
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        _header(sheet, columns, examples=examples)
        for row_number, values in enumerate(rows.get(name, []), start=2):
            for index, column in enumerate(columns, start=1):
                _write(sheet.cell(row_number, index), column, values.get(column.field))
            if examples:
                for index in range(1, len(columns) + 2):
                    sheet.cell(row_number, index).font = EXAMPLE_FONT
                sheet.cell(row_number, len(columns) + 1, EXAMPLE_MARKER)
        _validations(sheet, columns, lists)
    if extra is not None:
        extra(book)
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    buffer = BytesIO()
    neutralise_workbook(book).save(buffer)  # plan texts are never formulas
    return buffer.getvalue()


def _write(cell, column: Column, value: Any) -> None:
    if value is None or value == "":
        return
    if column.kind == "bool":
        cell.value = "Yes" if value else "No"
    elif column.kind in ("choice", "frequency"):
        cell.value = choice_label(column.choices, value)
    elif column.kind == "money":
        cell.value = value
        cell.number_format = MONEY_FORMAT
    elif column.kind == "date" and isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "d mmmm yyyy"
    elif isinstance(value, int | float):
        cell.value = value
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_EXCEL_CELL]
        cell.value = text
        # openpyxl would store "=..." as a formula; plan texts are never formulas.
        cell.data_type = "s"
    if column.field in REF_FIELDS:
        cell.number_format = "@"
    cell.alignment = WRAP


def _header(sheet: Worksheet, columns: list[Column], *, examples: bool) -> None:
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(1, index, column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        if column.help:
            required = "Required. " if column.required else ""
            cell.comment = Comment(f"{required}{column.help}", "CSP Tracker")
        letter = get_column_letter(index)
        wide = column.kind == "text" and column.max_length is None
        sheet.column_dimensions[letter].width = 45 if wide else 18
        if column.field in REF_FIELDS:
            sheet.column_dimensions[letter].number_format = "@"
    if examples:
        sheet.column_dimensions[get_column_letter(len(columns) + 1)].width = 28
    sheet.freeze_panes = "A2"


def _lists_sheet(book: Workbook, agencies: list[str]) -> dict[str, str]:
    """A hidden sheet holding the drop-down lists, which may be too long (or hold commas) for
    a list written into the validation itself. Returns {list name: range formula}."""
    sheet = book.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    columns = {
        "agency": [name for name in agencies if name],
        "bool": [label for _, label in YES_NO],
        "kind": [label for _, label in PLAN_KINDS],
        "frequency": [label for _, label in FREQUENCIES],
        "unit": [label for _, label in UNITS],
        "direction": [label for _, label in DIRECTIONS],
    }
    formulas: dict[str, str] = {}
    for index, (name, values) in enumerate(columns.items(), start=1):
        sheet.cell(1, index, name)
        for row, value in enumerate(values, start=2):
            cell = sheet.cell(row, index, ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"
        letter = get_column_letter(index)
        last = max(len(values) + 1, 2)
        formulas[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}"
    return formulas


def _validations(sheet: Worksheet, columns: list[Column], lists: dict[str, str]) -> None:
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{VALIDATED_ROWS}"
        if column.kind in ("agency", "agencies", "frequency"):
            # New agencies, several of them ("a; b"), and a plan's own words for a frequency
            # may be typed in: suggest, do not insist.
            name = column.field if column.kind == "frequency" else "agency"
            validation = DataValidation(
                type="list", formula1=lists[name], allow_blank=True, showErrorMessage=False
            )
        elif column.kind in ("bool", "choice"):
            name = "bool" if column.kind == "bool" else column.field
            validation = DataValidation(
                type="list",
                formula1=lists[name],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.header,
                error=f"Pick one of the list: {column.help}",
            )
        elif column.kind == "int":
            validation = DataValidation(
                type="whole",
                operator="between",
                formula1="1",
                formula2="5",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.header,
                error=SCORE_HELP,
            )
        else:
            continue
        sheet.add_data_validation(validation)
        validation.add(cells)


def _instructions(sheet: Worksheet, *, examples: bool) -> None:
    sheet.title = INSTRUCTIONS_SHEET
    lines = [
        ("How to fill in this action plan workbook", HEADER_FONT),
        ("", None),
        ("Fill in one sheet per part of the plan. Keep each sheet's first row of headings: "
         "columns may be moved, but not renamed.", None),
        ("Rows name their parent by ref: an objective and an action name their priority's "
         "ref; an action may also name its objective's ref; a milestone names its priority "
         "and action refs.", None),
        ("A plan that numbers nothing may leave the Ref columns empty: CSP Tracker numbers "
         "its priorities, objectives, actions and indicators in the order of the sheets. "
         "Rows then name their priority by its title.", None),
        ("An indicator may say which actions and objectives it measures; an action and a "
         "milestone may name a lead officer (a name or role) besides the lead agency.", None),
        ("Agencies are named by their name or short name. A name the system does not know "
         "is shown on the preview, and is only created if you tick it.", None),
        ('Timescales are kept as written ("By June 19", "31 March 2016", "Quarterly", '
         '"Ongoing", "As required"); a real Excel date is fine too.', None),
        ("A plan already under way may bring its progress: the Action progress sheet "
         "(each action's status and commentary by quarter) and the Indicator values sheet "
         "(each indicator's figure by quarter). Both are optional. Only quarters within the "
         "plan's years that have ended are accepted: they are created as closed quarters, and "
         "what they hold counts as submitted and is marked as imported with the plan.", None),
        ("The Funding sheet (money behind each action) and the Previous results sheet (the "
         "plan's review of the year before it) may be left empty, or left out.", None),
        ('"Reported to" takes several groups, separated by semicolons. "Numbered by CSP '
         'Tracker" says Yes where the plan gave no ref: keep it when you import an export '
         "again.", None),
        ("Empty rows are ignored. Formulas are not worked out: type values in.", None),
    ]  # fmt: skip
    if examples:
        lines.append(
            (f'Rows marked "{EXAMPLE_MARKER}" (grey, in italics) are examples and are '
             "skipped when you import: delete them or type over them and remove the mark.",
             None)
        )  # fmt: skip
    lines += [("", None), ("Sheets and columns", HEADER_FONT)]
    for name, columns in SHEETS.items():
        lines.append(("", None))
        lines.append((name, HEADER_FONT))
        for column in columns:
            required = " (required)" if column.required else ""
            limit = f" At most {column.max_length} characters." if column.max_length else ""
            lines.append((f"{column.header}{required}: {column.help}{limit}".strip(), None))
    for row, (text, font) in enumerate(lines, start=1):
        cell = sheet.cell(row, 1, text)
        if font:
            cell.font = font
    sheet.column_dimensions["A"].width = 120


# A small plan showing each sheet's use; every row is marked as an example.
EXAMPLE_ROWS: dict[str, list[dict[str, Any]]] = {
    "Plan": [
        {"title": "Action Plan 2025-26", "kind": "action_plan", "start_year": "2025/26",
         "end_year": "2025/26", "summary": "A place where people are safe from harm.",
         "source": "CSP Action Plan 2025-26"},
    ],
    "Priorities": [
        {"ref": "1", "title": "Tackle domestic abuse", "lead_agency": "Kent Police",
         "is_cross_cutting": False, "summary": "Reports of domestic abuse have risen.",
         "key_themes": "Support for victims.\nChallenge perpetrators."},
        {"ref": "2", "title": "Reducing reoffending", "is_cross_cutting": True},
    ],
    "Objectives": [
        {"priority_ref": "1", "ref": "1", "title": "Support victims of domestic abuse"},
    ],
    "Actions": [
        {"priority_ref": "1", "objective_ref": "1", "ref": "1.1",
         "title": "Run a domestic abuse awareness campaign.",
         "desired_outcome": "More victims come forward.", "lead_agency": "Kent Police",
         "supporting_agencies": "Medway Council; Kent Fire and Rescue Service",
         "responsible": "CSU Inspector", "lead_officer": "Chief Inspector Smith",
         "timescale": "By June 25"},
    ],
    "Milestones": [
        {"priority_ref": "1", "action_ref": "1.1", "text": "Agree campaign materials.",
         "timescale": "By May 25"},
        {"priority_ref": "1", "action_ref": "1.1", "text": "Report reach to the SEG.",
         "timescale": "Quarterly", "supporting_agencies": "Medway Council"},
    ],
    "Indicators": [
        {"ref": "DA01", "title": "Repeat victims of domestic abuse", "priority_ref": "1",
         "target": "Below 28%", "baseline": "30% (2024/25)", "due_as_written": "31 March 2026",
         "agency": "Kent Police", "frequency": "quarterly", "unit": "percentage",
         "direction": "down", "measures_actions": "1.1", "measures_objectives": "1/1"},
    ],
    "Risks": [
        {"ref": "R1", "risk": "Partners cannot supply data on time.",
         "controls": "Data sharing agreement.", "likelihood_before": 3, "impact_before": 4,
         "likelihood_after": 2, "impact_after": 3, "status": "Risk managed"},
    ],
    "Action progress": [
        {"action_ref": "1.1", "quarter": "2025/26 Q1", "status": "On track",
         "commentary": "Campaign materials agreed with partners.",
         "next_steps": "Launch the campaign in July."},
        {"action_ref": "1.1", "quarter": "2025/26 Q2", "status": "Complete",
         "commentary": "Campaign ran in July and August."},
    ],
    "Indicator values": [
        {"indicator_ref": "DA01", "quarter": "2025/26 Q1", "value": 29.5},
        {"indicator_ref": "DA01", "quarter": "2025/26 Q2", "value": 28.1,
         "note": "Provisional figure."},
    ],
    "Funding": [
        {"priority_ref": "1", "action_ref": "1.1", "source": "PCC grant", "amount": 1000,
         "financial_year": "2025/26", "as_written": "PCC grant £1,000"},
    ],
    "Previous results": [
        {"ref": "1", "title": "Reduce repeat victims of domestic abuse", "target": "Below 30%",
         "outturn": "29.5%", "period": "2024/25", "comment": "Target met."},
    ],
}  # fmt: skip
