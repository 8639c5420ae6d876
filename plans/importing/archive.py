"""Stage 1: the uploaded file itself. ``check_archive`` refuses anything that is not a plain
.xlsx of a sensible size (wrong format, encryption, macros, zip bombs, too many sheets)
before openpyxl sees it. ``LIMITS`` bounds the file, its sheets and cells."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from plans.importing.problems import refuse

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
    # Counted in the XML before openpyxl reads it (plans.importing.structure): a plan of
    # 5,000 rows × 40 columns fits well inside these.
    "max_merged_ranges": 2000,
    "max_xml_rows": 20000,
    "max_cells": 250_000,
    "max_shared_strings": 250_000,
}

MB = 1024 * 1024
WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


def check_archive(content: bytes) -> None:
    """Refuse anything that is not a plain .xlsx of a sensible size, before openpyxl sees it."""
    if not content:
        raise refuse("empty")
    if len(content) > LIMITS["max_bytes"]:
        raise refuse("too_big", mb=len(content) / MB, limit=LIMITS["max_bytes"] // MB)
    if content.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: .xls, or an encrypted .xlsx
        raise refuse("xls")
    if not content.startswith(b"PK"):
        raise refuse("not_xlsx")
    try:
        infos = zipfile.ZipFile(BytesIO(content)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, RuntimeError):
        raise refuse("not_xlsx") from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise refuse("docx" if "word/document.xml" in names else "not_xlsx")
    if len(infos) > LIMITS["max_members"]:
        raise refuse("parts", count=len(infos))
    if any(info.flag_bits & 0x1 for info in infos):
        raise refuse("encrypted")
    if "xl/vbaProject.bin" in names:
        raise refuse("xlsm")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > LIMITS["max_unpacked_bytes"]:
        raise refuse("unpacked", mb=unpacked / MB, limit=LIMITS["max_unpacked_bytes"] // MB)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MB and ratio > LIMITS["max_ratio"]:
            raise refuse("ratio", name=info.filename, ratio=ratio)
    sheets = [info for info in infos if WORKSHEET.fullmatch(info.filename)]
    if len(sheets) > LIMITS["max_sheets"]:
        raise refuse("sheets", count=len(sheets), limit=LIMITS["max_sheets"])
    for info in sheets:
        if info.file_size > LIMITS["max_sheet_bytes"]:
            raise refuse("sheet_size", name=info.filename, mb=info.file_size / MB)
