"""The action-plan workbook: the template's sheets and columns, the downloadable template and
the export of any plan to the same layout (which ``plans.importer`` reads back).

The column definitions below are the single source of truth: the template, the export, the
importer's header matching and validation, and the Instructions sheet are all built from them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from indicators.models import Indicator
from plans.models import Agency, Plan
from priorities.models import Action, Milestone, Objective


@dataclass(frozen=True)
class Column:
    """One column of a template sheet.

    ``kind`` says how the importer reads the cell: "text", "int" (a whole number, 1 to 5 for
    risk scores), "year" (a financial year: 2024 or "2024/25"), "date" (a real Excel date or a
    written date such as "31 March 2016"; anything else is an error), "date_or_text" (kept as
    written, a due date derived where it parses), "bool" (yes/no), "choice" (one of
    ``choices``, by label or value), "agency" (an agency by name or short name) or "agencies"
    (several, separated by ";" or new lines).
    """

    header: str
    field: str
    required: bool = False
    max_length: int | None = None
    kind: str = "text"
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


YES_NO: tuple[tuple[str, str], ...] = (("yes", "Yes"), ("no", "No"))
PLAN_KINDS = tuple(Plan.Kind.choices)
FREQUENCIES = tuple(Indicator.Frequency.choices)
UNITS = tuple(Indicator.Unit.choices)
DIRECTIONS = tuple((value, label) for value, label in Indicator.Direction.choices if value)

SCORE_HELP = "A whole number from 1 (lowest) to 5 (highest)."

SHEETS: dict[str, list[Column]] = {
    "Plan": [
        Column("Title", "title", True, 300, help='The plan\'s name, e.g. "Action Plan 2025-26".'),
        Column("Kind", "kind", True, kind="choice", choices=PLAN_KINDS,
               help="Community safety plan, Action plan or Refresh."),
        Column("First year", "start_year", True, kind="year",
               help="First financial year: 2025 or 2025/26."),
        Column("Last year", "end_year", True, kind="year",
               help="Last financial year: 2025 or 2025/26 for a one-year plan."),
        Column("Summary", "summary", help="The vision or summary, as written."),
        Column("Source", "source", max_length=300, help="The document the plan comes from."),
        Column("Read with", "parent_title", max_length=300,
               help="Title of an earlier plan of the partnership this one delivers (optional)."),
    ],
    "Priorities": [
        Column("Ref", "ref", True, 20, help='The priority\'s number or code, e.g. "1".'),
        Column("Title", "title", True, 300, help='e.g. "Tackle domestic abuse".'),
        Column("Lead agency", "lead_agency", kind="agency",
               help="The agency that leads it, by name or short name."),
        Column("Lead as written", "lead_as_written", max_length=300,
               help='The lead as the plan writes it, e.g. "Medway Council (Public Health)".'),
        Column("Cross-cutting", "is_cross_cutting", kind="bool", choices=YES_NO,
               help="Yes for a cross-cutting theme that runs through the other priorities."),
        Column("Summary", "summary", help="Summary of the issue, as written."),
        Column("Key themes", "key_themes", help="One key theme per line (Alt+Enter in Excel)."),
    ],
    "Objectives": [
        Column("Priority ref", "priority_ref", True, 20,
               help="Ref of its priority on the Priorities sheet."),
        Column("Ref", "ref", True, 20, help="Unique within its priority."),
        Column("Title", "title", True, help="What the priority wants to achieve."),
        Column("Description", "description"),
    ],
    "Actions": [
        Column("Priority ref", "priority_ref", True, 20,
               help="Ref of its priority on the Priorities sheet."),
        Column("Objective ref", "objective_ref", max_length=20,
               help="Ref of its objective (under the same priority), if it has one."),
        Column("Ref", "ref", True, 20, help='Unique within its priority, e.g. "2.5" or "b".'),
        Column("Action", "title", True, help="What will be done."),
        Column("Desired outcome", "desired_outcome"),
        Column("Lead agency", "lead_agency", kind="agency",
               help="The agency that leads it, by name or short name."),
        Column("Lead as written", "lead_as_written", max_length=300,
               help='The lead as the plan writes it, e.g. "KSS CRC/ Kent Police/NPS".'),
        Column("Supporting agencies", "supporting_agencies", kind="agencies",
               help="Agencies that support it, separated by semicolons or one per line."),
        Column("Responsible", "responsible", max_length=300, help="The role, as written."),
        Column("Timescale", "timescale", max_length=200, kind="date_or_text",
               help='As written: "By June 19", "31 March 2016", "Quarterly", "Ongoing".'),
        Column("Due date", "due_date", kind="date",
               help="A date, if the timescale does not give one (optional)."),
        Column("Partner priority", "partner_priority", max_length=200,
               help='A partner plan\'s priority it serves, e.g. "priority 2".'),
        Column("Footnote", "footnote"),
    ],
    "Milestones": [
        Column("Priority ref", "priority_ref", True, 20, help="Ref of the action's priority."),
        Column("Action ref", "action_ref", True, 20, help="Its action's ref (Actions sheet)."),
        Column("Milestone", "text", True, help="One step of the action, in order."),
        Column("Timescale", "timescale", max_length=200, kind="date_or_text",
               help='As written: "By June 19", "Quarterly", "Ongoing", "As required".'),
        Column("Due date", "due_date", kind="date",
               help="A date, if the timescale does not give one (optional)."),
    ],
    "Indicators": [
        Column("Ref", "ref", True, 20, help='Code, unique in the plan, e.g. "DA06".'),
        Column("Indicator", "title", True, help="What is measured."),
        Column("Priority ref", "priority_ref", max_length=20,
               help="Ref of the priority it belongs to (optional)."),
        Column("Theme", "theme", max_length=200, help="Priority or theme as the plan writes it."),
        Column("Target", "target", help='As written: "Below 28% CAADA benchmark".'),
        Column("Baseline", "baseline", max_length=300),
        Column("Due", "due_as_written", max_length=100, kind="date_or_text",
               help='When the target is due, as written: "31 March 2016".'),
        Column("Due date", "due_date", kind="date", help="A date, if Due does not give one."),
        Column("Responsible", "responsible", max_length=300, help="The role, as written."),
        Column("Agency", "agency", kind="agency", help="The agency that reports it."),
        Column("Agency as written", "agency_as_written", max_length=300),
        Column("Reported to", "reporting_group", kind="agency",
               help='The group it is reported to, e.g. "Swale CSP Executive".'),
        Column("Frequency", "frequency", kind="choice", choices=FREQUENCIES,
               help="Monthly, Quarterly (if empty), Six monthly or Annually."),
        Column("Unit", "unit", kind="choice", choices=UNITS,
               help="Number (if empty), Percentage, Rate or Other."),
        Column("Direction", "direction", kind="choice", choices=DIRECTIONS,
               help="Higher is better or Lower is better (optional)."),
    ],
    "Risks": [
        Column("Ref", "ref", True, 20, help="Unique in the plan."),
        Column("Risk", "risk", True),
        Column("Implications", "implications"),
        Column("Controls", "controls"),
        Column("Likelihood before", "likelihood_before", kind="int", help=SCORE_HELP),
        Column("Impact before", "impact_before", kind="int", help=SCORE_HELP),
        Column("Likelihood after", "likelihood_after", kind="int", help=SCORE_HELP),
        Column("Impact after", "impact_after", kind="int", help=SCORE_HELP),
        Column("Status", "status", max_length=100, help='e.g. "Risk managed".'),
    ],
}  # fmt: skip

INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Lists"
EXAMPLE_MARKER = "EXAMPLE – delete this row"
# Fields whose cells are codes: stored as text so that Excel keeps "1.10" and "06" as typed.
REF_FIELDS = {"ref", "priority_ref", "objective_ref", "action_ref"}
MAX_EXCEL_CELL = 32767
VALIDATED_ROWS = 1000

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
EXAMPLE_FONT = Font(italic=True, color="6F777B")
WRAP = Alignment(wrap_text=True, vertical="top")


def choice_label(choices: tuple[tuple[str, str], ...], value: str) -> str:
    return dict(choices).get(value, value) if value else ""


def template_workbook(*, agencies: list[str]) -> bytes:
    """The blank template as .xlsx bytes: an Instructions sheet, then every sheet of ``SHEETS``
    with its header row, example rows (marked ``EXAMPLE_MARKER`` in the column after the last
    header, grey italic; the importer skips them) and drop-down lists where the values are known
    (``agencies`` by name, yes/no, frequency, unit, direction)."""
    return _build(EXAMPLE_ROWS, agencies=agencies, examples=True)


def plan_workbook(plan: Plan) -> bytes:
    """``plan`` exported to the template's layout (no example rows), as .xlsx bytes."""
    agencies = list(Agency.objects.order_by("name").values_list("name", flat=True))
    return _build(plan_rows(plan), agencies=agencies, examples=False)


