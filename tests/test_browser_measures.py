"""Browser check of the links between indicators and what they measure, in Chromium with axe
(WCAG 2.2 A and AA): the action page and the indicator page, each showing the other (and the
plan page's row of the action), with
lead officers and milestone supporters, at 1280 px and on a phone at 375 px (no sideways
scrolling of the page).

Run them alone with ``pytest -m browser``; without /usr/bin/chromium they skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from indicators.models import Indicator
from plans.models import Agency, Plan
from priorities.models import Action, Milestone, Objective

# Importing test_browser also sets DJANGO_ALLOW_ASYNC_UNSAFE for the ORM calls below.
from tests import test_browser
from tests.conftest import PASSWORD
from tests.test_browser import SWALE_PLAN, sign_in

pytestmark = pytest.mark.browser

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/csp-screenshots"))


@pytest.fixture
def linked(site):
    plan = Plan.objects.get(title=SWALE_PLAN)
    action = Action.objects.get(priority__plan=plan, ref="6.1")
    action.lead_officer_as_written = "Chief Inspector Smith"
    action.save()
    milestone = Milestone.objects.filter(action=action).first() or Milestone.objects.create(
        action=action, order=1, text="Cohort reviewed", timescale="Annually in April"
    )
    milestone.lead_officer_as_written = "IOM Manager"
    milestone.save()
    milestone.supporting_agencies.add(Agency.objects.get(name="Kent Police"))
    objective = Objective.objects.create(
        priority=action.priority, ref="9", title="Fewer repeat offenders"
    )
    indicator = Indicator.objects.filter(plan=plan).first()
    indicator.frequency_as_written = "3 year rolling programme"
    indicator.save()
    indicator.measures_actions.add(action)
    indicator.measures_objectives.add(objective)
    return action, indicator


@pytest.mark.parametrize("width", [1280, 375])
def test_action_and_indicator_pages_show_the_links(browser_page, axe, reader, linked, width):
    action, indicator = linked
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    sign_in(page, "reader", PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(action.get_absolute_url())
    measured = page.locator("#measured-by")
    expect(measured.get_by_role("link", name=f"Indicator {indicator.ref}:")).to_be_visible()
    expect(page.get_by_text("Chief Inspector Smith")).to_be_visible()
    expect(page.get_by_text("Supported by")).to_be_visible()
    fits(page, "action page", width)
    axe.check(f"action page at {width}px")
    page.screenshot(path=str(SHOTS / f"action-{width}.png"), full_page=True)

    measured.get_by_role("link", name=f"Indicator {indicator.ref}:").click()
    measures = page.locator("#measures")
    expect(measures.get_by_role("link", name=f"Action {action.display_ref}:")).to_be_visible()
    expect(measures.get_by_text("Objective")).to_be_visible()
    expect(page.get_by_text("written as “3 year rolling programme”")).to_be_visible()
    fits(page, "indicator page", width)
    axe.check(f"indicator page at {width}px")
    page.screenshot(path=str(SHOTS / f"indicator-{width}.png"), full_page=True)

    page.goto(f"{action.priority.plan.get_absolute_url()}#action-{action.pk}")
    row = page.locator(f"#action-{action.pk}")
    expect(row.get_by_role("link", name=f"indicator {indicator.ref}")).to_be_visible()
    expect(row.get_by_text("Lead officer: Chief Inspector Smith")).to_be_visible()
    fits(page, "plan page", width)
    axe.check(f"plan page at {width}px")
    row.screenshot(path=str(SHOTS / f"plan-action-row-{width}.png"))
    axe.assert_no_violations()


def fits(page, name: str, width: int) -> None:
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{name} at {width}px scrolls sideways: {scroll} > {inner}"
