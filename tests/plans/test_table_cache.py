"""The actions and indicators tables keep their rendered results (filters, rows, pages) per
query and data version of what the reader can see: read back, they are the same page, and
any change the reader could see shows on the next request."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator
from plans.models import Membership, Partnership
from priorities.models import Action
from tests.conftest import MEDWAY, SWALE, member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ACTIONS = reverse("priorities:action_list")
INDICATORS = reverse("indicators:indicator_list")
PER_REQUEST = re.compile(rb'(nonce|value|content)="[A-Za-z0-9+/=_-]{20,}"')


def queries_and_page(client, url, query=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(captured), PER_REQUEST.sub(b"", response.content)


@pytest.mark.parametrize("url", [ACTIONS, INDICATORS])
@pytest.mark.parametrize("query", [{}, {"sort": "-plan", "page": "2"}])
def test_read_back_it_is_the_same_page_for_fewer_queries(reader_client, url, query):
    cache.clear()
    first_queries, first = queries_and_page(reader_client, url, query)
    again_queries, again = queries_and_page(reader_client, url, query)
    assert again == first
    assert again_queries < first_queries  # no count, rows or filter choices
    assert b"Showing 1" in again or b"Showing 26" in again


def test_a_retitled_action_shows_on_the_next_request(reader_client, seeded):
    queries_and_page(reader_client, ACTIONS, {"sort": "title"})
    action = Action.objects.order_by("title").first()
    action.title = "Aaaa a new first title"
    action.save()
    _, page = queries_and_page(reader_client, ACTIONS, {"sort": "title"})
    assert b"Aaaa a new first title" in page


def test_a_changed_indicator_shows_on_the_next_request(reader_client, seeded):
    queries_and_page(reader_client, INDICATORS)
    indicator = Indicator.objects.order_by("plan__partnership__name", "pk").first()
    indicator.title = "Renamed indicator for the cache test"
    indicator.save()
    _, page = queries_and_page(reader_client, INDICATORS, {"plan": indicator.plan_id})
    assert b"Renamed indicator for the cache test" in page


def test_each_reader_gets_the_page_of_what_they_can_see(client, seeded):
    swale_only = member("swale-seg-cache", SWALE, Membership.Role.SEG)
    medway_only = member("medway-seg-cache", MEDWAY, Membership.Role.SEG)
    client.force_login(swale_only)
    _, swale_page = queries_and_page(client, ACTIONS)
    client.force_login(medway_only)
    _, medway_page = queries_and_page(client, ACTIONS)
    assert b"Swale Community Safety Plan" in swale_page
    assert b"Swale Community Safety Plan" not in medway_page
    assert b"Medway" in medway_page

    # Joining Swale: the next page has Swale's actions too.
    Membership.objects.create(
        user=medway_only, partnership=Partnership.objects.get(name=SWALE), role="seg"
    )
    _, both = queries_and_page(client, ACTIONS)
    assert b"Swale Community Safety Plan" in both

    # A superuser sees every partnership, counted afresh.
    client.force_login(UserFactory(is_superuser=True))
    _, everything = queries_and_page(client, ACTIONS)
    count = re.search(rb"of (\d+) actions", everything).group(1)
    assert int(count) == Action.objects.count()


def test_another_partnerships_change_leaves_a_members_page_cached(client, seeded):
    client.force_login(member("swale-seg-cache2", SWALE, Membership.Role.SEG))
    queries_and_page(client, ACTIONS)
    cached_queries, _ = queries_and_page(client, ACTIONS)
    medway_action = Action.objects.filter(priority__plan__partnership__name=MEDWAY).first()
    medway_action.title = "A Medway change"
    medway_action.save()
    after_queries, page = queries_and_page(client, ACTIONS)
    assert after_queries == cached_queries  # still read from the cache
    assert b"A Medway change" not in page


def test_a_bad_filter_is_shown_and_not_kept(reader_client):
    response = reader_client.get(ACTIONS, {"plan": "999999"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert response.content.decode().count("Error: ") >= 1  # in the title too
    again = reader_client.get(ACTIONS, {"plan": "999999"})
    assert b"govuk-error-summary" in again.content and "filter" in again.context


def test_a_search_is_always_run_afresh(reader_client, seeded):
    queries_and_page(reader_client, ACTIONS, {"q": "zzqq"})
    action = Action.objects.first()
    action.title = "Contains zzqq now"
    action.save(update_fields=["title"])
    Action.objects.filter(pk=action.pk).update(title="Contains zzqq again")  # no signal
    _, page = queries_and_page(reader_client, ACTIONS, {"q": "zzqq"})
    assert b"Contains zzqq again" in page


def test_the_partnerships_list_shows_a_new_or_renamed_partnership_at_once(client, seeded):
    client.force_login(UserFactory(is_superuser=True))
    home = reverse("home")
    for n in range(11):  # past a handful, the home page lists partnerships a page at a time
        Partnership.objects.create(name=f"Listed CSP {n:02}", area="Somewhere")
    first_queries, first = queries_and_page(client, home, {"q": "", "sort": "name"})
    again_queries, again = queries_and_page(client, home, {"q": "", "sort": "name"})
    assert again == first and again_queries < first_queries
    assert b"Listed CSP 00" in again
    renamed = Partnership.objects.get(name="Listed CSP 00")
    renamed.name = "Aardvark CSP"
    renamed.save()
    _, page = queries_and_page(client, home, {"q": "", "sort": "name"})
    assert b"Aardvark CSP" in page and b"Listed CSP 00" not in page
    Partnership.objects.create(name="Aaa newest CSP", area="Somewhere")
    _, page = queries_and_page(client, home, {"q": "", "sort": "name"})
    assert b"Aaa newest CSP" in page
