"""The SEG dashboards and the indicator trend chart, as the people who read them see them."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from indicators.models import Indicator
from plans.models import Membership, Partnership, Plan, ReportingPeriod
from plans.synthetic import make_synthetic_plans
from tests.conftest import SWALE, member
from tests.factories import IndicatorFactory, PlanFactory
from tests.plans.known_plan import Known, build_known_plan, grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(seeded) -> Known:
    return build_known_plan()


@pytest.fixture
def seg_client(client, seg_member):
    client.force_login(seg_member)
    return client


def dashboard_url(known: Known, **params) -> str:
    url = reverse("plans:plan_dashboard", args=[known.plan.pk])
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def text(markup: str) -> str:
    """What a reader sees of some markup: tags gone, spaces collapsed."""
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())
    return re.sub(r" ([.,;:])", r"\1", words)


def element(markup: str, element_id: str) -> str:
    """The text of the element with that id (up to its closing tag of the same name)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"', markup)
    assert match, f"no element #{element_id}"
    tag, start = match.group(1), match.start()
    depth, position = 0, start
    for found in re.finditer(rf"<(/?){tag}\b[^>]*>", markup[start:]):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            position = start + found.end()
            break
    return text(markup[start:position])


# --- Plan dashboard ----------------------------------------------------------------------------


def test_plan_dashboard_shows_the_latest_quarter_headline(seg_client, known):
    markup = page(seg_client, dashboard_url(known))
    assert "Dashboard: 2024/25 Q2" in markup
    assert element(markup, "headline-actions-red") == "Red (off track) 1 No change (was 1)"
    assert element(markup, "headline-actions-green") == (
        "Green (on track or complete) 1 No change (was 1)"
    )
    # 1.2 (a draft only) stands at Q1's Amber, carried forward; 2.2 had no update in Q1.
    assert element(markup, "headline-actions-amber") == "Amber (at risk) 2 +1 (was 1)"
    assert element(markup, "headline-actions-no_update") == "No update 0 -1 (was 1)"
    assert element(markup, "headline-indicators-amber") == "Amber 1 +1 (was 0)"
    assert element(markup, "headline-indicators-red") == "Red 0 -1 (was 1)"
    assert element(markup, "headline-indicators-no_value") == "No value 2 +1 (was 1)"


def test_plan_dashboard_breaks_down_by_priority(seg_client, known):
    markup = page(seg_client, dashboard_url(known))
    first = known.actions["1.1"].priority
    # Actions: red, amber, green, not started, no update; indicators: red, amber, green,
    # no RAG, no value.
    assert element(markup, f"priority-{first.pk}") == "1. Safer streets 1 1 0 0 0 0 1 1 0 0"
    assert element(markup, "priority-none") == (
        "Indicators not linked to a priority 0 0 0 0 0 0 0 0 0 1"
    )


def test_plan_dashboard_lists_exceptions_with_commentary_and_lead(seg_client, known):
    markup = page(seg_client, dashboard_url(known))
    exceptions = element(markup, "exception-list")
    assert exceptions.index("Action 1.1") < exceptions.index("Indicator I1")
    assert exceptions.index("Indicator I1") < exceptions.index("Action 2.1")
    assert element(markup, "exception-action-11") == (
        "Red Action 1.1 Patrols Status: Off track (Red) In 2024/25 Q1: On track (Green) "
        "Swale CSU Funding cut"
    )
    indicator = element(markup, "exception-indicator-i1")
    assert indicator.startswith("Amber Indicator I1 Victims satisfied Value 81% against target")
    assert "Worsening" in indicator and "Kent Police Two surveys were late" in indicator
    assert known.actions["1.1"].get_absolute_url() in markup  # open an exception


def test_plan_dashboard_lists_overdue_milestones_and_flags(seg_client, known):
    markup = page(seg_client, dashboard_url(known))
    overdue = element(markup, "overdue-list")
    assert "1.2 Street lighting Flagged: no update Survey done 30 June 2024 Swale CSU" in overdue
    assert "2.1 Victim support Referral pathway 31 August 2024 Kent Police" in overdue
    assert "Patrol plan agreed" not in overdue  # reported done in Q1


def test_plan_dashboard_lists_what_each_agency_has_not_reported(seg_client, known):
    markup = page(seg_client, dashboard_url(known))
    police, csu = known.agencies["police"], known.agencies["csu"]
    assert element(markup, f"missing-{police.pk}") == (
        "Kent Police None 1 indicator I5 Cases closed"
    )
    assert element(markup, f"missing-{csu.pk}") == (
        "Swale CSU 1 action 1.2 Street lighting Draft None"
    )


