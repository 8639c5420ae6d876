"""The Notifications and Notification settings pages, and the quarter page's "Send a reminder
now", in Chromium at 1280 and 375 px: axe clean, and no page scrolls sideways."""

from __future__ import annotations

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import re  # noqa: E402
from datetime import date  # noqa: E402

import pytest  # noqa: E402
from django.urls import reverse  # noqa: E402

from plans.models import Plan  # noqa: E402
from plans.notifications.models import Notification  # noqa: E402
from plans.services import period_open  # noqa: E402
from tests import test_browser  # noqa: E402
from tests.conftest import PASSWORD  # noqa: E402
from tests.test_browser import sign_in  # noqa: E402
from tests.test_browser_trust import no_sideways_scroll, too_wide  # noqa: E402

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("NOTIFY_SCREENSHOTS")  # a folder to keep screenshots in, if set


def check(page, axe, name: str) -> None:
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        axe.check(f"{name} at {width}px")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        assert no_sideways_scroll(page), (name, width, too_wide(page))


def test_notifications_and_settings(browser_page, axe, seg_member, swale_admin, csu_officer):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    period = period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 15))
    long_title = "Reduce anti-social behaviour in Sheerness town centre and on the seafront " * 2
    for subject in ("2019/20 Q1 report published: Swale Community Safety Plan 2019/20",
                    f"Action 2.2 is Red in 2019/20 Q2: {long_title}"):  # fmt: skip
        Notification.objects.create(
            user=seg_member, kind="report_published", subject=subject[:200],
            body="The SEG report has been published.\nhttps://csp.example.test/reports/1/",
            url=reverse("plans:period_detail", args=[period.pk]),
        )  # fmt: skip
    page = browser_page
    page.goto(reverse("login"))
    sign_in(page, "seg-member", PASSWORD)

    page.get_by_role("link", name="Notifications (2 unread)").click()
    assert page.get_by_role("heading", name="Notifications", level=1).is_visible()
    check(page, axe, "notifications")
    page.get_by_role("button", name=re.compile(r"Mark as read\W+2019.20 Q1 report")).click()
    assert page.get_by_role("link", name="Notifications (1 unread)").is_visible()
    page.get_by_role("button", name="Mark all as read").click()
    assert page.get_by_text("You have no unread notifications.").is_visible()
    check(page, axe, "notifications-read")

    page.get_by_role("link", name="Choose which notifications you get by e-mail").click()
    check(page, axe, "notification-settings")
    page.get_by_label("A quarter's report is published").uncheck()
    page.get_by_role("button", name="Save settings").click()
    assert page.get_by_text("Your notification settings are saved.").is_visible()
    assert not page.get_by_label("A quarter's report is published").is_checked()
    assert page.get_by_label("An action or indicator turns Red").is_checked()

    page.get_by_role("link", name="Your account").click()
    assert page.get_by_role("link", name="Notification settings").is_visible()
    axe.assert_no_violations()


def test_send_a_reminder_now(browser_page, axe, swale_admin, csu_officer):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    period = period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 15))
    page = browser_page
    page.goto(reverse("login"))
    sign_in(page, "swale-admin", PASSWORD)
    page.goto(period.get_absolute_url())
    page.get_by_role("button", name="Send a reminder now").click()
    assert page.get_by_text("Reminder sent to 1 person").is_visible()
    check(page, axe, "quarter-reminded")
    page.get_by_role("button", name="Send a reminder now").click()
    assert page.get_by_text("was already sent today at").is_visible()
    axe.assert_no_violations()
