"""The year-end report (issue 13): final statuses with reasons and their counts, each
indicator's outturn against the target in force at year end with its RAG, in HTML and
Excel; publishing a frozen copy that a later change leaves alone; query budgets."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from indicators.models import Indicator, IndicatorValue
from plans.editing.models import IndicatorTarget
from plans.models import Membership, Plan, ReportingPeriod, YearEndReport
from plans.services import period_open
from plans.yearend.publishing import year_end_publish
from plans.yearend.report import year_end_report
from plans.yearend.services import FinalDecision, plan_close
from priorities.models import Action
from tests.conftest import member

pytestmark = pytest.mark.django_db

SWALE_PLAN = "Swale Community Safety Plan 2019/20"
HATE_CRIME = "Number of incidents of Hate Crime"
BURGLARY = "Number of incidents of burglary business and community"


def figures(indicator: Indicator, periods: dict[int, ReportingPeriod], values: dict, **extra):
    for quarter, value in values.items():
        IndicatorValue.objects.create(
            indicator=indicator, period=periods[quarter], value=Decimal(value),
            entered_at=timezone.now(), **extra,
        )  # fmt: skip


@pytest.fixture
def year(seeded, swale_admin):
    """Swale's plan, active, with four quarters (Q4 open) and figures:
    - hate crime (quarterly), target now "At most 50 a quarter" but "At most 60" until
      2020/21 Q1, so at the end of 2019/20; 70, 65, 58, 55 → outturn 55, Green;
    - ASB (quarterly) with figures in Q1–Q3 only and a draft in Q4 (not counted) → Q3's 480
      against "At most 450": Red;
    - a burglary measure (annual, asked in Q4) → 300 against "At least 300": Green."""
    plan = Plan.objects.get(title=SWALE_PLAN)
    plan.status = Plan.Status.ACTIVE
    plan.save()
    periods = {
        q: period_open(plan=plan, year=2019, quarter=q, deadline=date(2099, 1, 1))
        for q in (1, 2, 3, 4)
    }
    ReportingPeriod.objects.filter(quarter__in=(1, 2, 3), plan=plan).update(status="closed")
    hate = Indicator.objects.get(plan=plan, title=HATE_CRIME)
    hate.target = "At most 50 a quarter"
    hate.save()
    IndicatorTarget.objects.create(
        indicator=hate, until_year=2020, until_quarter=1, target="At most 60 a quarter",
        target_comparator="at_most", target_value=Decimal(60), target_unit="count",
        changed_by=swale_admin, changed_at=timezone.now(),
    )  # fmt: skip
    figures(hate, periods, {1: 70, 2: 65, 3: 58, 4: 55})
    asb = Indicator.objects.get(plan=plan, title="Number of incidents of ASB")
    asb.target = "At most 450 a quarter"
    asb.save()
    figures(asb, periods, {1: 400, 2: 420, 3: 480})
    figures(asb, periods, {4: 10}, state="draft")
    annual = Indicator.objects.get(plan=plan, title=BURGLARY)
    annual.target, annual.frequency, annual.due_quarter = "At least 300", "annually", 4
    annual.save()
    figures(annual, periods, {4: 300})
    Action.objects.filter(priority__plan=plan, ref="2.3").update(completed_in=periods[2])
    return {"plan": plan, "periods": periods, "hate": hate, "asb": asb, "annual": annual}


def close(plan: Plan, user) -> None:
    reasons = {"2.2": ("deferred", "Waiting for the new contract."),
               "2.4": ("not_achieved", "No venue.")}  # fmt: skip
    decisions = []
    for action in Action.objects.filter(priority__plan=plan):
        status, reason = reasons.get(action.ref, ("complete", ""))
        decisions.append(FinalDecision(action.pk, status, reason))
    plan_close(plan=plan, user=user, decisions=decisions)
    plan.refresh_from_db()


def rows(data: dict, kind: str) -> dict[str, dict]:
    return {row["title"]: row for p in data["priorities"] for row in p[kind]}


def test_outturns_use_the_last_counted_figure_and_the_target_at_year_end(year):
    data = year_end_report(year["plan"])
    indicators = rows(data, "indicators")
    hate = indicators[HATE_CRIME]
    assert (hate["value"], hate["quarter"], hate["rag"]) == (55, "2019/20 Q4", "green")
    assert hate["target"] == "At most 60 a quarter" and hate["target_changed"]
    asb = indicators["Number of incidents of ASB"]
    assert (asb["value"], asb["quarter"], asb["rag"]) == (480, "2019/20 Q3", "red")
    annual = indicators[BURGLARY]
    assert (annual["value"], annual["rag"], annual["frequency"]) == (300, "green", "Annually")
    counts = {line["key"]: line["count"] for line in data["indicator_counts"]}
    assert counts["green"] == 2 and counts["red"] == 1
    assert data["draft"] and data["year"]["label"] == "2019/20"


def test_a_draft_report_proposes_complete_for_completed_actions(year):
    actions = rows(year_end_report(year["plan"]), "actions")
    completed = next(r for r in actions.values() if r["ref"] == "2.3")
    assert completed["final_label"] == "Complete" and completed["proposed"]
    assert completed["completed_in"] == "2019/20 Q2"
    others = [r for r in actions.values() if r["ref"] != "2.3"]
    assert {r["final_label"] for r in others} == {"Not decided yet"}


def test_the_report_page_shows_final_statuses_reasons_and_outturns(client, year, swale_admin):
    plan = year["plan"]
    close(plan, swale_admin)
    client.force_login(member("seg-reader", plan.partnership.name, Membership.Role.SEG))
    response = client.get(reverse("plans:year_end_report", args=[plan.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Year-end report 2019/20" in html
    assert "Deferred to next year" in html and "Waiting for the new contract." in html
    assert "Not achieved" in html and "No venue." in html
    total = Action.objects.filter(priority__plan=plan).count()
    counts = html.split('id="final-counts"')[1].split("</table>")[0]
    assert re.search(rf"Complete</th><td[^>]*>{total - 2}</td>", counts)
    assert re.search(r"Deferred to next year</th><td[^>]*>1</td>", counts)
    assert "At most 60 a quarter" in html and "Figure for 2019/20 Q3" in html
    assert "Draft" not in html.split('id="report-status"')[1][:300]
    assert "Publish this report" not in html  # SEG members read, admins publish


def test_the_workbook_holds_the_same_report(client, year, swale_admin):
    plan = year["plan"]
    close(plan, swale_admin)
    client.force_login(swale_admin)
    response = client.get(reverse("plans:year_end_workbook", args=[plan.pk]))
    assert response.status_code == 200
    assert "year-end-report.xlsx" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Actions", "Indicators"]
    actions = {row[2]: row for row in book["Actions"].iter_rows(min_row=2, values_only=True)}
    assert actions["2.2"][5:7] == ("Deferred to next year", "Waiting for the new contract.")
    assert actions["2.3"][7] == "2019/20 Q2"
    indicators = {row[3]: row for row in book["Indicators"].iter_rows(min_row=2, values_only=True)}
    hate = indicators[HATE_CRIME]
    assert hate[6] == "At most 60 a quarter" and hate[8] == 55 and hate[11] == "Green"
    summary = [row for row in book["Summary"].iter_rows(values_only=True) if row[0]]
    assert ("Actions", "Not achieved", 1) in summary


def test_publishing_freezes_the_report_against_later_changes(client, year, swale_admin):
    plan = year["plan"]
    client.force_login(swale_admin)
    publish_url = reverse("plans:year_end_publish", args=[plan.pk])
    # An active plan's report is a draft: it is not published.
    assert client.post(publish_url, {"reason": ""}).status_code == 302
    assert not YearEndReport.objects.exists()
    close(plan, swale_admin)
    response = client.post(publish_url, {"reason": ""})
    published = YearEndReport.objects.get()
    assert response["Location"] == reverse("plans:year_end_published", args=[plan.pk, published.pk])
    # Later, the action's reason and the indicator's figure change, and the plan is renamed.
    Action.objects.filter(priority__plan=plan, ref="2.2").update(final_status_reason="Rewritten.")
    IndicatorValue.objects.filter(indicator=year["hate"], period=year["periods"][4]).update(
        value=99
    )
    Plan.objects.filter(pk=plan.pk).update(title="Renamed plan")
    html = client.get(response["Location"]).content.decode()
    assert "Waiting for the new contract." in html and "Rewritten." not in html
    assert "Published v1" in html and SWALE_PLAN in html
    workbook = client.get(
        reverse("plans:year_end_published_workbook", args=[plan.pk, published.pk])
    )
    book = load_workbook(BytesIO(workbook.content))
    hate = next(r for r in book["Indicators"].iter_rows(values_only=True) if r[3] == HATE_CRIME)
    assert hate[8] == 55
    live = client.get(reverse("plans:year_end_report", args=[plan.pk])).content.decode()
    assert "Rewritten." in live and "Open the published version 1" in live
    # Republishing needs a reason, and keeps version 1.
    refused = client.post(publish_url, {"reason": ""})
    assert "Enter why you are republishing" in refused.content.decode()
    year_end_publish(plan=plan, user=swale_admin, reason="Reason corrected.")
    assert list(YearEndReport.objects.values_list("version", flat=True).order_by("version")) == [
        1,
        2,
    ]


def test_another_partnership_cannot_open_a_published_report(client, year, swale_admin, outsider):
    plan = year["plan"]
    close(plan, swale_admin)
    published = year_end_publish(plan=plan, user=swale_admin, reason="")
    client.force_login(outsider)
    url = reverse("plans:year_end_published", args=[plan.pk, published.pk])
    assert client.get(url).status_code == 404
    medway = Plan.objects.filter(partnership=outsider.memberships.get().partnership).first()
    wrong_plan = reverse("plans:year_end_published", args=[medway.pk, published.pk])
    assert client.get(wrong_plan).status_code == 404


def test_a_draft_plan_has_no_year_end_report(client, year, swale_admin):
    plan = year["plan"]
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)
    client.force_login(swale_admin)
    response = client.get(reverse("plans:year_end_report", args=[plan.pk]))
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()


# --- Query budgets: the Swale plan and a synthetic plan ten times its size --------------------

BUDGETS = {
    # session, user, memberships, plan; then the report's six and published versions.
    "year_end_report": 11,
    "year_end_workbook": 10,
    # the plan, its actions and its open quarters.
    "plan_close": 7,
}


def budget_plan(size: str, request) -> tuple[Plan, object]:
    if size == "small":
        plan = Plan.objects.get(title=SWALE_PLAN)
    else:
        plan = request.getfixturevalue("large_data").plans.order_by("-pk").first()
    plan.status = Plan.Status.ACTIVE
    plan.save()
    period = period_open(plan=plan, year=plan.end_year, quarter=4, deadline=date(2099, 1, 1))
    figures_for = Indicator.objects.filter(plan=plan)
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=i, period=period, value=40, entered_at=timezone.now())
        for i in figures_for
    )
    admin = member(f"budget-admin-{size}", plan.partnership.name, Membership.Role.ADMIN)
    return plan, admin


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("name", BUDGETS)
def test_query_budget_holds_at_two_sizes(
    client, request, seeded, django_assert_max_num_queries, name, size
):
    plan, admin = budget_plan(size, request)
    client.force_login(admin)
    with django_assert_max_num_queries(BUDGETS[name]):
        response = client.get(reverse(f"plans:{name}", args=[plan.pk]))
    assert response.status_code == 200
    actions = Action.objects.filter(priority__plan=plan).count()
    assert actions > (20 if size == "small" else 80)
    if name == "plan_close":
        assert response.content.decode().count('class="app-final-status"') == actions


@pytest.mark.parametrize("size", ["small", "large"])
def test_published_report_costs_the_same_at_two_sizes(
    client, request, seeded, django_assert_max_num_queries, size
):
    plan, admin = budget_plan(size, request)
    plan_close(
        plan=plan,
        user=admin,
        decisions=[
            FinalDecision(a.pk, "complete") for a in Action.objects.filter(priority__plan=plan)
        ],
    )
    published = year_end_publish(plan=plan, user=admin, reason="")
    client.force_login(admin)
    for name in ("year_end_published", "year_end_published_workbook"):
        with django_assert_max_num_queries(8):
            response = client.get(reverse(f"plans:{name}", args=[plan.pk, published.pk]))
        assert response.status_code == 200


def test_a_reason_typed_as_a_formula_stays_text_in_the_workbook(client, year, swale_admin):
    plan = year["plan"]
    close(plan, swale_admin)
    Action.objects.filter(priority__plan=plan, ref="2.2").update(
        final_status_reason='=HYPERLINK("http://example.invalid","Click")'
    )
    client.force_login(swale_admin)
    response = client.get(reverse("plans:year_end_workbook", args=[plan.pk]))
    sheet = load_workbook(BytesIO(response.content))["Actions"]
    cell = next(row[6] for row in sheet.iter_rows(min_row=2) if row[2].value == "2.2")
    assert cell.data_type == "s" and cell.quotePrefix


def test_a_plan_closed_before_year_end_existed_reports_statuses_as_not_recorded(reader_client):
    plan = Plan.objects.get(title__endswith="(2019 Refresh)")  # closed in the seeds
    response = reader_client.get(reverse("plans:year_end_report", args=[plan.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not recorded" in html and "Draft" not in html.split('id="report-status"')[1][:300]
