"""Importing an action plan from the Excel template (``plans.workbook``): the file is checked
as a zip before openpyxl parses it, every row is validated, a preview shows what would be
created, and the import writes everything in one transaction or nothing.

Three stages: ``_check_archive`` (content, sizes, zip bombs) → ``_read_sheets`` (openpyxl in
read-only mode, cached values only, merged cells filled down) → ``_Validator`` (every cell and
every link, building unsaved model instances). ``plan_import`` saves those instances.
Every message an admin may read is in ``MESSAGES``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import re
import warnings
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from defusedxml import DefusedXmlException
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from indicators.models import Indicator
from plans.models import Agency, Partnership, Plan, Risk
from plans.timescales import parse_timescale
from plans.workbook import EXAMPLE_MARKER, INSTRUCTIONS_SHEET, LISTS_SHEET, SHEETS, Column
from priorities.models import Action, KeyTheme, Milestone, Objective, Priority

logger = logging.getLogger(__name__)

LIMITS = {
    "max_bytes": 10 * 1024 * 1024,
    "max_unpacked_bytes": 100 * 1024 * 1024,
    "max_sheet_bytes": 50 * 1024 * 1024,
    "max_ratio": 200,  # uncompressed / compressed size of one zip member over 1 MB
    "max_members": 1000,
    "max_sheets": 20,
    "max_rows": 5000,
    "max_columns": 40,
    "max_cell_chars": 32767,
}

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
    "bool": "'{value}' is not yes or no: write Yes or No.",
    "choice": "'{value}' is not one of the choices: write one of {labels}.",
    "agency": "'{name}' is not a known agency: correct the name, or create it as a new agency.",
    "agency_guess": "'{name}' is not a known agency — did you mean '{guess}'?",
    # Rows and links
    "no_plan": "the plan's row is empty: fill in its title, kind and years under the headings.",
    "two_plans": "a workbook holds one plan: delete this row, or import it as a separate workbook.",
    "ends_early": "the plan cannot end ({end}) before it starts ({start}).",
    "no_parent_plan": "{partnership} has no plan '{title}': the plan is imported without that "
    "link.",
    "duplicate": "'{ref}' is used twice in {where} (rows {first} and {row}): give each row its "
    "own ref.",
    "no_priority": "there is no priority '{ref}' on the Priorities sheet. {hint}",
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

EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!"}
TRUE_WORDS = {"yes", "y", "true", "1", "x", "✓", "✔"}
FALSE_WORDS = {"no", "n", "false", "0"}
NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$")
MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]{1,3}\d+):([A-Z]{1,3}\d+)\"")
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
SCORES = ("likelihood_before", "impact_before", "likelihood_after", "impact_after")
TITLES_ALIKE = 0.75  # how alike two indicator titles with the same number must be to link
MB = 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workbook, where it is and how to fix it."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        """ "Actions row 14, Lead agency: 'Kent Polce' is not a known agency — did you mean
        'Kent Police'?" (the parts that are known)."""
        place = self.sheet
        if self.row is not None:
            place = f"{place} row {self.row}"
        if self.column:
            place = f"{place}, {self.column}" if place else self.column
        return f"{place}: {self.message}" if place else self.message


@dataclass
class ImportPreview:
    """What an import would create, for the admin to check before confirming.

    ``plan_fields``: {"title", "kind", "kind_label", "start_year", "end_year", "period",
    "summary", "source", "parent_title"}.
    ``priorities``: one dict per priority, in workbook order: {"ref", "title", "lead",
    "is_cross_cutting", "summary", "key_themes": [str], "objectives": [{"ref", "title",
    "description"}], "actions": [{"ref", "title", "objective_ref", "desired_outcome", "lead",
    "supporting": [str], "responsible", "timescale", "milestones": [{"text", "timescale"}]}],
    "indicators": [indicator dicts]}. Indicators that name no priority are in ``indicators``.
    Indicator dicts: {"ref", "title", "target", "baseline", "due", "agency", "frequency",
    "predecessor"}. ``risks``: [{"ref", "risk", "score_before", "score_after", "status"}].
    ``counts``: {"priorities", "objectives", "actions", "milestones", "indicators", "risks"}.
    ``warnings``: problems that do not stop the import (unknown agencies, ignored columns).
    ``new_agencies``: agency names the workbook names that are not known (to be ticked).
    ``predecessor_links``: (new indicator "ref title", earlier "plan title: ref title").
    ``existing_plan``: a plan of the partnership with the same title, if any.
    """

    plan_fields: dict
    priorities: list
    risks: list
    counts: dict[str, int]
    warnings: list[Problem]
    new_agencies: list[str]
    predecessor_links: list[tuple[str, str]]
    existing_plan: Plan | None
    existing_is_draft: bool
    indicators: list = field(default_factory=list)