def test_quarter_picker_shows_an_earlier_quarter(seg_client, known):
    markup = page(seg_client, dashboard_url(known, period=known.q1.pk))
    assert "Dashboard: 2024/25 Q1" in markup
    assert f'<option value="{known.q1.pk}" selected>' in markup
    assert "No earlier quarter has been opened" in markup
    assert element(markup, "headline-actions-red") == "Red (off track) 1 Not known"
    other = known.agencies["other"]
    assert element(markup, f"missing-{other.pk}") == (
        "Test agency 1 action 2.2 Awareness campaign None"
    )


def test_filter_by_priority_and_by_agency(seg_client, known):
    second = known.actions["2.1"].priority
    markup = page(seg_client, dashboard_url(known, period=known.q2.pk, priority=second.pk))
    assert element(markup, "filter-note") == "Showing only 2. Fewer victims."
    assert "exception-action-21" in markup and "exception-action-11" not in markup
    assert element(markup, "headline-actions-amber") == "Amber (at risk) 1 +1 (was 0)"
    assert "Show all priorities and agencies" in markup

    police = known.agencies["police"]
    markup = page(seg_client, dashboard_url(known, agency=police.pk))
    assert element(markup, "filter-note") == "Showing only work led by Kent Police."
    assert "exception-indicator-i1" in markup and "exception-action-11" not in markup
    assert "Swale CSU" not in element(markup, "missing-list")


BAD_CHOICES = [
    {"period": "abc"},
    {"period": "999999"},
    {"priority": "not-a-number"},
    {"priority": "999999"},
    {"agency": "x"},
    {"agency": "999999"},
]


def test_bad_choices_show_an_error_summary_not_a_500(seg_client, known):
    for params in BAD_CHOICES:
        response = seg_client.get(dashboard_url(known, **params))
        assert response.status_code == 200, params
        markup = response.content.decode()
        name = next(iter(params))
        assert "<title>Error: " in markup and "There is a problem" in markup
        assert f'href="#id_{name}"' in markup and f'id="id_{name}-error"' in markup
        assert "Dashboard: 2024/25 Q2" in markup  # the latest quarter, unfiltered


def test_a_quarter_of_another_plan_is_refused(seg_client, known):
    other = PlanFactory(partnership=known.plan.partnership, start_year=2024, end_year=2024)
    foreign = ReportingPeriod.objects.create(
        plan=other, year=2024, quarter=3, deadline=date(2025, 1, 31)
    )
    markup = page(seg_client, dashboard_url(known, period=foreign.pk))
    assert "Select a quarter of this plan that has been opened" in markup


def test_plan_without_opened_quarters_says_so(seg_client, seeded):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    markup = page(seg_client, reverse("plans:plan_dashboard", args=[plan.pk]))
    assert "No quarter of this plan has been opened for updates yet" in markup


def test_dashboard_links_to_the_report_pack_and_workbook(seg_client, known):
    markup = page(seg_client, dashboard_url(known, period=known.q1.pk))
    links = element(markup, "report-links")
    assert "SEG report pack for 2024/25 Q1" in links
    assert "Download the Excel workbook for 2024/25 Q1" in links
    assert f'href="{reverse("plans:report_pack", args=[known.q1.pk])}"' in markup
    assert f'href="{reverse("plans:report_workbook", args=[known.q1.pk])}"' in markup


def test_plan_and_indicator_pages_link_to_dashboard_and_trend(seg_client, known):
    assert reverse("plans:plan_dashboard", args=[known.plan.pk]) in page(
        seg_client, known.plan.get_absolute_url()
    )
    partnership = known.plan.partnership
    assert reverse("plans:partnership_dashboard", args=[partnership.pk]) in page(
        seg_client, partnership.get_absolute_url()
    )
    indicator = known.indicators["I1"]
    assert reverse("indicators:indicator_trend", args=[indicator.pk]) in page(
        seg_client, indicator.get_absolute_url()
    )


# --- Partnership overview ----------------------------------------------------------------------


def test_partnership_dashboard_shows_each_active_plan(seg_client, known):
    url = reverse("plans:partnership_dashboard", args=[known.plan.partnership_id])
    markup = page(seg_client, url)
    section = element(markup, f"plan-{known.plan.pk}")
    assert "Known plan 2024/25" in section
    assert "Latest quarter: 2024/25 Q2" in section and "compared with 2024/25 Q1" in section
    assert element(markup, f"plan-{known.plan.pk}-missing") == (
        "Still missing: 1 action update and 1 indicator value."
    )
    actions = element(markup, f"plan-{known.plan.pk}-actions")
    assert "Red (off track) 1 No change" in actions
    indicators = element(markup, f"plan-{known.plan.pk}-indicators")
    assert "Amber 1 +1" in indicators and "Red 0 -1" in indicators
    assert reverse("plans:plan_dashboard", args=[known.plan.pk]) in markup
    # The seed plan is closed: listed apart, with its dashboard.
    assert "Other plans" in markup and "Swale Community Safety Plan 2019/20" in markup


