"""The milestones page: every milestone due this quarter or overdue and not done, filterable,
with CSV; and the officer landing on their work after signing in."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from plans.models import Agency, Plan
from plans.services import period_open
from priorities.models import Action, Milestone
from priorities.services import MilestoneReport, action_update_save
from priorities.views import quarter_end
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/milestones/"


@pytest.fixture
def today(monkeypatch):
    """The page is read on 20 November 2019: 2019/20 Q3 ends on 31 December."""
    day = date(2019, 11, 20)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: day)
    return day


@pytest.fixture
def swale(seeded) -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


def listed(response) -> list[Milestone]:
    return list(response.context["filter"].qs)


def test_quarter_end():
    assert quarter_end(date(2019, 11, 20)) == date(2019, 12, 31)
    assert quarter_end(date(2020, 2, 1)) == date(2020, 3, 31)
    assert quarter_end(date(2019, 4, 1)) == date(2019, 6, 30)


def test_lists_what_is_overdue_or_due_this_quarter_and_not_done(
    reader_client, csu_officer, swale, today
):
    festival = Milestone.objects.get(action__priority__plan=swale, text="Swale Fusion Festival")
    later = Milestone.objects.filter(due_date__gt=date(2019, 12, 31)).first()
    response = reader_client.get(URL)
    html = response.content.decode()
    milestones = listed(response)
    assert festival in milestones
    assert later is None or later not in milestones
    assert all(m.due_date <= date(2019, 12, 31) for m in milestones)
    assert '<h1 class="govuk-heading-xl">Milestones due</h1>' in html
    assert "31 Oct 2019" in html and "Overdue" in html
    assert 'data-label="Milestone"' in html  # stacked rows on phones

    # Reported done: off the list. An action completed: its milestones too.
    period = period_open(plan=swale, year=2019, quarter=3, deadline=date(2020, 1, 15))
    action_update_save(
        user=csu_officer,
        action=festival.action,
        period=period,
        status="on_track",
        commentary="",
        next_steps="",
        milestones=[MilestoneReport(festival, True, date(2019, 10, 31))],
        submit=False,
        expected_version=None,
        today=today,
    )
    still_listed = listed(reader_client.get(URL))
    assert festival not in still_listed
    other = next(m for m in still_listed if m.action.priority.plan_id == swale.pk)
    Action.objects.filter(pk=other.action_id).update(completed_in=period)
    assert other not in listed(reader_client.get(URL))


def test_filters_and_csv(reader_client, swale, today):
    csu = Agency.objects.get(name="Swale Community Safety Unit")
    response = reader_client.get(URL, {"plan": swale.pk, "lead_agency": csu.pk, "when": "overdue"})
    milestones = listed(response)
    assert milestones
    for milestone in milestones:
        action = milestone.action
        assert action.priority.plan == swale
        assert csu.pk in (action.lead_agency_id, action.priority.lead_agency_id)
        assert milestone.due_date < today
    assert listed(reader_client.get(URL, {"plan": swale.pk, "when": "due"})) == [
        m for m in listed(reader_client.get(URL, {"plan": swale.pk})) if m.due_date >= today
    ]
    assert listed(reader_client.get(URL, {"q": "Fusion"}))[0].text == "Swale Fusion Festival"

    response = reader_client.get(URL, {"plan": swale.pk, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0] == "Due,Status,Milestone,Action,Plan,Lead"
    assert any("Swale Fusion Festival" in line and "Overdue" in line for line in lines[1:])


def test_an_unknown_filter_value_is_an_error_not_a_500(reader_client, seeded, today):
    response = reader_client.get(URL, {"when": "someday"})
    assert response.status_code == 200
    assert "<title>Error: Milestones due" in response.content.decode()


def test_milestones_is_in_the_navigation_and_linked_from_my_updates(client, csu_officer, swale):
    period_open(plan=swale, year=2019, quarter=3, deadline=date(2099, 1, 15))
    client.force_login(csu_officer)
    html = client.get("/my-updates/").content.decode()
    assert f'href="{URL}">Milestones</a>' in html
    assert f'href="{URL}?plan={swale.pk}">Milestones due' in html


# --- Signing in lands officers on their work --------------------------------------------------


def sign_in(client, username: str, next_url: str | None = None):
    url = reverse("login") + (f"?next={next_url}" if next_url is not None else "")
    return client.post(url, {"username": username, "password": PASSWORD})


def test_an_officer_with_work_due_lands_on_my_updates(client, csu_officer, swale):
    period_open(plan=swale, year=2019, quarter=3, deadline=date(2099, 1, 15))
    assert sign_in(client, "csu-officer")["Location"] == "/my-updates/"
    client.logout()
    assert sign_in(client, "csu-officer", "/")["Location"] == "/my-updates/"
    client.logout()
    # Heading somewhere in particular: taken there.
    assert sign_in(client, "csu-officer", "/actions/")["Location"] == "/actions/"
    client.logout()
    # An unsafe next= is ignored.
    assert sign_in(client, "csu-officer", "https://evil.example/")["Location"] == "/my-updates/"


def test_others_land_on_the_home_page(client, csu_officer, seg_member, swale):
    # No quarter open: nothing due.
    assert sign_in(client, "csu-officer")["Location"] == "/"
    client.logout()
    period_open(plan=swale, year=2019, quarter=3, deadline=date(2099, 1, 15))
    assert sign_in(client, "seg-member")["Location"] == "/"


@pytest.mark.parametrize("size", ["seeds", "large"])
@pytest.mark.parametrize("query", ["", "?when=overdue&q=milestone", "?export=csv"])
def test_query_budget_holds_at_two_sizes(
    request, reader_client, seeded, today, size, query, django_assert_max_num_queries
):
    if size == "large":
        partnership = request.getfixturevalue("large_data")
        # The synthetic milestones have no dates: give them some, overdue and due.
        synthetic = Milestone.objects.filter(action__priority__plan__partnership=partnership)
        synthetic.filter(order=1).update(due_date=date(2019, 6, 30))
        synthetic.exclude(order=1).update(due_date=date(2019, 12, 1))
    with django_assert_max_num_queries(11):
        response = reader_client.get(URL + query)
        response.getvalue()  # a CSV download streams: its rows are read as it is sent
    assert response.status_code == 200
    if size == "large" and not query:
        assert response.context["table"].paginator.count > 3 * 90
