"""Browser test of the SEG dashboard and report workbook (issue 4): an SEG member opens a plan's
dashboard, picks a quarter, opens an exception and downloads the Excel workbook. Chromium + axe,
as in ``test_browser``, whose fixtures and helpers this module reuses: every HTML page visited
is checked against WCAG 2.2 A and AA.

Run it alone with ``pytest -m browser``; without /usr/bin/chromium it skips (fails if
``CI=true``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from indicators.models import Indicator
from indicators.services import ValueEntry, indicator_value_save
from plans.models import Plan, ReportingPeriod
from plans.services import period_close, period_open
from priorities.models import Action, ActionUpdate
from priorities.services import action_update_save

# Importing test_browser also sets DJANGO_ALLOW_ASYNC_UNSAFE, which the ORM calls below need
# (Playwright's sync API runs an event loop in the test thread).
from tests import test_browser
from tests.conftest import PASSWORD
from tests.test_browser import SWALE_PLAN, sign_in

pytestmark = pytest.mark.browser

# test_browser's fixtures, made visible here: one Chromium per module, the live server with
# the seed plans, a fresh browser context per test and the axe checker.
chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe

Q1, Q2 = "2019/20 Q1", "2019/20 Q2"
ACTION_REF = "2.2"  # led by the Swale Community Safety Unit
INDICATOR_REF = "2.4"  # "All crime", reported by Kent Police, lower is better
RED_COMMENTARY = "The festival venue fell through; a new one is being sought with the council."
AMBER_COMMENTARY = "Festival funding is not yet confirmed by the council."
OVERRIDE_REASON = "All crime is up on the quarter; the police are reviewing the rise."
WORKBOOK_SHEETS = {"Summary", "Actions", "Indicators", "Exceptions", "Missing updates"}


@dataclass(frozen=True)
class Quarters:
    plan: Plan
    q1: ReportingPeriod
    q2: ReportingPeriod
    action: Action


def submit(
    user, action: Action, period: ReportingPeriod, status: str, commentary: str = ""
) -> None:
    action_update_save(
        user=user,
        action=action,
        period=period,
        status=status,
        commentary=commentary,
        next_steps="",
        milestones=[],
        submit=True,
        expected_version=None,
    )


@pytest.fixture
def quarters(site, csu_officer, police_officer) -> Quarters:
    """Known data on the Swale plan, saved through the services by the leads' own officers:
    Q1 (closed) has 2.2 At risk and 2.3 On track; Q2 (open) has 2.2 Off track, 2.3 On track,
    2.4 Complete; indicator 2.4 has a value in both, with the police's Amber RAG in Q2.

    Depends on ``site`` so the seed plans are in the live server's (committed) database first.
    """
    plan = Plan.objects.get(title=SWALE_PLAN)
    actions = {a.ref: a for a in Action.objects.filter(priority__plan=plan)}
    indicator = Indicator.objects.get(plan=plan, ref=INDICATOR_REF)
    deadline = timezone.localdate() + timedelta(days=28)
    Status = ActionUpdate.Status

    q1 = period_open(plan=plan, year=2019, quarter=1, deadline=deadline)
    assert q1.label == Q1
    submit(csu_officer, actions[ACTION_REF], q1, Status.AT_RISK, AMBER_COMMENTARY)
    submit(csu_officer, actions["2.3"], q1, Status.ON_TRACK)
    indicator_value_save(
        user=police_officer,
        period=q1,
        entry=ValueEntry(indicator=indicator, value=Decimal("2140"), not_available=False),
    )

    q2 = period_open(plan=plan, year=2019, quarter=2, deadline=deadline)
    assert q2.label == Q2
    submit(csu_officer, actions[ACTION_REF], q2, Status.OFF_TRACK, RED_COMMENTARY)
    submit(csu_officer, actions["2.3"], q2, Status.ON_TRACK)
    submit(csu_officer, actions["2.4"], q2, Status.COMPLETE, "Campaign delivered in August.")
    indicator_value_save(
        user=police_officer,
        period=q2,
        entry=ValueEntry(
            indicator=indicator,
            value=Decimal("2315"),
            not_available=False,
            rag_override="amber",
            rag_override_reason=OVERRIDE_REASON,
        ),
    )
    q1 = period_close(period=q1)
    return Quarters(plan=plan, q1=q1, q2=q2, action=actions[ACTION_REF])


def exception_row(page: Page, kind: str, ref: str):
    """The exceptions table's row of an action or indicator (refs repeat across the two)."""
    return page.locator("#exception-list tbody tr").filter(
        has=page.locator("span", has_text=re.compile(rf"^{kind} {re.escape(ref)}$"))
    )