def plan_rows(plan: Plan) -> dict[str, list[dict[str, Any]]]:
    """The plan as rows of each sheet ({field: value}), in the plan's order."""
    priorities = list(plan.priorities.select_related("lead_agency").prefetch_related("key_themes"))
    priority_refs = {priority.pk: priority.ref for priority in priorities}
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in SHEETS}
    rows["Plan"].append(
        {
            "title": plan.title,
            "kind": plan.kind,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "summary": plan.summary,
            "source": plan.source,
            "parent_title": plan.parent.title if plan.parent_id else "",
        }
    )
    for priority in priorities:
        rows["Priorities"].append(
            {
                "ref": priority.ref,
                "title": priority.title,
                "lead_agency": priority.lead_agency.name if priority.lead_agency_id else "",
                "lead_as_written": priority.lead_as_written,
                "is_cross_cutting": priority.is_cross_cutting,
                "summary": priority.summary,
                "key_themes": "\n".join(theme.text for theme in priority.key_themes.all()),
            }
        )
    for objective in Objective.objects.filter(priority__plan=plan).order_by(
        "priority__sort_key", "sort_key"
    ):
        rows["Objectives"].append(
            {
                "priority_ref": priority_refs[objective.priority_id],
                "ref": objective.ref,
                "title": objective.title,
                "description": objective.description,
            }
        )
    actions = (
        Action.objects.filter(priority__plan=plan)
        .select_related("objective", "lead_agency")
        .prefetch_related("supporting_agencies")
        .order_by("priority__sort_key", "sort_key")
    )
    action_keys: dict[int, tuple[str, str]] = {}
    for action in actions:
        action_keys[action.pk] = (priority_refs[action.priority_id], action.ref)
        rows["Actions"].append(
            {
                "priority_ref": priority_refs[action.priority_id],
                "objective_ref": action.objective.ref if action.objective_id else "",
                "ref": action.ref,
                "title": action.title,
                "desired_outcome": action.desired_outcome,
                "lead_agency": action.lead_agency.name if action.lead_agency_id else "",
                "lead_as_written": action.lead_as_written,
                "supporting_agencies": "; ".join(
                    sorted(agency.name for agency in action.supporting_agencies.all())
                ),
                "responsible": action.responsible,
                "timescale": action.timescale,
                "due_date": action.due_date,
                "partner_priority": action.partner_priority,
                "footnote": action.footnote,
            }
        )
    milestones = Milestone.objects.filter(action__priority__plan=plan).order_by(
        "action__priority__sort_key", "action__sort_key", "order"
    )
    for milestone in milestones:
        priority_ref, action_ref = action_keys[milestone.action_id]
        rows["Milestones"].append(
            {
                "priority_ref": priority_ref,
                "action_ref": action_ref,
                "text": milestone.text,
                "timescale": milestone.timescale,
                "due_date": milestone.due_date,
            }
        )
    for indicator in plan.indicators.select_related("agency", "reporting_group"):
        rows["Indicators"].append(
            {
                "ref": indicator.ref,
                "title": indicator.title,
                "priority_ref": priority_refs.get(indicator.priority_id, ""),
                "theme": indicator.theme,
                "target": indicator.target,
                "baseline": indicator.baseline,
                "due_as_written": indicator.due_as_written,
                "due_date": indicator.due_date,
                "responsible": indicator.responsible,
                "agency": indicator.agency.name if indicator.agency_id else "",
                "agency_as_written": indicator.agency_as_written,
                "reporting_group": (
                    indicator.reporting_group.name if indicator.reporting_group_id else ""
                ),
                "frequency": indicator.frequency,
                "unit": indicator.unit,
                "direction": indicator.direction,
            }
        )
    for risk in plan.risks.all():
        rows["Risks"].append(
            {
                "ref": risk.ref,
                "risk": risk.risk,
                "implications": risk.implications,
                "controls": risk.controls,
                "likelihood_before": risk.likelihood_before,
                "impact_before": risk.impact_before,
                "likelihood_after": risk.likelihood_after,
                "impact_after": risk.impact_after,
                "status": risk.status,
            }
        )
    return rows