class ImportRefused(Exception):
    """The workbook cannot be imported; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def read_and_validate(content: bytes, *, partnership: Partnership) -> ImportPreview:
    """Check ``content`` (the uploaded file's bytes) and say what importing it would create.

    Raises ``ImportRefused`` with every problem found. Writes nothing. Unknown agencies are not
    an error here: they are listed in ``new_agencies`` (with a warning each) for the admin to
    tick.
    """
    parsed = _parse(content, partnership=partnership)
    existing = _existing_plan(partnership, parsed.plan.title)
    links = _predecessors(parsed, partnership, exclude=existing)
    return _preview(parsed, existing, links)


@transaction.atomic
def plan_import(
    *,
    content: bytes,
    partnership: Partnership,
    user=None,
    create_agencies: set[str] | frozenset[str] = frozenset(),
    replace_draft: bool = False,
) -> Plan:
    """Create the workbook's plan, as a draft of ``partnership``, in one transaction.

    Validates again; refuses (``ImportRefused``) if an unknown agency is not in
    ``create_agencies`` (matched without case), or if the partnership already has a plan with
    this title (unless it is a draft and ``replace_draft``: then the draft is deleted and
    replaced). Indicators are linked to the same measure of the partnership's previous plan.
    ``user`` is who imports it (the audit trail's actor comes from the request).
    """
    parsed = _parse(content, partnership=partnership)
    ticked = {name.casefold() for name in create_agencies}
    problems = [
        problem
        for name, uses in parsed.unknown_agencies.items()
        if name.casefold() not in ticked
        for problem in uses
    ]
    existing = _existing_plan(partnership, parsed.plan.title)
    if existing is not None and (existing.status != Plan.Status.DRAFT or not replace_draft):
        problems.insert(0, _duplicate_problem(existing))
    if problems:
        raise ImportRefused(problems)
    if existing is not None:
        try:
            existing.delete()
        except ProtectedError as error:
            count = len(error.protected_objects)
            message = MESSAGES["protected"].format(title=existing.title, count=count)
            raise ImportRefused([Problem("Plan", None, None, message)]) from error
    links = _predecessors(parsed, partnership, exclude=None)
    return _save(parsed, links=links)


# ---------------------------------------------------------------- stage 1: the file itself


def _refuse(key: str, **values: Any) -> ImportRefused:
    return ImportRefused([Problem("", None, None, MESSAGES[key].format(**values))])


def _check_archive(content: bytes) -> None:
    """Refuse anything that is not a plain .xlsx of a sensible size, before openpyxl sees it."""
    if not content:
        raise _refuse("empty")
    if len(content) > LIMITS["max_bytes"]:
        raise _refuse("too_big", mb=len(content) / MB, limit=LIMITS["max_bytes"] // MB)
    if content.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: .xls, or an encrypted .xlsx
        raise _refuse("xls")
    if not content.startswith(b"PK"):
        raise _refuse("not_xlsx")
    try:
        infos = zipfile.ZipFile(BytesIO(content)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _refuse("not_xlsx") from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _refuse("docx" if "word/document.xml" in names else "not_xlsx")
    if len(infos) > LIMITS["max_members"]:
        raise _refuse("parts", count=len(infos))
    if any(info.flag_bits & 0x1 for info in infos):
        raise _refuse("encrypted")
    if "xl/vbaProject.bin" in names:
        raise _refuse("xlsm")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > LIMITS["max_unpacked_bytes"]:
        raise _refuse("unpacked", mb=unpacked / MB, limit=LIMITS["max_unpacked_bytes"] // MB)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MB and ratio > LIMITS["max_ratio"]:
            raise _refuse("ratio", name=info.filename, ratio=ratio)
    sheets = [info for info in infos if WORKSHEET.fullmatch(info.filename)]
    if len(sheets) > LIMITS["max_sheets"]:
        raise _refuse("sheets", count=len(sheets), limit=LIMITS["max_sheets"])
    for info in sheets:
        if info.file_size > LIMITS["max_sheet_bytes"]:
            raise _refuse("sheet_size", name=info.filename, mb=info.file_size / MB)


# ---------------------------------------------------------------- stage 2: sheets into rows


@dataclass
class _Sheet:
    """A sheet's header row and data rows, as the cells hold them (cached values)."""

    name: str
    header_row: int = 0
    headers: dict[int, str] = field(default_factory=dict)  # column index (0-based) → header
    rows: dict[int, list[Any]] = field(default_factory=dict)  # row number → values
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → "=..."


def _read_sheets(content: bytes) -> tuple[dict[str, _Sheet], list[Problem], list[Problem]]:
    """The workbook's sheets that the template names, keyed by template name; warnings
    (sheets ignored) and errors (sheets too big)."""
    wanted = {_normal(name): name for name in SHEETS}
    ours = {_normal(INSTRUCTIONS_SHEET), _normal(LISTS_SHEET)}
    sheets: dict[str, _Sheet] = {}
    with_formulas: dict[str, _Sheet] = {}  # by the workbook's own sheet title
    notes: list[Problem] = []
    errors: list[Problem] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
        try:
            for title in book.sheetnames:
                name = wanted.get(_normal(title))
                if name is None or name in sheets:
                    if _normal(title) not in ours:
                        key, values = (
                            ("extra_sheet", {})
                            if name is None
                            else ("second_sheet", {"name": name})
                        )
                        notes.append(Problem(title, None, None, MESSAGES[key].format(**values)))
                    continue
                sheet = book[title]
                if not isinstance(sheet, ReadOnlyWorksheet):
                    continue  # a chart sheet: reported as a missing sheet
                xml = book._archive.read(sheet._worksheet_path)
                sheets[name] = _read_sheet(name, sheet, xml, errors)
                if FORMULA_TAG.search(xml):
                    with_formulas[title] = sheets[name]
        finally:
            book.close()
        if with_formulas:
            _read_formulas(content, with_formulas)
    return sheets, notes, errors


def _read_sheet(name: str, sheet: ReadOnlyWorksheet, xml: bytes, errors: list) -> _Sheet:
    """The sheet's non-empty rows, cut off past the limits (the first row found holds the
    headings)."""
    limit_rows, limit_cols = LIMITS["max_rows"], LIMITS["max_columns"]
    result = _Sheet(name)
    rows = sheet.iter_rows(max_row=limit_rows + 1, max_col=limit_cols + 1, values_only=True)
    for number, values in enumerate(rows, start=1):
        if all(_is_blank(value) for value in values):
            continue
        if number > limit_rows:
            errors.append(Problem(name, number, None, MESSAGES["rows"].format(limit=limit_rows)))
            break
        if len(values) > limit_cols and not _is_blank(values[limit_cols]):
            message = MESSAGES["columns"].format(limit=limit_cols)
            errors.append(Problem(name, number, None, message))
            break
        result.rows[number] = list(values[:limit_cols]) + [None] * (limit_cols - len(values))
    if result.rows:
        result.header_row = min(result.rows)
        header = result.rows.pop(result.header_row)
        result.headers = {i: str(v).strip() for i, v in enumerate(header) if not _is_blank(v)}
    for first, last in MERGE_REF.findall(xml):
        _fill_merged(result, first.decode(), last.decode())
    return result


def _fill_merged(sheet: _Sheet, first: str, last: str) -> None:
    """A cell merged down over several rows holds its value for each of them (a priority ref
    merged over its actions); merged across columns, only the first column holds it."""
    col, top = _coordinates(first)
    bottom = _coordinates(last)[1]
    if col >= LIMITS["max_columns"] or top not in sheet.rows:
        return  # off the sheet, or merged down from the header row
    value = sheet.rows[top][col]
    for row in range(top + 1, min(bottom, LIMITS["max_rows"]) + 1):
        cells = sheet.rows.get(row)  # rows left empty stay empty
        if cells is not None and _is_blank(cells[col]):
            cells[col] = value


def _coordinates(ref: str) -> tuple[int, int]:
    letters, digits = re.match(r"([A-Z]+)(\d+)", ref).groups()
    return column_index_from_string(letters) - 1, int(digits)


def _read_formulas(content: bytes, sheets: dict[str, _Sheet]) -> None:
    """The formulas of the sheets that have any (a second pass, formulas as text): a formula
    whose value Excel did not save is reported, never worked out."""
    book = load_workbook(BytesIO(content), read_only=True, data_only=False)
    try:
        for title, sheet in sheets.items():
            rows = book[title].iter_rows(
                max_row=LIMITS["max_rows"], max_col=LIMITS["max_columns"], values_only=True
            )
            for number, values in enumerate(rows, start=1):
                for col, value in enumerate(values):
                    text = getattr(value, "text", value)  # array formulas are objects
                    if isinstance(text, str) and text.startswith("="):
                        sheet.formulas[(number, col)] = text
    finally:
        book.close()


# ---------------------------------------------------------------- stage 3: rows into a plan


@dataclass
class _Parsed:
    """A valid workbook as unsaved model instances, with what the preview needs."""

    plan: Plan
    parent_title: str = ""
    priorities: list[Priority] = field(default_factory=list)
    key_themes: dict[str, list[KeyTheme]] = field(default_factory=dict)  # by priority ref
    objectives: list[Objective] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    supporting: dict[int, list[Agency | str]] = field(default_factory=dict)  # by id(action)
    milestones: list[Milestone] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    # Agencies not known, in the workbook's first spelling → a problem for each use.
    unknown_agencies: dict[str, list[Problem]] = field(default_factory=dict)
    # (instance, attribute, name): agencies to set once they are created.
    pending_agencies: list[tuple[models.Model, str, str]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _parse(content: bytes, *, partnership: Partnership) -> _Parsed:
    _check_archive(content)
    try:
        sheets, notes, errors = _read_sheets(content)
    except Exception as error:  # whatever openpyxl trips over in a damaged file
        logger.debug("Unreadable workbook: %r", error)
        cause = _root_cause(error)
        if isinstance(cause, DefusedXmlException):
            raise _refuse("unsafe") from None
        raise _refuse("unreadable", error=type(cause).__name__) from None
    return _Validator(sheets, notes, errors, partnership).run()


class _Validator:
    """Reads every row of every sheet, notes every problem, and builds the unsaved plan."""

    def __init__(self, sheets: dict[str, _Sheet], notes: list, errors: list, partnership) -> None:
        self.sheets = sheets
        self.partnership = partnership
        self.problems: list[Problem] = list(errors)
        self.warnings: list[Problem] = list(notes)
        self.agencies = _agency_index()
        self.unknown: dict[str, list[Problem]] = {}  # first spelling → each use
        self.spellings: dict[str, str] = {}  # casefold → first spelling
        self.bad_rows: set[tuple[str, int]] = set()  # rows with a cell already reported
        self.broken: set[str] = set()  # sheets missing or with bad headers: rows unread
        self.steps: dict[int, int] = defaultdict(int)  # milestones so far, by id(action)

    def error(self, sheet: str, row: int | None, column: str | None, key: str, /, **values):
        self.problems.append(Problem(sheet, row, column, MESSAGES[key].format(**values)))

    def warn(self, sheet: str, row: int | None, column: str | None, key: str, /, **values):
        self.warnings.append(Problem(sheet, row, column, MESSAGES[key].format(**values)))

    def run(self) -> _Parsed:
        rows = {name: self.rows(name) for name in SHEETS}
        parsed = self.plan(rows["Plan"])
        self.tree(parsed, rows)
        if self.problems:
            raise ImportRefused(sorted(self.problems, key=_place))
        parsed.unknown_agencies = self.unknown
        parsed.warnings = sorted(self.warnings, key=_place)
        return parsed

    # -- reading cells

    def rows(self, name: str) -> list[dict[str, Any]]:
        """The sheet's data rows as {field: clean value, "_row": number}; problems noted."""
        sheet = self.sheets.get(name)
        if sheet is None:
            self.error(name, None, None, "no_sheet", name=name)
            self.broken.add(name)
            return []
        positions = self.headers(sheet, SHEETS[name])
        if positions is None:
            self.broken.add(name)
            return []
        result = []
        for number, values in sorted(sheet.rows.items()):
            if any(_is_example(value) for value in values):
                self.warn(name, number, None, "example")
                continue
            row: dict[str, Any] = {"_row": number}
            for column in SHEETS[name]:
                index = positions[column.field]
                row[column.field] = self.cell(sheet, number, index, column, values[index])
            result.append(row)
        return result

    def headers(self, sheet: _Sheet, columns: list[Column]) -> dict[str, int] | None:
        """Where each column is (any order; headings compared without case or spaces)."""
        if not sheet.headers:
            self.error(sheet.name, 1, None, "no_headers")
            return None
        found: dict[str, list[int]] = defaultdict(list)
        for index, text in sheet.headers.items():
            found[_normal(text)].append(index)
        expected = {_normal(column.header) for column in columns}
        extra = [sheet.headers[i] for key, at in found.items() if key not in expected for i in at]
        positions: dict[str, int] = {}
        for column in columns:
            at = found.get(_normal(column.header), [])
            if len(at) > 1:
                letters = " and ".join(get_column_letter(i + 1) for i in at)
                self.error(
                    sheet.name, sheet.header_row, column.header, "twice_headed", letters=letters
                )
            elif not at:
                guess = difflib.get_close_matches(column.header, extra, n=1, cutoff=0.6)
                hint = MESSAGES["renamed"].format(guess=guess[0]) if guess else ""
                self.error(
                    sheet.name, sheet.header_row, None, "no_column", header=column.header, hint=hint
                )
            else:
                positions[column.field] = at[0]
        for text in extra:
            self.warn(sheet.name, sheet.header_row, text, "extra_column")
        return positions if len(positions) == len(columns) else None

    def cell(self, sheet: _Sheet, number: int, index: int, column: Column, value: Any) -> Any:
        """The cell's value as its column needs it, or None with the problem noted."""
        try:
            return _read_cell(sheet.formulas.get((number, index)), column, value)
        except _Bad as bad:
            key, values = bad.args
            self.error(sheet.name, number, column.header, key, **values)
            self.bad_rows.add((sheet.name, number))
            return None

    def agency(self, row: dict, sheet: str, field_name: str, name: str) -> Agency | str | None:
        """The agency named, or the name itself if it is not known (noted for the preview:
        a warning on its first use, an error on each use if the import goes ahead unticked)."""
        if not name:
            return None
        found = self.agencies.get(name.casefold())
        if found is not None:
            return found
        spelling = self.spellings.setdefault(name.casefold(), name)
        guess = difflib.get_close_matches(name.casefold(), list(self.agencies), n=1, cutoff=0.8)
        message = (
            MESSAGES["agency_guess"].format(name=name, guess=self.agencies[guess[0]].name)
            if guess
            else MESSAGES["agency"].format(name=name)
        )
        problem = Problem(sheet, row["_row"], _column(sheet, field_name).header, message)
        uses = self.unknown.setdefault(spelling, [])
        if not uses:
            self.warnings.append(problem)
        uses.append(problem)
        return spelling

    # -- the plan and its tree

    def plan(self, rows: list[dict]) -> _Parsed:
        """The plan from its sheet's one row (an empty plan if it is missing: the other
        sheets are still checked, so that every problem is reported at once)."""
        parsed = _Parsed(plan=Plan(partnership=self.partnership, status=Plan.Status.DRAFT))
        if not rows:
            if "Plan" not in self.broken and not any(p.sheet == "Plan" for p in self.problems):
                self.error("Plan", 2, None, "no_plan")
            return parsed
        for extra in rows[1:]:
            self.error("Plan", extra["_row"], None, "two_plans")
        row = rows[0]
        plan = parsed.plan
        plan.title, plan.kind = row["title"] or "", row["kind"] or ""
        plan.start_year, plan.end_year = row["start_year"], row["end_year"]
        plan.summary, plan.source = row["summary"] or "", row["source"] or ""
        if plan.start_year and plan.end_year and plan.end_year < plan.start_year:
            self.error(
                "Plan",
                row["_row"],
                "Last year",
                "ends_early",
                end=plan.end_year,
                start=plan.start_year,
            )
        parsed.parent_title = row["parent_title"] or ""
        if parsed.parent_title:
            plan.parent = Plan.objects.filter(
                partnership=self.partnership, title__iexact=parsed.parent_title
            ).first()
            if plan.parent is None:
                self.warn(
                    "Plan",
                    row["_row"],
                    "Read with",
                    "no_parent_plan",
                    partnership=self.partnership,
                    title=parsed.parent_title,
                )
        self.check_fields(plan, "Plan", row)
        return parsed

    def tree(self, parsed: _Parsed, rows: dict[str, list[dict]]) -> None:
        priorities: dict[str, Priority] = {}
        for row in self.unique(rows["Priorities"], "Priorities", in_priority=False):
            priority = Priority(
                plan=parsed.plan,
                ref=row["ref"],
                title=row["title"],
                is_cross_cutting=bool(row["is_cross_cutting"]),
                **_texts(row, "summary", "lead_as_written"),
            )
            self.set_agency(parsed, priority, "lead_agency", row, "Priorities")
            self.check_fields(priority, "Priorities", row)
            priorities[priority.ref] = priority
            parsed.priorities.append(priority)
            themes = [line.strip() for line in (row["key_themes"] or "").splitlines()]
            parsed.key_themes[priority.ref] = [
                KeyTheme(priority=priority, order=order, text=text)
                for order, text in enumerate(filter(None, themes), start=1)
            ]
        objectives: dict[tuple[str, str], Objective] = {}
        for row in self.unique(
            self.with_priority(rows["Objectives"], "Objectives", priorities),
            "Objectives",
            in_priority=True,
        ):
            objective = Objective(
                priority=priorities[row["priority_ref"]],
                ref=row["ref"],
                title=row["title"],
                **_texts(row, "description"),
            )
            self.check_fields(objective, "Objectives", row)
            objectives[(row["priority_ref"], objective.ref)] = objective
            parsed.objectives.append(objective)
        actions: dict[tuple[str, str], Action] = {}
        for row in self.unique(
            self.with_priority(rows["Actions"], "Actions", priorities), "Actions", in_priority=True
        ):
            action = self.action(parsed, row, priorities, objectives)
            actions[(row["priority_ref"], action.ref)] = action
        for row in rows["Milestones"]:
            self.milestone(parsed, row, priorities, actions)
        linked = [row for row in rows["Indicators"] if not row["priority_ref"]]
        linked += self.with_priority(
            [row for row in rows["Indicators"] if row["priority_ref"]], "Indicators", priorities
        )
        for row in self.unique(
            sorted(linked, key=lambda r: r["_row"]), "Indicators", in_priority=False
        ):
            parsed.indicators.append(self.indicator(parsed, row, priorities))
        for row in self.unique(rows["Risks"], "Risks", in_priority=False):
            risk = Risk(
                plan=parsed.plan,
                ref=row["ref"],
                risk=row["risk"],
                **_texts(row, "implications", "controls", "status"),
                **{name: row[name] for name in SCORES},
            )
            self.check_fields(risk, "Risks", row)
            parsed.risks.append(risk)

    def action(self, parsed: _Parsed, row: dict, priorities: dict, objectives: dict) -> Action:
        """The action (also when its objective ref is wrong: its milestones still find it)."""
        objective = None
        if row["objective_ref"] and "Objectives" not in self.broken:
            objective = objectives.get((row["priority_ref"], row["objective_ref"]))
            if objective is None:
                known = [ref for (p, ref) in objectives if p == row["priority_ref"]]
                self.error(
                    "Actions",
                    row["_row"],
                    "Objective ref",
                    "no_objective",
                    priority=row["priority_ref"],
                    ref=row["objective_ref"],
                    hint=_refs_hint(known, "its objectives"),
                )
        timescale, due = row["timescale"] or ("", None)
        action = Action(
            priority=priorities[row["priority_ref"]],
            objective=objective,
            ref=row["ref"],
            title=row["title"],
            timescale=timescale,
            due_date=row["due_date"] or due,
            **_texts(
                row,
                "desired_outcome",
                "lead_as_written",
                "responsible",
                "partner_priority",
                "footnote",
            ),
        )
        self.set_agency(parsed, action, "lead_agency", row, "Actions")
        parsed.supporting[id(action)] = [
            self.agency(row, "Actions", "supporting_agencies", name)
            for name in row["supporting_agencies"] or []
        ]
        self.check_fields(action, "Actions", row)
        parsed.actions.append(action)
        return action

    def milestone(self, parsed: _Parsed, row: dict, priorities: dict, actions: dict) -> None:
        """A step of an action, numbered in the order of the sheet."""
        if row["priority_ref"] is None or row["action_ref"] is None:
            return  # already reported as empty
        action = actions.get((row["priority_ref"], row["action_ref"]))
        if action is None:
            if self.broken & {"Priorities", "Actions"}:
                return  # reported once, for the sheet
            if row["priority_ref"] not in priorities:
                self.with_priority([row], "Milestones", priorities)
                return
            known = [ref for (p, ref) in actions if p == row["priority_ref"]]
            self.error(
                "Milestones",
                row["_row"],
                "Action ref",
                "no_action",
                priority=row["priority_ref"],
                ref=row["action_ref"],
                hint=_refs_hint(known, "its actions"),
            )
            return
        timescale, due = row["timescale"] or ("", None)
        self.steps[id(action)] += 1
        milestone = Milestone(
            action=action,
            order=self.steps[id(action)],
            text=row["text"],
            timescale=timescale,
            due_date=row["due_date"] or due,
        )
        self.check_fields(milestone, "Milestones", row)
        parsed.milestones.append(milestone)

    def indicator(self, parsed: _Parsed, row: dict, priorities: dict) -> Indicator:
        due_text, due = row["due_as_written"] or ("", None)
        indicator = Indicator(
            plan=parsed.plan,
            priority=priorities.get(row["priority_ref"] or ""),
            ref=row["ref"],
            title=row["title"],
            due_as_written=due_text,
            due_date=row["due_date"] or due,
            frequency=row["frequency"] or Indicator.Frequency.QUARTERLY,
            unit=row["unit"] or Indicator.Unit.COUNT,
            direction=row["direction"] or "",
            **_texts(row, "theme", "target", "baseline", "responsible", "agency_as_written"),
        )
        self.set_agency(parsed, indicator, "agency", row, "Indicators")
        self.set_agency(parsed, indicator, "reporting_group", row, "Indicators")
        self.check_fields(indicator, "Indicators", row)
        return indicator

    # -- links and checks

    def set_agency(self, parsed: _Parsed, obj, attribute: str, row: dict, sheet: str) -> None:
        found = self.agency(row, sheet, attribute, row[attribute] or "")
        if isinstance(found, Agency):
            setattr(obj, attribute, found)
        elif found:
            parsed.pending_agencies.append((obj, attribute, found))

    def with_priority(self, rows: list[dict], sheet: str, priorities: dict) -> list[dict]:
        """Rows whose priority exists (a broken Priorities sheet is reported once, not for
        every row that names a priority)."""
        if "Priorities" in self.broken:
            return []
        kept = []
        for row in rows:
            ref = row["priority_ref"]
            if ref is not None and ref not in priorities:
                self.error(
                    sheet,
                    row["_row"],
                    "Priority ref",
                    "no_priority",
                    ref=ref,
                    hint=_refs_hint(list(priorities), "the priorities"),
                )
            elif ref is not None:  # None: already reported as empty
                kept.append(row)
        return kept

    def unique(self, rows: list[dict], sheet: str, *, in_priority: bool) -> list[dict]:
        """Rows whose ref is filled in and not used before within the same parent."""
        seen: dict[tuple[str, str], int] = {}
        kept = []
        for row in rows:
            if row["ref"] is None:
                continue  # already reported as empty
            key = (row["priority_ref"] if in_priority else "", row["ref"])
            if key in seen:
                where = f"priority '{key[0]}'" if in_priority else "the plan"
                self.error(
                    sheet,
                    row["_row"],
                    "Ref",
                    "duplicate",
                    ref=row["ref"],
                    where=where,
                    first=seen[key],
                    row=row["_row"],
                )
                continue
            seen[key] = row["_row"]
            kept.append(row)
        return kept

    def check_fields(self, obj: models.Model, sheet: str, row: dict) -> None:
        """The model's own field checks, as a safety net behind the column checks."""
        if (sheet, row["_row"]) in self.bad_rows:
            return  # the row's cells were already reported
        exclude = [f.name for f in obj._meta.fields if f.is_relation] + ["sort_key"]
        try:
            obj.clean_fields(exclude=exclude)
        except ValidationError as error:
            headers = {c.field: c.header for c in SHEETS[sheet]}
            for name, messages in error.message_dict.items():
                for message in messages:
                    column = headers.get(name, name)
                    self.problems.append(Problem(sheet, row["_row"], column, message))


def _texts(row: dict, *names: str) -> dict[str, str]:
    """Optional text cells, "" when empty."""
    return {name: row[name] or "" for name in names}


# ---------------------------------------------------------------- reading cells


class _Bad(Exception):
    """A cell that cannot be read as its column needs: ``args`` are (message key, values)."""


def _read_cell(formula: str | None, column: Column, value: Any) -> Any:
    if value is None and formula is not None:
        raise _Bad("formula", {"formula": formula[:100]})
    if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
        raise _Bad("excel_error", {"value": value.strip()})
    if isinstance(value, str) and len(value) > LIMITS["max_cell_chars"]:
        raise _Bad("huge", {"length": len(value), "limit": LIMITS["max_cell_chars"]})
    cleaned = CLEANERS[column.kind](value, column)
    if column.required and cleaned in (None, "", []):
        raise _Bad("required", {})
    text = cleaned[0] if isinstance(cleaned, tuple) else cleaned
    if column.max_length and isinstance(text, str) and len(text) > column.max_length:
        raise _Bad("too_long", {"length": len(text), "limit": column.max_length})
    return cleaned


def _text(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime | dt.date):
        return _date_text(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date_text(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _score(value: Any, column: Column) -> int | None:
    if _is_blank(value):
        return None
    number = _whole(value)
    if number is None or not 1 <= number <= 5:
        raise _Bad("score", {"value": _text(value, column), "help": column.help.lower()})
    return number


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _year(value: Any, column: Column) -> int | None:
    if _is_blank(value):
        return None
    year = _whole(value)
    if year is None and isinstance(value, str):
        match = re.fullmatch(r"(\d{4})\s*(?:[/-]\s*\d{2}(?:\d{2})?)?", value.strip())
        year = int(match.group(1)) if match else None
    if year is None or not 1998 <= year <= 2100:
        raise _Bad("year", {"value": _text(value, column)})
    return year


def _date(value: Any, column: Column) -> dt.date | None:
    if _is_blank(value):
        return None
    found = _read_date(value)
    if found is None:
        raise _Bad("date", {"value": _text(value, column)})
    return found


def _read_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel date serial without a date format (1954–2119)
            return from_excel(value).date()
        return None
    text = str(value).strip()
    numeric = NUMERIC_DATE.match(text)
    if numeric:
        return _numeric_date(*numeric.groups())
    if re.search(r"\d", text) is None:
        return None  # "Ongoing" is a timescale, not a date
    return parse_timescale(text).due_date


def _numeric_date(first: str, second: str, third: str) -> dt.date | None:
    """31/03/2016 (UK order), 31-3-16 or 2016-03-31."""
    if len(first) == 4:
        year, month, day = int(first), int(second), int(third)
    else:
        day, month, year = int(first), int(second), int(third)
        year += 2000 if len(third) == 2 else 0
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date_or_text(value: Any, column: Column) -> tuple[str, dt.date | None] | None:
    """Kept as written; a real Excel date is written out ("31 March 2016"); a numeric date
    ("31/03/2016") gives the due date that the written text cannot."""
    if _is_blank(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return _date_text(value), _read_date(value)
    text = _text(value, column)
    if NUMERIC_DATE.match(text):
        found = _read_date(text)
        if found is None:
            raise _Bad("timescale", {"value": text})
        return text, found
    return text, None


def _bool(value: Any, column: Column) -> bool:
    if _is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    text = _text(value, column).casefold()
    if text in TRUE_WORDS | FALSE_WORDS:
        return text in TRUE_WORDS
    raise _Bad("bool", {"value": _text(value, column)})


def _choice(value: Any, column: Column) -> str:
    if _is_blank(value):
        return ""
    wanted = _normal(value)
    for key, label in column.choices:
        if wanted in (_normal(key), _normal(label)):
            return key
    labels = ", ".join(label for _, label in column.choices)
    raise _Bad("choice", {"value": _text(value, column), "labels": labels})


def _agencies(value: Any, column: Column) -> list[str]:
    """Names separated by ";" or new lines, each once (in its first spelling)."""
    names: dict[str, str] = {}
    for name in re.split(r"[;\n]", _text(value, column)):
        if name.strip():
            names.setdefault(name.strip().casefold(), name.strip())
    return list(names.values())


CLEANERS = {
    "text": _text,
    "agency": _text,
    "int": _score,
    "year": _year,
    "date": _date,
    "date_or_text": _date_or_text,
    "bool": _bool,
    "choice": _choice,
    "agencies": _agencies,
}


def _normal(text: Any) -> str:
    """Headers, sheet names and choices compare without case, spaces or punctuation."""
    return re.sub(r"[\W_]+", "", str(text or "")).casefold()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_example(value: Any) -> bool:
    if not isinstance(value, str) or value.lstrip()[:7].casefold() != "example":
        return False
    return "deletethisrow" in _normal(value)


def _column(sheet: str, name: str) -> Column:
    return next(column for column in SHEETS[sheet] if column.field == name)


def _root_cause(error: BaseException) -> BaseException:
    seen = {id(error)}
    while (inner := error.__cause__ or error.__context__) is not None and id(inner) not in seen:
        seen.add(id(inner))
        error = inner
    return error


def _place(problem: Problem) -> tuple[int, int]:
    """Problems in the order of the sheets, then rows; the file's own first."""
    order = ["", *SHEETS]
    sheet = order.index(problem.sheet) if problem.sheet in order else len(order)
    return sheet, problem.row or 0


def _refs_hint(refs: list[str], what: str) -> str:
    if not refs:
        return MESSAGES["no_refs"]
    shown = ", ".join(refs[:10]) + (", …" if len(refs) > 10 else "")
    return MESSAGES["refs"].format(what=what, refs=shown)


def _agency_index() -> dict[str, Agency]:
    index: dict[str, Agency] = {}
    for agency in Agency.objects.all():
        index.setdefault(agency.name.casefold(), agency)
        if agency.short_name:
            index.setdefault(agency.short_name.casefold(), agency)
    return index


# ---------------------------------------------------------------- duplicates and predecessors


def _existing_plan(partnership: Partnership, title: str) -> Plan | None:
    return Plan.objects.filter(partnership=partnership, title__iexact=title).first()


def _duplicate_problem(existing: Plan) -> Problem:
    if existing.status == Plan.Status.DRAFT:
        fix = MESSAGES["exists_draft"]
    else:
        fix = MESSAGES["exists_kept"].format(status=existing.get_status_display().lower())
    message = MESSAGES["exists"].format(
        partnership=existing.partnership, title=existing.title, period=existing.period, fix=fix
    )
    return Problem("Plan", None, "Title", message)


def _predecessors(parsed: _Parsed, partnership, *, exclude: Plan | None) -> dict[int, Indicator]:
    """id(new indicator) → the same measure in the partnership's latest earlier plan that has
    indicators: the same title; else the same code, where it is a real code ("DA06", "NI111")
    or the titles are alike (plans renumber their indicators each year, so "2.5" alone says
    nothing)."""
    if not parsed.indicators or not parsed.plan.start_year:
        return {}
    earlier = Plan.objects.filter(
        partnership=partnership, start_year__lt=parsed.plan.start_year, indicators__isnull=False
    )
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude.pk)
    previous = earlier.order_by("-start_year", "-end_year", "-pk").first()
    if previous is None:
        return {}
    old = list(previous.indicators.select_related("plan"))
    by_ref = {indicator.ref.casefold(): indicator for indicator in old}
    by_title = {_normal(indicator.title): indicator for indicator in old}
    links = {}
    for indicator in parsed.indicators:
        match = by_title.get(_normal(indicator.title))
        same_code = by_ref.get(indicator.ref.casefold())
        if match is None and same_code is not None:
            titles = _normal(indicator.title), _normal(same_code.title)
            alike = difflib.SequenceMatcher(None, *titles).ratio() >= TITLES_ALIKE
            if alike or re.search(r"[a-z]", indicator.ref, re.IGNORECASE):
                match = same_code
        if match is not None:
            links[id(indicator)] = match
    return links


# ---------------------------------------------------------------- preview and save


def _preview(parsed: _Parsed, existing: Plan | None, links: dict) -> ImportPreview:
    plan = parsed.plan
    tree = {
        p.ref: {
            "ref": p.ref,
            "title": p.title,
            "lead": _lead(parsed, p),
            "is_cross_cutting": p.is_cross_cutting,
            "summary": p.summary,
            "key_themes": [theme.text for theme in parsed.key_themes[p.ref]],
            "objectives": [],
            "actions": [],
            "indicators": [],
        }
        for p in parsed.priorities
    }
    for o in parsed.objectives:
        tree[o.priority.ref]["objectives"].append(
            {"ref": o.ref, "title": o.title, "description": o.description}
        )
    milestones = defaultdict(list)
    for m in parsed.milestones:
        milestones[id(m.action)].append({"text": m.text, "timescale": m.timescale})
    for a in parsed.actions:
        tree[a.priority.ref]["actions"].append(
            {
                "ref": a.ref,
                "title": a.title,
                "objective_ref": a.objective.ref if a.objective else "",
                "desired_outcome": a.desired_outcome,
                "lead": _lead(parsed, a),
                "supporting": [_name(s) for s in parsed.supporting[id(a)]],
                "responsible": a.responsible,
                "timescale": a.timescale,
                "milestones": milestones[id(a)],
            }
        )
    loose, predecessor_links = [], []
    for i in parsed.indicators:
        old = links.get(id(i))
        label = f"{old.plan.title}: {old.ref} {old.title}" if old else ""
        if old:
            predecessor_links.append((f"{i.ref} {i.title}", label))
        item = {
            "ref": i.ref,
            "title": i.title,
            "target": i.target,
            "baseline": i.baseline,
            "due": i.due_as_written,
            "agency": _lead(parsed, i, "agency"),
            "frequency": i.get_frequency_display(),
            "predecessor": label,
        }
        (tree[i.priority.ref]["indicators"] if i.priority else loose).append(item)
    risks = [
        {
            "ref": r.ref,
            "risk": r.risk,
            "score_before": r.score_before,
            "score_after": r.score_after,
            "status": r.status,
        }
        for r in parsed.risks
    ]
    counted = ("priorities", "objectives", "actions", "milestones", "indicators", "risks")
    return ImportPreview(
        plan_fields={
            "title": plan.title,
            "kind": plan.kind,
            "kind_label": plan.get_kind_display(),
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "period": plan.period,
            "summary": plan.summary,
            "source": plan.source,
            "parent_title": parsed.parent_title,
        },
        priorities=list(tree.values()),
        risks=risks,
        counts={name: len(getattr(parsed, name)) for name in counted},
        warnings=parsed.warnings,
        new_agencies=list(parsed.unknown_agencies),
        predecessor_links=predecessor_links,
        existing_plan=existing,
        existing_is_draft=existing is not None and existing.status == Plan.Status.DRAFT,
        indicators=loose,
    )


def _lead(parsed: _Parsed, obj, attribute: str = "lead_agency") -> str:
    """The lead as the plan writes it, else the agency's name (known or to be created)."""
    written = getattr(obj, "lead_as_written", "") or getattr(obj, "agency_as_written", "")
    if written:
        return written
    agency = getattr(obj, attribute)
    if agency is not None:
        return agency.name
    pending = [name for o, a, name in parsed.pending_agencies if o is obj and a == attribute]
    return pending[0] if pending else ""


def _name(agency: Agency | str) -> str:
    return agency.name if isinstance(agency, Agency) else agency


def _save(parsed: _Parsed, *, links: dict) -> Plan:
    """Write the plan and everything in it: one insert per table (and the plan's own save,
    which the audit trail records)."""
    created = {
        name.casefold(): Agency.objects.create(name=name)
        for name in parsed.unknown_agencies  # all ticked, or the import was refused
    }
    for obj, attribute, name in parsed.pending_agencies:
        setattr(obj, attribute, created[name.casefold()])
    plan = parsed.plan
    plan.full_clean()
    plan.save()
    _insert(Priority, parsed.priorities)
    _insert(KeyTheme, [theme for themes in parsed.key_themes.values() for theme in themes])
    _insert(Objective, parsed.objectives)
    _insert(Action, parsed.actions)
    through = Action.supporting_agencies.through
    supporting = []
    for action in parsed.actions:
        pks = {
            (a if isinstance(a, Agency) else created[a.casefold()]).pk
            for a in parsed.supporting[id(action)]
        }
        supporting += [through(action_id=action.pk, agency_id=pk) for pk in sorted(pks)]
    through.objects.bulk_create(supporting)
    _insert(Milestone, parsed.milestones)
    for indicator in parsed.indicators:
        indicator.predecessor = links.get(id(indicator))
    _insert(Indicator, parsed.indicators)
    _insert(Risk, parsed.risks)
    return plan


def _insert(model: type[models.Model], objects: list[models.Model]) -> None:
    """bulk_create skips ``pre_save``: derive sort keys, due dates and parsed targets here,
    with the same receiver."""
    from plans.signals import derive_fields

    for obj in objects:
        derive_fields(sender=model, instance=obj)
    model.objects.bulk_create(objects, batch_size=500)
