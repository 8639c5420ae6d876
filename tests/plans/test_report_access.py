"""The report pack's permissions for every role and its query budgets at two data sizes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue
from plans import reporting as reports
from plans.models import Membership, Plan, PublishedReport, ReportingPeriod, quarter_dates
from plans.services import period_open
from priorities.models import Action, ActionUpdate, UpdateState
from tests.conftest import member
from tests.plans.report_data import (
    Known,
    publish_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(swale_admin) -> Known:
    return Known(swale_admin)


# --- Permissions ------------------------------------------------------------------------------


def urls(known: Known, published: PublishedReport) -> dict[str, str]:
    return {
        "report_pack": reverse("plans:report_pack", args=[known.q2.pk]),
        "report_workbook": reverse("plans:report_workbook", args=[known.q2.pk]),
        "report_publish": publish_url(known.q2),
        "published_report_list": reverse("plans:published_report_list", args=[known.plan.pk]),
        "published_report": reverse("plans:published_report", args=[published.pk]),
        "published_report_workbook": reverse(
            "plans:published_report_workbook", args=[published.pk]
        ),
        "report_pdf": reverse("plans:report_pdf", args=[known.q2.pk]),
        "published_report_pdf": reverse("plans:published_report_pdf", args=[published.pk]),
    }


READ_PAGES = [
    "report_pack",
    "report_workbook",
    "published_report_list",
    "published_report",
    "published_report_workbook",
    "report_pdf",
    "published_report_pdf",
]


@pytest.fixture
def published(known) -> PublishedReport:
    return reports.report_publish(period=known.q2, user=known.admin, reason="")


@pytest.mark.parametrize("role", ["seg_member", "csu_officer", "police_officer", "swale_admin"])
def test_every_member_reads_reports(request, client, known, published, role):
    client.force_login(request.getfixturevalue(role))
    for name in READ_PAGES:
        assert client.get(urls(known, published)[name]).status_code == 200, name


@pytest.mark.parametrize("role", ["seg_member", "csu_officer", "police_officer"])
def test_only_admins_publish(request, client, known, published, role):
    client.force_login(request.getfixturevalue(role))
    url = urls(known, published)["report_publish"]
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Mine now"}).status_code == 403
    assert PublishedReport.objects.count() == 1


def test_other_partnerships_see_nothing(client, outsider, known, published):
    client.force_login(outsider)
    for name, url in urls(known, published).items():
        assert client.get(url).status_code == 404, name
    assert client.post(urls(known, published)["report_publish"]).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, known, published):
    for name, url in urls(known, published).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


# --- Query budgets ----------------------------------------------------------------------------


def fill_quarter(plan: Plan, user) -> ReportingPeriod:
    """Two quarters of a plan with an update for every action and a value for every
    indicator, written in bulk (fast) rather than through the services."""
    periods = [
        period_open(
            plan=plan,
            year=plan.start_year,
            quarter=q,
            deadline=quarter_dates(plan.start_year, q)[1] + timedelta(days=15),
        )
        for q in (1, 2)
    ]
    now = timezone.now()
    statuses = list(ActionUpdate.Status)
    actions = list(Action.objects.filter(priority__plan=plan))
    indicators = list(Indicator.objects.filter(plan=plan))
    for period in periods:
        ActionUpdate.objects.bulk_create(
            ActionUpdate(
                action=action,
                period=period,
                status=statuses[n % len(statuses)],
                commentary=f"Commentary {n}",
                state=UpdateState.SUBMITTED,
                saved_by=user,
                saved_at=now,
                submitted_by=user,
                submitted_at=now,
            )
            for n, action in enumerate(actions)
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=indicator,
                period=period,
                value=Decimal(n % 90),
                entered_by=user,
                entered_at=now,
            )
            for n, indicator in enumerate(indicators)
        )
    return periods[-1]


@pytest.fixture
def sized_period(request, known):
    """The small size: Swale's known data. The large one: a synthetic plan of 90 actions
    (270 milestones) and 48 indicators with two full quarters, published once."""
    if request.param == "seeds":
        period = known.q2
        admin = known.admin
    else:
        partnership = request.getfixturevalue("large_data")
        admin = member("synthetic-admin", partnership.name, Membership.Role.ADMIN)
        plan = partnership.plans.order_by("pk").first()
        period = fill_quarter(plan, admin)
    published = reports.report_publish(period=period, user=admin, reason="")
    return period, published


# Session, user and memberships (3), then the page's own queries.
REPORT_BUDGETS = {
    # +1 each live report: the quarter's answered questions; +1: the plan's funding summary
    "report_pack": 16,
    "report_workbook": 15,
    "published_report_list": 7,
    "published_report": 5,
    "published_report_workbook": 5,
    "report_pdf": 15,
    "published_report_pdf": 5,
}


@pytest.mark.parametrize("sized_period", ["seeds", "large_data"], indirect=True)
@pytest.mark.parametrize("name", REPORT_BUDGETS)
def test_query_budgets_hold_at_two_sizes(
    reader_client, django_assert_max_num_queries, sized_period, name
):
    period, published = sized_period
    url = {
        "report_pack": reverse("plans:report_pack", args=[period.pk]),
        "report_workbook": reverse("plans:report_workbook", args=[period.pk]),
        "published_report_list": reverse("plans:published_report_list", args=[period.plan_id]),
        "published_report": reverse("plans:published_report", args=[published.pk]),
        "published_report_workbook": reverse(
            "plans:published_report_workbook", args=[published.pk]
        ),
        "report_pdf": reverse("plans:report_pdf", args=[period.pk]),
        "published_report_pdf": reverse("plans:published_report_pdf", args=[published.pk]),
    }[name]
    with django_assert_max_num_queries(REPORT_BUDGETS[name]):
        response = reader_client.get(url)
    assert response.status_code == 200
