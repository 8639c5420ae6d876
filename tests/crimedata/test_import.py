"""Loading police.uk street-level files: counts, matching districts by LSOA name and by the
ONS lookup, rows with no location, replacing a month, refusing malformed files whole."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from indicators.crimedata.models import CrimeCount, CrimeImport, District, LsoaDistrict
from indicators.crimedata.reading import COLUMNS, FileRefused
from indicators.crimedata.services import lookup_load, police_data_import
from tests.crimedata.files import crimes, medway, named, street_csv, zipped

pytestmark = pytest.mark.django_db
NO_LSOA_NAME = [c for c in COLUMNS if c != "LSOA name"]


def load(*files):
    return police_data_import(files=[named(n, c) for n, c in files])


def counts(**filters) -> dict:
    return {
        (
            c.district.name if c.district else c.kind,
            c.month.strftime("%Y-%m"),
            c.crime_type,
        ): c.count
        for c in CrimeCount.objects.filter(**filters).select_related("district")
    }


def test_counts_by_district_month_and_type_matched_by_lsoa_name():
    rows = (medway("2019-04", "Burglary", 3) + medway("2019-04", "Vehicle crime", 2, "Medway 001B")
            + crimes("2019-04", "Burglary", 4, lsoa_name="Swale 003C", lsoa_code="E01024500")
            + crimes("2019-04", "Drugs", 5))  # fmt: skip
    result = load(("2019-04-kent-street.csv", street_csv(rows)))
    assert counts() == {
        ("Medway", "2019-04", "Burglary"): 3,
        ("Medway", "2019-04", "Vehicle crime"): 2,
        ("Swale", "2019-04", "Burglary"): 4,
        ("no_location", "2019-04", "Drugs"): 5,
    }
    assert result.record.rows == 14 and result.record.no_location == 5
    assert result.record.months == "Kent Police 2019-04"
    assert CrimeCount.objects.get(crime_type="Drugs").district is None
    assert District.objects.get(name="Medway").code is None  # met by name, no lookup yet


def test_lookup_places_rows_by_lsoa_code_over_the_name():
    lookup = b"LSOA21CD,LSOA21NM,LAD22CD,LAD22NM\r\nE01016001,Medway 012A,E06000035,Medway\r\n"
    assert lookup_load(name="lookup.csv", handle=io.BytesIO(lookup)) == 1
    rows = medway("2019-05", "Robbery", 2, lsoa="Renamed 012A") + crimes(
        "2019-05", "Robbery", 1, lsoa_name="", lsoa_code="E09999999"
    )
    load(("f.csv", street_csv(rows)))
    assert counts() == {("Medway", "2019-05", "Robbery"): 2, ("unmatched", "2019-05", "Robbery"): 1}
    assert District.objects.get(code="E06000035").name == "Medway"
    assert CrimeImport.objects.get().unmatched == 1


def test_lookup_with_2011_columns_names_districts_met_before_by_name():
    load(("f.csv", street_csv(medway("2019-04", "Arson", 1))))
    lookup = b"LSOA11CD,LAD19CD,LAD19NM\nE01016001,E06000035,Medway\n"
    lookup_load(name="lookup.csv", handle=io.BytesIO(lookup))
    assert District.objects.get().code == "E06000035"  # the same district, now with its code
    assert LsoaDistrict.objects.get().district.name == "Medway"


def test_lookup_missing_a_column_is_refused():
    with pytest.raises(FileRefused) as refused:
        lookup_load(name="lookup.csv", handle=io.BytesIO(b"LSOA21CD,LAD22CD\nE01,E06\n"))
    assert "line 1" in str(refused.value) and "LAD23NM" in str(refused.value)
    assert not District.objects.exists()


def test_loading_a_month_again_replaces_its_counts():
    load(("a.csv", street_csv(medway("2019-04", "Burglary", 3) + medway("2019-05", "Burglary", 7))))
    load(("b.csv", street_csv(medway("2019-04", "Burglary", 1) + medway("2019-04", "Arson", 2))))
    assert counts() == {
        ("Medway", "2019-04", "Burglary"): 1,
        ("Medway", "2019-04", "Arson"): 2,
        ("Medway", "2019-05", "Burglary"): 7,  # another month: untouched
    }
    load(("b.csv", street_csv(medway("2019-04", "Burglary", 1) + medway("2019-04", "Arson", 2))))
    assert CrimeCount.objects.filter(month=date(2019, 4, 1)).count() == 2  # idempotent


def test_another_forces_file_for_the_same_month_adds_to_it():
    load(("kent.csv", street_csv(medway("2019-04", "Burglary", 3))))
    btp = medway("2019-04", "Burglary", 1)
    for row in btp:
        row["force"] = "British Transport Police"
    load(("btp.csv", street_csv(btp)))
    assert sorted(CrimeCount.objects.values_list("force", "count")) == [
        ("British Transport Police", 1), ("Kent Police", 3)]  # fmt: skip


@pytest.mark.parametrize(
    "content, where",
    [
        (street_csv(medway("2019-04", "Burglary", 2) + medway("April 2019", "Burglary", 1)),
         "bad.csv, line 4, column Month"),
        (street_csv(medway("2019-04", "Burglary", 1) + medway("2019-13", "Burglary", 1)),
         "bad.csv, line 3, column Month"),
        (street_csv(medway("2019-04", "Burglary", 1), columns=NO_LSOA_NAME),
         "bad.csv, line 1, column LSOA name"),
        (street_csv(medway("2019-04", "Burglary", 2) + medway("2019-04", "", 1)),
         "bad.csv, line 4, column Crime type"),
        (street_csv(medway("2019-04", "Burglary", 1, lsoa="Wörth 001A"), encoding="latin-1"),
         "bad.csv, line 2: the file is not UTF-8"),
        (b"%PDF-1.7 not a csv at all", "bad.csv, line 1: this is not a police.uk"),
        (b"", "bad.csv: the file is empty"),
    ],
    ids=["month-words", "month-13", "missing-column", "empty-type", "latin-1", "pdf", "empty"],
)  # fmt: skip
def test_a_malformed_file_is_refused_naming_it_and_changes_nothing(content, where):
    load(("good.csv", street_csv(medway("2019-04", "Burglary", 9))))
    before = counts()
    with pytest.raises(FileRefused) as refused:
        load(("other.csv", street_csv(medway("2019-04", "Robbery", 4))), ("bad.csv", content))
    assert str(refused.value).startswith(where), str(refused.value)
    assert counts() == before  # the good file beside it was not loaded either
    assert CrimeImport.objects.count() == 1


def test_a_zip_of_monthly_files_loads_each_and_leaves_out_outcomes():
    archive = zipped({
        "2019-04/2019-04-kent-street.csv": street_csv(medway("2019-04", "Burglary", 2)),
        "2019-05/2019-05-kent-street.csv": street_csv(medway("2019-05", "Burglary", 5)),
        "2019-05/2019-05-kent-outcomes.csv": b"Crime ID,Month\n",
    })  # fmt: skip
    result = load(("police.zip", archive))
    assert counts() == {("Medway", "2019-04", "Burglary"): 2, ("Medway", "2019-05", "Burglary"): 5}
    assert result.counts.skipped == ["police.zip: 2019-05/2019-05-kent-outcomes.csv"]


def test_a_zip_with_something_else_inside_is_refused():
    archive = zipped({"a.csv": street_csv(medway("2019-04", "Burglary", 2)), "run.exe": b"MZ"})
    with pytest.raises(FileRefused, match="police.zip: run.exe: only CSV files"):
        load(("police.zip", archive))
    assert not CrimeCount.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2019-04-kent-street.csv", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(FileRefused, match="zip bomb"):
        load(("bomb.zip", out.getvalue()))


def test_a_broken_zip_in_a_csv_is_found_at_its_line():
    archive = zipped({"a.csv": street_csv(medway("2019-04", "Burglary", 2) + medway("x", "B", 1))})
    with pytest.raises(FileRefused, match=r"police.zip: a.csv, line 4, column Month"):
        load(("police.zip", archive))


def test_the_command_loads_files_and_reports_no_location(tmp_path, capsys):
    path = tmp_path / "2019-04-kent-street.csv"
    path.write_bytes(street_csv(medway("2019-04", "Burglary", 3) + crimes("2019-04", "Drugs", 2)))
    call_command("import_police_data", str(path))
    out = capsys.readouterr().out
    assert "Loaded 5 rows from 1 files (Kent Police 2019-04): 2 with no location" in out
    assert counts()[("Medway", "2019-04", "Burglary")] == 3


def test_the_command_refuses_a_malformed_file_and_loads_nothing(tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(street_csv(medway("2019-04", "Burglary", 3)))
    bad.write_bytes(street_csv(medway("2019-4", "Burglary", 1)))
    with pytest.raises(CommandError, match=r"Nothing was loaded.*bad.csv, line 2, column Month"):
        call_command("import_police_data", str(good), str(bad))
    assert not CrimeCount.objects.exists()


def test_a_bad_byte_deep_in_a_big_file_is_named_at_its_own_line():
    rows = medway("2019-04", "Burglary", 3000)
    content = street_csv(rows) + street_csv(medway("2019-04", "Arson", 1)).split(b"\r\n", 1)[1]
    content = content.replace(b"Arson", b"Ars\xf6n")
    with pytest.raises(FileRefused, match=r"big.csv, line 3002: the file is not UTF-8"):
        load(("big.csv", content))


def test_a_file_of_one_endless_line_is_refused_without_reading_it_whole():
    content = street_csv([]) + b"x" * (1024 * 1024)
    with pytest.raises(FileRefused, match=r"long.csv, line 2: the line is far longer"):
        load(("long.csv", content))
