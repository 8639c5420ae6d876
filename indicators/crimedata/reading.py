"""Reading police.uk street-level files into counts, streaming: a file of 30,000 rows or a zip
of a hundred is read row by row and never held whole. Nothing is written here: ``read_files``
returns the counts, or raises ``FileRefused`` naming the file, line and column."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import IO

COLUMNS = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
           "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category",
           "Context"]  # fmt: skip
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
LSOA_NAME = re.compile(r"^(.+?)\s+\d{3}[A-Z]$")  # "Medway 012A" → "Medway"
MB = 1024 * 1024
LIMITS = {
    "max_members": 2000,
    "max_unpacked_bytes": 8 * 1024 * MB,  # a month of every force is about 1 GB
    "max_ratio": 100,  # CSV packs about tenfold: a hundredfold is a bomb
    "max_cell_chars": 1000,
    "max_line_bytes": 16 * 1024,
}
# Files of the police.uk archive that are not street-level crimes: left out, and said so.
OTHER_KINDS = ("-outcomes.csv", "-stop-and-search.csv")

# (force, month, where, crime type): where is ("code", "LSOA code<tab>LSOA name") or
# ("no_location", "") for a row with neither.
Key = tuple[str, date, tuple[str, str], str]


class FileRefused(Exception):
    """A file that cannot be loaded: which file, line and column, and why."""

    def __init__(self, file: str, message: str, line: int | None = None, column: str = ""):
        self.file, self.line, self.column, self.reason = file, line, column, message
        where = (
            f"{file}"
            + (f", line {line}" if line else "")
            + (f", column {column}" if column else "")
        )
        super().__init__(f"{where}: {message}")


@dataclass
class Counts:
    """Everything read from the files: counts by key, and what was left out."""

    counts: Counter = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def pairs(self) -> set[tuple[str, date]]:
        return {(force, month) for force, month, _, _ in self.counts}

    def total(self, kind: str) -> int:
        return sum(n for (_, _, where, _), n in self.counts.items() if where[0] == kind)


def read_files(named: Iterable[tuple[str, IO[bytes]]]) -> Counts:
    """Count every row of every (name, binary file) given: a CSV, or a zip of CSVs."""
    counts = Counts()
    for name, handle in named:
        head = handle.read(4)
        handle.seek(0)
        if head.startswith(b"PK"):
            _read_zip(name, handle, counts)
        else:
            _read_csv(name, handle, counts)
    return counts


def _read_zip(name: str, handle: IO[bytes], counts: Counts) -> None:
    try:
        archive = zipfile.ZipFile(handle)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise FileRefused(name, "this is not a zip file that can be opened") from None
    if len(infos) > LIMITS["max_members"]:
        raise FileRefused(name, f"the zip holds {len(infos)} files; at most "
                          f"{LIMITS['max_members']} are read")  # fmt: skip
    if sum(info.file_size for info in infos) > LIMITS["max_unpacked_bytes"]:
        raise FileRefused(name, "the zip unpacks to more than 8 GB: load it in parts")
    members = [info for info in infos if not info.is_dir()]
    for info in members:
        inner = f"{name}: {info.filename}"
        if info.flag_bits & 0x1:
            raise FileRefused(inner, "the file is encrypted")
        if not info.filename.lower().endswith(".csv"):
            raise FileRefused(inner, "only CSV files of police.uk street-level crimes are read")
        if (
            info.file_size > MB
            and info.file_size / max(info.compress_size, 1) > LIMITS["max_ratio"]
        ):
            raise FileRefused(inner, "the file unpacks to far more than it packs (a zip bomb?)")
    for info in members:
        inner = f"{name}: {info.filename}"
        if PurePosixPath(info.filename).name.lower().endswith(OTHER_KINDS):
            counts.skipped.append(inner)
            continue
        with archive.open(info) as member:
            _read_csv(inner, _Bounded(member, info.file_size, inner), counts)


class _Bounded(io.RawIOBase):
    """A zip member read no further than the size its header declares (a lying header
    cannot unpack more)."""

    def __init__(self, raw, limit: int, name: str):
        self.raw, self.left, self.name = raw, limit, name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(min(len(buffer), self.left + 1))
        if len(data) > self.left:
            raise FileRefused(self.name, "the file unpacks to more than its zip entry says")
        self.left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def _lines(name: str, handle):
    """The file's text line by line, each decoded alone so a bad byte is found at its line."""
    buffered = io.BufferedReader(handle) if isinstance(handle, io.RawIOBase) else handle
    number = 0
    while raw := buffered.readline(LIMITS["max_line_bytes"] + 1):
        number += 1
        if len(raw) > LIMITS["max_line_bytes"]:
            raise FileRefused(name, "the line is far longer than police.uk writes", number)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise FileRefused(
                name, "the file is not UTF-8 text (police.uk files are)", number
            ) from None
        yield text.removeprefix("\ufeff") if number == 1 else text


def _read_csv(name: str, handle, counts: Counts) -> None:
    reader = csv.reader(_lines(name, handle))
    try:
        header = next(reader, None)
        if header is None:
            raise FileRefused(name, "the file is empty")
        header = [h.strip() for h in header]
        missing = [column for column in COLUMNS if column not in header]
        if missing:
            if len(header) < 2:
                raise FileRefused(name, "this is not a police.uk street-level crime CSV file", 1)
            raise FileRefused(name, "this column is missing", 1, missing[0])
        at = {column: header.index(column) for column in COLUMNS}
        width = len(header)
        for cells in reader:
            line = reader.line_num
            if not any(cells):
                continue
            if len(cells) != width:
                raise FileRefused(
                    name, f"the row has {len(cells)} cells; the heading has {width}", line
                )
            if any(len(cell) > LIMITS["max_cell_chars"] for cell in cells):
                raise FileRefused(name, "a cell is far longer than police.uk writes", line)
            counts.counts[_key(name, line, cells, at)] += 1
            counts.rows += 1
    except csv.Error as error:
        raise FileRefused(
            name, f"this is not a readable CSV file ({error})", reader.line_num
        ) from None
    counts.files.append(name)


def _key(name: str, line: int, cells: list[str], at: dict[str, int]) -> Key:
    month_text = cells[at["Month"]].strip()
    match = MONTH.match(month_text)
    if not match or not 1 <= int(match[2]) <= 12:
        raise FileRefused(name, f"“{month_text[:20]}” is not a month like 2019-04", line, "Month")
    force = cells[at["Reported by"]].strip()
    if not force:
        raise FileRefused(name, "the force is empty", line, "Reported by")
    crime_type = cells[at["Crime type"]].strip()
    if not crime_type:
        raise FileRefused(name, "the crime type is empty", line, "Crime type")
    code, lsoa = cells[at["LSOA code"]].strip(), cells[at["LSOA name"]].strip()
    where = ("code", code + "\t" + lsoa) if code or lsoa else ("no_location", "")
    return (force, date(int(match[1]), int(match[2]), 1), where, crime_type)


def district_name(lsoa_name: str) -> str | None:
    """The district an LSOA's name starts with: "Medway 012A" → "Medway"."""
    match = LSOA_NAME.match(lsoa_name)
    return match[1] if match else None