def summary_value(scope, key: str):
    """The value of the summary-list row, within ``scope`` (a page or a locator), whose key is
    exactly ``key``."""
    page = scope if isinstance(scope, Page) else scope.page
    return (
        scope.locator(".govuk-summary-list__row")
        .filter(has=page.locator("dt", has_text=re.compile(rf"^{re.escape(key)}$")))
        .locator("dd")
    )


def pick_quarter(page: Page, label: str) -> None:
    page.get_by_label("Quarter", exact=True).select_option(label=label)
    page.get_by_role("button", name="Show", exact=True).click()


def expect_dashboard(page: Page, label: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dashboard: {label}")
    expect(page).to_have_title(re.compile(rf"^Dashboard {re.escape(label)}: "))
    expect(summary_value(page, "Quarter")).to_contain_text(label)
    expect(page.get_by_label("Quarter", exact=True).locator("option:checked")).to_have_text(label)


def test_seg_member_picks_a_quarter_opens_an_exception_and_downloads_the_workbook(
    browser_page, axe, seg_member, quarters, tmp_path
):
    page = browser_page

    # Sign in, straight to the plan.
    page.goto(quarters.plan.get_absolute_url())
    expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
    sign_in(page, "seg-member", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(SWALE_PLAN)

    # The plan's dashboard opens on its latest quarter, Q2.
    page.locator("main").get_by_role("link", name="Dashboard", exact=True).click()
    expect_dashboard(page, Q2)

    # Pick Q1: closed, compared with nothing, 2.2 At risk with its commentary.
    pick_quarter(page, Q1)
    expect(page).to_have_url(re.compile(rf"[?&]period={quarters.q1.pk}(&|$)"))
    expect_dashboard(page, Q1)
    expect(summary_value(page, "Status")).to_contain_text("Closed")
    expect(summary_value(page, "Compared with")).to_have_text("No earlier quarter has been opened")
    row = exception_row(page, "Action", ACTION_REF)
    expect(row).to_have_count(1)
    expect(row.locator(".govuk-tag")).to_have_text("Amber")
    expect(row).to_contain_text("Status: At risk (Amber)")
    expect(row).to_contain_text(AMBER_COMMENTARY)
    expect(exception_row(page, "Indicator", INDICATOR_REF)).to_have_count(0)
    expect(page.get_by_role("link", name=f"Download the Excel workbook for {Q1}")).to_be_visible()
    axe.check(f"plan dashboard, {Q1}")

    # Back to Q2: 2.2 is the Red exception, first, with its commentary and lead; the police's
    # Amber on indicator 2.4 follows.
    pick_quarter(page, Q2)
    expect(page).to_have_url(re.compile(rf"[?&]period={quarters.q2.pk}(&|$)"))
    expect_dashboard(page, Q2)
    expect(summary_value(page, "Status")).to_contain_text("Open")
    expect(summary_value(page, "Compared with")).to_have_text(Q1)
    rows = page.locator("#exception-list tbody tr")
    expect(rows).to_have_count(2)
    row = exception_row(page, "Action", ACTION_REF)
    expect(rows.first).to_contain_text(f"Action {ACTION_REF}")
    expect(row.locator(".govuk-tag")).to_have_text("Red")
    expect(row).to_contain_text("Status: Off track (Red)")
    expect(row).to_contain_text(RED_COMMENTARY)
    expect(row.get_by_role("cell").nth(2)).to_have_text(quarters.action.lead_display)
    indicator_row = exception_row(page, "Indicator", INDICATOR_REF)
    expect(indicator_row.locator(".govuk-tag")).to_have_text("Amber")
    expect(indicator_row).to_contain_text(OVERRIDE_REASON)
    axe.check(f"plan dashboard, {Q2}")
    dashboard_url = page.url

    # Open the exception: the action's page, with Q2's Red update.
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(re.escape(quarters.action.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(rf"^Action {re.escape(ACTION_REF)}: ")
    )
    card = page.locator(f"#progress-{quarters.q2.pk}")
    expect(summary_value(card, "Status").locator(".govuk-tag")).to_have_text("Off track (Red)")
    expect(card).to_contain_text(RED_COMMENTARY)
    axe.check("action, from the exceptions")

    # Back to the dashboard, and download Q2's workbook.
    page.go_back()
    expect(page).to_have_url(dashboard_url)
    expect_dashboard(page, Q2)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Download the Excel workbook for {Q2}").click()
    download = download_info.value
    assert download.suggested_filename == (
        "swale-community-safety-plan-2019-20-2019-20-q2-report.xlsx"
    )
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    book = load_workbook(path)
    assert set(book.sheetnames) >= WORKBOOK_SHEETS, book.sheetnames
    facts = {row[0]: row[1] for row in book["Summary"].iter_rows(max_row=7, values_only=True)}
    assert facts["Plan"] == SWALE_PLAN
    assert facts["Quarter"] == Q2
    sheet = book["Exceptions"]
    header, *records = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[:5] == ["Kind", "Ref", "Title", "Lead", "RAG"], header
    by_ref = {(record[0], record[1]): dict(zip(header, record, strict=True)) for record in records}
    assert set(by_ref) == {("Action", ACTION_REF), ("Indicator", INDICATOR_REF)}, by_ref
    red = by_ref["Action", ACTION_REF]
    assert red["RAG"] == "Red"
    assert red["Status or value"] == "Off track (Red)"
    assert red["Commentary"] == RED_COMMENTARY
    assert records[0][:2] == ["Action", ACTION_REF], "Red comes first"

    axe.assert_no_violations()


def no_sideways_scroll(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths}"


def test_seg_member_reads_the_first_screen_of_the_dashboard_on_desktop_and_phone(
    browser_page, axe, seg_member, quarters
):
    """Issue 9: the first screen answers "how are we doing?" in words and charts, says the
    open quarter is provisional and lists what changed; at 375 px nothing scrolls sideways."""
    page = browser_page
    page.goto("/")
    sign_in(page, "seg-member", PASSWORD)

    # "Dashboard" in the navigation: Swale's overview (its plan is not active), then the plan's.
    test_browser.nav_link(page, "Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    axe.check("partnership dashboard")
    page.get_by_role("link", name=f"Dashboard of {SWALE_PLAN}").click()
    expect_dashboard(page, Q2)

    # Above the fold: provisional, how much is reported, the two charts beside their tables.
    viewport = page.viewport_size["height"]
    provisional = page.locator("#provisional")
    expect(provisional).to_contain_text("Provisional: this quarter is still open")
    expect(page.locator("#completeness-actions")).to_contain_text(
        re.compile(r"^3 of \d+ actions reported$")
    )
    chart = page.get_by_role("img", name=f"Actions by RAG, {Q2}")
    expect(chart).to_be_visible()
    assert page.locator("#completeness").bounding_box()["y"] < viewport
    desc = page.locator("#chart-actions-desc")
    expect(desc).to_contain_text("Red (off track): 1;")
    expect(page.locator("#headline-actions-red")).to_contain_text("Red (off track) 1")
    expect(page.get_by_role("img", name=f"Indicators by RAG, {Q2}")).to_be_visible()

    # What changed since Q1: 2.2 went from Amber to Red; 2.4 was completed.
    new_red = page.locator("#changed-new_red")
    expect(new_red).to_contain_text(f"Action {ACTION_REF}")
    expect(new_red).to_contain_text(f"in {Q1}: At risk (Amber)")
    expect(page.locator("#changed-completed")).to_contain_text("Action 2.4")
    axe.check(f"plan dashboard first screen, {Q2}")

    # On a phone: the same page, and the overview, never scroll sideways.
    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    expect(page.locator("#completeness-actions")).to_be_visible()
    no_sideways_scroll(page)
    expect(exception_row(page, "Action", ACTION_REF).get_by_role("link")).to_be_visible()
    axe.check("plan dashboard at 375 px")
    page.set_viewport_size({"width": 320, "height": 640})
    no_sideways_scroll(page)
    page.goto(reverse("plans:partnership_dashboard", args=[quarters.plan.partnership_id]))
    page.set_viewport_size({"width": 375, "height": 812})
    no_sideways_scroll(page)
    axe.check("partnership dashboard at 375 px")
    axe.assert_no_violations()
