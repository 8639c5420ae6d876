"""Pages changed for a national service's size, in Chromium at 1280 and 375 px: axe clean,
no sideways scroll. The home page's partnerships list (a member of many partnerships) and the
actions list whose drop-downs ask to narrow first."""

from __future__ import annotations

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.urls import reverse  # noqa: E402

from plans.models import Membership, Partnership  # noqa: E402
from tests import test_browser  # noqa: E402
from tests.conftest import PASSWORD  # noqa: E402
from tests.test_browser import sign_in  # noqa: E402
from tests.test_browser_trust import no_sideways_scroll, too_wide  # noqa: E402

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("PERF_SCREENSHOTS")  # a folder to keep screenshots in, if set


def test_partnerships_list_and_narrowing_filters(browser_page, axe, seg_member):
    for n in range(12):
        partnership = Partnership.objects.create(name=f"Hosted CSP {n:02d}", area=f"Area {n}")
        Membership.objects.create(user=seg_member, partnership=partnership, role="seg")
    page = browser_page
    page.goto(reverse("login"))
    sign_in(page, "seg-member", PASSWORD)
    page.goto(reverse("home"))
    assert "Showing 1 to 13 of 13 partnerships" in page.content()
    page.get_by_label("Search by name or area").fill("swale")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Swale Community Safety Partnership").click()
    assert "Swale Community Safety Plan 2019/20" in page.content()
    pages = {"home": reverse("home"), "actions": reverse("priorities:action_list")}
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(url)
            axe.check(f"{name} at {width}px")
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
            assert no_sideways_scroll(page), (name, width, too_wide(page))
    axe.assert_no_violations()
