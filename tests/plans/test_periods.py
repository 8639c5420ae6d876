"""Reporting quarters: admins open and close them, everyone in the partnership follows them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator
from indicators.services import ValueEntry, indicator_value_save
from plans.models import Agency, Membership, Plan, ReportingPeriod
from plans.services import period_open
from priorities.models import Action, ActionUpdate
from priorities.services import action_update_save
from tests.conftest import member

pytestmark = pytest.mark.django_db

SWALE_PLAN = "Swale Community Safety Plan 2019/20"


@pytest.fixture
def swale(seeded) -> Plan:
    return Plan.objects.get(title=SWALE_PLAN)


@pytest.fixture
def q2(swale) -> ReportingPeriod:
    return period_open(plan=swale, year=2019, quarter=2, deadline=date(2019, 10, 15))


def list_url(plan: Plan) -> str:
    return reverse("plans:period_list", args=[plan.pk])


def open_url(plan: Plan, year: int = 2019, quarter: int = 2) -> str:
    return reverse("plans:period_open", args=[plan.pk]) + f"?year={year}&quarter={quarter}"


def deadline(day: str, month: str, year: str) -> dict[str, str]:
    return {"deadline-day": day, "deadline-month": month, "deadline-year": year}


def row(html: str, row_id: str) -> str:
    """The HTML of one table row, by its id."""
    start = html.index(f'id="{row_id}"')
    return html[start : html.index("</tr>", start)]


# --- The list of quarters ------------------------------------------------------------------


def test_every_quarter_of_the_plan_is_listed_with_its_status(client, seg_member, swale, q2):
    client.force_login(seg_member)
    html = client.get(list_url(swale)).content.decode()
    for quarter in (1, 2, 3, 4):
        assert f"2019/20 Q{quarter}" in html
    assert "Not opened" in row(html, "quarter-2019-1")
    assert "Open" in row(html, "quarter-2019-2") and "15 October 2019" in row(
        html, "quarter-2019-2"
    )
    assert "July 2019 to September 2019" in row(html, "quarter-2019-2")
    assert "January 2020 to March 2020" in row(html, "quarter-2019-4")
    assert "period_open" not in html and "/quarters/open/" not in html  # SEG can't open


def test_a_longer_plan_lists_the_quarters_of_every_year(client, reader, seeded):
    plan = Plan.objects.get(title__startswith="Community Safety Partnership Action Plan 2016")
    client.force_login(reader)
    quarters = client.get(list_url(plan)).context["quarters"]
    assert len(quarters) == 16
    assert quarters[0].label == "2016/17 Q1" and quarters[-1].label == "2019/20 Q4"


def test_plan_page_links_to_its_reporting_quarters(client, seg_member, swale):
    client.force_login(seg_member)
    html = client.get(swale.get_absolute_url()).content.decode()
    assert f'href="{list_url(swale)}"' in html and "Reporting quarters" in html


def test_admin_sees_open_buttons(client, swale_admin, swale, q2):
    client.force_login(swale_admin)
    html = client.get(list_url(swale)).content.decode()
    assert open_url(swale, 2019, 1).replace("&", "&amp;") in row(html, "quarter-2019-1")
    assert "Change deadline" in row(html, "quarter-2019-2")


# --- Opening a quarter ---------------------------------------------------------------------


def test_admin_opens_a_quarter_with_a_deadline(client, swale_admin, swale):
    client.force_login(swale_admin)
    form = client.get(open_url(swale))
    assert form.status_code == 200
    html = form.content.decode()
    assert "Open 2019/20 Q2 for updates" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'id="id_deadline"' in html and 'name="deadline-day"' in html
    assert 'value="15"' in html and 'value="10"' in html  # suggested: a fortnight after

    response = client.post(open_url(swale), deadline("15", "10", "2019"), follow=True)
    period = ReportingPeriod.objects.get(plan=swale, year=2019, quarter=2)
    assert period.deadline == date(2019, 10, 15) and period.is_open
    html = response.content.decode()
    assert "2019/20 Q2 is open for updates until 15 October 2019." in html
    assert "Open" in row(html, "quarter-2019-2") and "15 October 2019" in row(
        html, "quarter-2019-2"
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("", "", ""), "Enter the deadline"),
        (("15", "", "2019"), "Deadline must include a month"),
        (("31", "2", "2019"), "Deadline must be a real date"),
        (("15", "10", "19"), "Year must include 4 numbers"),
        (("ab", "10", "2019"), "Deadline must be a real date"),
        (("30", "6", "2019"), "The deadline must be on or after the quarter starts, 1 July 2019"),
    ],
)
def test_invalid_deadlines_are_refused_with_an_error(client, swale_admin, swale, typed, message):
    client.force_login(swale_admin)
    response = client.post(open_url(swale), deadline(*typed))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "There is a problem" in html and 'href="#id_deadline"' in html
    assert message in html
    assert (
        'class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error"'
        in html
    )
    assert f'value="{typed[0]}"' in html  # what was typed is kept
    assert not ReportingPeriod.objects.filter(plan=swale).exists()


@pytest.mark.parametrize(
    "query", ["year=2021&quarter=1", "year=2018&quarter=4", "year=2019&quarter=5", "year=x"]
)
def test_a_quarter_outside_the_plan_is_refused(client, swale_admin, swale, query):
    client.force_login(swale_admin)
    url = reverse("plans:period_open", args=[swale.pk]) + "?" + query
    response = client.post(url, deadline("15", "10", "2019"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == list_url(swale)
    assert "runs from 2019/20: pick a quarter inside it." in html
    assert not ReportingPeriod.objects.exists()


def test_admin_changes_the_deadline_of_an_open_quarter(client, swale_admin, swale, q2):
    client.force_login(swale_admin)
    html = client.get(open_url(swale)).content.decode()
    assert "Change the deadline of 2019/20 Q2" in html
    client.post(open_url(swale), deadline("31", "10", "2019"))
    q2.refresh_from_db()
    assert q2.deadline == date(2019, 10, 31)
    assert ReportingPeriod.objects.filter(plan=swale).count() == 1


# --- Closing a quarter ---------------------------------------------------------------------


def test_admin_closes_and_reopens_a_quarter(client, swale_admin, swale, q2):
    client.force_login(swale_admin)
    detail = client.get(q2.get_absolute_url()).content.decode()
    assert "Close this quarter" in detail
    close = reverse("plans:period_close", args=[q2.pk])
    assert client.get(close).status_code == 405
    response = client.post(close, follow=True)
    assert response.redirect_chain[-1][0] == q2.get_absolute_url()
    assert "2019/20 Q2 is closed" in response.content.decode()
    q2.refresh_from_db()
    assert not q2.is_open and q2.closed_at is not None
    html = client.get(list_url(swale)).content.decode()
    assert "Closed" in row(html, "quarter-2019-2") and "Re-open" in row(html, "quarter-2019-2")

    client.post(open_url(swale), deadline("1", "11", "2019"))
    q2.refresh_from_db()
    assert q2.is_open and q2.deadline == date(2019, 11, 1)


# --- Who may do what -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["csu_officer", "police_officer", "seg_member"])
def test_officers_and_seg_may_not_open_or_close(request, client, swale, q2, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(list_url(swale)).status_code == 200
    assert client.get(q2.get_absolute_url()).status_code == 200
    assert "Close this quarter" not in client.get(q2.get_absolute_url()).content.decode()
    assert client.get(open_url(swale, 2019, 3)).status_code == 403
    assert client.post(open_url(swale, 2019, 3), deadline("15", "1", "2020")).status_code == 403
    assert client.post(reverse("plans:period_close", args=[q2.pk])).status_code == 403
    assert ReportingPeriod.objects.filter(plan=swale).count() == 1
    q2.refresh_from_db()
    assert q2.is_open


def test_other_partnerships_see_nothing(client, outsider, swale, q2):
    client.force_login(outsider)
    assert client.get(list_url(swale)).status_code == 404
    assert client.get(q2.get_absolute_url()).status_code == 404
    assert client.get(open_url(swale)).status_code == 404
    assert client.post(open_url(swale, 2019, 3), deadline("15", "1", "2020")).status_code == 404
    assert client.post(reverse("plans:period_close", args=[q2.pk])).status_code == 404
    q2.refresh_from_db()
    assert q2.is_open


def test_outsider_admin_runs_their_own_partnership(client, outsider, seeded):
    plan = Plan.objects.get(title="Action Plan 2024-25")
    client.force_login(outsider)
    client.post(open_url(plan, 2024, 1), deadline("15", "7", "2024"))
    assert ReportingPeriod.objects.filter(plan=plan, year=2024, quarter=1).exists()


def test_superuser_may_open_anywhere(client, swale):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    client.post(open_url(swale), deadline("15", "10", "2019"))
    assert ReportingPeriod.objects.filter(plan=swale).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, swale, q2):
    login = reverse("login")
    for url in (list_url(swale), q2.get_absolute_url(), open_url(swale)):
        assert client.get(url)["Location"].startswith(login)
    for url in (open_url(swale), reverse("plans:period_close", args=[q2.pk])):
        assert client.post(url)["Location"].startswith(login)
    q2.refresh_from_db()
    assert q2.is_open


# --- The quarter's page: progress and what is missing --------------------------------------


def submit(user, action: Action, period: ReportingPeriod, *, today: date, submit: bool = True):
    return action_update_save(
        user=user,
        action=action,
        period=period,
        status=ActionUpdate.Status.ON_TRACK,
        commentary="Going well",
        next_steps="",
        milestones=[],
        submit=submit,
        expected_version=None,
        today=today,
    )


def test_period_page_shows_progress_and_what_each_agency_still_owes(
    client, seg_member, csu_officer, police_officer, swale, q2
):
    csu = Agency.objects.get(name="Swale Community Safety Unit")
    police = Agency.objects.get(name="Kent Police")
    csu_actions = list(Action.objects.filter(priority__plan=swale).led_by(csu))
    submit(csu_officer, csu_actions[0], q2, today=date(2019, 10, 1))
    submit(csu_officer, csu_actions[1], q2, today=date(2019, 10, 20))  # late
    submit(csu_officer, csu_actions[2], q2, today=date(2019, 10, 1), submit=False)  # draft
    police_indicators = list(Indicator.objects.filter(plan=swale, agency=police))
    indicator_value_save(
        user=police_officer,
        period=q2,
        entry=ValueEntry(indicator=police_indicators[0], value=Decimal(12), not_available=False),
    )

    client.force_login(seg_member)
    html = client.get(q2.get_absolute_url()).content.decode()
    assert "2019/20 Q2" in html and "15 October 2019" in html
    assert "2 of 33 submitted (1 late); 3 updated, including drafts" in html
    assert "1 of 25 entered" in html
    csu_row = row(html, f"gap-{csu.pk}")
    assert f"{len(csu_actions) - 2} actions" in csu_row
    assert csu_actions[0].get_absolute_url() not in csu_row
    assert csu_actions[2].get_absolute_url() in csu_row and "Draft" in csu_row
    police_row = row(html, f"gap-{police.pk}")
    assert f"{len(police_indicators) - 1} indicators" in police_row
    assert police_indicators[0].get_absolute_url() not in police_row
    assert police_indicators[1].get_absolute_url() in police_row


# --- Query budgets -------------------------------------------------------------------------


@pytest.fixture
def big_plan(large_data) -> Plan:
    """A synthetic plan (90 actions, 48 indicators) with two opened quarters and updates."""
    plan = large_data.plans.first()
    admin = member("synthetic-admin", large_data.name, Membership.Role.ADMIN)
    first = period_open(plan=plan, year=plan.start_year, quarter=1, deadline=date(2030, 7, 15))
    period_open(plan=plan, year=plan.start_year, quarter=2, deadline=date(2030, 10, 15))
    for action in Action.objects.filter(priority__plan=plan)[:40]:
        submit(admin, action, first, today=date(2030, 7, 1))
    for indicator in plan.indicators.all()[:20]:
        indicator_value_save(
            user=admin,
            period=first,
            entry=ValueEntry(indicator=indicator, value=Decimal(3), not_available=False),
        )
    return plan


@pytest.mark.parametrize("size", ["small", "large"])
def test_query_budgets_hold_at_two_sizes(
    request, client, reader, django_assert_max_num_queries, size
):
    if size == "large":
        plan = request.getfixturevalue("big_plan")
    else:
        plan = Plan.objects.get(title=SWALE_PLAN)
        period_open(plan=plan, year=2019, quarter=1, deadline=date(2019, 7, 15))
    period = plan.periods.first()
    client.force_login(reader)
    with django_assert_max_num_queries(6):
        assert client.get(list_url(plan)).status_code == 200
    with django_assert_max_num_queries(7):
        response = client.get(period.get_absolute_url())
    assert response.status_code == 200
    if size == "large":
        assert "40 of 90 submitted" in response.content.decode()
