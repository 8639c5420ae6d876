"""Downloads that never carry a live formula (OWASP "CSV injection").

Anything a person typed may start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return,
which Excel and LibreOffice read as the start of a formula (``=HYPERLINK(...)`` sends data
away when clicked). Every CSV and Excel download goes through here:

- CSV: such a text gets a leading apostrophe, which spreadsheets show as text and hide.
- Excel: every text cell is stored as a string (never ``<f>``) and, when it starts like a
  formula, gets Excel's "quote prefix" so that editing the cell keeps it text.

Numbers and dates are left as they are: they are never formulas and must stay typed.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def is_risky(text: str) -> bool:
    """Would a spreadsheet read this text as a formula? ("-3.5" is a number, so no.)"""
    return text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text)


def csv_value(value: Any) -> Any:
    if isinstance(value, str) and is_risky(value):
        return f"'{value}"
    return value


def write_csv_rows(out, rows: Iterable[Iterable[Any]]) -> None:
    """Write ``rows`` to the file-like ``out`` as CSV, each text made safe."""
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_value(value) for value in row])


def neutralise_cell(cell) -> None:
    """Keep a text cell text: a string (not a formula) and, if it looks like one, quoted."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if is_risky(cell.value):
            cell.quotePrefix = True


def neutralise_workbook(book: Workbook) -> Workbook:
    """Every text cell of every sheet, made safe (call just before saving)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                neutralise_cell(cell)
    return book


def neutralise_xlsx(content: bytes) -> bytes:
    """A stored workbook (e.g. a report published before this existed), made safe on its way
    out: any formula it holds was text someone typed, so it is served as that text."""
    book = load_workbook(BytesIO(content))
    neutralise_workbook(book)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
