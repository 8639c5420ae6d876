"""Each endpoint's queries stay flat: the same budget at the seeds' size and ten times it, and
the same count whether 1 or 30 other partnerships share the service."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Plan
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def endpoints(swale) -> dict[str, str]:
    plan = swale["plan"]
    return {
        "partnerships": "/api/v1/partnerships",
        "partnership": f"/api/v1/partnerships/{plan.partnership_id}",
        "plans": "/api/v1/plans",
        "plan": f"/api/v1/plans/{plan.pk}",
        "actions": "/api/v1/actions?page_size=500",
        "action": f"/api/v1/actions/{swale['action'].pk}",
        "indicators": "/api/v1/indicators?page_size=500",
        "indicator": f"/api/v1/indicators/{swale['indicator'].pk}",
        "quarters": "/api/v1/quarters",
        "quarter": f"/api/v1/quarters/{swale['q1'].pk}",
        "reports": "/api/v1/reports",
        "report": f"/api/v1/reports/{swale['report'].pk}",
    }


# The token (1) and the user's memberships with their agencies (2), then the endpoint's own:
# a list counts and reads a page (2) and prefetches what each row carries (1).
BUDGETS = {
    "partnerships": 5, "partnership": 4, "plans": 5, "plan": 8, "actions": 6, "action": 5,
    "indicators": 6, "indicator": 5, "quarters": 5, "quarter": 4, "reports": 5, "report": 4,
}  # fmt: skip


@pytest.mark.parametrize("size", ["seeds", "large_data"])
@pytest.mark.parametrize("name", BUDGETS)
def test_each_endpoint_holds_its_budget_at_two_sizes(
    request, client, reader, swale, django_assert_max_num_queries, name, size
):
    if size == "large_data":
        request.getfixturevalue("large_data")
    headers = bearer(reader)
    client.get("/api/v1/partnerships", **headers)  # the day's first use is audited once
    with django_assert_max_num_queries(BUDGETS[name]):
        response = client.get(endpoints(swale)[name], **headers)
    assert response.status_code == 200, response.content[:300]


def test_every_endpoint_costs_the_same_with_1_or_30_other_partnerships(client, swale, seg_member):
    from tests.test_size_independence import other_partnerships

    headers = bearer(seg_member)
    client.get("/api/v1/partnerships", **headers)
    other_partnerships(1, 1)

    def visit(url):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url, **headers).content
        return len(queries), body

    before = {name: visit(url) for name, url in endpoints(swale).items()}
    other_partnerships(2, 29)
    assert Plan.objects.values("partnership").distinct().count() == 2 + 30
    for name, url in endpoints(swale).items():
        assert visit(url) == before[name], name
