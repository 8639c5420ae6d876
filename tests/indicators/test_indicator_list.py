"""The cross-plan indicators table: filters, search and CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from indicators.filters import IndicatorFilterSet
from indicators.models import Indicator
from plans.models import Agency, Plan

pytestmark = pytest.mark.django_db
URL = reverse("indicators:indicator_list")


def test_filterset_narrows_by_each_filter(seeded):
    indicators = Indicator.objects.all()
    swale = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    assert IndicatorFilterSet({"plan": swale.pk}, indicators).qs.count() == 25
    assert IndicatorFilterSet({"partnership": swale.partnership.pk}, indicators).qs.count() == 25
    crime = swale.priorities.get(title="Crime")
    assert IndicatorFilterSet({"priority": crime.pk}, indicators).qs.count() == 7
    police = Agency.objects.get(name="Kent Police")
    assert IndicatorFilterSet({"agency": police.pk, "plan": swale.pk}, indicators).qs.count()
    group = Agency.objects.get(name="Project and Performance Group")
    # Swale reports all 25 to its Project and Performance Group, 12 also to the Executive.
    assert IndicatorFilterSet({"reported_to": group.pk}, indicators).qs.count() == 25
    executive = Agency.objects.get(name="Swale CSP Executive")
    assert IndicatorFilterSet({"reported_to": executive.pk}, indicators).qs.count() == 12
    assert IndicatorFilterSet({"q": "CAADA"}, indicators).qs.count() >= 1
    assert IndicatorFilterSet({"q": "NI111"}, indicators).qs.count() == 2


def test_page_lists_indicators_with_targets(reader_client, seeded):
    response = reader_client.get(URL, {"q": "MARAC repeat"})
    html = response.content.decode()
    assert "MARAC repeat victimisation rate (%)" in html
    assert "Under 30%" in html


def test_csv_export_of_filtered_indicators(reader_client, seeded):
    swale = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    response = reader_client.get(URL, {"plan": swale.pk, "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][:5] == ["Ref", "Indicator", "Plan", "Priority or theme", "Target"]
    assert len(rows) == 26
    assert rows[-1][-1] in {"Swale CSP Executive", "Project and Performance Group"}
