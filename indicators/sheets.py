"""Sheets of figures in and out: reading an uploaded CSV or .xlsx into rows of cells (with the
plan import's file checks and bounds), and writing the quarter's sheet to fill in.

Reading gives a ``Grid``: the header row's names (as typed) and each later row with its
spreadsheet row number, cells as text or numbers. ``UploadRefused`` says why a file as a whole
cannot be read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from plans.importing.archive import LIMITS, MB, check_archive
from plans.importing.problems import ImportRefused
from plans.importing.structure import check_structure
from plans.safe_export import neutralise_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Cell = str | int | float | Decimal


class UploadRefused(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded sheet, named by row and column."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        parts = [
            f"Row {self.row}" if self.row else "",
            f"column “{self.column}”" if self.column else "",
        ]
        place = ", ".join(part for part in parts if part)
        return f"{place}: {self.message}" if place else self.message


@dataclass
class Grid:
    headers: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)

    def column(self, *names: str) -> int | None:
        """Index of the first header matching one of ``names`` (case and spaces ignored)."""
        wanted = {_key(name) for name in names}
        return next((i for i, h in enumerate(self.headers) if _key(h) in wanted), None)


def _key(text: str) -> str:
    return " ".join(str(text).lower().split())


def read_grid(*, file_name: str, content: bytes) -> Grid:
    """The first sheet of an .xlsx, or a CSV file, as a ``Grid``. Raises ``UploadRefused``."""
    name = file_name.lower()
    if not content:
        raise UploadRefused("The file is empty. Choose the filled-in sheet.")
    if len(content) > LIMITS["max_bytes"]:
        raise UploadRefused(
            f"The file is {len(content) / MB:.1f} MB; the limit is {LIMITS['max_bytes'] // MB} MB."
        )
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif name.endswith(".csv"):
        rows = _csv_rows(content)
    else:
        raise UploadRefused("Choose a CSV file (.csv) or an Excel workbook (.xlsx).")
    return _grid(rows)


def _xlsx_rows(content: bytes) -> list[list[Cell]]:
    try:
        check_archive(content)
        check_structure(content)
    except ImportRefused as refused:
        raise UploadRefused(refused.problems[0].message) from None
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True, max_row=LIMITS["max_rows"] + 1):
            rows.append([_cell(v) for v in values[: LIMITS["max_columns"] + 1]])
        book.close()
    except Exception as error:  # noqa: BLE001 - any failure of a damaged file is the same to the user
        raise UploadRefused(
            f"The file could not be read as an Excel workbook ({type(error).__name__})."
        ) from None
    return rows


def _csv_rows(content: bytes) -> list[list[Cell]]:
    if b"\x00" in content[:4096] or content.startswith(b"PK"):
        raise UploadRefused("This is not a CSV file, whatever its name: save it as CSV or .xlsx.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        rows = []
        for values in reader:
            rows.append([_cell(v) for v in values[: LIMITS["max_columns"] + 1]])
            if len(rows) > LIMITS["max_rows"]:
                break
    except csv.Error as error:
        raise UploadRefused(f"The CSV file could not be read: {error}.") from None
    return rows


def _cell(value) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value).strip()
    # A leading apostrophe is how our own CSV downloads keep a text from being a formula.
    return text[1:] if text.startswith("'") else text


def _grid(rows: list[list[Cell]]) -> Grid:
    if len(rows) > LIMITS["max_rows"]:
        raise UploadRefused(f"The sheet has more than {LIMITS['max_rows']:,} rows.")
    if any(len(row) > LIMITS["max_columns"] for row in rows):
        raise UploadRefused(f"The sheet has more than {LIMITS['max_columns']} columns.")
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if any(c != "" for c in row)]
    if not numbered:
        raise UploadRefused("The sheet is empty: fill in the downloaded sheet and upload it.")
    (_, header), *body = numbered
    headers = [str(h).strip() for h in header]
    width = len(headers)
    return Grid(headers, [(n, (row + [""] * width)[:width]) for n, row in body])


def workbook_bytes(*, title: str, headers: list[str], rows: list[list], widths: list[int]) -> bytes:
    """A one-sheet workbook, bold headers, frozen header row, every text made formula-safe."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    neutralise_workbook(book).save(out)
    return out.getvalue()
