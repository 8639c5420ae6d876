"""Browser journey of year end (issue 13): a partnership admin opens "Close this plan" on an
active plan with an open quarter, submits it with a deferred action missing its reason (and
reads the error), gives the reason, closes the plan, reads the year-end report, downloads
its workbook and publishes it. Chromium + axe at 1280 px and at 375 px (where the page must
not scroll sideways), as in ``test_browser``.

Screenshots of each page go to ``$SCREENSHOTS`` when it is set (to look at them)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from plans.models import Plan, ReportingPeriod
from plans.services import period_open
from priorities.models import Action
from tests import test_browser
from tests.conftest import PASSWORD
from tests.test_browser import SWALE_PLAN, sign_in
from tests.test_browser_plan_editing import look

pytestmark = pytest.mark.browser

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe


def test_admin_closes_a_plan_and_opens_its_year_end_report(browser_page, axe, swale_admin):
    page = browser_page
    plan = Plan.objects.get(title=SWALE_PLAN)
    plan.status = Plan.Status.ACTIVE
    plan.save()
    q4 = period_open(plan=plan, year=2019, quarter=4, deadline=date(2099, 1, 1))
    Action.objects.filter(priority__plan=plan, ref="2.3").update(completed_in=q4)
    actions = list(Action.objects.filter(priority__plan=plan).select_related("priority"))

    page.goto(plan.get_absolute_url())
    sign_in(page, "swale-admin", PASSWORD)
    page.get_by_role("link", name="Close this plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Close {SWALE_PLAN}")
    expect(page.locator("#open-quarters")).to_contain_text("also closes 2019/20 Q4")
    look(page, axe, "close plan")

    # Every action but 2.2 complete; 2.2 deferred, first without its reason.
    for action in actions:
        if action.ref != "2.3":  # already Complete: a submitted update completed it
            status = "deferred" if action.ref == "2.2" else "complete"
            page.locator(f"input[name='status-{action.pk}'][value='{status}']").check()
    page.get_by_role("button", name="Close the plan").click()
    expect(page).to_have_title(re.compile(r"^Error: Close "))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(
        "Enter why action 2.2 was deferred to next year"
    )
    look(page, axe, "close plan, error state")
    deferred = next(a for a in actions if a.ref == "2.2")
    expect(summary.get_by_role("link")).to_have_attribute("href", f"#reason-{deferred.pk}")
    page.locator(f"#reason-{deferred.pk}").fill("Waiting for the new contract.")
    page.get_by_role("button", name="Close the plan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Year-end report 2019/20")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is closed")
    expect(page.locator("#report")).to_contain_text("Waiting for the new contract.")
    expect(page.locator("#final-counts")).to_contain_text("Deferred to next year")
    look(page, axe, "year-end report")
    assert not ReportingPeriod.objects.get(pk=q4.pk).is_open

    with page.expect_download() as download:
        page.get_by_role("button", name="Download as Excel workbook").click()
    assert download.value.suggested_filename.endswith("year-end-report.xlsx")

    page.get_by_role("button", name="Publish this report").click()
    look(page, axe, "publish year-end report")
    page.get_by_role("button", name="Publish the report").click()
    expect(page.locator("#published-note")).to_contain_text("version 1 of the year-end report")
    expect(page.locator("#report-status")).to_contain_text("Published v1")
    look(page, axe, "published year-end report")

    page.goto(deferred.get_absolute_url())
    expect(page.locator("#final-status")).to_contain_text("Deferred to next year")
    look(page, axe, "action with final status")
    axe.assert_no_violations()
