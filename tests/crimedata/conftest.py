from __future__ import annotations

import pytest

from indicators.crimedata.models import District
from indicators.crimedata.services import area_set, police_data_import
from plans.models import Partnership
from tests.crimedata.files import crimes, named, street_csv

SWALE = "Swale Community Safety Partnership"
MEDWAY = "Medway Community Safety Partnership"


def swale_rows(month: str, burglary: int, asb: int) -> list[dict]:
    where = {"lsoa_name": "Swale 003C", "lsoa_code": "E01024500"}
    return crimes(month, "Burglary", burglary, **where) + crimes(
        month, "Anti-social behaviour", asb, **where
    )


def medway_rows(month: str, burglary: int) -> list[dict]:
    return crimes(month, "Burglary", burglary, lsoa_name="Medway 012A", lsoa_code="E01016001")


@pytest.fixture
def crime_areas(seeded):
    """Swale's and Medway's areas, with Kent files for April to October 2019: 2019/20 Q1 and
    Q2 complete, Q3 with one month."""
    rows = []
    for n, month in enumerate(["2019-04", "2019-05", "2019-06", "2019-07", "2019-08",
                               "2019-09", "2019-10"]):  # fmt: skip
        rows += swale_rows(month, 2 + n % 2, 5) + medway_rows(month, 4)
    rows += crimes("2019-04", "Drugs", 3)  # no location
    police_data_import(files=[named("kent.csv", street_csv(rows))])
    swale, medway = Partnership.objects.get(name=SWALE), Partnership.objects.get(name=MEDWAY)
    area_set(partnership=swale, districts=District.objects.filter(name="Swale"))
    area_set(partnership=medway, districts=District.objects.filter(name="Medway"))
    return {"swale": swale, "medway": medway}
