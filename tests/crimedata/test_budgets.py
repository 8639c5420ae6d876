"""Query budgets of the crime data pages at two sizes: two partnerships with seven months,
and twenty more partnerships with areas of three districts and three years of every type."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.crimedata.models import CrimeCount, CrimeSeries, District, PartnershipDistrict
from indicators.models import Indicator, Population
from plans.models import Partnership, Plan
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TYPES = ["Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson",
         "Drugs", "Other crime", "Other theft", "Possession of weapons", "Public order",
         "Robbery", "Shoplifting", "Theft from the person", "Vehicle crime",
         "Violence and sexual offences"]  # fmt: skip


@pytest.fixture
def small(crime_areas):
    return crime_areas


@pytest.fixture
def large(crime_areas):
    """Twenty more partnerships of three districts each, and 36 months of all 14 types in
    every district: about 30,000 counts."""
    now = timezone.now()
    for n in range(20):
        partnership = Partnership.objects.create(name=f"Budget CSP {n:02d}", area=f"Area {n}")
        Population.objects.create(partnership=partnership, year=2019, residents=100_000 + n)
        for d in range(3):
            district = District.objects.create(name=f"District {n}-{d}", code=f"E07{n:03d}{d:03d}")
            PartnershipDistrict.objects.create(partnership=partnership, district=district)
    months = [date(2017 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(36)]
    CrimeCount.objects.bulk_create(
        CrimeCount(force="Kent Police", month=month, district=district, crime_type=crime_type,
                   count=7, loaded_at=now, source_file="big.csv")
        for district in District.objects.filter(name__in=["Swale", "Medway"])
        | District.objects.filter(code__startswith="E07")
        for month in months
        for crime_type in TYPES
        if month.year < 2019 or district.code
    )  # fmt: skip
    return crime_areas


def urls(areas) -> dict[str, tuple[str, str]]:
    swale = areas["swale"]
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    indicator = Indicator.objects.filter(plan=plan).first()
    CrimeSeries.objects.get_or_create(indicator=indicator, defaults={"crime_types": ["Drugs"]})
    return {
        "crime_data": ("member", reverse("crimedata:crime_data", args=[swale.pk])),
        "crime_data_type": (
            "member", reverse("crimedata:crime_data", args=[swale.pk]) + "?crime_type=Burglary"
        ),
        "crime_csv": ("member", reverse("crimedata:crime_data", args=[swale.pk]) + "?export=csv"),
        "crime_benchmark": ("member", reverse("crimedata:crime_benchmark") + "?crime_type=Drugs"),
        "crime_area": ("root", reverse("crimedata:crime_area", args=[swale.pk])),
        "crime_series": ("root", reverse("crimedata:crime_series", args=[indicator.pk])),
        "crime_series_confirm": (
            "root", reverse("crimedata:crime_series_confirm", args=[indicator.pk])
        ),
        "crime_import": ("root", reverse("crimedata:crime_import")),
    }  # fmt: skip


# Session, user, memberships, then the page's own fixed number of queries.
BUDGETS = {
    "crime_data": 9,  # + the partnership, its quarters' counts, population, area?, sources
    "crime_data_type": 9,
    "crime_csv": 7,
    "crime_benchmark": 10,  # + crime types, latest quarter, counts, areas, populations
    "crime_area": 6,  # (an operator: no memberships to read)
    "crime_series": 5,
    "crime_series_confirm": 8,  # + indicator, series, then series_plan's four
    "crime_import": 4,
}


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("name", BUDGETS)
def test_query_budget_holds_at_two_sizes(
    request, client, seg_member, django_assert_max_num_queries, name, size
):
    areas = request.getfixturevalue(size)
    who, url = urls(areas)[name]
    user = seg_member if who == "member" else UserFactory(username="root", is_superuser=True)
    client.force_login(user)
    with django_assert_max_num_queries(BUDGETS[name]):
        response = client.get(url)
    assert response.status_code == 200
