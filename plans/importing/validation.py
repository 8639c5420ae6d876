"""The three stages in order: the file (``archive``), its sheets (``reader``), then every row
of every sheet (one validator module per sheet, sharing ``checks.Checker``). ``parse`` gives
the valid workbook as unsaved model instances, or raises ``ImportRefused`` with every
problem found."""

from __future__ import annotations

from plans.importing.action_sheets import validate_actions, validate_milestones
from plans.importing.archive import check_archive
from plans.importing.checks import Checker, Parsed
from plans.importing.funding_sheet import validate_funding
from plans.importing.indicator_sheet import validate_indicators
from plans.importing.plan_sheet import validate_plan
from plans.importing.priority_sheets import validate_objectives, validate_priorities
from plans.importing.problems import ImportRefused, grouped
from plans.importing.progress_sheets import validate_progress
from plans.importing.reader import Sheet, read_workbook
from plans.importing.results_sheet import validate_previous_results
from plans.importing.risk_sheet import validate_risks
from plans.importing.structure import check_structure
from plans.models import Partnership
from plans.workbook.columns import SHEETS


def parse(content: bytes, *, partnership: Partnership) -> Parsed:
    """``content`` checked, read and validated; writes nothing."""
    check_archive(content)
    check_structure(content)
    sheets, notes, errors = read_workbook(content)
    return validate(sheets, notes, errors, partnership)


def validate(
    sheets: dict[str, Sheet], notes: list, errors: list, partnership: Partnership
) -> Parsed:
    """Every sheet checked, in the template's order (a sheet's rows find their parents in
    the sheets before it)."""
    check = Checker(sheets, notes, errors, partnership)
    rows = {name: check.rows(name) for name in SHEETS}
    parsed = validate_plan(check, rows["Plan"])
    priorities = validate_priorities(check, parsed, rows["Priorities"])
    objectives = validate_objectives(check, parsed, rows["Objectives"], priorities)
    actions = validate_actions(check, parsed, rows["Actions"], priorities, objectives)
    validate_milestones(check, parsed, rows["Milestones"], priorities, actions)
    validate_indicators(check, parsed, rows["Indicators"], priorities, actions, objectives)
    validate_risks(check, parsed, rows["Risks"])
    validate_funding(check, parsed, rows["Funding"], priorities, actions)
    validate_previous_results(check, parsed, rows["Previous results"])
    validate_progress(check, parsed, rows, actions)
    if check.problems:
        raise ImportRefused(grouped(check.problems))
    parsed.unknown_agencies = check.unknown
    parsed.warnings = grouped(check.warnings)
    return parsed
