"""My updates: what an officer still has to report in the open quarters, with its status."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse

from indicators.models import Indicator
from indicators.services import ValueEntry, indicator_value_save
from plans.models import Agency, Membership, Partnership, Plan, ReportingPeriod
from plans.services import period_close, period_open
from priorities.models import Action, ActionUpdate, Priority
from priorities.services import action_update_save
from tests.conftest import MEDWAY, SWALE, member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/my-updates/"
BEFORE_DEADLINE = date(2019, 10, 1)
AFTER_DEADLINE = date(2019, 10, 20)


def stub_form_urls():
    """Until the update forms are merged, stand in for their URL names."""
    from django.http import HttpResponse
    from django.urls import include, path

    import csp_tracker.urls
    import indicators.urls
    import priorities.urls

    def stub(request, **kwargs):
        return HttpResponse("stub")

    extra = {
        "priorities": [path("stub/a/<int:pk>/<int:period_pk>/", stub, name="action_update")],
        "indicators": [
            path("stub/i/<int:pk>/<int:period_pk>/", stub, name="indicator_value"),
            path("stub/b/<int:plan_pk>/<int:period_pk>/", stub, name="bulk_values"),
        ],
    }
    real = {"priorities": priorities.urls.urlpatterns, "indicators": indicators.urls.urlpatterns}
    patterns = [p for p in csp_tracker.urls.urlpatterns if getattr(p, "namespace", "") not in real]
    for name, own in real.items():
        patterns.append(path("", include((own + extra[name], name))))

    class Urls:
        urlpatterns = patterns

    return Urls


@pytest.fixture(autouse=True)
def form_urls(settings):
    try:
        reverse("priorities:action_update", args=[1, 1])
        reverse("indicators:indicator_value", args=[1, 1])
        reverse("indicators:bulk_values", kwargs={"plan_pk": 1, "period_pk": 1})
    except NoReverseMatch:
        settings.ROOT_URLCONF = stub_form_urls()


@pytest.fixture
def today(monkeypatch):
    """Set the day the page is read on (by default, before the Q2 deadline)."""

    def set_today(day: date) -> None:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: day)

    set_today(BEFORE_DEADLINE)
    return set_today


@pytest.fixture
def swale(seeded) -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


@pytest.fixture
def q2(swale) -> ReportingPeriod:
    return period_open(plan=swale, year=2019, quarter=2, deadline=date(2019, 10, 15))


def csu_actions(plan: Plan) -> list[Action]:
    csu = Agency.objects.get(name="Swale Community Safety Unit")
    return list(Action.objects.filter(priority__plan=plan).led_by(csu))


def items(response) -> list:
    return [item for g in response.context["groups"] for item in g.actions + g.indicators]


def row(html: str, row_id: str) -> str:
    """One task-list item of the page."""
    start = html.index(f'id="{row_id}"')
    return html[start : html.index("</li>", start)]


def status(html: str, row_id: str) -> str:
    """The item's status as the task list shows it (a tag's word, or plain text)."""
    item = row(html, row_id)
    start = item.index(f'id="{row_id}-status">') + len(f'id="{row_id}-status">')
    text = item[start : item.index("</div>", start)]
    return re.sub(r"<[^>]+>", "", text).strip()


def save(user, action, period, *, submit: bool, today: date) -> ActionUpdate:
    return action_update_save(
        user=user,
        action=action,
        period=period,
        status=ActionUpdate.Status.ON_TRACK,
        commentary="Going well",
        next_steps="Keep going",
        milestones=[],
        submit=submit,
        expected_version=None,
        today=today,
    )


def test_officer_sees_exactly_their_agencys_actions(client, csu_officer, q2, swale, today):
    client.force_login(csu_officer)
    response = client.get(URL)
    html = response.content.decode()
    expected = csu_actions(swale)
    assert len(expected) == 13
    assert {i.obj.pk for i in items(response)} == {a.pk for a in expected}
    assert "13 to do, 0 drafts, 0 submitted" in html
    assert "Swale Community Safety Plan 2019/20: 2019/20 Q2" in html
    assert "Due by 15 October 2019" in html and "overdue" not in html.lower()
    for action in expected:
        assert reverse("priorities:action_update", args=[action.pk, q2.pk]) in html
        assert status(html, f"action-{action.pk}-period-{q2.pk}") == "To do"
    assert 'class="govuk-task-list"' in html
    # Kent Police report the Swale indicators; none of them is the CSU's.
    police = Indicator.objects.filter(plan=swale, agency__name="Kent Police").first()
    assert police.title not in html


def test_police_officer_sees_their_indicators_and_the_bulk_page(
    client, police_officer, q2, swale, today
):
    client.force_login(police_officer)
    response = client.get(URL)
    html = response.content.decode()
    police = [
        i
        for i in Indicator.objects.filter(plan=swale, agency__name="Kent Police")
        if i.is_due_in(q2.quarter)
    ]
    assert {i.obj.pk for i in items(response)} == {i.pk for i in police}
    assert reverse("indicators:indicator_value", args=[police[0].pk, q2.pk]) in html
    bulk = reverse("indicators:bulk_values", kwargs={"plan_pk": swale.pk, "period_pk": q2.pk})
    assert bulk in html
    assert not any(a.title[:40] in html for a in csu_actions(swale))

    indicator_value_save(
        user=police_officer,
        period=q2,
        entry=ValueEntry(indicator=police[0], value=Decimal(7), not_available=False),
        today=BEFORE_DEADLINE,
    )
    html = client.get(URL).content.decode()
    assert status(html, f"indicator-{police[0].pk}-period-{q2.pk}") == "Submitted"
    assert f"{len(police) - 1} to do, 0 drafts, 1 submitted" in html


def test_statuses_follow_the_updates(client, csu_officer, q2, swale, today):
    draft, on_time, late, untouched = csu_actions(swale)[:4]
    save(csu_officer, draft, q2, submit=False, today=BEFORE_DEADLINE)
    save(csu_officer, on_time, q2, submit=True, today=BEFORE_DEADLINE)
    save(csu_officer, late, q2, submit=True, today=AFTER_DEADLINE)

    client.force_login(csu_officer)
    html = client.get(URL).content.decode()
    assert status(html, f"action-{draft.pk}-period-{q2.pk}") == "Draft"
    assert status(html, f"action-{on_time.pk}-period-{q2.pk}") == "Submitted"
    assert status(html, f"action-{late.pk}-period-{q2.pk}") == "Submitted (late)"
    assert status(html, f"action-{untouched.pk}-period-{q2.pk}") == "To do"
    # Unfinished items carry a tag; finished ones read as plain text (the GOV.UK task list).
    assert 'govuk-tag--light-blue">Draft</strong>' in row(html, f"action-{draft.pk}-period-{q2.pk}")
    assert "govuk-tag" not in row(html, f"action-{on_time.pk}-period-{q2.pk}")
    assert "10 to do, 1 draft, 2 submitted" in html


def test_overdue_once_the_deadline_has_passed(client, csu_officer, q2, swale, today):
    draft, done = csu_actions(swale)[:2]
    save(csu_officer, draft, q2, submit=False, today=BEFORE_DEADLINE)
    save(csu_officer, done, q2, submit=True, today=BEFORE_DEADLINE)
    today(AFTER_DEADLINE)
    client.force_login(csu_officer)
    html = client.get(URL).content.decode()
    assert "Due by 15 October 2019, <strong>overdue</strong>" in html
    assert "(12 overdue)" in html
    assert "<strong>Overdue.</strong>" in row(html, f"action-{draft.pk}-period-{q2.pk}")
    assert "Overdue" not in row(html, f"action-{done.pk}-period-{q2.pk}")
    untouched = csu_actions(swale)[5]
    assert "<strong>Overdue.</strong>" in row(html, f"action-{untouched.pk}-period-{q2.pk}")


def test_closed_quarters_drop_off(client, csu_officer, q2, today):
    period_close(period=q2)
    client.force_login(csu_officer)
    html = client.get(URL).content.decode()
    assert "You have nothing to report" in html


@pytest.fixture
def two_plan_admin(seeded, swale, q2):
    """An admin of both partnerships, with Q2 open in Swale and Q1 in Medway's 2024–25 plan."""
    user = member("double-admin", SWALE, Membership.Role.ADMIN)
    Membership.objects.create(
        user=user, partnership=Partnership.objects.get(name=MEDWAY), role=Membership.Role.ADMIN
    )
    medway = Plan.objects.get(title="Action Plan 2024-25")
    period_open(plan=medway, year=2024, quarter=1, deadline=date(2024, 7, 15))
    return user


