"""Browser journeys of accounts, with axe-core on every page: an admin sets up two-factor
sign-in and signs in with a code; single sign-on through a provider on loopback; the
invitation, password reset and account pages; none scrolls sideways on a phone."""

from __future__ import annotations

import base64
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from csp_tracker.accounts import services
from csp_tracker.accounts.models import Invitation
from plans.models import Membership, Partnership
from tests import test_browser
from tests.accounts.oidc_provider import Provider, serve
from tests.conftest import PASSWORD
from tests.two_factor import app_for, code_for, code_for_key

pytestmark = pytest.mark.browser

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe


def fits_a_phone(page: Page, name: str) -> None:
    """At 375px wide the page never scrolls sideways."""
    size = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.set_viewport_size(size)
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 375px"


def look(page: Page, checker, name: str) -> None:
    checker.check(name)
    fits_a_phone(page, name)


def test_admin_sets_up_two_factor_then_signs_in_with_a_code(browser_page, axe, swale_admin):
    page = browser_page
    page.goto(reverse("plans:my_updates"))
    look(page, axe, "sign-in page")
    page.get_by_label("E-mail address or user name").fill("swale-admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    look(page, axe, "two-factor set-up")
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page).to_have_title(re.compile("^Error: Set up two-factor sign-in"))
    look(page, axe, "two-factor set-up with an error")
    page.wait_for_timeout(1200)  # django-otp refuses codes for a second after a wrong one
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code", exact=True).fill(code_for_key(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    look(page, axe, "recovery codes")
    page.get_by_role("button", name="I have kept my codes, continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My updates")

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(
        page.get_by_text("On, with an authenticator app. 10 recovery codes left.")
    ).to_be_visible()
    look(page, axe, "account page")
    page.get_by_role("button", name="Sign out").click()

    page.goto(reverse("plans:my_updates"))
    page.get_by_label("E-mail address or user name").fill("swale-admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    look(page, axe, "code at sign-in")
    page.get_by_label("Code", exact=True).fill(code_for(app_for(swale_admin)))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My updates")
    axe.assert_no_violations()


@pytest.fixture
def provider():
    provider = Provider()
    server = serve(provider)
    yield provider
    server.shutdown()


def test_single_sign_on_in_the_browser(browser_page, axe, settings, provider, seeded):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    user = get_user_model().objects.create(
        username="kim@council.invalid", email="kim@council.invalid", first_name="Kim Example"
    )
    Membership.objects.create(
        user=user, partnership=Partnership.objects.get(name__startswith="Swale"), role="seg"
    )
    provider.sign_in_as("kim@council.invalid")
    page = browser_page
    page.goto(reverse("plans:my_updates"))
    look(page, axe, "sign-in page with single sign-on")
    page.get_by_role("button", name="Sign in with Test Council account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My updates")
    expect(page.get_by_text("Signed in as Kim Example")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    provider.sign_in_as("stranger@council.invalid")
    page.get_by_role("button", name="Sign in with Test Council account").click()
    expect(page.get_by_text("Only people invited to CSP Tracker can sign in")).to_be_visible()
    look(page, axe, "single sign-on refused")
    axe.assert_no_violations()


def test_invitation_and_password_reset_pages(browser_page, axe, seeded, mailoutbox):
    user = get_user_model().objects.create(
        username="ada@example.invalid", email="ada@example.invalid", first_name="Ada Example"
    )
    user.set_unusable_password()
    user.save()
    invitation = Invitation.objects.create(user=user, sent_at=timezone.now())
    page = browser_page
    page.goto(reverse("accounts:invitation_accept", args=[services.invitation_token(invitation)]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    look(page, axe, "invitation")
    page.get_by_label("Choose a password").fill("short")
    page.get_by_label("Type the password again").fill("short")
    page.get_by_role("button", name="Save password").click()
    expect(page).to_have_title(re.compile("^Error: "))
    look(page, axe, "invitation with errors")
    page.get_by_label("Choose a password").fill("a-long-chosen-pass-42")
    page.get_by_label("Type the password again").fill("a-long-chosen-pass-42")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_text("Your password is set. Sign in to carry on.")).to_be_visible()

    page.get_by_role("link", name="Forgotten your password?").click()
    look(page, axe, "password reset")
    page.get_by_label("Email").fill("ada@example.invalid")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    look(page, axe, "password reset sent")
    link = re.search(r"https?://\S+(/sign-in/reset/\S+/)", mailoutbox[-1].body)[1]
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    look(page, axe, "choose a new password")
    axe.assert_no_violations()
