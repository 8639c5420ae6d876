"""The actions and indicators tables' CSV downloads read their rows as plain values
(``export_cells``), streamed a batch at a time: the bytes must be those django-tables2's own
``as_values`` gives (the export before), whatever the rows hold; and deep pages, found by
their ids first, show the rows the plain query shows."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from indicators.models import Indicator
from indicators.tables import IndicatorTable
from plans import listing
from plans.models import Agency, Plan
from priorities.models import Action
from priorities.tables import ActionTable

pytestmark = pytest.mark.django_db
ACTIONS = reverse("priorities:action_list")
INDICATORS = reverse("indicators:indicator_list")
QUERIES = ["?export=csv", "?export=csv&sort=-lead", "?export=csv&sort=due_date&q=a",
           "?export=csv&sort=-responsible", "?export=csv&sort=priority",
           "?export=csv&q=no-such-row-anywhere"]  # fmt: skip


@pytest.fixture
def awkward_rows(large_data):
    """Rows that test every rule of the columns: formula-like texts (made safe), numbers
    written as text, commas, quotes and line breaks, an action with no lead of its own (its
    theme's, as written or by agency), refs with and without their priority's ref, a
    priority ref ending in a dot, dates and no dates, an indicator's owner written into its
    role, several groups it is reported to."""
    swale = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    police = Agency.objects.get(name="Kent Police")
    actions = list(Action.objects.filter(priority__plan=swale).select_related("priority"))
    first, second, third, fourth = actions[:4]
    first.title = '=HYPERLINK("http://evil.example")'
    first.timescale = "-3.5"
    first.due_date = date(2020, 3, 31)
    first.save()
    second.title = 'Says "this, and that"\non two lines'
    second.lead_as_written = ""
    second.lead_agency = None
    second.timescale = "@once"
    second.save()
    second.priority.lead_as_written = ""
    second.priority.lead_agency = police
    second.priority.save()
    third.lead_as_written = ""
    third.lead_agency = Agency.objects.exclude(short_name="").first()
    third.ref = f"{third.priority.ref}.9"
    third.save()
    fourth.priority.ref = "7."
    fourth.priority.save()
    fourth.ref = "b"
    fourth.lead_as_written = "+44 helpline"
    fourth.save()
    indicators = list(Indicator.objects.filter(plan=swale))
    one, two, three = indicators[:3]
    one.theme = ""
    one.target = "=1+1"
    one.responsible = "Kent Police analyst"
    one.agency = police
    one.agency_as_written = ""
    one.save()
    one.reported_to.set(Agency.objects.order_by("-name")[:3])
    two.responsible = ""
    two.agency_as_written = "Swale CSU, Kent"
    two.theme = "A theme of its own"
    two.due_date = date(2021, 6, 30)
    two.save()
    three.priority = None
    three.theme = ""
    three.save()


def both_exports(client, url: str, monkeypatch) -> tuple[bytes, bytes]:
    """The download as sent (values, streamed), and as django-tables2's ``as_values``
    writes it for the same request."""
    fast = client.get(url)
    assert fast.streaming
    fast_bytes = fast.getvalue()
    with monkeypatch.context() as patch:
        patch.setattr(ActionTable, "export_cells", None)
        patch.setattr(IndicatorTable, "export_cells", None)
        plain = client.get(url)
        assert plain.streaming
        plain_bytes = plain.getvalue()
    return fast_bytes, plain_bytes


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("base", [ACTIONS, INDICATORS])
def test_csv_is_byte_for_byte_what_django_tables2_writes(
    reader_client, awkward_rows, monkeypatch, base, query
):
    fast, plain = both_exports(reader_client, base + query, monkeypatch)
    assert fast == plain
    assert fast.startswith("\ufeff".encode())
    if query == "?export=csv" and base == ACTIONS:
        assert b"'=HYPERLINK" in fast and b",=HYPERLINK" not in fast
        assert b"'@once" in fast and b",-3.5," in fast
        rows = list(csv.reader(io.StringIO(fast.decode("utf-8-sig"))))
        assert len(rows) == 1 + Action.objects.count()


def test_csv_rows_come_in_batches_without_a_row_lost_or_doubled(
    reader_client, awkward_rows, monkeypatch
):
    monkeypatch.setattr(listing, "EXPORT_BATCH", 7)
    for base in (ACTIONS, INDICATORS):
        fast, plain = both_exports(reader_client, base + "?export=csv&sort=-plan", monkeypatch)
        assert fast == plain
    response = reader_client.get(ACTIONS + "?export=csv")
    pieces = list(response.streaming_content)
    assert len(pieces) == 1 + -(-Action.objects.count() // 7)  # the headings, then each batch


def test_csv_keeps_to_what_the_reader_may_see(client, awkward_rows, seg_member):
    client.force_login(seg_member)  # Swale only
    text = client.get(INDICATORS + "?export=csv").getvalue().decode("utf-8-sig")
    swale = Indicator.objects.filter(plan__partnership__name__startswith="Swale").count()
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + swale
    assert {row[2] for row in rows[1:]} == set(
        Plan.objects.filter(partnership__name__startswith="Swale").values_list("title", flat=True)
    )


PER_REQUEST = re.compile(rb'(nonce|value|content)="[A-Za-z0-9+/=_-]{20,}"')


@pytest.mark.parametrize("query", ["?page=3", "?page=5&sort=-lead", "?page=2&q=a&sort=plan"])
@pytest.mark.parametrize("base", [ACTIONS, INDICATORS])
def test_deep_pages_show_what_the_plain_query_shows(
    reader_client, large_data, monkeypatch, base, query
):
    """Pages past DEEP_PAGE_OFFSET rows find their ids first: the same rows, the same page."""
    monkeypatch.setattr(listing, "DEEP_PAGE_OFFSET", 0)
    deep = reader_client.get(base + query)
    monkeypatch.setattr(listing, "DEEP_PAGE_OFFSET", 10**9)
    cache.clear()  # rendered again, not the first rendering read back
    plain = reader_client.get(base + query)
    rows = [row.record.pk for row in deep.context["table"].page.object_list]
    assert len(rows) == 25
    assert rows == [row.record.pk for row in plain.context["table"].page.object_list]
    assert PER_REQUEST.sub(b"", deep.content) == PER_REQUEST.sub(b"", plain.content)
