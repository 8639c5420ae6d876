"""Browser journey of rolling a plan forward (issue 13): Swale's admin starts next year's plan
from 2019/20 (after reading the error a title in use gives), changes a carried-over action,
drops another with a reason (after the error a missing reason gives) and reads "What changed
from last year". Chromium + axe at 1280 px and at 375 px, where no page scrolls sideways.

Screenshots of each page go to ``$SCREENSHOTS`` when it is set (to look at them)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plans.models import Plan
from plans.rollforward.models import DroppedAction
from priorities.models import Action, Lineage
from tests import test_browser
from tests.conftest import PASSWORD
from tests.plans.test_roll_forward import NEXT, year_end
from tests.test_browser import SWALE_PLAN, sign_in
from tests.test_browser_plan_editing import look

pytestmark = pytest.mark.browser

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe


def test_admin_rolls_forward_drops_an_action_and_reads_what_changed(browser_page, axe, swale_admin):
    page = browser_page
    plan = Plan.objects.get(title=SWALE_PLAN)
    old = year_end(plan, swale_admin)  # 2.3 and 1.2 completed, 1.5 and 2.7 deferred

    page.goto(plan.get_absolute_url())
    sign_in(page, "swale-admin", PASSWORD)
    page.get_by_role("link", name="Start next year's plan from this one").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Start next year's plan from this one"
    )
    expect(page.get_by_label("Title of next year's plan")).to_have_value(NEXT)
    expect(page.get_by_label("First financial year")).to_have_value("2020")
    look(page, axe, "roll forward")

    # A title the partnership already uses is refused, and nothing is made.
    page.get_by_label("Title of next year's plan").fill(SWALE_PLAN)
    page.get_by_role("button", name="Start next year's plan").click()
    expect(page).to_have_title(re.compile(r"^Error: Start next year"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is already a plan called")
    look(page, axe, "roll forward, error state")
    assert not Plan.objects.filter(predecessor=plan).exists()

    page.get_by_label("Title of next year's plan").fill(NEXT)
    page.get_by_role("button", name="Start next year's plan").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"{NEXT} started from {SWALE_PLAN}, as a draft"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {NEXT}")
    new = Plan.objects.get(title=NEXT)
    look(page, axe, "edit next year's draft")

    # 2.7 was deferred: it is now 2.1, first in its priority; 2.1 became 2.2.
    assert Action.objects.get(priority__plan=new, ref="2.1").predecessor == old["2.7"]
    page.get_by_role("link", name="Change action 2.2").click()
    page.get_by_label("Action", exact=True).fill("Tackle serious organised crime with Kent")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Action 2.2 saved")
    assert Action.objects.get(priority__plan=new, ref="2.2").lineage == Lineage.CHANGED

    # Dropping 2.3 (last year's 2.2) asks why.
    page.get_by_role("link", name="Remove action 2.3").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove action 2.3")
    page.get_by_role("button", name="Remove action 2.3").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why it is dropped from this year's plan"
    )
    look(page, axe, "drop action, reason missing")
    page.get_by_label("Why is it dropped from this year's plan?").fill("Kent Police lead it now")
    page.get_by_role("button", name="Remove action 2.3").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("removed")
    assert DroppedAction.objects.get().predecessor == old["2.2"]

    page.get_by_role("link", name="Back to the plan").click()
    page.get_by_role("link", name="What changed from last year").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed from last year")
    expect(page.locator("#dropped")).to_contain_text("Kent Police lead it now")
    expect(page.locator("#changed")).to_contain_text("Tackle serious organised crime with Kent")
    expect(page.locator("#completed")).to_contain_text("Completed in 2019/20 Q2")
    expect(page.locator("#carried")).to_contain_text("Deferred to next year")
    look(page, axe, "what changed from last year")

    axe.assert_no_violations()
