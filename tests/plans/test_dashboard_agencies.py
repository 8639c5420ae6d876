"""The plan dashboard's agency filter lists exactly the agencies that lead the plan's actions or
themes or report its indicators, with a query whose rows do not multiply with other plans'."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Plan
from plans.views.dashboards import plan_agencies

pytestmark = pytest.mark.django_db


def expected(plan: Plan) -> set[int]:
    ids = set()
    for priority in plan.priorities.all():
        ids.add(priority.lead_agency_id)
        ids.update(priority.actions.values_list("lead_agency_id", flat=True))
    ids.update(plan.indicators.values_list("agency_id", flat=True))
    return ids - {None}


def test_every_seed_plan_lists_its_leading_and_reporting_agencies(seeded):
    for plan in Plan.objects.all():
        agencies = plan_agencies(plan)
        assert {a.pk for a in agencies} == expected(plan), plan.title
        assert len(agencies) == len({a.pk for a in agencies}), "each agency once"


def test_agency_choices_do_not_join_other_plans_rows(seeded):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    with CaptureQueriesContext(connection) as queries:
        plan_agencies(plan)
    sql = queries.captured_queries[0]["sql"].upper()
    assert len(queries.captured_queries) == 1
    assert "DISTINCT" not in sql and "LEFT OUTER JOIN" not in sql
