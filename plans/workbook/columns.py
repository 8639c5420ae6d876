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
    ``choices``, by label or value; ``aliases`` are other words plans use, suggested with
    "did you mean"), "frequency" (a choice, or a plan's own words kept as written), "agency"
    (an agency by name or short name) or "agencies" (several, separated by ";" or new lines).
    An ``optional`` column may be left out of the sheet altogether: workbooks made before it
    was added still import.
    """

    header: str
    field: str
    required: bool = False
    max_length: int | None = None
    kind: str = "text"
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    aliases: tuple[tuple[str, str], ...] = ()
    optional: bool = False


YES_NO: tuple[tuple[str, str], ...] = (("yes", "Yes"), ("no", "No"))
PLAN_KINDS = tuple(Plan.Kind.choices)
FREQUENCIES = tuple(Indicator.Frequency.choices)
UNITS = tuple(Indicator.Unit.choices)
DIRECTIONS = tuple((value, label) for value, label in Indicator.Direction.choices if value)

SCORE_HELP = "A whole number from 1 (lowest) to 5 (highest)."
NUMBERED = Column(
    "Numbered by CSP Tracker",
    "ref_generated",
    kind="bool",
    choices=YES_NO,
    optional=True,
    help="Yes where the plan gave no ref and CSP Tracker numbered it (an export says so, and "
    "importing it again keeps it so).",
)
NO_REF = " Leave it empty and CSP Tracker numbers it in the order of the sheet."
LEAD_OFFICER_HELP = (
    'A named officer or role: "Chief Inspector Smith", or the e-mail address of a CSP Tracker '
    "user of the partnership (optional)."
)

# Other words plans use for the choices: suggested with "did you mean", never guessed.
KIND_ALIASES = (
    ("delivery plan", "action_plan"), ("action and delivery plan", "action_plan"),
    ("strategy", "community_safety_plan"), ("partnership plan", "community_safety_plan"),
    ("strategic assessment", "community_safety_plan"), ("refreshed plan", "refresh"),
    ("update", "refresh"),
)  # fmt: skip
UNIT_ALIASES = (
    ("%", "percentage"), ("percent", "percentage"), ("per cent", "percentage"),
    ("pct", "percentage"), ("no", "count"), ("no.", "count"), ("#", "count"),
    ("count", "count"), ("numbers", "count"), ("per 1000", "rate"), ("per 1,000", "rate"),
)  # fmt: skip
DIRECTION_ALIASES = (
    ("increase", "up"), ("up", "up"), ("higher", "up"), ("more", "up"), ("improve", "up"),
    ("decrease", "down"), ("reduce", "down"), ("reduction", "down"), ("down", "down"),
    ("lower", "down"), ("fewer", "down"), ("less", "down"),
)  # fmt: skip

SHEETS: dict[str, list[Column]] = {
    "Plan": [
        Column("Title", "title", True, 300, help='The plan\'s name, e.g. "Action Plan 2025-26".'),
        Column("Kind", "kind", True, kind="choice", choices=PLAN_KINDS, aliases=KIND_ALIASES,
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
        Column("Ref", "ref", False, 20, help='The priority\'s number or code, e.g. "1".' + NO_REF),
        Column("Title", "title", True, 300, help='e.g. "Tackle domestic abuse".'),
        Column("Lead agency", "lead_agency", kind="agency",
               help="The agency that leads it, by name or short name."),
        Column("Lead as written", "lead_as_written", max_length=300,
               help='The lead as the plan writes it, e.g. "Medway Council (Public Health)".'),
        Column("Cross-cutting", "is_cross_cutting", kind="bool", choices=YES_NO,
               help="Yes for a cross-cutting theme that runs through the other priorities."),
        Column("Summary", "summary", help="Summary of the issue, as written."),
        Column("Key themes", "key_themes", help="One key theme per line (Alt+Enter in Excel)."),
        NUMBERED,
    ],
    "Objectives": [
        Column("Priority ref", "priority_ref", True, 300,
               help="Ref (or title) of its priority on the Priorities sheet."),
        Column("Ref", "ref", False, 20, help="Unique within its priority." + NO_REF),
        Column("Title", "title", True, help="What the priority wants to achieve."),
        Column("Description", "description"),
        NUMBERED,
    ],
    "Actions": [
        Column("Priority ref", "priority_ref", True, 300,
               help="Ref (or title) of its priority on the Priorities sheet."),
        Column("Objective ref", "objective_ref",
               help="Ref (or title) of its objective under the same priority, if it has one."),
        Column("Ref", "ref", False, 20,
               help='Unique within its priority, e.g. "2.5" or "b".' + NO_REF),
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
        Column("Lead officer", "lead_officer", max_length=200, optional=True,
               help=LEAD_OFFICER_HELP),
        NUMBERED,
    ],
    "Milestones": [
        Column("Priority ref", "priority_ref", True, 300,
               help="Ref (or title) of the action's priority."),
        Column("Action ref", "action_ref", True,
               help="Its action's ref on the Actions sheet (or, if it has none, its words)."),
        Column("Milestone", "text", True, help="One step of the action, in order."),
        Column("Timescale", "timescale", max_length=200, kind="date_or_text",
               help='As written: "By June 19", "Quarterly", "Ongoing", "As required".'),
        Column("Due date", "due_date", kind="date",
               help="A date, if the timescale does not give one (optional)."),
        Column("Lead officer", "lead_officer", max_length=200, optional=True,
               help=LEAD_OFFICER_HELP),
        Column("Supporting agencies", "supporting_agencies", kind="agencies", optional=True,
               help="Agencies that support this step, separated by semicolons (optional)."),
    ],
    "Indicators": [
        Column("Ref", "ref", False, 20, help='Code, unique in the plan, e.g. "DA06".' + NO_REF),
        Column("Indicator", "title", True, help="What is measured."),
        Column("Priority ref", "priority_ref", max_length=300,
               help="Ref (or title) of the priority it belongs to (optional)."),
        Column("Theme", "theme", max_length=200, help="Priority or theme as the plan writes it."),
        Column("Target", "target", help='As written: "Below 28% CAADA benchmark".'),
        Column("Baseline", "baseline", max_length=300),
        Column("Due", "due_as_written", max_length=100, kind="date_or_text",
               help='When the target is due, as written: "31 March 2016".'),
        Column("Due date", "due_date", kind="date", help="A date, if Due does not give one."),
        Column("Responsible", "responsible", max_length=300, help="The role, as written."),
        Column("Agency", "agency", kind="agency", help="The agency that reports it."),
        Column("Agency as written", "agency_as_written", max_length=300),
        Column("Reported to", "reported_to", kind="agencies",
               help="The groups it is reported to, separated by semicolons: \"Swale CSP "
               "Executive; Project and Performance Group\"."),
        Column("Frequency", "frequency", True, kind="frequency", choices=FREQUENCIES,
               help="How often a figure is reported: Monthly, Quarterly, Six monthly or "
               "Annually. A plan's own words are kept as written."),
        Column("Unit", "unit", kind="choice", choices=UNITS, aliases=UNIT_ALIASES,
               help="Number (if empty), Percentage, Rate or Other."),
        Column("Direction", "direction", kind="choice", choices=DIRECTIONS,
               aliases=DIRECTION_ALIASES,
               help="Higher is better or Lower is better (optional)."),
        Column("Measures (action refs)", "measures_actions", optional=True,
               help="The actions it measures, by ref, separated by semicolons: \"1.1; 2.3\" "
               "(a ref used under two priorities as \"priority ref/action ref\")."),
        Column("Measures (objective refs)", "measures_objectives", optional=True,
               help="The objectives it measures, as \"priority ref/objective ref\", "
               "separated by semicolons (optional)."),
        Column("Frequency as written", "frequency_as_written", max_length=200, optional=True,
               help='The plan\'s own words, e.g. "3 year rolling programme" (optional).'),
        Column("Measure code", "measure_code", max_length=30, optional=True,
               help='A shared national code such as "NI 111": indicators of other '
               "partnerships with the same code are compared on its benchmark page (optional)."),
        NUMBERED,
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
    "Funding": [
        Column("Priority ref", "priority_ref", True, 300,
               help="Ref (or title) of the action's priority."),
        Column("Action ref", "action_ref", True,
               help="Its action's ref on the Actions sheet (or, if it has none, its words)."),
        Column("Source", "source", True, 200, help='Who pays, e.g. "PCC grant".'),
        Column("Amount (£)", "amount", kind="money",
               help="In pounds: 118369 or £118,369 (empty if the plan gives no figure)."),
        Column("Financial year", "financial_year", kind="year",
               help="The year the money is for: 2019 or 2019/20 (optional)."),
        Column("As written", "as_written", max_length=300,
               help='As the plan writes it: "CHS directorate £1,000".'),
    ],
    "Previous results": [
        Column("Ref", "ref", max_length=20, help="As the plan numbers it (optional)."),
        Column("Item", "title", True, max_length=2000,
               help="What was done or measured last year, as written."),
        Column("Target", "target", max_length=2000),
        Column("Outturn", "outturn", max_length=2000, help="What was achieved, as written."),
        Column("Period", "period", max_length=100, help='As written, e.g. "2012/13".'),
        Column("Comment", "comment", max_length=2000),
    ],
}  # fmt: skip

# Progress already made, for a plan that arrives half way through its year (optional sheets:
# a workbook without them imports as before). Read by ``plans.importing.progress_sheets``.
QUARTER_HELP = (
    'The quarter, as "2019/20 Q1" ("Q1 2019/20" and "2019-20 Q1" are fine too). It must be '
    "within the plan's years and already ended."
)
PROGRESS_SHEETS: dict[str, list[Column]] = {
    "Action progress": [
        Column("Action ref", "action_ref", True, 300,
               help='The action\'s ref on the Actions sheet, e.g. "1.1" (a ref used under two '
               'priorities as "priority ref/action ref").'),
        Column("Quarter", "quarter", True, 40, help=QUARTER_HELP),
        Column("Status", "status", True, 40,
               help="Not started, On track (Green), At risk (Amber), Off track (Red) or "
               'Complete; the plan\'s own words "Green", "Amber", "Red", "Completed" are fine.'),
        Column("Commentary", "commentary", help="Progress in that quarter, as reported."),
        Column("Next steps", "next_steps"),
    ],
    "Indicator values": [
        Column("Indicator ref", "indicator_ref", True, 20,
               help="The indicator's ref on the Indicators sheet."),
        Column("Quarter", "quarter", True, 40, help=QUARTER_HELP),
        Column("Value", "value", True, 40,
               help="The figure for that quarter: a number (a percentage as 12.5 or 12.5%)."),
        Column("Note", "note", help="About the figure, e.g. where it comes from (optional)."),
    ],
}  # fmt: skip
SHEETS.update(PROGRESS_SHEETS)
# Sheets a workbook may leave out: a plan with no funding, no review of last year, or no
# progress yet.
OPTIONAL_SHEETS = frozenset({"Funding", "Previous results", *PROGRESS_SHEETS})

INSTRUCTIONS_SHEET = "Instructions"
FUNDING_SUMMARY_SHEET = "Funding summary"  # in exports, for reading: the import skips it
LISTS_SHEET = "Lists"
EXAMPLE_MARKER = "EXAMPLE – delete this row"
# Fields whose cells are codes: stored as text so that Excel keeps "1.10" and "06" as typed.
REF_FIELDS = {
    "ref", "priority_ref", "objective_ref", "action_ref", "measures_actions",
    "measures_objectives", "indicator_ref",
}  # fmt: skip
# Which column holds money: written with a pound format in the workbook.
MONEY_FORMAT = '"£"#,##0.00'

MAX_EXCEL_CELL = 32767
VALIDATED_ROWS = 1000


def choice_label(choices: tuple[tuple[str, str], ...], value: str) -> str:
    return dict(choices).get(value, value) if value else ""


def shown_ref(key: tuple[str, str], known) -> str:
    """How the export names an action or objective: its ref where the plan uses it once,
    else "priority ref/ref"."""
    same = sum(1 for _, ref in known if ref == key[1])
    return key[1] if same == 1 else f"{key[0]}/{key[1]}"
