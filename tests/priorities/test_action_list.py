"""The cross-plan actions table: filters, search, sorting, pages and CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from plans.models import Agency, Plan
from priorities.filters import ActionFilterSet
from priorities.models import Action

pytestmark = pytest.mark.django_db
URL = reverse("priorities:action_list")


def swale() -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_filterset_narrows_by_each_filter(seeded):
    actions = Action.objects.all()
    plan = swale()
    assert ActionFilterSet({"plan": plan.pk}, actions).qs.count() == 33
    medway = plan.partnership.__class__.objects.get(name__startswith="Medway")
    assert ActionFilterSet({"partnership": medway.pk}, actions).qs.count() == 62 + 28
    priority = plan.priorities.get(ref="6")
    assert ActionFilterSet({"priority": priority.pk}, actions).qs.count() == 3
    csu = Agency.objects.get(short_name="Swale CSU")
    assert ActionFilterSet({"lead_agency": csu.pk}, actions).qs.count() == 13
    # Aims of a theme count for the theme's lead.
    police = Agency.objects.get(name="Kent Police")
    led = ActionFilterSet({"lead_agency": police.pk}, actions).qs
    assert led.filter(priority__plan__title__startswith="Community Safety Partnership").count()
    assert ActionFilterSet({"q": "Fusion Festival"}, actions).qs.count() == 0  # milestone text
    assert ActionFilterSet({"q": "rural crime"}, actions).qs.get().ref == "2.3"
    assert ActionFilterSet({"q": "2.3"}, actions).qs.filter(ref="2.3").exists()


def test_page_shows_filtered_rows_and_counts(reader_client, seeded):
    response = reader_client.get(URL, {"plan": swale().pk, "q": "CSU"})
    html = response.content.decode()
    expected = ActionFilterSet({"plan": swale().pk, "q": "CSU"}, Action.objects.all()).qs.count()
    assert expected >= 10
    assert f"Showing 1 to {expected} of {expected} actions" in html
    assert "Clear filters" in html
    for row in response.context["table"].page.object_list:
        assert row.record.priority.plan == swale()


def test_invalid_filter_value_gives_an_error_summary_and_no_rows(reader_client, seeded):
    response = reader_client.get(URL, {"plan": "not-a-plan"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_plan"' in html
    assert response.context["table"].page.paginator.count == 0
    assert "<title>Error: Actions" in html


def test_sorting_by_lead_and_paging(reader_client, seeded):
    response = reader_client.get(URL, {"sort": "lead", "plan": swale().pk})
    leads = [row.record.lead_agency.name for row in response.context["table"].page.object_list]
    assert leads == sorted(leads)
    assert 'aria-sort="ascending"' in response.content.decode()
    page2 = reader_client.get(URL, {"plan": swale().pk, "page": 2})
    assert page2.context["table"].page.number == 2
    assert "Showing 26 to 33 of 33 actions" in page2.content.decode()
    # A page past the end shows the last page rather than an error.
    last = reader_client.get(URL, {"plan": swale().pk, "page": 999})
    assert last.status_code == 200 and last.context["table"].page.number == 2


def test_csv_export_has_the_table_columns_and_every_filtered_row(reader_client, seeded):
    response = reader_client.get(URL, {"plan": swale().pk, "export": "csv"})
    rows = read_csv(response)
    assert rows[0] == [
        "Ref", "Action", "Plan", "Priority or theme", "Lead", "Timescale", "Due",
    ]  # fmt: skip
    assert len(rows) == 1 + 33  # not just the first page
    assert {row[2] for row in rows[1:]} == {"Swale Community Safety Plan 2019/20"}
    iom = next(row for row in rows if row[0] == "6.1")
    assert iom[4] == "KSS CRC/ Kent Police/NPS"


def test_csv_export_of_all_actions(reader_client, seeded):
    rows = read_csv(reader_client.get(URL, {"export": "csv"}))
    assert len(rows) == 1 + Action.objects.count()


def test_csv_export_with_invalid_filters_shows_the_errors_instead(reader_client, seeded):
    response = reader_client.get(URL, {"plan": "x", "export": "csv"})
    assert response["Content-Type"].startswith("text/html")
    assert "There is a problem" in response.content.decode()


def test_csv_export_streams_in_batches_in_the_table_order(reader_client, seeded, monkeypatch):
    """The download is sent as it is read, a batch of rows at a time (memory stays flat on a
    national service's 54,000 actions); batches join without a row lost, doubled or out of
    the order the user sorted by, and the headings come once."""
    from plans import listing

    monkeypatch.setattr(listing, "EXPORT_BATCH", 7)
    response = reader_client.get(URL, {"export": "csv", "sort": "-lead"})
    assert response.streaming
    rows = read_csv(response)
    assert rows.count(rows[0]) == 1 and rows[0][0] == "Ref"
    assert len(rows) == 1 + Action.objects.count()
    leads = [row[4] for row in rows[1:]]
    page = reader_client.get(URL, {"sort": "-lead"}).context["table"]
    assert leads[:25] == [row.get_cell_value("lead") or "" for row in page.page.object_list]


def test_csv_export_of_nothing_has_the_headings(reader_client, seeded):
    rows = read_csv(reader_client.get(URL, {"export": "csv", "q": "no-such-action-anywhere"}))
    assert rows == [["Ref", "Action", "Plan", "Priority or theme", "Lead", "Timescale", "Due"]]
