"""The editing pages' query budgets: the same number of queries for the smallest seed plan
and a synthetic plan ten times bigger with many listed changes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.editing.models import PlanChange
from plans.models import Membership, Plan
from tests.conftest import member

pytestmark = pytest.mark.django_db


def the_plan(size: str, request) -> Plan:
    """The Swale seed plan, or the biggest synthetic plan, active, with changes listed."""
    if size == "small":
        plan, changes = Plan.objects.get(title="Swale Community Safety Plan 2019/20"), 2
    else:
        partnership = request.getfixturevalue("large_data")
        plan, changes = partnership.plans.order_by("-pk").first(), 60
    plan.status = Plan.Status.ACTIVE
    plan.save()
    admin = member(f"budget-admin-{size}", plan.partnership.name, Membership.Role.ADMIN)
    PlanChange.objects.bulk_create(
        PlanChange(plan=plan, user=admin, when=timezone.now(), kind="changed",
                   what=f"Action {n}", before={"Title": "Old"}, after={"Title": "New"},
                   reason="Agreed")
        for n in range(changes)
    )  # fmt: skip
    return plan, admin


# plan_edit: +3 for the key themes, the actions' funding lines and the previous year's results.
BUDGETS = {"plan_edit": 14, "plan_changes": 6}


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("name", BUDGETS)
def test_query_budget_holds_at_two_sizes(
    client, request, seeded, django_assert_max_num_queries, name, size
):
    plan, admin = the_plan(size, request)
    client.force_login(admin)
    with django_assert_max_num_queries(BUDGETS[name]):
        response = client.get(reverse(f"plans:{name}", args=[plan.pk]))
    assert response.status_code == 200
    if name == "plan_changes":
        assert response.content.decode().count("Agreed") == (2 if size == "small" else 60)
