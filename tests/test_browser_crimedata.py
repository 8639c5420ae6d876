"""Browser test of the Crime data page (issue 14): a Swale SEG member opens it from the
partnership page, reads the table and chart, charts one crime type, downloads the CSV and
compares with other partnerships. Chromium + axe at 1280 px, no sideways scroll at 375 px."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from indicators.models import Population
from tests import test_browser
from tests.conftest import PASSWORD
from tests.test_browser import sign_in
from tests.test_browser_values_upload import look

pytestmark = pytest.mark.browser

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe


def test_member_reads_crime_data_charts_a_type_and_downloads_it(
    browser_page,
    axe,
    seg_member,
    crime_areas,
):
    page = browser_page
    swale = crime_areas["swale"]
    Population.objects.create(partnership=swale, year=2019, residents=150_000)
    page.goto(swale.get_absolute_url())
    sign_in(page, "seg-member", PASSWORD)
    page.get_by_role("link", name="Crime data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Crime data")
    table = page.locator("#crime-table")
    expect(table.locator("thead th")).to_have_text(
        ["Crime type", "2019/20 Q1", "2019/20 Q2", "2019/20 Q3 1 of 3 months"]
    )
    expect(table.get_by_role("row", name="Burglary")).to_contain_text("7")
    expect(page.get_by_text("Locations are approximate")).to_be_visible()
    expect(page.locator("#crime-chart svg")).to_be_visible()
    expect(page.get_by_role("heading", name="Rate per 1,000 residents, 2019/20 Q2")).to_be_visible()
    look(page, axe, "crime data")

    page.get_by_label("Crime type to chart").select_option("Burglary")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#crime-chart figcaption")).to_contain_text("Burglary in the area")
    expect(page.locator("#crime-chart-desc")).to_contain_text("2019/20 Q1 7; 2019/20 Q2 8")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download every quarter as CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0] == ["partnership", "quarter", "crime_type", "count"]

    page.get_by_role("link", name="Compare with other partnerships").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Crime benchmark: all crime")
    expect(page.locator("#benchmark-table")).to_contain_text("Another partnership")
    look(page, axe, "crime benchmark")
    axe.assert_no_violations()


def test_admin_links_an_indicator_and_confirms_replacing_a_typed_figure(
    browser_page,
    axe,
    swale_admin,
    crime_areas,
):
    from datetime import date
    from decimal import Decimal

    from django.urls import reverse
    from django.utils import timezone

    from indicators.models import Indicator, IndicatorValue
    from plans.models import Plan
    from plans.services import period_open

    page = browser_page
    plan = Plan.objects.get(title=test_browser.SWALE_PLAN)
    indicator = Indicator.objects.get(plan=plan, title="Number of incidents of Hate Crime")
    q2 = period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 1))
    IndicatorValue.objects.create(
        indicator=indicator, period=q2, value=Decimal(41), entered_by=swale_admin,
        entered_at=timezone.now(),
    )  # fmt: skip
    page.goto(reverse("crimedata:crime_series", args=[indicator.pk]))
    sign_in(page, "swale-admin", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Fill from police.uk data")
    page.get_by_label("Yes, from the crime types below").check()
    page.get_by_label("Burglary").check()
    look(page, axe, "fill from police data")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Replace figures typed by hand?")
    expect(page.locator("#conflicts tbody tr")).to_have_text([re.compile(r"2019/20 Q2\s*41\s*8")])
    look(page, axe, "replace typed figures")
    page.get_by_role("button", name="Replace these figures").click()
    expect(page.get_by_text("1 quarter filled from police.uk data")).to_be_visible()
    assert IndicatorValue.objects.get(indicator=indicator, period=q2).value == 8
    axe.assert_no_violations()
