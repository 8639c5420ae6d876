"""Every page: shown to a signed-in user, closed to anonymous visitors, and held to a query
budget that does not grow with the number of rows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from indicators.models import Indicator
from plans.models import Agency, Plan
from priorities.models import Action

pytestmark = pytest.mark.django_db


def page_urls() -> dict[str, str]:
    """One URL for every page, pointing at the biggest seed rows."""
    swale = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    action = Action.objects.get(priority__plan=swale, ref="6.1")
    return {
        "home": reverse("home"),
        "partnership": swale.partnership.get_absolute_url(),
        "plan": swale.get_absolute_url(),
        "action": action.get_absolute_url(),
        "indicator": Indicator.objects.filter(plan=swale).first().get_absolute_url(),
        "agency_list": reverse("plans:agency_list"),
        "agency": Agency.objects.get(name="Kent Police").get_absolute_url(),
        "action_list": reverse("priorities:action_list"),
        "action_list_filtered": reverse("priorities:action_list") + f"?plan={swale.pk}&q=CSU",
        "action_csv": reverse("priorities:action_list") + "?export=csv",
        "indicator_list": reverse("indicators:indicator_list"),
        "indicator_csv": reverse("indicators:indicator_list") + "?export=csv",
        "milestones": reverse("priorities:milestone_list"),
        "milestones_filtered": reverse("priorities:milestone_list")
        + f"?plan={swale.pk}&when=overdue&q=review",
        "milestones_csv": reverse("priorities:milestone_list") + "?export=csv",
    }


# Queries each page may make, whatever the size of the data: session, user and memberships,
# then a fixed number of queries for the page itself.
BUDGETS = {
    "home": 7,
    "partnership": 7,
    # plan: +3 for what indicators measure (actions, objectives) and what measures the
    # actions and objectives, +2 when indicators outside any priority measure something;
    # +2 for the funding summary and the previous year's results, +2 for the groups the
    # indicators (under a priority, and outside any) are reported to.
    "plan": 25,
    # +2 each: the milestones' supporting agencies, the indicators measuring it (action), the
    # actions and objectives it measures (indicator); +3 each: the questions and evidence panel.
    # +1: its funding lines.
    "action": 16,
    "indicator": 13,
    "agency_list": 6,
    "agency": 10,
    "action_list": 11,
    "action_list_filtered": 13,
    "action_csv": 8,
    "indicator_list": 12,
    "indicator_csv": 8,
    "milestones": 11,
    "milestones_filtered": 13,
    "milestones_csv": 8,
}


@pytest.mark.parametrize("name", BUDGETS)
def test_anonymous_visitors_are_sent_to_sign_in(client, seeded, name):
    url = page_urls()[name]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("size", ["seeds", "large_data"])
@pytest.mark.parametrize("name", BUDGETS)
def test_query_budget_holds_at_two_sizes(
    request, reader_client, django_assert_max_num_queries, name, size
):
    request.getfixturevalue(size)
    url = page_urls()[name]
    with django_assert_max_num_queries(BUDGETS[name]):
        response = reader_client.get(url)
        response.getvalue()  # a CSV download streams: its rows are read as it is sent
    assert response.status_code == 200


@pytest.fixture
def seeds(seeded):
    return None


def test_home_lists_partnerships_and_their_plans(reader_client, seeded):
    response = reader_client.get(reverse("home"))
    html = response.content.decode()
    assert "Medway Community Safety Partnership" in html
    assert "Swale Community Safety Partnership" in html
    for plan in Plan.objects.all():
        assert plan.title in html
    assert "2016/17–2019/20" in html
    # The Swale plan's counts: 6 priorities and themes, 33 actions, 25 indicators.
    swale = response.context["partnerships"][1].plans.all()[0]
    assert (swale.priority_count, swale.action_count, swale.indicator_count) == (6, 33, 25)


def test_plan_page_reads_like_the_source_document(reader_client, seeded):
    swale = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    response = reader_client.get(swale.get_absolute_url())
    html = response.content.decode()
    assert "Contents" in html
    for priority in swale.priorities.all():
        assert f'href="#priority-{priority.pk}"' in html
        assert f'id="priority-{priority.pk}"' in html
    assert html.count("Cross-cutting theme</strong>") == 2
    assert "Strategic oversight of VAWG issues in Swale achieved" in html  # desired outcome
    assert "Swale Fusion Festival – <strong>October 19</strong>" in html  # milestone + timescale
    assert "KSS CRC/ Kent Police/NPS" in html  # lead as written
    assert "Number of reported Incidents of Domestic Abuse" in html  # indicator
    assert "3 × 3 = 9" in html and "Risk managed" in html  # risk register with scores
    assert "31 March 2020" in html  # the period's end, as the plans write dates


def test_plan_page_table_boxes_scroll_by_keyboard_and_are_named(reader_client, seeded):
    swale = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    html = reader_client.get(swale.get_absolute_url()).content.decode()
    assert '<div class="app-table-wrap">' not in html
    priority = swale.priorities.filter(indicators__isnull=False).first()
    label = f"Indicators: {escape(priority.title)}"
    assert f'<div class="app-table-wrap" role="region" aria-label="{label}" tabindex="0">' in html


def test_every_table_scroll_box_is_a_named_region_reached_by_keyboard():
    """The shared pattern of static/css/app.css, so keyboard users can scroll wide tables."""
    unnamed = []
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(folder).rglob("*.html"):
            for box in re.findall(r"<div[^>]*app-table-wrap[^>]*>", path.read_text()):
                if not all(
                    part in box for part in ('role="region"', "aria-label=", 'tabindex="0"')
                ):
                    unnamed.append(f"{path.name}: {box}")
    assert unnamed == []


def test_plan_page_shows_objectives_aims_footnotes_and_theme_leads(reader_client, seeded):
    refresh = Plan.objects.get(title__startswith="Community Safety Partnership Action Plan 2016")
    html = reader_client.get(refresh.get_absolute_url()).content.decode()
    assert "1) Tackling ASB" in html
    assert "Medway Council (Public Health)" in html
    assert "Directorate Plan 2019/20" in html  # footnote kept with its row
    assert "Op Encompass to be rolled out and embedded in Medway." in html


def test_plan_page_links_parent_and_children(reader_client, seeded):
    csp = Plan.objects.get(title="Community Safety Plan 2013–2016")
    html = reader_client.get(csp.get_absolute_url()).content.decode()
    assert "Delivered through" in html and "Action Plan 2015 – 2016" in html
    child = Plan.objects.get(title="Action Plan 2015 – 2016")
    html = reader_client.get(child.get_absolute_url()).content.decode()
    assert "Read with" in html and csp.get_absolute_url() in html


def test_action_page_shows_milestones_with_due_dates_and_supporters(reader_client, seeded):
    action = Action.objects.get(priority__plan__title__startswith="Swale", ref="2.2")
    html = reader_client.get(action.get_absolute_url()).content.decode()
    assert "Continue partnership response to High Harm crime" in html
    assert "Swale Fusion Festival" in html and "31 October 2019" in html
    assert "As required" in html
    iom = Action.objects.get(priority__plan__title__startswith="Swale", ref="6.1")
    html = reader_client.get(iom.get_absolute_url()).content.decode()
    assert "Supporting" in html and "National Probation Service" in html


def test_indicator_page_shows_target_due_date_owner_and_group(reader_client, seeded):
    indicator = Indicator.objects.get(ref="NI111", plan__title="Action Plan 2013 – 2016")
    html = reader_client.get(indicator.get_absolute_url()).content.decode()
    assert "5% (&lt; 275 young people)" in html
    assert "31 March 2014" in html
    assert "Integrated Prevention Team Manager" in html
    swale = Indicator.objects.get(title="Number of doorstep crime cases")
    html = reader_client.get(swale.get_absolute_url()).content.decode()
    assert "Project and Performance Group" in html
    assert "written as “KCC Trading Standards”" in html


def test_agency_page_lists_everything_it_leads_across_plans(reader_client, seeded):
    police = Agency.objects.get(name="Kent Police")
    response = reader_client.get(police.get_absolute_url())
    html = response.content.decode()
    assert "Supporting Victims and Tackling Offenders of Sexual and Domestic Abuse" in html
    # The theme's aims count as led by Kent Police, as do actions it leads itself.
    assert "Op Encompass to be rolled out and embedded in Medway." in html
    assert "Number of reported Incidents of Domestic Abuse" in html
    plan_titles = {i.plan.title for i in response.context["indicators"]}
    assert {"Swale Community Safety Plan 2019/20", "Action Plan 2013 – 2016"} <= plan_titles
    supported = {a.ref for a in response.context["supported_actions"]}
    assert {"2.3", "6.1"} <= supported


def test_agency_list_counts_what_each_leads(reader_client, seeded):
    response = reader_client.get(reverse("plans:agency_list"))
    csu = next(a for a in response.context["agencies"] if a.short_name == "Swale CSU")
    assert csu.action_count == Action.objects.filter(lead_agency=csu).count() > 0


@pytest.mark.parametrize(
    "url",
    ["/plans/99999/", "/actions/99999/", "/indicators/99999/", "/agencies/99999/",
     "/partnerships/99999/"],
)  # fmt: skip
def test_missing_things_are_404_not_500(reader_client, seeded, url):
    assert reader_client.get(url).status_code == 404


def test_sign_in_with_wrong_password_shows_error_summary(client, reader):
    response = client.post(reverse("login"), {"username": "reader", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_username"' in html
    assert "<title>Error: Sign in" in html


def test_sign_in_and_out(client, reader):
    response = client.post(
        reverse("login"), {"username": "reader", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_plan_page_shows_admins_the_audit_trail(client, swale_admin, reader):
    swale = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    swale.summary = "A corrected summary."
    swale.save()
    client.force_login(swale_admin)
    html = client.get(swale.get_absolute_url()).content.decode()
    assert "Audit trail (1 change)" in html
    assert "<strong>Summary</strong>:" in html and "→ A corrected summary." in html
    client.force_login(reader)
    assert "Audit trail" not in client.get(swale.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "name, title",
    [
        ("home", "Partnerships and plans – CSP Tracker"),
        ("action_list", "Actions – CSP Tracker"),
        ("plan", "Swale Community Safety Plan 2019/20 – CSP Tracker"),
    ],
)
def test_page_titles_read_page_then_service(reader_client, seeded, name, title):
    html = reader_client.get(page_urls()[name]).content.decode()
    assert f"<title>{title}</title>" in html
