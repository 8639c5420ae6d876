"""Browser test of importing a plan that arrives half way through its year (issue 13): a
partnership admin uploads next year's Swale plan with its Action progress and Indicator values
sheets filled in, reads on the preview how many past updates, values and quarters it brings,
confirms, and sees the imported history on the action page and the figures on the indicator's
trend chart. Chromium + axe at 1280 and 375 px (no sideways scroll on the phone), reusing
``test_browser``'s fixtures. Run it with ``pytest -m browser``."""

from __future__ import annotations

import os
import re
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from indicators.models import Indicator
from plans.models import Plan
from plans.workbook import plan_workbook
from priorities.models import Action
from tests import test_browser
from tests.conftest import PASSWORD
from tests.test_browser import SWALE_PLAN, sign_in
from tests.test_browser_import import choose_file

pytestmark = pytest.mark.browser

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe

NEW_TITLE = "Swale Community Safety Plan 2020/21"
SHOTS = Path(os.environ.get("SCREENSHOTS") or "/tmp/csp-screenshots")


def check_both_widths(page: Page, axe, name: str) -> None:
    """axe at 1280 px and at 375 px, no sideways scroll at 375 px, a screenshot of each (of
    the window: a full-page shot of a long preview outlasts the timeout on a busy machine)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"\W+", "-", name)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_load_state("load")
        axe.check(f"{name} at {width}px")
        page.screenshot(path=str(SHOTS / f"{slug}-{width}.png"), timeout=60_000)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{name} at {width}px scrolls sideways: {scroll} > {inner}"
    page.set_viewport_size({"width": 1280, "height": 900})


def with_progress(content: bytes, action_ref: str, indicator_ref: str) -> bytes:
    """The Swale plan's workbook as 2020/21's plan, with two quarters of progress."""
    book = openpyxl.load_workbook(BytesIO(content))
    plan = book["Plan"]
    headers = [c.value for c in plan[1]]
    plan.cell(2, headers.index("Title") + 1, NEW_TITLE)
    for header in ("First year", "Last year"):
        plan.cell(2, headers.index(header) + 1, 2020)
    progress = book["Action progress"]
    progress.append([action_ref, "2020/21 Q1", "Green", "Venue booked.", "Run the event."])
    progress.append([action_ref, "Q2 2020/21", "Amber", "Fewer stalls than hoped.", ""])
    values = book["Indicator values"]
    values.append([indicator_ref, "2020/21 Q1", 41, "From the police data."])
    values.append([indicator_ref, "2020/21 Q2", 37, ""])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_admin_imports_a_plan_with_progress_and_sees_its_trend(browser_page, axe, swale_admin):
    page = browser_page
    swale = Plan.objects.get(title=SWALE_PLAN)
    action = Action.objects.filter(priority__plan=swale).select_related("priority").first()
    indicator = Indicator.objects.filter(plan=swale, expression="").first()
    exported = plan_workbook(swale)
    content = with_progress(exported, action.ref, indicator.ref)

    page.goto(swale.partnership.get_absolute_url())
    sign_in(page, "swale-admin", PASSWORD)
    page.get_by_role("link", name="Import an action plan from Excel").click()
    choose_file(page, "swale-2020-21.xlsx", content)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the action plan before importing"
    )
    counts = page.locator("#import-counts")
    expect(counts).to_contain_text(re.compile(r"Past action updates\s*2\b"))
    expect(counts).to_contain_text(re.compile(r"Past indicator values\s*2\b"))
    expect(counts).to_contain_text(re.compile(r"Closed quarters they fill\s*2\b"))
    check_both_widths(page, axe, "import preview with progress")

    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
    plan = Plan.objects.get(title=NEW_TITLE)

    # The action's history: both quarters, marked as imported with the plan.
    new_action = Action.objects.get(priority__plan=plan, priority__ref=action.priority.ref,
                                    ref=action.ref)  # fmt: skip
    page.goto(new_action.get_absolute_url())
    q1 = page.locator(f"#progress-{plan.periods.get(quarter=1).pk}")
    expect(q1).to_contain_text("On track (Green)")
    expect(q1).to_contain_text("Venue booked.")
    expect(q1).to_contain_text(re.compile(r"Imported with the plan on \d{1,2} \w+ \d{4}"))
    expect(page.locator(f"#progress-{plan.periods.get(quarter=2).pk}")).to_contain_text(
        "At risk (Amber)"
    )
    check_both_widths(page, axe, "action page with imported history")

    # The indicator's trend chart starts with the imported figures.
    new_indicator = Indicator.objects.get(plan=plan, ref=indicator.ref)
    page.goto(new_indicator.get_absolute_url())
    page.get_by_role("link", name="Trend chart").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Trend of indicator {indicator.ref}"
    )
    table = page.locator("#trend-table")
    expect(table.get_by_role("row").filter(has_text="2020/21 Q1")).to_contain_text("41")
    expect(table.get_by_role("row").filter(has_text="2020/21 Q2")).to_contain_text("37")
    expect(page.locator("figure svg, figure img").first).to_be_visible()
    check_both_widths(page, axe, "trend chart of imported figures")

    axe.assert_no_violations()
