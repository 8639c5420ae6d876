"""What can be wrong with a workbook: ``Problem`` (where, and how to fix it), ``ImportRefused``
(every problem found) and ``MESSAGES``, every message an admin may read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plans.limits import BAD_GROUPS, DECIMAL_COMMA, FIRST_YEAR, LAST_YEAR
from plans.workbook.columns import EXAMPLE_MARKER, SHEETS

SAVE = 'open it in Excel and save it as "Excel Workbook (.xlsx)"'
MESSAGES = {
    # The file as a whole
    "empty": "The file is empty. Choose the filled-in workbook (.xlsx).",
    "too_big": "The file is {mb:.1f} MB; the limit is {limit} MB. Remove pictures or other "
    "content that is not part of the plan, or split the plan.",
    "xls": "This is an Excel 97–2003 workbook (.xls) or a password-protected file. Remove any "
    f"password, then {SAVE}.",
    "not_xlsx": f"This is not an Excel workbook (.xlsx), whatever its name: {SAVE}.",
    "docx": "This is a Word document, not an Excel workbook (.xlsx).",
    "parts": f"The workbook has too many parts ({{count}}): {SAVE} again.",
    "encrypted": f"The workbook is encrypted. Remove the password, then {SAVE}.",
    "xlsm": f"This is a macro-enabled workbook (.xlsm). Macros are not accepted: {SAVE}.",
    "unpacked": "The workbook unpacks to {mb:.0f} MB, more than the {limit} MB allowed. Remove "
    "content that is not part of the plan.",
    "ratio": "The workbook's part {name} is compressed {ratio:.0f} times, which only a damaged "
    f"or malicious file does. {SAVE.capitalize()} again.",
    "sheets": "The workbook has {count} sheets; at most {limit} are allowed. Delete the sheets "
    "that are not part of the template.",
    "sheet_size": "A sheet of the workbook ({name}) is too large to read ({mb:.0f} MB). Delete "
    "rows outside the plan.",
    "unsafe": "The workbook holds XML that Excel never writes (entity or DTD declarations), so "
    f"it is refused as unsafe: {SAVE} again.",
    "structure": "{name} holds more {what} than a plan needs (over {limit:,}), so the file is "
    f"refused unread. Delete what is not part of the plan (unmerge cells, clear unused rows) or "
    f"{SAVE} again.",
    "unreadable": "The file could not be read as an Excel workbook ({error}). It may be "
    f"damaged: {SAVE} again.",
    # Sheets and headers
    "rows": "the sheet has more than {limit:,} rows, which is more than a plan needs. Delete "
    "unused rows.",
    "columns": "there is something beyond column {limit}: delete the columns after the template's.",
    "extra_sheet": "this sheet is not part of the template and is ignored.",
    "second_sheet": "a second '{name}' sheet is ignored.",
    "no_sheet": "the workbook has no '{name}' sheet. Add it, with its header row, even if it "
    "stays empty (the template has every sheet).",
    "no_headers": "the header row is missing: copy it from the template (one heading per column).",
    "twice_headed": "two columns ({letters}) have this heading: keep one.",
    "no_column": "there is no '{header}' column{hint}. Every column of the template is "
    "needed, even if it stays empty; headings may be in any order.",
    "renamed": " — is it the column headed '{guess}'? Rename it",
    "extra_column": "this column is not part of the template and is ignored.",
    "example": f"skipped: it is marked '{EXAMPLE_MARKER}'. Remove the mark to import it.",
    # Cells
    "formula": "the cell holds a formula ({formula}) whose value was never saved. Formulas "
    "are not worked out here: type the value in instead.",
    "excel_error": "the cell shows the Excel error {value}: correct the formula or type the "
    "value in.",
    "huge": "the text is {length:,} characters long; a cell may hold at most {limit:,}. "
    "Shorten it.",
    "required": "this cell is empty, but it is required: fill it in.",
    "too_long": "the text is {length:,} characters long; at most {limit:,} fit here. Shorten it.",
    "score": "'{value}' is not a score: {help}",
    "year": "'{value}' is not a financial year: write its first year, e.g. 2025 or 2025/26.",
    "date": "'{value}' cannot be read as a date: write a date such as 31 March 2026, or leave "
    "the cell empty.",
    "timescale": "'{value}' cannot be read as a date: write it as 31 March 2026, or as the "
    'plan writes it ("By June 26", "Quarterly").',
    "decimal_comma": "'{value}' has a decimal comma. " + DECIMAL_COMMA + ".",
    "thousands": "'{value}' has commas in the wrong places. " + BAD_GROUPS + ".",
    "date_range": "'{value}' is not a plan date: write a date between "
    f"{FIRST_YEAR} and {LAST_YEAR}.",
    "bool": "'{value}' is not yes or no: write Yes or No.",
    "money": "'{value}' is not an amount in pounds: write it as 118369 or £118,369 (at most "
    "two decimals), or leave it empty and keep the plan's words in 'As written'.",
    "money_negative": "'{value}' is below zero: write the amount the action receives, in pounds.",
    "choice": "'{value}' is not one of the choices: write one of {labels}.",
    "choice_guess": "'{value}' is not one of the choices — did you mean '{guess}'? Write one "
    "of {labels}.",
    "frequency_blank": "the frequency is empty: write how often a figure is reported, one of "
    '{labels} (keep a plan\'s own words, such as "3 year rolling programme", in '
    "'Frequency as written').",
    "frequency_kept": "'{value}' is kept as written; a figure is asked for {label}. Change "
    "Frequency if it is reported more often.",
    "agency": "'{name}' is not a known agency: correct the name, or create it as a new agency.",
    "agency_guess": "'{name}' is not a known agency — did you mean '{guess}'?",
    "person_lead": "'{name}' looks like a person or a role, not an agency: it is kept as the "
    "{where}. Put the agency in '{column}' if it has one.",
    "numbered": "{what} no ref: CSP Tracker numbered {them} in the order of the sheet "
    "({refs}), shown as numbered by CSP Tracker.",
    "no_measure": "there is no {what} '{ref}' in the plan. {hint}",
    # Rows and links
    "no_plan": "the plan's row is empty: fill in its title, kind and years under the headings.",
    "two_plans": "a workbook holds one plan: delete this row, or import it as a separate workbook.",
    "ends_early": "the plan cannot end ({end}) before it starts ({start}).",
    "no_parent_plan": "{partnership} has no plan '{title}': the plan is imported without that "
    "link.",
    "duplicate": "'{ref}' is used twice in {where} (rows {first} and {row}): give each row its "
    "own ref.",
    "no_priority": "there is no priority '{ref}' on the Priorities sheet. {hint}",
    "unnumbered_priorities": "there is no priority '{ref}' on the Priorities sheet: "
    "{unnumbered} no ref there, so CSP Tracker numbered {them} in order ({numbers}). Write "
    "that number or the priority's title here, or give the priority the ref '{ref}' on the "
    "Priorities sheet.",
    "no_objective": "priority '{priority}' has no objective '{ref}' on the Objectives sheet. "
    "{hint}",
    "no_action": "priority '{priority}' has no action '{ref}' on the Actions sheet. {hint}",
    "refs": "Use one of {what}' refs ({refs}), or add it there.",
    "no_refs": "Add it there first.",
    # The partnership's plans
    "exists": "{partnership} already has a plan '{title}' ({period}). {fix}",
    "exists_draft": "Confirm that it should be replaced, or change the title on the Plan sheet.",
    "exists_kept": "It is {status}, so it cannot be replaced: change the title on the Plan "
    "sheet if this is a new plan.",
    "protected": "the draft '{title}' cannot be replaced: it has {count} published reports or "
    "other records that must be kept. Give the new plan another title.",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workbook, where it is and how to fix it; ``rows``: every row
    with the same problem, where one cause gave it to many (see ``grouped``)."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    rows: tuple[int, ...] | list[int] = ()

    def __str__(self) -> str:
        """ "Actions row 14, Lead agency: 'Kent Polce' is not a known agency — did you mean
        'Kent Police'?" (the parts that are known); "57 rows of Actions (rows 2–58), Ref: …"
        for one problem of many rows."""
        place = self.sheet
        if len(self.rows) > 1:
            place = f"{len(self.rows)} rows of {place} (rows {row_ranges(self.rows)})"
        elif self.row is not None:
            place = f"{place} row {self.row}"
        if self.column:
            place = f"{place}, {self.column}" if place else self.column
        return f"{place}: {self.message}" if place else self.message


class ImportRefused(Exception):
    """The workbook cannot be imported; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def refuse(key: str, **values: Any) -> ImportRefused:
    """The file as a whole refused, for the reason ``MESSAGES[key]`` gives."""
    return ImportRefused([Problem("", None, None, MESSAGES[key].format(**values))])


