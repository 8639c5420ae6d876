"""Browser test of the Crime data page (issue 14): a Swale SEG member opens it from the
partnership page, reads the table and chart, charts one crime type, downloads the CSV and
compares with other partnerships. Chromium + axe at 1280 px, no sideways scroll at 375 px."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from indicators.models import Population
from tests import test_browser
from tests.conftest import PASSWORD
from tests.crimedata.conftest import crime_areas  # noqa: F401 (a fixture)
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
    crime_areas,  # noqa: F811
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
