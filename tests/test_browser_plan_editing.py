"""Browser journey of editing a plan (issue 13): a partnership admin opens a draft plan's edit
page, adds an action (after reading the error a duplicate ref gives), changes an indicator's
target, moves an action up, and activates the plan; once active, a change asks for a reason
and is listed in "Changes to this plan". Chromium + axe at 1280 px and at 375 px (where the
page must not scroll sideways), as in ``test_browser``.

Screenshots of each page go to ``$SCREENSHOTS`` when it is set (to look at them)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from indicators.models import Indicator
from plans.editing.models import PlanChange
from plans.models import Plan
from priorities.models import Action
from tests import test_browser
from tests.conftest import PASSWORD
from tests.test_browser import SWALE_PLAN, sign_in

pytestmark = pytest.mark.browser

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe


def look(page: Page, checker, name: str) -> None:
    """axe at 1280 px and at 375 px, where the page must not scroll sideways."""
    checker.check(name)
    shoot(page, name, "1280")
    size = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    checker.check(f"{name} at 375 px")
    shoot(page, name, "375")
    page.set_viewport_size(size)
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 375px"


def shoot(page: Page, name: str, width: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        page.screenshot(path=str(Path(folder) / f"{slug}-{width}.png"), full_page=True)


def test_admin_edits_a_draft_plan_and_activates_it(browser_page, axe, swale_admin):
    page = browser_page
    plan = Plan.objects.get(title=SWALE_PLAN)
    plan.status = Plan.Status.DRAFT
    plan.save()

    page.goto(plan.get_absolute_url())
    sign_in(page, "swale-admin", PASSWORD)
    page.get_by_role("link", name="Edit plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {SWALE_PLAN}")
    look(page, axe, "edit page, draft")

    # An action added to priority 2: first with a ref already used there.
    page.get_by_role("link", name="Add an action to priority 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    page.get_by_label("Ref").fill("2.2")
    page.get_by_label("Action", exact=True).fill("Run a cyber-crime clinic for small businesses")
    page.get_by_label("Lead agency").select_option(label="Swale Community Safety Unit")
    page.get_by_label("Timescale").fill("By March 2020")
    expect(page.get_by_label("Reason for the change")).to_have_count(0)  # a draft: no reason
    page.get_by_role("button", name="Add action").click()
    expect(page).to_have_title(re.compile(r"^Error: Add an action"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(
        "Ref 2.2 is already used in priority 2: choose another"
    )
    look(page, axe, "add action, error state")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Ref")).to_be_focused()
    page.get_by_label("Ref").fill("2.9")
    page.get_by_role("button", name="Add action").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Action 2.9 added")
    added = Action.objects.get(priority__plan=plan, ref="2.9")
    assert added.lead_agency.name == "Swale Community Safety Unit"

    # An indicator's target changed: read as the import reads it.
    page.get_by_role("link", name="Change indicator 2.1").click()
    look(page, axe, "change indicator")
    page.get_by_label("Target").fill("At most 120 incidents")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Indicator 2.1 saved"
    )
    indicator = Indicator.objects.get(plan=plan, ref="2.1")
    assert (indicator.target_comparator, indicator.target_value) == ("at_most", 120)

    # Action 2.3 moved up: it takes 2.2's ref, without JavaScript.
    page.get_by_role("button", name="Move up action 2.3").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("moved up")
    assert Action.objects.get(pk=6009).ref == "2.2"

    # Activated once agreed: nothing of the draft's editing is listed as a change.
    page.get_by_role("link", name="activate it").click()
    page.get_by_role("button", name="Activate this plan").click()
    expect(page.locator(".govuk-summary-list .govuk-tag")).to_have_text("Active")
    assert not PlanChange.objects.exists()

    # Active: a change needs a reason, and is listed.
    page.get_by_role("link", name="Edit plan").click()
    look(page, axe, "edit page, active")
    page.get_by_role("link", name="Change action 2.9").click()
    page.get_by_label("Action", exact=True).fill("Run two cyber-crime clinics for small businesses")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for this change")
    look(page, axe, "change action, reason missing")
    page.get_by_label("Reason for the change").fill("Agreed at the SEG in June")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Action 2.9 saved")
    page.get_by_role("link", name="Changes to this plan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Changes to {SWALE_PLAN}")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Agreed at the SEG in June")
    look(page, axe, "changes to this plan")

    # Moving and removing on an active plan: each through its own page, with a reason.
    page.get_by_role("link", name="Edit this plan").click()
    page.get_by_role("link", name="Move up action 2.9").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move action 2.9 up")
    look(page, axe, "move action")
    page.get_by_label("Reason for the change").fill("The SEG wants it before 2.8")
    page.get_by_role("button", name="Move up").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("moved up")
    page.get_by_role("link", name="Remove milestone 1 of action 1.1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove milestone 1 of action 1.1")
    look(page, axe, "remove milestone")
    page.get_by_role("button", name="Remove milestone 1 of action 1.1").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for this change")
    look(page, axe, "remove milestone, reason missing")
    page.get_by_label("Reason for the change").fill("Merged into milestone 2")
    page.get_by_role("button", name="Remove milestone 1 of action 1.1").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("removed")
    page.get_by_role("link", name="Changes to this plan", exact=True).click()
    expect(page.locator("tbody tr")).to_have_count(3)

    axe.assert_no_violations()
