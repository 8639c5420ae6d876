"""The API's crime-data counts: what the Crime data page and its CSV show, to members only."""

from __future__ import annotations

import pytest

from indicators.crimedata.models import District
from indicators.crimedata.services import area_set, police_data_import
from indicators.models import Population
from plans.models import Partnership
from tests.api.conftest import bearer
from tests.crimedata.files import medway_rows, named, street_csv

pytestmark = pytest.mark.django_db


def url(partnership) -> str:
    return f"/api/v1/crime-data/{partnership.pk}"


def test_members_read_counts_by_quarter_and_type_with_rates(client, seg_member, crime_areas):
    swale = crime_areas["swale"]
    Population.objects.create(partnership=swale, year=2019, residents=2000)
    data = client.get(url(swale), **bearer(seg_member)).json()
    assert data["count"] == 6  # burglary and ASB in Q1, Q2 and Q3 (October only)
    rows = {(r["quarter"], r["crime_type"]): r for r in data["items"]}
    q1 = rows[("2019/20 Q1", "Burglary")]
    assert (q1["count"], q1["complete"], q1["partnership"]) == (7, True, swale.name)
    assert rows[("2019/20 Q2", "Anti-social behaviour")]["count"] == 15
    assert rows[("2019/20 Q2", "Burglary")]["rate_per_1000"] == "4.000"
    partial = rows[("2019/20 Q3", "Burglary")]
    assert (partial["complete"], partial["rate_per_1000"]) == (False, None)


def test_another_partnerships_counts_are_not_found(client, seg_member, crime_areas):
    response = client.get(url(crime_areas["medway"]), **bearer(seg_member))
    assert response.status_code == 404


def test_no_token_is_401(client, crime_areas):
    assert client.get(url(crime_areas["swale"])).status_code == 401


def test_the_schema_lists_the_endpoint(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/crime-data/{partnership_id}" in paths


@pytest.mark.parametrize("others", [0, 12])
def test_queries_do_not_follow_other_partnerships_counts(
    client, seg_member, crime_areas, django_assert_num_queries, others
):
    for n in range(others):
        district = District.objects.create(name=f"Elsewhere {n}")
        rows = medway_rows("2019-04", 3 + n)
        for row in rows:
            row |= {"lsoa_name": f"Elsewhere {n} 001A", "lsoa_code": "", "force": f"F{n}"}
        police_data_import(files=[named(f"force{n}.csv", street_csv(rows))])
        partnership = Partnership.objects.create(name=f"Elsewhere CSP {n}", area="x")
        area_set(partnership=partnership, districts=[district])
    headers = bearer(seg_member)
    with django_assert_num_queries(7):
        response = client.get(url(crime_areas["swale"]), **headers)
    assert response.json()["count"] == 6
