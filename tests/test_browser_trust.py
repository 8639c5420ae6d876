"""The partnership's Agencies and Audit log pages, and a member's delegations, in Chromium at
1280 and 375 px: axe clean, and the page never scrolls sideways."""

from __future__ import annotations

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.urls import reverse  # noqa: E402

from plans.models import Partnership  # noqa: E402
from plans.services import delegates_set  # noqa: E402
from priorities.models import Action  # noqa: E402
from tests import test_browser  # noqa: E402
from tests.conftest import PASSWORD  # noqa: E402
from tests.test_browser import sign_in  # noqa: E402

# test_browser's fixtures, made visible here (as test_browser_import does).
chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("TRUST_SCREENSHOTS")  # a folder to keep screenshots in, if set


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def too_wide(page) -> list[str]:
    return page.evaluate(
        """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right
        > window.innerWidth + 1).slice(-5).map(e => e.tagName + '.' + e.className + ' '
        + Math.round(e.getBoundingClientRect().right))"""
    )


def test_agencies_and_audit_log_pages(browser_page, axe, swale_admin, police_officer):
    swale = Partnership.objects.get(name__startswith="Swale")
    action = Action.objects.get(priority__plan__partnership=swale, ref="2.2")
    delegates_set(obj=action, users=[police_officer])
    page = browser_page
    page.goto(reverse("login"))
    sign_in(page, "swale-admin", PASSWORD)
    page.goto(swale.get_absolute_url())
    page.get_by_role("link", name="Agencies on the partnership").click()
    page.get_by_label("Or a new agency's full name").fill("Sheppey Youth Forum")
    page.get_by_role("button", name="Add agency").click()
    assert "Sheppey Youth Forum added" in page.content()
    membership = police_officer.memberships.get()
    pages = {
        "agencies": reverse("plans:partnership_agencies", args=[swale.pk]),
        "audit log": reverse("plans:audit_log", args=[swale.pk]),
        "member": reverse("plans:member_edit", args=[membership.pk]),
    }
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(url)
            axe.check(f"{name} at {width}px")
            if SHOTS:
                page.screenshot(
                    path=f"{SHOTS}/{name.replace(' ', '-')}-{width}.png", full_page=True
                )
            assert no_sideways_scroll(page), (name, width, too_wide(page))
            if SHOTS:
                page.screenshot(
                    path=f"{SHOTS}/{name.replace(' ', '-')}-{width}.png", full_page=True
                )
    page.goto(pages["audit log"])
    assert page.get_by_role("cell", name="Sheppey Youth Forum").count() >= 1
    axe.assert_no_violations()
