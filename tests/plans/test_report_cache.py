"""Cached reports (plans.report_cache): the dashboard, the report pack and its workbook are
built once per data version, and every kind of change a reader would notice shows on the next
request: an update submitted or deleted, a figure entered, a quarter closed, an action
retitled, an agency renamed, a figure in the partnership's earlier plan (a predecessor)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from plans.services import period_close
from priorities.models import ActionUpdate
from priorities.services import action_update_save
from tests.plans.known_plan import TODAY, Known, build_known_plan, value
from tests.plans.test_dashboards import element, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(seeded) -> Known:
    cache.clear()
    return build_known_plan()


@pytest.fixture
def seg_client(client, seg_member):
    client.force_login(seg_member)
    return client


def dashboard(client, known: Known, period=None) -> str:
    url = reverse("plans:plan_dashboard", args=[known.plan.pk])
    return page(client, f"{url}?period={(period or known.q2).pk}")


def pack(client, known: Known) -> str:
    return text(page(client, reverse("plans:report_pack", args=[known.q2.pk])))


def workbook_text(client, known: Known) -> str:
    response = client.get(reverse("plans:report_workbook", args=[known.q2.pk]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content), read_only=True)
    return " ".join(
        str(cell) for sheet in book.worksheets for row in sheet.values for cell in row if cell
    )


def test_a_second_request_is_served_from_the_cache(
    seg_client, known, django_assert_max_num_queries
):
    first = dashboard(seg_client, known)
    with django_assert_max_num_queries(12):  # no report built: the page's own reads only
        again = dashboard(seg_client, known)
    assert element(again, "priority-breakdown") == element(first, "priority-breakdown")


def test_an_update_submitted_shows_on_the_next_dashboard(seg_client, known):
    before = dashboard(seg_client, known)
    assert element(before, "completeness-actions").startswith("3 of 4")
    draft = ActionUpdate.objects.get(action=known.actions["1.2"], period=known.q2)
    action_update_save(
        user=known.user, action=draft.action, period=known.q2, status="on_track",
        commentary="Lights fitted", next_steps="", milestones=[], submit=True,
        expected_version=draft.version, today=TODAY,
    )  # fmt: skip
    after = dashboard(seg_client, known)
    assert element(after, "completeness-actions").startswith("4 of 4")


def test_a_deleted_update_shows_on_the_next_dashboard(seg_client, known):
    assert dashboard(seg_client, known).count("Victim support")
    before = element(dashboard(seg_client, known), "completeness-actions")
    ActionUpdate.objects.get(action=known.actions["2.1"], period=known.q2).delete()
    after = element(dashboard(seg_client, known), "completeness-actions")
    assert before.startswith("3 of 4") and after.startswith("2 of 4")


def test_a_figure_entered_shows_in_the_report_pack_and_its_workbook(seg_client, known):
    assert "63.5" not in pack(seg_client, known)
    assert "63.5" not in workbook_text(seg_client, known)
    value(known, known.q2, "I5", "63.5")
    assert "63.5%" in pack(seg_client, known)
    assert "63.5" in workbook_text(seg_client, known)


def test_closing_the_quarter_ends_provisional_on_the_next_dashboard(seg_client, known):
    assert 'id="provisional"' in dashboard(seg_client, known)
    period_close(period=known.q2)
    assert 'id="provisional"' not in dashboard(seg_client, known)


def test_a_retitled_action_and_a_renamed_agency_show_on_the_next_request(seg_client, known):
    assert "Awareness campaign" in pack(seg_client, known)
    dashboard(seg_client, known)
    action = known.actions["2.2"]
    action.title = "Knife crime awareness"
    action.save()
    assert "Knife crime awareness" in pack(seg_client, known)
    agency = known.agencies["other"]
    agency.name = "Renamed test agency"
    agency.save()
    assert "Renamed test agency" in dashboard(seg_client, known)
    assert "Renamed test agency" in pack(seg_client, known)


def test_a_figure_in_an_earlier_plan_reaches_its_successor(
    seg_client,
    known,
    with_predecessor,
):
    """Trends run across the partnership's plans, so its earlier plans' rows count too."""
    assert "88%" in pack(seg_client, known)  # 2023/24 Q4, among I1's last four quarters
    old = with_predecessor.values.get(period__quarter=4)
    old.value = Decimal(77)
    old.save()
    shown = pack(seg_client, known)
    assert "77%" in shown and "88%" not in shown


def test_reading_the_pages_changes_no_version(seg_client, known):
    """A page view that wrote a watched row would throw the cache away on every request."""
    partnership = known.plan.partnership
    partnership.refresh_from_db()
    version = partnership.data_version
    dashboard(seg_client, known)
    pack(seg_client, known)
    workbook_text(seg_client, known)
    partnership.refresh_from_db()
    assert partnership.data_version == version


def test_filters_are_cached_apart(seg_client, known):
    url = reverse("plans:plan_dashboard", args=[known.plan.pk])
    police = known.agencies["police"].pk
    everything = page(seg_client, f"{url}?period={known.q2.pk}")
    police_only = page(seg_client, f"{url}?period={known.q2.pk}&agency={police}")
    assert "Awareness campaign" in everything
    assert "Awareness campaign" not in police_only


def test_the_date_is_part_of_the_key(known):
    """Overdue milestones follow the calendar: tomorrow's page is built again."""
    from plans import report_cache

    first = report_cache.report_key("dashboard", known.q2, today=date(2030, 1, 1))
    second = report_cache.report_key("dashboard", known.q2, today=date(2030, 1, 2))
    assert first != second


