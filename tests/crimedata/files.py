"""police.uk street-level crime files as the forces publish them, made by the tests."""

from __future__ import annotations

import csv
import io
import zipfile

from indicators.crimedata.reading import COLUMNS


def street_csv(rows: list[dict], *, columns=COLUMNS, encoding="utf-8") -> bytes:
    """A CSV of crimes; each row gives month, lsoa code and name, crime type (and force)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for n, row in enumerate(rows):
        located = bool(row.get("lsoa_name") or row.get("lsoa_code"))
        cells = {
            "Crime ID": f"{n:064x}" if n % 3 else "",
            "Month": row["month"],
            "Reported by": row.get("force", "Kent Police"),
            "Falls within": row.get("force", "Kent Police"),
            "Longitude": "0.527" if located else "",
            "Latitude": "51.38" if located else "",
            "Location": "On or near Military Road" if located else "No Location",
            "LSOA code": row.get("lsoa_code", ""),
            "LSOA name": row.get("lsoa_name", ""),
            "Crime type": row["type"],
            "Last outcome category": "Under investigation",
            "Context": "",
        }
        writer.writerow([cells.get(column, "") for column in columns])
    return out.getvalue().encode(encoding)


def crimes(month: str, type_: str, count: int, **where) -> list[dict]:
    return [{"month": month, "type": type_, **where} for _ in range(count)]


def medway(month: str, type_: str, count: int, lsoa="Medway 012A", code="E01016001"):
    return crimes(month, type_, count, lsoa_name=lsoa, lsoa_code=code)


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def named(name: str, content: bytes):
    return (name, io.BytesIO(content))


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """The text of each cell of each row of the table with that id, as a person reads it."""
    import re

    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    cell = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
    tags = re.compile(r"<[^>]+>")
    return [[" ".join(tags.sub(" ", c).split()) for c in cell.findall(row)] for row in rows]


def swale_rows(month: str, burglary: int, asb: int) -> list[dict]:
    where = {"lsoa_name": "Swale 003C", "lsoa_code": "E01024500"}
    return crimes(month, "Burglary", burglary, **where) + crimes(
        month, "Anti-social behaviour", asb, **where
    )


def medway_rows(month: str, burglary: int) -> list[dict]:
    return crimes(month, "Burglary", burglary, lsoa_name="Medway 012A", lsoa_code="E01016001")
