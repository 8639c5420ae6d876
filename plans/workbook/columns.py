"""The action-plan workbook's sheets and columns: the single source of truth from which the
template, the export, the Instructions sheet and the importer's header matching and
validation (``plans.importing``) are all built."""

from __future__ import annotations

from dataclasses import dataclass

from indicators.models import Indicator
from plans.models import Plan


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


def choice_label(choices: tuple[tuple[str, str], ...], value: str) -> str:
    return dict(choices).get(value, value) if value else ""
