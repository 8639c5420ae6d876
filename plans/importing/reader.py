"""Stage 2: the workbook's sheets into rows. openpyxl reads it in read-only mode, cached
values only; cells merged down are filled in for each row; formulas are read in a second pass
so that a formula whose value Excel never saved can be reported. Whatever openpyxl trips over
in a damaged file becomes a clear refusal."""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from plans.importing.archive import LIMITS
from plans.importing.cells import is_blank, normal
from plans.importing.problems import MESSAGES, Problem, refuse
from plans.workbook.columns import FUNDING_SUMMARY_SHEET, INSTRUCTIONS_SHEET, LISTS_SHEET, SHEETS

logger = logging.getLogger(__name__)

MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]{1,3}\d+):([A-Z]{1,3}\d+)\"")
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass
class Sheet:
    """A sheet's header row and data rows, as the cells hold them (cached values)."""

    name: str
    header_row: int = 0
    headers: dict[int, str] = field(default_factory=dict)  # column index (0-based) → header
    rows: dict[int, list[Any]] = field(default_factory=dict)  # row number → values
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → "=..."


def read_workbook(content: bytes) -> tuple[dict[str, Sheet], list[Problem], list[Problem]]:
    """``read_sheets``, with anything openpyxl raises turned into ``ImportRefused``."""
    try:
        return read_sheets(content)
    except Exception as error:  # whatever openpyxl trips over in a damaged file
        logger.debug("Unreadable workbook: %r", error)
        cause = _root_cause(error)
        if isinstance(cause, DefusedXmlException):
            raise refuse("unsafe") from None
        raise refuse("unreadable", error=type(cause).__name__) from None


def read_sheets(content: bytes) -> tuple[dict[str, Sheet], list[Problem], list[Problem]]:
    """The workbook's sheets that the template names, keyed by template name; warnings
    (sheets ignored) and errors (sheets too big)."""
    wanted = {normal(name): name for name in SHEETS}
    ours = {normal(INSTRUCTIONS_SHEET), normal(LISTS_SHEET), normal(FUNDING_SUMMARY_SHEET)}
    sheets: dict[str, Sheet] = {}
    with_formulas: dict[str, Sheet] = {}  # by the workbook's own sheet title
    notes: list[Problem] = []
    errors: list[Problem] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
        try:
            for title in book.sheetnames:
                name = wanted.get(normal(title))
                if name is None or name in sheets:
                    if normal(title) not in ours:
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


def _read_sheet(name: str, sheet: ReadOnlyWorksheet, xml: bytes, errors: list) -> Sheet:
    """The sheet's non-empty rows, cut off past the limits (the first row found holds the
    headings)."""
    limit_rows, limit_cols = LIMITS["max_rows"], LIMITS["max_columns"]
    result = Sheet(name)
    rows = sheet.iter_rows(max_row=limit_rows + 1, max_col=limit_cols + 1, values_only=True)
    for number, values in enumerate(rows, start=1):
        if all(is_blank(value) for value in values):
            continue
        if number > limit_rows:
            errors.append(Problem(name, number, None, MESSAGES["rows"].format(limit=limit_rows)))
            break
        if len(values) > limit_cols and not is_blank(values[limit_cols]):
            message = MESSAGES["columns"].format(limit=limit_cols)
            errors.append(Problem(name, number, None, message))
            break
        result.rows[number] = list(values[:limit_cols]) + [None] * (limit_cols - len(values))
    if result.rows:
        result.header_row = min(result.rows)
        header = result.rows.pop(result.header_row)
        result.headers = {i: str(v).strip() for i, v in enumerate(header) if not is_blank(v)}
    for first, last in MERGE_REF.findall(xml):
        _fill_merged(result, first.decode(), last.decode())
    return result


def _fill_merged(sheet: Sheet, first: str, last: str) -> None:
    """A cell merged down over several rows holds its value for each of them (a priority ref
    merged over its actions); merged across columns, only the first column holds it."""
    col, top = _coordinates(first)
    bottom = _coordinates(last)[1]
    if col >= LIMITS["max_columns"] or top not in sheet.rows:
        return  # off the sheet, or merged down from the header row
    value = sheet.rows[top][col]
    for row in range(top + 1, min(bottom, LIMITS["max_rows"]) + 1):
        cells = sheet.rows.get(row)  # rows left empty stay empty
        if cells is not None and is_blank(cells[col]):
            cells[col] = value


def _coordinates(ref: str) -> tuple[int, int]:
    letters, digits = re.match(r"([A-Z]+)(\d+)", ref).groups()
    return column_index_from_string(letters) - 1, int(digits)


def _read_formulas(content: bytes, sheets: dict[str, Sheet]) -> None:
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


def _root_cause(error: BaseException) -> BaseException:
    seen = {id(error)}
    while (inner := error.__cause__ or error.__context__) is not None and id(inner) not in seen:
        seen.add(id(inner))
        error = inner
    return error
