"""Browser test of the report pack as a board paper and on a phone (issue 9): an SEG member
reads the demo's Swale report pack and plan page at 375 px without sideways scrolling, and
the browser's own print of the pack carries the running header and page numbers on every
page. Chromium + axe (WCAG 2.2 A and AA), as in ``test_browser``, whose fixtures this reuses.
"""

from __future__ import annotations

from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page
from pypdf import PdfReader

from plans.demo import DEMO_PASSWORD
from plans.models import Plan, ReportingPeriod
from tests import test_browser
from tests.test_browser import SWALE_PLAN, sign_in

pytestmark = pytest.mark.browser

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def demo(site) -> None:
    call_command("load_demo_data", stdout=StringIO())


def assert_no_sideways_scroll(page: Page, name: str) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{name} scrolls sideways at {widths[1]} px: {widths[0]} px"


def test_report_pack_and_plan_page_fit_a_phone(browser_page, axe, demo):
    page = browser_page
    plan = Plan.objects.get(title=SWALE_PLAN)
    q3 = ReportingPeriod.objects.get(plan=plan, quarter=3)
    page.goto(reverse("login"))
    sign_in(page, "swale-seg", DEMO_PASSWORD)
    page.set_viewport_size(PHONE)

    page.goto(reverse("plans:report_pack", args=[q3.pk]))
    assert page.get_by_role("heading", level=1).inner_text().startswith("2019/20 Q3 progress")
    assert_no_sideways_scroll(page, "report pack")
    # Wide tables scroll inside their own labelled, focusable boxes.
    region = page.get_by_role("region", name="Indicators: 2. Crime")
    assert region.get_attribute("tabindex") == "0"
    axe.check("report pack at 375 px")

    page.goto(plan.get_absolute_url())
    assert_no_sideways_scroll(page, "plan page")
    risk = page.locator("#risk-register tbody tr").first
    assert risk.locator(".app-risk-band").first.inner_text() in {"Low", "Medium", "High"}
    axe.check("plan page at 375 px")
    axe.assert_no_violations()


def test_browser_print_of_the_pack_is_a_board_paper(browser_page, axe, demo):
    page = browser_page
    plan = Plan.objects.get(title=SWALE_PLAN)
    q3 = ReportingPeriod.objects.get(plan=plan, quarter=3)
    page.goto(reverse("login"))
    sign_in(page, "swale-seg", DEMO_PASSWORD)
    page.goto(reverse("plans:report_pack", args=[q3.pk]))
    axe.check("report pack at 1280 px")
    axe.assert_no_violations()

    pages = [p.extract_text() for p in PdfReader(BytesIO(page.pdf(format="A4"))).pages]
    header = "Swale Community Safety Partnership · Swale Community Safety Plan 2019/20 · 2019/20 Q3"
    assert len(pages) > 3
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert header in flat, (number, flat[:200])
        assert "Draft" in flat, number
        assert f"Page {number} of {len(pages)}" in flat, number
    assert "Signed in as" not in " ".join(pages)  # the site's chrome is left out
