"""Synthetic partnerships for benchmarks: the shape asked for, members who can sign in, and
quarters of reports that the dashboards read."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.models import IndicatorValue
from plans.models import Partnership, ReportingPeriod
from plans.synthetic_service import PASSWORD
from priorities.models import Action, ActionUpdate

pytestmark = pytest.mark.django_db


def test_partnerships_with_members_quarters_and_reports(seeded, client):
    out = StringIO()
    call_command(
        "make_synthetic_plans", "--partnerships=2", "--plans=2", "--priorities=2",
        "--actions=3", "--indicators=2", "--years=2", stdout=out,
    )  # fmt: skip
    assert "Created 2 synthetic partnerships." in out.getvalue()
    made = Partnership.objects.filter(name__startswith="Synthetic CSP ")
    assert made.count() == 2
    first = made.get(name="Synthetic CSP 001")
    assert first.plans.count() == 2
    assert Action.objects.filter(priority__plan__partnership=first).count() == 2 * 2 * 3
    periods = ReportingPeriod.objects.filter(plan__partnership=first)
    assert periods.count() == 2 * 8
    assert periods.filter(status="open").count() == 2  # the latest quarter of each plan
    assert ActionUpdate.objects.filter(period__in=periods).count() == 2 * 8 * 6
    assert IndicatorValue.objects.filter(period__in=periods).count() == 2 * 8 * 4
    # Neighbours share their police force, as real partnerships do.
    shared = set(first.agencies.values_list("name", flat=True))
    second = made.get(name="Synthetic CSP 002")
    assert "Synthetic Police Force 1" in shared & set(
        second.agencies.values_list("name", flat=True)
    )

    # Run again: numbering carries on.
    call_command("make_synthetic_plans", "--partnerships=1", "--plans=1", "--priorities=1",
                 "--actions=1", "--indicators=1", "--years=1", stdout=StringIO())  # fmt: skip
    assert made.filter(name="Synthetic CSP 003").exists()

    assert client.login(username="bench-1-seg", password=PASSWORD)
    plan = first.plans.first()
    response = client.get(reverse("plans:plan_dashboard", args=[plan.pk]))
    assert response.status_code == 200
    assert "Synthetic CSP 001" in response.content.decode()