def test_filter_by_plan_and_priority(client, two_plan_admin, swale, q2, today):
    client.force_login(two_plan_admin)
    response = client.get(URL)
    html = response.content.decode()
    medway = Plan.objects.get(title="Action Plan 2024-25")
    assert len(response.context["groups"]) == 2
    assert '<label class="govuk-label govuk-label--s" for="id_plan">Plan</label>' in html
    assert 'for="id_priority">Priority or theme</label>' in html
    assert 'class="govuk-select"' in html

    response = client.get(URL, {"plan": swale.pk})
    groups = response.context["groups"]
    assert [g.period for g in groups] == [q2]
    assert len(items(response)) == 33 + 25
    assert "Clear filters" in response.content.decode()

    priority = Priority.objects.get(plan=swale, ref="2")
    response = client.get(URL, {"priority": priority.pk})
    assert {i.obj.priority_id for i in items(response)} == {priority.pk}
    assert len([i for i in items(response) if isinstance(i.obj, Action)]) == (
        priority.actions.count()
    )

    response = client.get(URL, {"plan": medway.pk, "priority": priority.pk})
    assert "Nothing matches these filters" in response.content.decode()


def test_an_unknown_filter_value_shows_an_error(client, csu_officer, q2, today):
    client.force_login(csu_officer)
    html = client.get(URL, {"plan": "99999"}).content.decode()
    assert "<title>Error: My updates" in html
    assert 'href="#id_plan"' in html
    assert "13 to do" in html  # the bad filter is ignored


