"""Writing police.uk counts and the ONS lookup, each in one transaction: all or nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from indicators.crimedata.models import CrimeCount, CrimeImport, District, LsoaDistrict
from indicators.crimedata.reading import Counts, FileRefused, district_name, read_files


@dataclass
class ImportResult:
    record: CrimeImport
    counts: Counts
    filled: list = None  # series.FillResult of each linked indicator


def police_data_import(*, files: Iterable[tuple[str, IO[bytes]]], user=None) -> ImportResult:
    """Read every file first (a refused file changes nothing), then replace the counts of each
    force and month the files hold, and fill the indicators linked to crime data."""
    counts = read_files(files)
    with transaction.atomic():
        record = _write(counts, user)
        from indicators.crimedata.series import fill_all

        filled = fill_all(user=user)
    return ImportResult(record=record, counts=counts, filled=filled)


def _write(counts: Counts, user) -> CrimeImport:
    now = timezone.now()
    lookup = dict(LsoaDistrict.objects.values_list("lsoa_code", "district_id"))
    by_name = {d.name.lower(): d.pk for d in District.objects.all()}
    placed: dict[tuple, int] = {}
    for (force, month, where, crime_type), number in counts.counts.items():
        kind, district = _place(where, lookup, by_name)
        key = (force, month, kind, district, crime_type)
        placed[key] = placed.get(key, 0) + number
    pairs = counts.pairs
    rule = Q(pk__in=[])
    for force, month in pairs:
        rule |= Q(force=force, month=month)
    CrimeCount.objects.filter(rule).delete()
    source = "; ".join(counts.files)[:255]
    CrimeCount.objects.bulk_create(
        [CrimeCount(force=force, month=month, kind=kind, district_id=district,
                    crime_type=crime_type, count=number, loaded_at=now, source_file=source)
         for (force, month, kind, district, crime_type), number in placed.items()],
        batch_size=2000,
    )  # fmt: skip
    record = CrimeImport(
        files="\n".join(counts.files + [f"{name} (left out: not street-level crimes)"
                                        for name in counts.skipped]),
        loaded_by=user if user is not None and user.is_authenticated else None,
        loaded_at=now,
        months=", ".join(f"{force} {month:%Y-%m}" for force, month in sorted(pairs))[:500],
        rows=counts.rows,
        no_location=sum(n for (_, _, kind, _, _), n in placed.items() if kind == "no_location"),
        unmatched=sum(n for (_, _, kind, _, _), n in placed.items() if kind == "unmatched"),
    )  # fmt: skip
    record.full_clean()
    record.save()
    return record


def _place(where: tuple[str, str], lookup: dict, by_name: dict) -> tuple[str, int | None]:
    """(kind, district id) of a row: by its LSOA code in the ONS lookup, else by the district
    its LSOA name starts with (a district met first by name is created without a code)."""
    kind, text = where
    if kind != "code":
        return kind, None
    code, lsoa_name = text.split("\t", 1)
    if code in lookup:
        return "district", lookup[code]
    name = district_name(lsoa_name)
    if not name:
        return "unmatched", None
    if name.lower() not in by_name:
        by_name[name.lower()] = District.objects.create(name=name).pk
    return "district", by_name[name.lower()]


# --- The ONS LSOA-to-district lookup ---------------------------------------------------------

LSOA_COLUMNS = ("LSOA11CD", "LSOA21CD", "LSOA01CD")


def _column(header: list[str], name: str, *, starts: str = "", ends: str = "") -> int | None:
    for at, heading in enumerate(header):
        heading = heading.strip().upper()
        if heading == name or (starts and heading.startswith(starts) and heading.endswith(ends)):
            return at
    return None


@transaction.atomic
def lookup_load(*, name: str, handle: IO[bytes]) -> int:
    """Load the ONS LSOA-to-district lookup (its published columns: LSOA11CD or LSOA21CD,
    LADxxCD and LADxxNM), replacing the one before; districts are created or renamed by code.
    Returns how many LSOAs it holds."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text)
        header = [h.strip().upper() for h in next(reader, [])]
        lsoa_at = next((header.index(c) for c in LSOA_COLUMNS if c in header), None)
        code_at = _column(header, "", starts="LAD", ends="CD")
        name_at = _column(header, "", starts="LAD", ends="NM")
        for at, column in ((lsoa_at, "LSOA21CD"), (code_at, "LAD23CD"), (name_at, "LAD23NM")):
            if at is None:
                raise FileRefused(name, f"this column is missing (or one like {column})", 1, column)
        rows, districts = {}, {}
        for cells in reader:
            if not any(cells):
                continue
            try:
                lsoa, code, lad_name = (cells[lsoa_at].strip(), cells[code_at].strip(),
                                        cells[name_at].strip())  # fmt: skip
            except IndexError:
                raise FileRefused(
                    name, "the row is shorter than the heading", reader.line_num
                ) from None
            if not (lsoa and code and lad_name) or len(code) > 12 or len(lsoa) > 12:
                raise FileRefused(name, "an LSOA or district code or name is empty or too long",
                                  reader.line_num)  # fmt: skip
            rows[lsoa] = code
            districts[code] = lad_name[:100]
    except UnicodeDecodeError:
        raise FileRefused(name, "the file is not UTF-8 text") from None
    except csv.Error as error:
        raise FileRefused(name, f"this is not a readable CSV file ({error})") from None
    finally:
        text.detach()
    ids = _districts(districts)
    LsoaDistrict.objects.all().delete()
    LsoaDistrict.objects.bulk_create(
        [LsoaDistrict(lsoa_code=lsoa, district_id=ids[code]) for lsoa, code in rows.items()],
        batch_size=5000,
    )
    return len(rows)


def _districts(named: dict[str, str]) -> dict[str, int]:
    """Each code's district: found by code, else by name (one an import created), else new."""
    by_code = {d.code: d for d in District.objects.filter(code__in=list(named))}
    by_name = {d.name.lower(): d for d in District.objects.filter(code__isnull=True)}
    ids = {}
    for code, name in named.items():
        district = by_code.get(code) or by_name.get(name.lower())
        if district is None:
            district = District.objects.filter(name__iexact=name).first() or District(name=name)
        if district.code != code or district.name != name:
            district.code, district.name = code, name
            district.save()
        ids[code] = district.pk
    return ids


@transaction.atomic
def area_set(*, partnership, districts) -> None:
    """The partnership's area: exactly these districts."""
    from indicators.crimedata.models import PartnershipDistrict

    chosen = {d.pk for d in districts}
    PartnershipDistrict.objects.filter(partnership=partnership).exclude(
        district__in=chosen
    ).delete()
    have = set(
        PartnershipDistrict.objects.filter(partnership=partnership).values_list(
            "district_id", flat=True
        )
    )
    for pk in chosen - have:
        PartnershipDistrict.objects.create(partnership=partnership, district_id=pk)
