"""Stage 1b: count what the workbook's XML holds before openpyxl builds anything from it.

A small file can hold huge structures: 400,000 merged ranges fit in 1.4 MB zipped and cost
openpyxl (and the merged-cell fill) minutes of CPU. Each sheet's XML and the shared strings
are streamed in chunks and their elements counted, stopping at the first count over its
bound, so a refusal costs a fraction of a second whatever the file holds.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from io import BytesIO

from plans.importing.archive import LIMITS, WORKSHEET
from plans.importing.problems import refuse

CHUNK = 1024 * 1024
OVERLAP = 64  # longer than any tag counted, so a tag cut by a chunk boundary is still seen

# (pattern, limit key, what it is, for the message); "<c " but not "<col", "<mergeCells".
SHEET_ELEMENTS = [
    (re.compile(rb"<(?:\w+:)?mergeCell[\s/>]"), "max_merged_ranges", "merged cell ranges"),
    (re.compile(rb"<(?:\w+:)?row[\s/>]"), "max_xml_rows", "rows"),
    (re.compile(rb"<(?:\w+:)?c[\s/>]"), "max_cells", "cells"),
]
DAMAGED = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError)
SHARED_STRINGS = [(re.compile(rb"<(?:\w+:)?si[\s/>]"), "max_shared_strings", "texts")]


def check_structure(content: bytes) -> None:
    """Refuse a workbook whose sheets or shared strings hold more than ``LIMITS`` allow.
    Assumes ``check_archive`` passed (a readable zip of bounded size)."""
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            for info in archive.infolist():
                if WORKSHEET.fullmatch(info.filename):
                    _count(archive, info.filename, SHEET_ELEMENTS)
                elif info.filename == "xl/sharedStrings.xml":
                    _count(archive, info.filename, SHARED_STRINGS)
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
    ) as e:
        raise refuse("unreadable", error=type(e).__name__) from None


def _count(archive: zipfile.ZipFile, name: str, elements: list) -> None:
    counts = [0] * len(elements)
    tail = b""
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK):
            buffer = tail + chunk
            for index, (pattern, key, what) in enumerate(elements):
                # A tag wholly inside the tail was counted with the previous chunk.
                counts[index] += sum(
                    1 for match in pattern.finditer(buffer) if match.end() > len(tail)
                )
                if counts[index] > LIMITS[key]:
                    raise refuse("structure", what=what, limit=LIMITS[key], name=_sheet(name))
            tail = buffer[-OVERLAP:]


def _sheet(name: str) -> str:
    return "the shared texts" if name.endswith("sharedStrings.xml") else f"a sheet ({name})"
