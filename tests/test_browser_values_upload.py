"""Browser test of figures from a sheet (issue 14): an officer downloads the quarter's sheet,
fills it in, uploads it with a mistake, corrects it, previews and confirms; an admin opens the
history and calculation pages. Chromium + axe at 1280 px, and no sideways scroll at 375 px.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from indicators.models import Indicator, IndicatorValue
from plans.models import Plan, ReportingPeriod
from plans.services import period_open
from tests import test_browser
from tests.conftest import PASSWORD
from tests.test_browser import SWALE_PLAN, sign_in

pytestmark = pytest.mark.browser

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe

SHOTS = Path("/tmp/values-upload-shots")


@pytest.fixture
def open_quarter(site) -> ReportingPeriod:
    plan = Plan.objects.get(title=SWALE_PLAN)
    return period_open(
        plan=plan, year=2019, quarter=2, deadline=timezone.localdate() + timedelta(days=28)
    )


def look(page: Page, axe, name: str) -> None:
    """axe at 1280 px; no sideways scroll at 375 px; a screenshot at each width."""
    axe.check(name)
    SHOTS.mkdir(exist_ok=True)
    slug = re.sub(r"\W+", "-", name)
    page.screenshot(path=str(SHOTS / f"{slug}-1280.png"), full_page=True)
    size = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.screenshot(path=str(SHOTS / f"{slug}-375.png"), full_page=True)
    axe.check(f"{name} at 375 px")
    page.set_viewport_size(size)
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 375px"


def filled(path: str, figures: dict[str, object]) -> bytes:
    book = load_workbook(io.BytesIO(Path(path).read_bytes()))
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in figures:
            row[5].value = figures[row[0].value]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(page: Page, content: bytes) -> None:
    page.get_by_label("Upload figures", exact=True).set_input_files(
        files=[{"name": "figures.xlsx", "mimeType": "application/octet-stream", "buffer": content}]
    )
    page.get_by_role("button", name="Upload and check").click()


def test_officer_downloads_fills_uploads_previews_and_confirms(
    browser_page, axe, police_officer, open_quarter
):
    page = browser_page
    period = open_quarter
    bulk = reverse("indicators:bulk_values", args=[period.plan_id, period.pk])
    page.goto(bulk)
    sign_in(page, "police-officer", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicator values for 2019/20 Q2")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this quarter’s sheet").click()
    path = download.value.path()
    assert download.value.suggested_filename == "indicator-values-2019-20-Q2.xlsx"

    page.get_by_role("link", name="upload figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload figures for 2019/20 Q2")
    look(page, axe, "upload figures")

    upload(page, filled(path, {"1.1": "12,5", "2.3": 17}))
    expect(page).to_have_title(re.compile(r"^Error: Upload figures"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(
        [re.compile(r"^Row \d+, column “Value”: Use a full stop for decimals")]
    )
    look(page, axe, "upload figures with a problem")
    assert not IndicatorValue.objects.exists()

    upload(page, filled(path, {"1.1": 12.5, "2.3": 17}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the figures before saving")
    expect(page.get_by_text("2 figures will be saved for 2019/20 Q2")).to_be_visible()
    look(page, axe, "upload preview")

    page.get_by_role("button", name="Save these figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicator values for 2019/20 Q2")
    expect(page.get_by_text("2 values for 2019/20 Q2 saved")).to_be_visible()
    saved = {v.indicator.ref: v.value for v in IndicatorValue.objects.filter(period=period)}
    assert saved == {"1.1": 12.5, "2.3": 17}
    axe.assert_no_violations()


def test_admin_history_and_calculation_pages(browser_page, axe, swale_admin, open_quarter):
    page = browser_page
    plan = open_quarter.plan
    page.goto(reverse("indicators:history_upload", args=[plan.pk]))
    sign_in(page, "swale-admin", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Load figures for earlier quarters")
    look(page, axe, "history upload")

    total = Indicator.objects.get(plan=plan, ref="2.4")
    page.goto(reverse("indicators:indicator_calculation", args=[total.pk]))
    page.get_by_label("Calculation").fill("__import__('os')")
    page.get_by_role("button", name="Save calculation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("are not allowed")
    look(page, axe, "calculation with a problem")
    page.get_by_label("Calculation").fill("[2.5] + [2.7]")
    page.get_by_role("button", name="Save calculation").click()
    expect(page.locator("#calculation")).to_contain_text("Sum of 2.5 and 2.7")
    look(page, axe, "indicator with a calculation")

    page.goto(reverse("indicators:population", args=[plan.partnership_id]))
    page.get_by_label("Financial year").fill("2019")
    page.get_by_label("Residents").fill("150000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#population")).to_contain_text("150,000")
    look(page, axe, "population")
    axe.assert_no_violations()
