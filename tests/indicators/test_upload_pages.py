"""Query budgets of the sheet, upload, history and calculation pages at two data sizes: the
seeds, and the seeds with the Swale plan grown by 80 more indicators with values (plus the
large synthetic partnership)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue, Population, ValueUpload
from plans.models import Agency, Plan
from plans.services import period_open

pytestmark = pytest.mark.django_db

BUDGETS = {
    "values_sheet": 12,
    "values_upload": 10,
    "values_upload_preview": 8,
    "history_upload": 7,
    "indicator_calculation": 9,
    "indicator": 14,  # +3: the quarter's questions and evidence (plans.collaboration)
    "population": 8,
}


@pytest.fixture
def swale(seeded) -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


@pytest.fixture
def q2(swale):
    return period_open(plan=swale, year=2019, quarter=2, deadline=date(2099, 1, 31))


@pytest.fixture
def seeds(seeded):
    return None


@pytest.fixture
def grown(large_data, swale, q2, swale_admin):
    police = Agency.objects.get(name="Kent Police")
    extra = Indicator.objects.bulk_create(
        Indicator(plan=swale, ref=f"9.{n}", title=f"Extra measure {n}", agency=police)
        for n in range(1, 81)
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=i,
            period=q2,
            value=Decimal(n),
            entered_by=swale_admin,
            entered_at=q2.opened_at,
            source="Kent Police returns",
        )  # fmt: skip
        for n, i in enumerate(extra)
    )
    Population.objects.bulk_create(
        Population(partnership=swale.partnership, year=y, residents=1000 + y)
        for y in range(2000, 2030)
    )
    rows = [{"indicator": i.pk, "ref": i.ref, "title": i.title, "value": "1", "row": n,
             "not_available": False, "reason": "", "note": "", "version": 1, "before": "0"}
            for n, i in enumerate(extra, start=2)]  # fmt: skip
    return rows


def urls(swale, q2, upload) -> dict[str, str]:
    total = Indicator.objects.get(plan=swale, ref="2.4")
    return {
        "values_sheet": reverse("indicators:values_sheet", args=[swale.pk, q2.pk]),
        "values_upload": reverse("indicators:values_upload", args=[swale.pk, q2.pk]),
        "values_upload_preview": reverse("indicators:values_upload_preview", args=[upload.pk]),
        "history_upload": reverse("indicators:history_upload", args=[swale.pk]),
        "indicator_calculation": reverse("indicators:indicator_calculation", args=[total.pk]),
        "indicator": total.get_absolute_url(),
        "population": reverse("indicators:population", args=[swale.partnership_id]),
    }


@pytest.mark.parametrize("size", ["seeds", "grown"])
@pytest.mark.parametrize("name", BUDGETS)
def test_query_budget_holds_at_two_sizes(
    request, django_assert_max_num_queries, swale, q2, swale_admin, name, size
):
    rows = request.getfixturevalue(size) or []
    Indicator.objects.filter(plan=swale, ref="2.4").update(expression="[2.5] + [2.7]")
    upload = ValueUpload.objects.create(user=swale_admin, plan=swale, period=q2, kind="quarter",
                                        file_name="f.xlsx", rows=rows)  # fmt: skip
    url = urls(swale, q2, upload)[name]
    client = Client()
    client.force_login(swale_admin)
    with django_assert_max_num_queries(BUDGETS[name]):
        response = client.get(url)
    assert response.status_code == 200
