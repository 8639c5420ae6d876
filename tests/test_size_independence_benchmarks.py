"""Benchmark pages compare partnerships by design, so unlike every other page
(tests/test_size_independence.py) what they show grows with the service: with 29 more
partnerships their queries stay the same, a row is added only for a partnership that has
something to compare (an indicator with the measure code, or a crime-data area), and it is
named only if it shares (``Partnership.share_benchmarks``); the others read "Another
partnership". Nothing else of theirs is shown."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue
from plans.models import Partnership
from tests.test_size_independence import crime_pages, other_partnerships, swale_world, visit

pytestmark = pytest.mark.django_db
__all__ = ["swale_world"]  # the fixture, imported to be used here

CODE = "HO 99"
ROW_NAME = re.compile(
    r'<th scope="row" class="govuk-table__header">(?:<strong[^>]*>Yours</strong> )?'
    r"(?:<a [^>]*>)?([^<]+)"
)


def rows(body: str) -> Counter:
    return Counter(name.strip() for name in ROW_NAME.findall(body))


def test_benchmarks_cost_the_same_and_name_only_partnerships_that_share(
    client, request, swale_world
):
    from indicators.crimedata.models import District
    from indicators.crimedata.services import area_set

    plan = swale_world["plan"]
    indicator = Indicator.objects.get(plan=plan, title="Number of incidents of Hate Crime")
    Indicator.objects.filter(pk=indicator.pk).update(measure_code=CODE)
    IndicatorValue.objects.create(  # Swale's own figure: every query of the page runs
        indicator=indicator, period=swale_world["closed"], value=Decimal(41), state="submitted",
        entered_at=timezone.now(),
    )  # fmt: skip
    crime_pages(plan, indicator)  # Swale's area with a quarter of counts
    pages = {
        "benchmark": reverse("indicators:benchmark", args=[CODE]),
        "crime_benchmark": reverse("crimedata:crime_benchmark") + "?crime_type=Burglary",
    }
    for url in pages.values():  # once to fill per-process caches
        visit(client, request, "seg_member", url)
    before = {name: visit(client, request, "seg_member", url) for name, url in pages.items()}
    for name in pages:
        assert rows(before[name][1]) == {"Swale Community Safety Partnership": 1}

    other_partnerships(2, 29)
    measuring, with_area = Counter(), Counter()
    swale_district = District.objects.filter(name="Swale")
    for n, partnership in enumerate(Partnership.objects.filter(name__startswith="Neighbour")):
        Partnership.objects.filter(pk=partnership.pk).update(share_benchmarks=n % 4 == 0)
        shown = partnership.name if n % 4 == 0 else "Another partnership"
        if n % 2 == 0:  # half of them measure the code
            Indicator.objects.filter(pk=partnership.plans.get().indicators.first().pk).update(
                measure_code=CODE
            )
            measuring[shown] += 1
        if n % 3 == 0:
            area_set(partnership=partnership, districts=swale_district)
            with_area[shown] += 1
    assert measuring["Another partnership"] and len(measuring) > 1  # both kinds are there

    for name, url in pages.items():
        queries, body = visit(client, request, "seg_member", url)
        assert queries == before[name][0], f"{name}: {before[name][0]} → {queries} queries"
        added = measuring if name == "benchmark" else with_area
        assert rows(body) == rows(before[name][1]) + added, name
