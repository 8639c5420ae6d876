"""The actions and indicators tables' search box: each word must be found in one of the
row's texts (any case), or be its ref or its agency's short name; the same rows on SQLite and
on PostgreSQL (run with DATABASE_URL to check the latter, where trigram indexes answer it)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    AgencyFactory,
    IndicatorFactory,
    PlanFactory,
    PriorityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def searched(client):
    """A plan whose actions and indicators each hold one distinctive text in one column."""
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    plan = PlanFactory(title="Searchable plan")
    priority = PriorityFactory(plan=plan, ref="4", title="Quiet priority")
    harbour = AgencyFactory(name="Harbourside Wardens", short_name="HSW")
    AgencyFactory(name="Hillside Rangers", short_name="HSWX")
    for ref, fields in {
        "4.1": {"title": "Patrol the Quayside market"},
        "4.2": {"desired_outcome": "Fewer thefts of BICYCLES"},
        "4.3": {"lead_as_written": "Marina Trust / Coastguard"},
        "4.4": {"lead_agency": harbour},
        "4.5": {"partner_priority": "Lantern priority 7"},
        "Z9": {"title": "Nothing special"},
    }.items():
        ActionFactory(priority=priority, ref=ref, **{"title": "An action", **fields})
    for ref, fields in {
        "K1": {"title": "Quayside footfall"},
        "K2": {"target": "Below 28% of BICYCLES"},
        "K3": {"theme": "Lantern theme"},
        "K4": {"responsible": "Marina analyst"},
        "K5": {"agency_as_written": "Coastguard office"},
        "K6": {"agency": harbour},
    }.items():
        IndicatorFactory(plan=plan, priority=priority, ref=ref, **fields)
    return client


def found(client, name: str, q: str) -> set[str]:
    response = client.get(reverse(name), {"q": q, "export": "csv"})
    lines = response.getvalue().decode("utf-8-sig").splitlines()[1:]
    return {line.split(",")[0] for line in lines if "Searchable plan" in line}


@pytest.mark.parametrize(
    ("q", "refs"),
    [
        ("quayside", {"4.1"}),  # title, any case
        ("bicycle", {"4.2"}),  # desired outcome, part of a word
        ("coastguard", {"4.3"}),  # lead as written
        ("harbourside", {"4.4"}),  # the lead agency's name
        ("hsw", {"4.4"}),  # its short name, whole
        ("lantern 7", {"4.5"}),  # every word, each in some column
        ("4.2", {"4.2"}),  # a ref, whole
        ("z9", {"4.Z9"}),  # shown with its priority's ref
        ("4.", set()),  # not part of a ref
        ("quayside bicycle", set()),
        ("100%", set()),  # LIKE's wildcards are searched for as written
        ("_", set()),
    ],
)
def test_actions_search(searched, q, refs):
    assert found(searched, "priorities:action_list", q) == refs


@pytest.mark.parametrize(
    ("q", "refs"),
    [
        ("QUAYSIDE", {"K1"}),
        ("bicycles 28%", {"K2"}),
        ("lantern", {"K3"}),
        ("marina", {"K4"}),
        ("coastguard", {"K5"}),
        ("harbourside", {"K6"}),
        ("HSW", {"K6"}),
        ("k3", {"K3"}),
        ("hillside", set()),
    ],
)
def test_indicators_search(searched, q, refs):
    assert found(searched, "indicators:indicator_list", q) == refs


def test_search_shows_the_count_and_rows_on_the_page(searched):
    response = searched.get(reverse("priorities:action_list"), {"q": "coastguard marina"})
    assert "Showing 1 to 1 of 1 actions" in response.content.decode()
    assert [row.record.ref for row in response.context["table"].page.object_list] == ["4.3"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL")
def test_each_searched_column_has_its_index_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s "
            "OR indexname LIKE %s",
            ["action_search_%", "indicator_search_%"],
        )
        indexes = dict(cursor.fetchall())
    assert len(indexes) == 11
    for name, definition in indexes.items():
        if not name.endswith("_ref"):
            assert "gin_trgm_ops" in definition and "upper(" in definition
