"""Browser test of sign-off (issue 10): an officer submits an update, a signer returns it with
a comment (after forgetting the comment once), the officer sees the comment, changes the
update and submits it again, and the signer approves it. Chromium + axe at 1280 px and at
375 px, where no page scrolls sideways. Screenshots go to ``SIGN_OFF_SHOTS`` when it is set.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from plans.models import Agency, Membership, Plan, ReportingPeriod
from plans.services import period_open
from priorities.models import Action, ActionUpdate

# Importing test_browser also sets DJANGO_ALLOW_ASYNC_UNSAFE for the ORM calls below.
from tests import test_browser
from tests.conftest import PASSWORD, SWALE, member
from tests.test_browser import SWALE_PLAN, sign_in

pytestmark = pytest.mark.browser

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe

CSU = "Swale Community Safety Unit"
COMMENT = "Say when the new venue is booked."


@pytest.fixture
def open_quarter(site) -> ReportingPeriod:
    plan = Plan.objects.get(title=SWALE_PLAN)
    plan.partnership.sign_off = True
    plan.partnership.save()
    return period_open(
        plan=plan, year=2019, quarter=2, deadline=timezone.localdate() + timedelta(days=28)
    )


@pytest.fixture
def csu_signer(open_quarter):
    user = member("csu-signer", SWALE, Membership.Role.OFFICER, [CSU])
    Membership.objects.get(user=user).signs_off_for.set(Agency.objects.filter(name=CSU))
    return user


def look(page: Page, axe, name: str) -> None:
    """Axe at 1280 px and at 375 px, no sideways scroll on a phone, and a screenshot of each."""
    shots = os.environ.get("SIGN_OFF_SHOTS")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_load_state("load")
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{name} at {width}px scrolls sideways: {scroll} > {inner}"
        axe.check(f"{name} at {width}px")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            slug = re.sub(r"\W+", "-", name)
            page.screenshot(path=f"{shots}/{slug}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def sign_in_as(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(reverse("login"))
    sign_in(page, username, PASSWORD)


def test_sign_off_journey(browser_page, axe, csu_officer, csu_signer, open_quarter):
    page = browser_page
    action = Action.objects.get(priority__plan=open_quarter.plan, ref="2.2")
    form_url = reverse("priorities:action_update", args=[action.pk, open_quarter.pk])

    # The officer submits: it awaits sign-off.
    sign_in_as(page, "csu-officer")
    page.goto(form_url)
    page.get_by_label("At risk (Amber)", exact=True).check()
    page.get_by_label("Progress commentary").fill("The festival venue fell through.")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Update submitted: it counts once it is signed off"
    )
    page.goto(form_url)
    expect(page.locator("#awaiting-sign-off")).to_contain_text("Awaiting sign-off")

    # The signer finds it on the Sign-off page and returns it, forgetting the comment first.
    sign_in_as(page, "csu-signer")
    page.goto(reverse("plans:sign_off"))
    expect(page).to_have_title("Sign-off – CSP Tracker")
    expect(page.locator("#sign-off-count")).to_have_text("1 item awaits your sign-off")
    look(page, axe, "sign-off page")
    page.get_by_text("Return it for changes").click()
    page.get_by_role("button", name=re.compile("^Return to officer")).click()
    expect(page).to_have_title("Error: Sign-off – CSP Tracker")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter what needs to change before you can sign it off"
    )
    look(page, axe, "sign-off page with an error")
    page.get_by_label("What needs to change").fill(COMMENT)
    page.get_by_role("button", name=re.compile("^Return to officer")).click()
    expect(page.locator("#sign-off-count")).to_have_text("Nothing awaits your sign-off")

    # The officer sees the comment on My updates and on the form, and submits again.
    sign_in_as(page, "csu-officer")
    page.goto(reverse("plans:my_updates"))
    row = page.locator(f"#action-{action.pk}-period-{open_quarter.pk}")
    expect(row).to_contain_text("Returned for changes: " + COMMENT)
    expect(row.locator(".govuk-task-list__status")).to_have_text("Returned")
    look(page, axe, "my updates with a returned update")
    row.get_by_role("link").first.click()
    expect(page.locator("#returned")).to_contain_text(COMMENT)
    look(page, axe, "update form returned")
    page.get_by_label("Progress commentary").fill("A new venue is booked for 3 March.")
    page.get_by_role("button", name="Submit", exact=True).click()

    # The signer approves it: it counts.
    sign_in_as(page, "csu-signer")
    page.goto(reverse("plans:sign_off"))
    expect(page.get_by_text("A new venue is booked for 3 March.")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("it now counts")
    update = ActionUpdate.objects.get(action=action, period=open_quarter)
    assert update.counts and update.signed_off_by == csu_signer
    page.goto(reverse("plans:plan_dashboard", args=[open_quarter.plan_id]))
    expect(page.locator("#awaiting-sign-off")).to_have_text(
        "None: everything submitted is signed off"
    )
    look(page, axe, "dashboard")
    page.goto(action.get_absolute_url())
    page.get_by_text(re.compile("^Versions of the")).click()
    expect(page.locator(".app-sign-off-note").first).to_contain_text("Signed off")
    axe.assert_no_violations()


def test_admin_turns_sign_off_off_and_names_a_signer(
    browser_page, axe, swale_admin, csu_officer, open_quarter
):
    page = browser_page
    partnership = open_quarter.plan.partnership
    sign_in_as(page, "swale-admin")
    page.goto(partnership.get_absolute_url())
    page.get_by_role("link", name="Sign-off", exact=True).click()
    expect(page).to_have_title(f"Sign-off – {partnership.name} – CSP Tracker")
    expect(page.locator("#sign-off-state")).to_have_text("Sign-off is on.")
    look(page, axe, "sign-off setting")
    page.get_by_label(re.compile("^No: they count")).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#sign-off-state")).to_have_text("Sign-off is off.")

    page.goto(reverse("plans:member_edit", args=[Membership.objects.get(user=csu_officer).pk]))
    signs_off = page.get_by_role("group", name="Agencies they sign off for")
    signs_off.get_by_label(CSU, exact=True).check()
    look(page, axe, "member page")
    page.get_by_role("button", name="Save changes").click()
    assert list(Membership.objects.get(user=csu_officer).signs_off_for.all()) == [
        Agency.objects.get(name=CSU)
    ]
    axe.assert_no_violations()
