"""Who may enter values (a delegate too), and the pages' query budgets at two data sizes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import IndicatorValue
from plans.models import Agency
from plans.services import period_open
from tests.factories import IndicatorFactory
from tests.indicators.indicator_values.entering import (
    FAR_DEADLINE,
    bulk_url,
    post_value,
    row,
    signed_in,
    value_url,
)

pytestmark = pytest.mark.django_db


# --- Who may do what -------------------------------------------------------------------------


@pytest.fixture
def delegate(csu_officer, dv):
    """The CSU officer, asked by an admin to report 1.1 besides Kent Police."""
    dv.delegates.add(csu_officer)
    return csu_officer


EXPECTED = {
    "anonymous": 302,
    "seg_member": 403,
    "reader": 403,
    "csu_officer": 403,
    "outsider": 404,
    "swale_admin": 200,
    "police_officer": 200,
    "delegate": 200,
}


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("page", ["value", "bulk"])
@pytest.mark.parametrize("who", EXPECTED)
def test_permissions(request, client, q2, dv, who, page, method):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    url = value_url(dv, q2) if page == "value" else bulk_url(q2)
    data = {"value": "5"} if page == "value" else row(dv, value="5")
    response = client.get(url) if method == "get" else client.post(url, data)
    expected = EXPECTED[who]
    if method == "post" and expected == 200:
        expected = 302  # saved, then back to a page
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    saved = IndicatorValue.objects.filter(indicator=dv, period=q2).exists()
    assert saved == (method == "post" and EXPECTED[who] == 200)


def test_delegate_reports_only_the_delegated_indicator(delegate, q2, dv):
    response = signed_in(delegate).get(bulk_url(q2))
    assert [form.indicator for form in response.context["formset"]] == [dv]


# --- Query budgets ---------------------------------------------------------------------------


@pytest.fixture
def seeds(seeded):
    return None


@pytest.fixture
def more_police_indicators(large_data, swale, q2, police_officer):
    """The large data set plus 40 more Kent Police indicators in the Swale plan, half of
    them with a value for 2019/20 Q2, and the first indicator with a value every quarter,
    each changed a few times."""
    police = Agency.objects.get(name="Kent Police")
    extra = IndicatorFactory.create_batch(40, plan=swale, agency=police)
    for indicator in extra[::2]:
        IndicatorValue.objects.create(
            indicator=indicator, period=q2, value=Decimal(3), entered_by=police_officer,
            entered_at="2019-10-01T10:00Z",
        )  # fmt: skip
    dv = swale.indicators.get(ref="1.1")
    client = signed_in(police_officer)
    for quarter in (1, 2, 3, 4):
        period = period_open(plan=swale, year=2019, quarter=quarter, deadline=FAR_DEADLINE)
        for version, figure in enumerate(["1", "2", "3"]):
            post_value(client, dv, period, value=figure, version=str(version or ""))
    return extra


# Session, user and memberships (4), then a fixed number of queries for the page (the value
# forms: one for the earlier figures beside each box).
# The indicator page as an admin adds the audit trail: one query for its entries and one per
# kind of object they name (indicator, quarter, user), however many entries there are.
# indicator: +2 for the actions and the objectives it measures; value and bulk +1, indicator +1:
# the targets an indicator had before a change (a quarter's RAG uses the one in force); value
# +1, indicator +3: the quarter's questions and evidence (plans.collaboration); indicator +1:
# the groups it is reported to.
BUDGETS = {"value": 11, "bulk": 10, "indicator": 20}


@pytest.mark.parametrize("size", ["seeds", "more_police_indicators"])
@pytest.mark.parametrize("page", BUDGETS)
def test_query_budget_holds_at_two_sizes(
    request, police_officer, swale_admin, q2, dv, django_assert_max_num_queries, page, size
):
    request.getfixturevalue(size)
    user = swale_admin if page == "indicator" else police_officer
    url = {
        "value": value_url(dv, q2),
        "bulk": bulk_url(q2),
        "indicator": dv.get_absolute_url(),
    }[page]
    client = signed_in(user)
    with django_assert_max_num_queries(BUDGETS[page]):
        response = client.get(url)
    assert response.status_code == 200
    if size != "seeds" and page == "bulk":
        assert len(response.context["formset"].forms) > 40
    if size != "seeds" and page == "indicator":
        assert len(response.context["audit_trail"]) == 12