def test_an_answered_question_shows_in_the_next_report_pack(seg_client, known):
    """The pack lists answered questions (plans.collaboration): answering one is a change."""
    from plans.collaboration.services import question_answer, question_ask

    action = known.actions["2.1"]
    assert "Is the referral pathway live" not in pack(seg_client, known)
    question = question_ask(
        user=known.user, item=action, period=known.q2, text="Is the referral pathway live?"
    )
    assert "Is the referral pathway live" not in pack(seg_client, known)  # not answered yet
    question_answer(user=known.user, question=question, item=action, text="Yes, since May.")
    shown = pack(seg_client, known)
    assert "Is the referral pathway live" in shown and "Yes, since May." in shown


def test_the_pack_names_its_latest_published_version(seg_client, known):
    """The report's status line names the latest published version: part of the key."""
    from plans.reporting.publishing import report_publish

    assert "Draft — not yet published" in pack(seg_client, known)
    report_publish(period=known.q2, user=known.user, reason="")
    assert "Version 1 was published on" in pack(seg_client, known)


def test_the_plan_page_shows_a_change_on_the_next_request(seg_client, known):
    """The plan page's contents are cached too: a retitled action, a new risk show at once."""
    from plans.models import Risk

    url = known.plan.get_absolute_url()
    assert "Patrols" in page(seg_client, url)
    action = known.actions["1.1"]
    action.title = "Evening patrols"
    action.save()
    assert "Evening patrols" in page(seg_client, url)
    assert 'href="#risks"' not in page(seg_client, url)
    Risk.objects.create(plan=known.plan, ref="R1", risk="Funding ends")
    assert 'href="#risks"' in page(seg_client, url)


def test_the_plan_export_shows_a_change_on_the_next_download(seg_client, known):
    """The plan's Excel export is cached too: a retitled action is in the next download."""
    url = reverse("plans:plan_export", args=[known.plan.pk])

    def exported() -> str:
        response = seg_client.get(url)
        assert response.status_code == 200
        book = load_workbook(BytesIO(response.content), read_only=True)
        return " ".join(str(c) for s in book.worksheets for row in s.values for c in row if c)

    assert "Patrols" in exported()
    action = known.actions["1.1"]
    action.title = "Evening patrols"
    action.save()
    assert "Evening patrols" in exported()