def test_partnership_dashboard_says_when_no_plan_is_active(seg_client, seeded):
    swale = Partnership.objects.get(name=SWALE)
    PlanFactory(partnership=swale, title="Not started yet", status=Plan.Status.ACTIVE)
    markup = page(seg_client, reverse("plans:partnership_dashboard", args=[swale.pk]))
    assert "No quarter of this plan has been opened for updates yet." in markup
    Plan.objects.filter(title="Not started yet").update(status=Plan.Status.CLOSED)
    markup = page(seg_client, reverse("plans:partnership_dashboard", args=[swale.pk]))
    assert "Swale Community Safety Partnership has no active plans." in markup


# --- Indicator trend ---------------------------------------------------------------------------


def test_trend_chart_is_an_accessible_svg_with_a_table_beside_it(seg_client, known):
    url = reverse("indicators:indicator_trend", args=[known.indicators["I1"].pk])
    markup = page(seg_client, url)
    assert '<svg class="app-trend-chart"' in markup and 'role="img"' in markup
    assert '<title id="trend-chart-title">Trend of indicator I1: Victims satisfied</title>' in (
        markup
    )
    desc = element(markup, "trend-chart-desc")
    assert "2024/25 Q1 90%; 2024/25 Q2 81%" in desc and "Target line at 85" in desc
    assert "<polyline" in markup and "Target 85" in markup
    table = element(markup, "trend-table")
    assert "2024/25 Q1 90% Green" in table
    assert "2024/25 Q2 81% Amber Worsening" in table
    assert table.count("No value") == 6


def test_trend_without_figures_or_target_says_so(seg_client, known):
    markup = page(
        seg_client, reverse("indicators:indicator_trend", args=[known.indicators["I5"].pk])
    )
    assert "No figures have been entered in these quarters" in markup and "<svg" not in markup
    no_quarters = IndicatorFactory(plan=Plan.objects.get(title__startswith="Swale"), target="")
    markup = page(seg_client, reverse("indicators:indicator_trend", args=[no_quarters.pk]))
    assert "There is no measurable target to draw." in markup
    assert "there is no trend to show yet" in markup


# --- Permissions and budgets -----------------------------------------------------------------


def page_urls(known: Known) -> dict[str, str]:
    return {
        "partnership": reverse("plans:partnership_dashboard", args=[known.plan.partnership_id]),
        "plan": dashboard_url(known),
        "plan_filtered": dashboard_url(
            known, period=known.q1.pk, agency=known.agencies["police"].pk
        ),
        "trend": reverse("indicators:indicator_trend", args=[known.indicators["I1"].pk]),
    }


def test_everyone_in_the_partnership_reads_the_dashboards(client, request, known):
    for who in ("reader", "seg_member", "csu_officer", "police_officer", "swale_admin"):
        client.force_login(request.getfixturevalue(who))
        for url in page_urls(known).values():
            assert client.get(url).status_code == 200, (who, url)


def test_other_partnerships_get_404(client, outsider, known):
    client.force_login(outsider)
    for url in page_urls(known).values():
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_sign_in(client, known):
    for url in page_urls(known).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def large(known) -> Known:
    """The known plan grown tenfold, and three more active Swale plans with two quarters of
    updates and values each."""
    grow(known.plan, [known.q1, known.q2], size=40)
    swale = known.plan.partnership
    for plan in make_synthetic_plans(
        partnership=swale, plans=3, priorities=4, actions=6, indicators=4, first_year=2030
    ):
        periods = [
            ReportingPeriod.objects.create(
                plan=plan, year=plan.start_year, quarter=q, deadline=date(2031, 1, 1)
            )
            for q in (1, 2)
        ]
        grow(plan, periods, size=10)
    return known


# Session, user, memberships (2), then the page's own fixed number.
BUDGETS = {"partnership": 16, "plan": 17, "plan_filtered": 17, "trend": 8}  # plan +1: questions


@pytest.mark.parametrize("size", ["known", "large"])
@pytest.mark.parametrize("name", BUDGETS)
def test_query_budget_holds_at_two_sizes(
    client, request, known, django_assert_max_num_queries, name, size
):
    request.getfixturevalue(size)
    client.force_login(member("budget-seg", SWALE, Membership.Role.SEG))
    url = page_urls(known)[name]
    with django_assert_max_num_queries(BUDGETS[name]):
        response = client.get(url)
    assert response.status_code == 200
    if size == "large" and name == "partnership":
        assert response.content.decode().count("Latest quarter:") == 4


def test_indicator_factory_targets_are_structured(known):
    # The known data relies on the target parser reading these the obvious way.
    assert Indicator.objects.get(pk=known.indicators["I2"].pk).target_comparator == "at_most"
