"""Browser check of a plan page with its funding summary and its previous year's results
(issue 13): a reader opens Swale's plan, follows the contents to the funding summary (by
source, and by source and year) and to the key activities of 2018/19. Chromium + axe at
1280 px and at 375 px (where the page must not scroll sideways), as in ``test_browser``.

Screenshots go to ``$SCREENSHOTS`` when it is set (to look at them)."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from plans.models import FundingLine, Plan
from tests import test_browser
from tests.conftest import PASSWORD
from tests.test_browser import SWALE_PLAN, sign_in
from tests.test_browser_plan_editing import look as full_look


def look(page, axe, name: str) -> None:
    """``look`` (axe at 1280 and 375 px, no sideways scroll) without its full-page shots."""
    folder = os.environ.pop("SCREENSHOTS", None)
    try:
        full_look(page, axe, name)
    finally:
        if folder is not None:
            os.environ["SCREENSHOTS"] = folder


pytestmark = pytest.mark.browser

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe


def shoot_sections(page, sections) -> None:
    """The new sections alone at 1280 and 375 px (the whole Swale page is too long to take
    quickly), into ``$SCREENSHOTS`` when it is set."""
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    size = page.viewport_size
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        for n, section in enumerate(sections):
            section.screenshot(path=str(Path(folder) / f"plan-content-{n}-{width}.png"))
    page.set_viewport_size(size)


def test_plan_page_shows_funding_summary_and_previous_results(browser_page, axe, reader):
    page = browser_page
    plan = Plan.objects.get(title=SWALE_PLAN)
    action = plan.priorities.get(ref="1").actions.order_by("sort_key").first()
    for order, (source, amount, year, written) in enumerate(
        [
            ("PCC grant", Decimal("118369"), 2019, "PCC grant £118,369"),
            ("CHS directorate", Decimal("1000"), 2019, "CHS directorate £1,000"),
            ("Officer time", None, None, "Within existing resources"),
        ],
        start=1,
    ):
        FundingLine.objects.create(action=action, order=order, source=source, amount=amount,
                                   financial_year=year, as_written=written)  # fmt: skip

    page.goto(plan.get_absolute_url())
    sign_in(page, "reader", PASSWORD)
    page.get_by_role("navigation", name="Contents").get_by_role("link", name="Funding").click()
    funding = page.get_by_role("region", name="Funding")
    expect(funding).to_contain_text("£119,369 in all")
    by_source = page.locator("#funding-by-source")
    expect(by_source.get_by_role("row", name="PCC grant")).to_contain_text("£118,369")
    expect(by_source.get_by_role("row", name="Officer time")).to_contain_text("No amount given")
    expect(page.locator("#funding-by-year")).to_contain_text("2019/20")

    results = page.get_by_role("region", name="Results of the previous year")
    expect(results.get_by_role("row")).to_have_count(10)  # the header and 9 activities
    expect(results).to_contain_text("Swale Fusion Festival")
    look(page, axe, "plan page with funding and previous results")
    shoot_sections(page, [funding, results])

    page.goto(action.get_absolute_url())
    expect(page.get_by_role("heading", name="Funding")).to_be_visible()
    expect(page.get_by_role("cell", name="CHS directorate £1,000")).to_be_visible()
    look(page, axe, "action page with funding")
    axe.assert_no_violations()
