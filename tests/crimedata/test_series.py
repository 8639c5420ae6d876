"""Indicators filled from crime data: complete quarters only, marked with their source, and a
figure typed by hand never replaced unless an admin confirms it on the confirm page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.crimedata.models import CrimeSeries
from indicators.crimedata.services import police_data_import
from indicators.models import Indicator, IndicatorValue, Population
from plans.models import Plan, ReportingPeriod
from plans.services import period_open
from tests.crimedata.files import named, street_csv, swale_rows, table_rows

pytestmark = pytest.mark.django_db
SWALE_PLAN = "Swale Community Safety Plan 2019/20"


@pytest.fixture
def hate_crime(crime_areas):
    plan = Plan.objects.get(title=SWALE_PLAN)
    return Indicator.objects.get(plan=plan, title="Number of incidents of Hate Crime")


def figures(indicator) -> dict[str, str]:
    return {
        v.period.label: f"{v.value.normalize():f}"
        for v in IndicatorValue.objects.filter(indicator=indicator).select_related("period")
    }


def link(client, admin, indicator, **data):
    client.force_login(admin)
    url = reverse("crimedata:crime_series", args=[indicator.pk])
    return client.post(url, {"link": "yes", "measure": "count"} | data)


def test_linking_fills_complete_quarters_marked_from_police_data(client, swale_admin, hate_crime):
    response = link(client, swale_admin, hate_crime, crime_types=["Burglary"])
    assert response.status_code == 302 and response["Location"] == hate_crime.get_absolute_url()
    assert figures(hate_crime) == {"2019/20 Q1": "7", "2019/20 Q2": "8"}  # Q3 has one month
    value = IndicatorValue.objects.filter(indicator=hate_crime).first()
    today = timezone.localdate()
    assert value.source == f"from police.uk data, loaded {today.day} {today:%B %Y}"
    assert value.period.status == ReportingPeriod.Status.CLOSED  # created to hold it
    html = client.get(reverse("indicators:indicator_trend", args=[hate_crime.pk])).content.decode()
    assert "from police.uk data, loaded" in html


def test_all_crime_per_thousand_needs_the_population(client, swale_admin, hate_crime):
    link(client, swale_admin, hate_crime, measure="rate")
    assert figures(hate_crime) == {}
    Population.objects.create(partnership=hate_crime.plan.partnership, year=2019, residents=2000)
    link(client, swale_admin, hate_crime, measure="rate")
    assert figures(hate_crime) == {"2019/20 Q1": "11", "2019/20 Q2": "11.5"}  # 22 and 23


def test_a_typed_figure_is_kept_until_the_admin_confirms(client, swale_admin, hate_crime):
    q2 = period_open(plan=hate_crime.plan, year=2019, quarter=2, deadline=date(2099, 1, 1))
    typed = IndicatorValue.objects.create(
        indicator=hate_crime, period=q2, value=Decimal(41), entered_by=swale_admin,
        entered_at=timezone.now(),
    )  # fmt: skip
    response = link(client, swale_admin, hate_crime, crime_types=["Burglary"])
    confirm = reverse("crimedata:crime_series_confirm", args=[hate_crime.pk])
    assert response["Location"] == confirm
    assert figures(hate_crime) == {"2019/20 Q1": "7", "2019/20 Q2": "41"}  # not replaced
    html = client.get(confirm).content.decode()
    assert table_rows(html, "conflicts")[1] == ["2019/20 Q2", "41", "8"]
    assert figures(hate_crime)["2019/20 Q2"] == "41"  # looking changes nothing
    client.post(confirm, {"value": [typed.pk]})
    assert figures(hate_crime) == {"2019/20 Q1": "7", "2019/20 Q2": "8"}
    typed.refresh_from_db()
    assert typed.source.startswith("from police.uk data") and typed.version == 2


def test_new_data_fills_linked_indicators_and_still_keeps_typed_figures(
    client, swale_admin, hate_crime
):
    CrimeSeries.objects.create(indicator=hate_crime, crime_types=["Burglary"])
    q3 = period_open(plan=hate_crime.plan, year=2019, quarter=3, deadline=date(2099, 1, 1))
    IndicatorValue.objects.create(
        indicator=hate_crime, period=q3, value=Decimal(5), entered_by=swale_admin,
        entered_at=timezone.now(),
    )  # fmt: skip
    rows = swale_rows("2019-11", 10, 0) + swale_rows("2019-12", 10, 0)
    result = police_data_import(files=[named("kent-late.csv", street_csv(rows))])
    assert figures(hate_crime) == {"2019/20 Q1": "7", "2019/20 Q2": "8", "2019/20 Q3": "5"}
    (filled,) = result.filled
    assert [(c.label, c.figure) for c in filled.conflicts] == [("2019/20 Q3", 22)]
    # October's 2 burglaries and 10 each in November and December: 22, not written over 5.
    assert IndicatorValue.objects.get(indicator=hate_crime, period=q3).value == Decimal(5)


def test_reloading_a_month_refreshes_the_filled_figure(client, swale_admin, hate_crime):
    link(client, swale_admin, hate_crime, crime_types=["Burglary"])
    police_data_import(files=[named("again.csv", street_csv(swale_rows("2019-04", 9, 0)))])
    assert figures(hate_crime)["2019/20 Q1"] == "14"  # 9 + 3 + 2


def test_unlinking_keeps_the_figures_and_stops_filling(client, swale_admin, hate_crime):
    link(client, swale_admin, hate_crime)
    client.post(reverse("crimedata:crime_series", args=[hate_crime.pk]), {"link": "no"})
    assert not CrimeSeries.objects.exists()
    assert figures(hate_crime) == {"2019/20 Q1": "22", "2019/20 Q2": "23"}


def test_the_form_shows_its_errors(client, swale_admin, hate_crime):
    client.force_login(swale_admin)
    url = reverse("crimedata:crime_series", args=[hate_crime.pk])
    html = client.post(url, {"link": "yes", "crime_types": ["Not a type"]}).content.decode()
    assert "There is a problem" in html and "Select a valid choice" in html
    assert not CrimeSeries.objects.exists()


def test_a_filled_figure_corrected_by_hand_is_then_kept(client, swale_admin, hate_crime):
    from indicators.services import ValueEntry, indicator_value_save

    link(client, swale_admin, hate_crime, crime_types=["Burglary"])
    q1 = ReportingPeriod.objects.get(plan=hate_crime.plan, year=2019, quarter=1)
    indicator_value_save(
        user=swale_admin, period=q1, correction_reason="Checked with Kent Police",
        entry=ValueEntry(hate_crime, Decimal(99), False, expected_version=1),
    )  # fmt: skip
    police_data_import(files=[named("again.csv", street_csv(swale_rows("2019-04", 9, 0)))])
    assert figures(hate_crime)["2019/20 Q1"] == "99"  # typed now: not replaced silently
