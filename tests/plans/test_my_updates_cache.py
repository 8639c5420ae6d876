"""My updates is rendered once per user, query and data version, then read back: the same
page, and every change the officer could see shows on the next request."""

# ruff: noqa: F811 (the fixtures of test_my_updates, imported and asked for by name)

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Agency, Membership
from tests.plans.test_my_updates import (  # noqa: F401
    BEFORE_DEADLINE,
    URL,
    csu_actions,
    form_urls,
    q2,
    save,
    status,
    swale,
    today,
)

pytestmark = pytest.mark.django_db
PER_REQUEST = re.compile(r'(nonce|value|content)="[A-Za-z0-9+/=_-]{20,}"')


def read(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_read_back_it_is_the_same_page_for_fewer_queries(client, csu_officer, q2, today):
    cache.clear()
    client.force_login(csu_officer)
    first_queries, first = read(client)
    again_queries, again = read(client)
    assert "13 to do, 0 drafts, 0 submitted" in again
    assert PER_REQUEST.sub("", again) == PER_REQUEST.sub("", first)
    assert again_queries < first_queries


def test_an_update_saved_shows_on_the_next_request(client, csu_officer, q2, swale, today):
    client.force_login(csu_officer)
    read(client)
    action = csu_actions(swale)[0]
    save(csu_officer, action, q2, submit=False, today=BEFORE_DEADLINE)
    _, html = read(client)
    assert status(html, f"action-{action.pk}-period-{q2.pk}") == "Draft"
    assert "12 to do, 1 draft, 0 submitted" in html


def test_a_new_agency_or_delegation_shows_on_the_next_request(
    client, police_officer, q2, swale, today
):
    client.force_login(police_officer)
    _, before = read(client)
    action = csu_actions(swale)[0]
    assert f"action-{action.pk}-period-{q2.pk}" not in before

    action.delegates.add(police_officer)
    _, delegated = read(client)
    assert f"action-{action.pk}-period-{q2.pk}" in delegated

    membership = Membership.objects.get(user=police_officer)
    membership.agencies.add(Agency.objects.get(name="Swale Community Safety Unit"))
    _, both = read(client)
    assert all(f"action-{a.pk}-period-{q2.pk}" in both for a in csu_actions(swale))

    membership.role = Membership.Role.SEG
    membership.save()
    _, reader = read(client)
    assert "You have nothing to report" in reader


def test_two_officers_of_one_partnership_each_get_their_own(
    client, csu_officer, police_officer, q2, swale, today
):
    client.force_login(csu_officer)
    _, csu = read(client)
    client.force_login(police_officer)
    _, police = read(client)
    action = csu_actions(swale)[0]
    assert f"action-{action.pk}-period-{q2.pk}" in csu
    assert f"action-{action.pk}-period-{q2.pk}" not in police


def test_the_day_is_part_of_it(client, csu_officer, q2, swale, today):
    client.force_login(csu_officer)
    _, before = read(client)
    assert "overdue" not in before.lower()
    today(q2.deadline.replace(day=q2.deadline.day + 1))
    _, after = read(client)
    assert "Due by 15 October 2019, <strong>overdue</strong>" in after
