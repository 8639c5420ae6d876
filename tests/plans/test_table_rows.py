"""The actions and indicators tables' rows written straight from their records
(plans/table_rows.py) give the same page, byte for byte, as django-tables2's cells did: every
sort order both ways, searches, filters and pages, on the seed plans and on rows with markup,
empty cells, refs that need their priority's and agencies written both ways."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from plans.models import Agency
from plans.table_rows import WrittenRows
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    IndicatorFactory,
    PlanFactory,
    PriorityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
ACTIONS = reverse("priorities:action_list")
INDICATORS = reverse("indicators:indicator_list")
ACTION_SORTS = ("ref", "title", "plan", "priority", "lead", "timescale", "due_date")
INDICATOR_SORTS = ("ref", "title", "plan", "priority", "target", "due_date", "responsible")
# What differs between any two responses: the form token and the scripts' nonce.
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"')


@pytest.fixture
def awkward(seeded):
    """Rows whose cells escape, fall back to their defaults or are worked out."""
    agency = AgencyFactory(name='Police & "Crime" <Commissioner>', short_name="PCC <&>")
    plain = AgencyFactory(name="Agency with no short name")
    plan = PlanFactory(title="<b>Awkward</b> & 'plan'", start_year=1990, end_year=1990)
    numbered = PriorityFactory(plan=plan, ref="7.", title="Théme <i>one</i> & more")
    led = PriorityFactory(plan=plan, ref="", title="", lead_agency=agency)
    ActionFactory(priority=numbered, ref="b", title="<script>alert(1)</script>", timescale="")
    ActionFactory(priority=numbered, ref="7.2", title="", lead_as_written="<Lead & co>")
    ActionFactory(
        priority=led,
        ref="c&d",
        title="Due & timed",
        timescale="Q1 & Q2 <2025>",
        due_date=datetime.date(2025, 3, 31),
        lead_agency=plain,
    )
    ActionFactory(priority=led, ref="e", title="Theme's lead", due_date=datetime.date(2024, 5, 1))
    group = AgencyFactory(name="Board <A> & B")
    IndicatorFactory(
        plan=plan,
        priority=numbered,
        ref="I<1>",
        title="Rate & <ratio>",
        target='Below 28% <"CAADA">',
        responsible="Head of PCC <&> services",
        agency=agency,
        due_date=datetime.date(2025, 1, 2),
    ).reported_to.set([group, plain])
    IndicatorFactory(plan=plan, theme="Theme & <b>", ref="I2", title="", agency_as_written="A&B")
    IndicatorFactory(plan=plan, ref="", title="No ref", responsible="Officer", agency=plain)
    return plan


def both_ways(client, monkeypatch, url: str, query: dict) -> tuple[bytes, bytes]:
    """The page with rows written from records, then through django-tables2's cells (each
    rendered afresh, not read back from the cache)."""
    cache.clear()
    written = client.get(url, query)
    assert written.status_code == 200
    assert written.context["table"].body_html or not written.context["table"].page.object_list
    with monkeypatch.context() as patched:
        patched.setattr(WrittenRows, "body_html", None)
        cache.clear()
        cells = client.get(url, query)
    return TOKEN.sub(b"", written.content), TOKEN.sub(b"", cells.content)


def queries(sorts: tuple[str, ...], plan, filters: dict) -> list[dict]:
    found = [{}, {"page": 2}, {"q": "police"}, {"q": "<script>"}, {"q": "nothing-matches"}]
    found += [{"plan": plan.pk}, {"plan": plan.pk, "sort": "-title"}, {"page": 999}]
    found += [{name: value} for name, value in filters.items()]
    for sort in sorts:
        found += [{"sort": sort}, {"sort": f"-{sort}"}, {"sort": f"-{sort}", "page": 3}]
    return found


@pytest.mark.parametrize("reader", ["superuser", "seg"])
def test_actions_table_rows_are_the_same_bytes(client, monkeypatch, awkward, reader):
    lead = Agency.objects.get(name="Kent Police")
    user = UserFactory(is_superuser=True) if reader == "superuser" else None
    if user is None:
        from tests.conftest import SWALE, member

        user = member("seg-rows", SWALE, "seg")
    client.force_login(user)
    for query in queries(ACTION_SORTS, awkward, {"lead_agency": lead.pk}):
        written, cells = both_ways(client, monkeypatch, ACTIONS, query)
        assert written == cells, query
    if reader == "seg":
        return  # the awkward plan is another partnership's
    written, _ = both_ways(client, monkeypatch, ACTIONS, {"plan": awkward.pk})
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;</a>" in written
    assert b">7.b</a>" in written and b">PCC &lt;&amp;&gt;<" in written


def test_indicators_table_rows_are_the_same_bytes(client, monkeypatch, awkward):
    group = Agency.objects.get(name="Board <A> & B")
    client.force_login(UserFactory(is_superuser=True))
    for query in queries(INDICATOR_SORTS, awkward, {"reported_to": group.pk}):
        written, cells = both_ways(client, monkeypatch, INDICATORS, query)
        assert written == cells, query
    written, _ = both_ways(client, monkeypatch, INDICATORS, {"plan": awkward.pk})
    assert b"Agency with no short name; Board &lt;A&gt; &amp; B" in written