def _build(rows: dict[str, list[dict[str, Any]]], *, agencies: list[str], examples: bool) -> bytes:
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
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(cell, column: Column, value: Any) -> None:
    if value is None or value == "":
        return
    if column.kind == "bool":
        cell.value = "Yes" if value else "No"
    elif column.kind == "choice":
        cell.value = choice_label(column.choices, value)
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
        if column.kind == "agency":
            # New agencies may be typed in: suggest, do not insist.
            validation = DataValidation(
                type="list", formula1=lists["agency"], allow_blank=True, showErrorMessage=False
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
        ("Agencies are named by their name or short name. A name the system does not know "
         "is shown on the preview, and is only created if you tick it.", None),
        ('Timescales are kept as written ("By June 19", "31 March 2016", "Quarterly", '
         '"Ongoing", "As required"); a real Excel date is fine too.', None),
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
         "responsible": "CSU Inspector", "timescale": "By June 25"},
    ],
    "Milestones": [
        {"priority_ref": "1", "action_ref": "1.1", "text": "Agree campaign materials.",
         "timescale": "By May 25"},
        {"priority_ref": "1", "action_ref": "1.1", "text": "Report reach to the SEG.",
         "timescale": "Quarterly"},
    ],
    "Indicators": [
        {"ref": "DA01", "title": "Repeat victims of domestic abuse", "priority_ref": "1",
         "target": "Below 28%", "baseline": "30% (2024/25)", "due_as_written": "31 March 2026",
         "agency": "Kent Police", "frequency": "quarterly", "unit": "percentage",
         "direction": "down"},
    ],
    "Risks": [
        {"ref": "R1", "risk": "Partners cannot supply data on time.",
         "controls": "Data sharing agreement.", "likelihood_before": 3, "impact_before": 4,
         "likelihood_after": 2, "impact_after": 3, "status": "Risk managed"},
    ],
}  # fmt: skip