def in_sheet_order(problem: Problem) -> tuple[int, int]:
    """Problems in the order of the sheets, then rows; the file's own first."""
    order = ["", *SHEETS]
    sheet = order.index(problem.sheet) if problem.sheet in order else len(order)
    return sheet, problem.row or 0


def grouped(problems: list[Problem]) -> list[Problem]:
    """One problem per cause: the same message in the same column of a sheet, on many rows
    (57 actions without a ref, 20 rows naming a missing priority), is said once, with its
    rows."""
    groups: dict[tuple, list[Problem]] = {}
    for problem in problems:
        key = (problem.sheet, problem.column, problem.message, problem.row is None)
        groups.setdefault(key, []).append(problem)
    result = []
    for same in groups.values():
        rows = sorted({row for p in same for row in (p.rows or [p.row]) if row is not None})
        first = same[0]
        result.append(
            Problem(first.sheet, rows[0] if rows else None, first.column, first.message,
                    tuple(rows) if len(rows) > 1 else ())
        )  # fmt: skip
    return sorted(result, key=in_sheet_order)


def row_ranges(rows) -> str:
    """[2, 3, 4, 7] → "2–4 and 7"."""
    spans: list[list[int]] = []
    for row in sorted(rows):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    texts = [f"{a}–{b}" if b > a else str(a) for a, b in spans]
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]
