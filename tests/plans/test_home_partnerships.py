"""A superuser of a hosted service with hundreds of partnerships gets a searchable list of
them a page at a time on the home page, not every plan of every partnership."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import Partnership, Plan
from plans.views.pages import HOME_WITH_PLANS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HOME = reverse("home")


@pytest.fixture
def hosted(seeded) -> None:
    Partnership.objects.bulk_create(
        Partnership(name=f"Hosted CSP {n:03d}", area=f"District {n:03d}") for n in range(40)
    )


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_many_partnerships_are_listed_a_page_at_a_time(superuser_client, hosted):
    response = superuser_client.get(HOME)
    html = response.content.decode()
    table = response.context["table"]
    assert table.paginator.count == Partnership.objects.count() > HOME_WITH_PLANS
    assert len(table.page.object_list) == 25
    assert "Showing 1 to 25 of 42 partnerships" in html
    assert 'aria-label="Pagination"' in html
    assert "Plans of " not in html  # no plan tables
    rows = superuser_client.get(HOME, {"q": "Medway"}).context["table"].page.object_list
    (medway,) = rows
    assert medway.get_cell("plan_count") == Plan.objects.filter(partnership=medway.record).count()


def test_search_by_name_or_area(superuser_client, hosted):
    response = superuser_client.get(HOME, {"q": "district 007"})
    assert [row.record.name for row in response.context["table"].page.object_list] == [
        "Hosted CSP 007"
    ]
    response = superuser_client.get(HOME, {"q": "swale"})
    assert [row.record.name for row in response.context["table"].page.object_list] == [
        "Swale Community Safety Partnership"
    ]


def test_a_member_of_a_few_partnerships_still_sees_every_plan(reader_client, hosted):
    html = reader_client.get(HOME).content.decode()
    assert "Plans of Medway Community Safety Partnership" in html
    assert "Hosted CSP" not in html


@pytest.mark.parametrize("extra", [0, 300])
def test_query_budget_at_two_sizes(superuser_client, seeded, extra, django_assert_max_num_queries):
    Partnership.objects.bulk_create(
        Partnership(name=f"More CSP {n:03d}", area="Somewhere") for n in range(extra)
    )
    with django_assert_max_num_queries(8):
        response = superuser_client.get(HOME, {"q": "CSP"} if extra else {})
        assert response.status_code == 200
