"""The crime data pages: what members see, the CSV, the area, loading files, benchmarks."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.crimedata.models import CrimeCount, District
from indicators.models import Population
from tests.crimedata.files import crimes, street_csv, table_rows
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_crime_data_page_shows_quarters_types_caveats_and_chart(client, seg_member, crime_areas):
    url = reverse("crimedata:crime_data", args=[crime_areas["swale"].pk])
    html = page(client, seg_member, url)
    # Q1: burglary 2+3+2, ASB 15; Q2: 3+2+3 and 15; Q3 has October only.
    assert "2019/20 Q1" in html and "2019/20 Q2" in html and "2019/20 Q3" in html
    assert "1 of 3 months" in html
    rows = table_rows(html, "crime-table")
    assert rows[0] == ["Crime type", "2019/20 Q1", "2019/20 Q2", "2019/20 Q3 1 of 3 months"]
    assert ["Burglary", "7", "8", "2"] in rows and ["All crime", "22", "23", "7"] in rows
    assert ["Anti-social behaviour", "15", "15", "5"] in rows and len(rows) == 4
    assert "Locations are approximate" in html and "Months arrive weeks late" in html
    assert '<svg class="app-trend-chart"' in html and "2019/20 Q1 22; 2019/20 Q2 23" in html
    assert "Medway" not in html  # Medway's crimes are Medway's
    assert "No population is recorded for 2019/20, so rates" in html


def test_chart_of_one_crime_type(client, seg_member, crime_areas):
    url = reverse("crimedata:crime_data", args=[crime_areas["swale"].pk])
    html = page(client, seg_member, url, crime_type="Burglary")
    assert "2019/20 Q1 7; 2019/20 Q2 8; 2019/20 Q3 no figure" in html


def test_rates_per_thousand_where_population_is_recorded(client, seg_member, crime_areas):
    Population.objects.create(partnership=crime_areas["swale"], year=2019, residents=2000)
    url = reverse("crimedata:crime_data", args=[crime_areas["swale"].pk])
    html = page(client, seg_member, url)
    rates = html[html.index('id="rate-table"') :]
    assert "Rate per 1,000 residents, 2019/20 Q2" in html  # the latest complete quarter
    assert "4.000" in rates and "11.500" in rates  # 8 burglaries, 23 crimes per 2,000


def test_csv_has_the_published_columns(client, seg_member, crime_areas):
    url = reverse("crimedata:crime_data", args=[crime_areas["swale"].pk])
    client.force_login(seg_member)
    response = client.get(url, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["partnership", "quarter", "crime_type", "count"]
    assert ["Swale Community Safety Partnership", "2019/20 Q1", "Burglary", "7"] in rows
    assert [
        "Swale Community Safety Partnership",
        "2019/20 Q2",
        "Anti-social behaviour",
        "15",
    ] in rows
    assert len(rows) == 1 + 3 * 2


def test_a_partnership_without_an_area_says_so(client, outsider, seeded):
    from plans.models import Partnership

    medway = Partnership.objects.get(name__startswith="Medway")
    html = page(client, outsider, reverse("crimedata:crime_data", args=[medway.pk]))
    assert "No districts have been chosen" in html and "Change the area" in html


def test_admin_chooses_the_area(client, swale_admin, crime_areas):
    url = reverse("crimedata:crime_area", args=[crime_areas["swale"].pk])
    client.force_login(swale_admin)
    both = District.objects.filter(name__in=["Swale", "Medway"])
    response = client.post(url, {"districts": [d.pk for d in both]})
    assert response.status_code == 302
    html = page(
        client, swale_admin, reverse("crimedata:crime_data", args=[crime_areas["swale"].pk])
    )
    assert ["Burglary", "19", "20", "6"] in table_rows(html, "crime-table")  # Swale and Medway
    response = client.post(url, {"districts": ["999999"]})
    assert "There is a problem" in response.content.decode()


def test_operator_loads_a_file_on_the_page(client, seeded):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    url = reverse("crimedata:crime_import")
    content = street_csv(crimes("2019-04", "Burglary", 2, lsoa_name="Medway 012A") +
                         crimes("2019-04", "Drugs", 1))  # fmt: skip
    response = client.post(url, {"files": [SimpleUploadedFile("a.csv", content)]}, follow=True)
    html = response.content.decode()
    assert "Loaded 3 rows (Kent Police 2019-04): 1 with no location" in html
    assert CrimeCount.objects.filter(district__name="Medway").get().count == 2


def test_a_malformed_upload_is_refused_with_its_line_and_column(client, crime_areas):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    before = list(CrimeCount.objects.values_list("pk", "count"))
    bad = street_csv(crimes("2019-04", "Burglary", 2) + crimes("Apr 2019", "Burglary", 1))
    good = street_csv(crimes("2019-11", "Burglary", 2, lsoa_name="Medway 012A"))
    response = client.post(
        reverse("crimedata:crime_import"),
        {"files": [SimpleUploadedFile("good.csv", good), SimpleUploadedFile("bad.csv", bad)]},
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Nothing was loaded. bad.csv, line 4, column Month" in html
    assert list(CrimeCount.objects.values_list("pk", "count")) == before


def test_the_lookup_is_loaded_on_the_page(client, seeded):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    lookup = b"LSOA21CD,LAD23CD,LAD23NM\nE01016001,E06000035,Medway\n"
    response = client.post(
        reverse("crimedata:crime_import"),
        {"lookup": SimpleUploadedFile("lookup.csv", lookup)},
        follow=True,
    )
    assert "Lookup loaded: 1 LSOAs" in response.content.decode()
    assert District.objects.get(code="E06000035").name == "Medway"


def test_benchmark_names_only_sharing_partnerships_and_highlights_your_own(
    client, seg_member, crime_areas
):
    url = reverse("crimedata:crime_benchmark")
    html = page(client, seg_member, url, crime_type="Burglary")
    table = html[html.index('id="benchmark-table"') :]
    assert "Burglary, 2019/20 Q2" in table
    assert "Yours</strong> Swale Community Safety Partnership" in table
    assert "Another partnership" in table and "Medway" not in html
    medway = crime_areas["medway"]
    medway.share_benchmarks = True
    medway.save()
    html = page(client, seg_member, url, crime_type="Burglary")
    assert ["Medway Community Safety Partnership", "12", "–"] in table_rows(html, "benchmark-table")
    assert "<svg viewBox" in html and "your own partnership in blue" in html


def test_demo_loader_adds_synthetic_counts_once_and_the_page_says_so(client, outsider, seeded):
    from indicators.crimedata.demo import sample_crime_data_load
    from plans.models import Partnership

    added = sample_crime_data_load()
    assert added == 2 * 9 * 9 and sample_crime_data_load() == 0
    medway = Partnership.objects.get(name__startswith="Medway")
    html = page(client, outsider, reverse("crimedata:crime_data", args=[medway.pk]))
    assert "Loaded from: SYNTHETIC demo counts – not police.uk data" in html
    assert table_rows(html, "crime-table")[0] == [
        "Crime type", "2024/25 Q1", "2024/25 Q2", "2024/25 Q3"]  # fmt: skip
    assert "Rate per 1,000 residents, 2024/25 Q3" in html


def test_demo_command_says_what_it_added(seeded, capsys):
    from django.core.management import call_command

    call_command("load_demo_crime_data")
    assert "Synthetic crime counts (marked as synthetic): 162 added." in capsys.readouterr().out


def test_csv_never_carries_a_formula_from_a_file(client, seg_member, crime_areas):
    from indicators.crimedata.services import police_data_import
    from tests.crimedata.files import named

    rows = crimes("2019-04", "=HYPERLINK(1)", 1, lsoa_name="Swale 003C")
    police_data_import(files=[named("odd.csv", street_csv(rows))])
    client.force_login(seg_member)
    url = reverse("crimedata:crime_data", args=[crime_areas["swale"].pk])
    text = client.get(url, {"export": "csv"}).content.decode()
    assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text