def test_a_delegated_action_appears_for_its_delegate(client, police_officer, q2, swale, today):
    action = csu_actions(swale)[0]
    action.delegates.add(police_officer)
    client.force_login(police_officer)
    response = client.get(URL)
    assert action.pk in {i.obj.pk for i in items(response)}
    assert reverse("priorities:action_update", args=[action.pk, q2.pk]) in (
        response.content.decode()
    )


def test_outsider_sees_nothing_of_swale(client, outsider, csu_officer, q2, swale, today):
    save(csu_officer, csu_actions(swale)[0], q2, submit=True, today=BEFORE_DEADLINE)
    client.force_login(outsider)
    response = client.get(URL)
    html = response.content.decode()
    assert response.context["groups"] == []
    assert "Swale" not in html
    assert "You have nothing to report" in html


def test_seg_members_have_nothing_to_report(client, seg_member, q2, today):
    client.force_login(seg_member)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "You have nothing to report" in html
    assert 'href="/my-updates/"' not in html  # no navigation link for readers


def test_navigation_offers_my_updates_to_those_who_report(client, csu_officer, swale_admin):
    for user in (csu_officer, swale_admin, UserFactory(username="root", is_superuser=True)):
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        assert f'href="{URL}"' in html and "My updates" in html
    client.force_login(csu_officer)
    html = client.get(URL).content.decode()
    assert (
        'aria-current="true"><strong class="govuk-service-navigation__active-fallback">My updates'
        in html
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, seeded):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Query budget ----------------------------------------------------------------------------


@pytest.fixture
def synthetic_work(large_data, swale_admin):
    """The Swale admin also administers the synthetic partnership, whose three plans each
    have an open quarter (with some updates and values) and a closed one."""
    Membership.objects.create(user=swale_admin, partnership=large_data, role="admin")
    for plan in large_data.plans.all():
        year = plan.start_year
        period = period_open(plan=plan, year=year, quarter=1, deadline=date(year, 7, 15))
        closed = period_open(plan=plan, year=year, quarter=2, deadline=date(year, 10, 1))
        period_close(period=closed)
        for action in Action.objects.filter(priority__plan=plan)[:30]:
            save(swale_admin, action, period, submit=True, today=BEFORE_DEADLINE)
        for indicator in plan.indicators.all()[:10]:
            indicator_value_save(
                user=swale_admin,
                period=period,
                entry=ValueEntry(indicator=indicator, value=Decimal(1), not_available=False),
            )


@pytest.mark.parametrize("size", ["seeds", "large"])
@pytest.mark.parametrize("query", ["", "?plan={plan}&priority={priority}"])
def test_query_budget_holds_at_two_sizes(
    request, client, swale_admin, q2, swale, django_assert_max_num_queries, size, query, today
):
    if size == "large":
        request.getfixturevalue("synthetic_work")
    priority = Priority.objects.filter(plan=swale).first()
    client.force_login(swale_admin)
    with django_assert_max_num_queries(14):  # +1: questions awaiting an answer
        response = client.get(URL + query.format(plan=swale.pk, priority=priority.pk))
    assert response.status_code == 200
    rows = len(items(response))
    if size == "large" and not query:
        assert rows == 33 + 25 + 3 * (90 + 48)
