"""Browser tests of quarterly updates (issue 3): an officer reports on an action, with an error
on the way, and an SEG member is refused the form. Chromium + axe, as in ``test_browser``,
whose fixtures and helpers this module reuses: every page visited, error states included, is
checked against WCAG 2.2 A and AA.

Run them alone with ``pytest -m browser``; without /usr/bin/chromium they skip (fail if
``CI=true``).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from plans.models import Plan, ReportingPeriod
from plans.services import period_open
from priorities.models import Action, ActionUpdate

# Importing test_browser also sets DJANGO_ALLOW_ASYNC_UNSAFE, which the ORM calls below need
# (Playwright's sync API runs an event loop in the test thread).
from tests import test_browser
from tests.conftest import PASSWORD
from tests.test_browser import SWALE_PLAN, nav_link, sign_in

pytestmark = pytest.mark.browser

# test_browser's fixtures, made visible here: one Chromium per module, the live server with
# the seed plans, a fresh browser context per test and the axe checker.
chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe

ACTION_REF = "2.2"
QUARTER = "2019/20 Q2"
COMMENTARY = "The festival venue fell through; a new one is being sought with the council."


@pytest.fixture
def open_quarter(site) -> ReportingPeriod:
    """2019/20 Q2 of the Swale plan, open for updates with its deadline still ahead.

    Depends on ``site`` so the seed plans are in the live server's (committed) database first.
    """
    plan = Plan.objects.get(title=SWALE_PLAN)
    period = period_open(
        plan=plan, year=2019, quarter=2, deadline=timezone.localdate() + timedelta(days=28)
    )
    assert period.label == QUARTER
    return period


@pytest.fixture
def action(open_quarter) -> Action:
    return Action.objects.get(priority__plan=open_quarter.plan, ref=ACTION_REF)


def sign_in_from_home(page: Page, username: str, lands_on: str = "Partnerships and plans") -> None:
    """Sign in from the home page: officers with something due land on My updates."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
    sign_in(page, username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(lands_on)


def update_url(action: Action, period: ReportingPeriod) -> str:
    return reverse("priorities:action_update", args=[action.pk, period.pk])


def summary_value(card, key: str):
    """The value of the summary-list row whose key is exactly ``key``."""
    row = card.locator(".govuk-summary-list__row").filter(
        has=card.page.locator("dt", has_text=re.compile(rf"^{re.escape(key)}$"))
    )
    return row.locator("dd")


def my_updates_row(page: Page, action: Action, period: ReportingPeriod):
    return page.locator(f"#action-{action.pk}-period-{period.pk}")


def test_officer_submits_an_action_update_after_correcting_an_error(
    browser_page, axe, csu_officer, open_quarter, action
):
    page = browser_page
    period = open_quarter

    # With updates due, signing in lands on My updates, which lists 2.2 as to do.
    sign_in_from_home(page, "csu-officer", lands_on="My updates")
    expect(page.get_by_role("heading", name=f"{SWALE_PLAN}: {QUARTER}")).to_be_visible()
    row = my_updates_row(page, action, period)
    expect(row.locator(".govuk-task-list__status")).to_have_text("To do")
    axe.check("my updates")

    # The update form.
    row.get_by_role("link", name=re.compile(rf"^Action {re.escape(ACTION_REF)}: ")).click()
    expect(page).to_have_url(re.compile(re.escape(update_url(action, period)) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(rf"^Update action {re.escape(ACTION_REF)}: ")
    )
    axe.check("action update form")

    # Off track without a commentary: the error summary, linking to the commentary.
    page.get_by_label("Off track (Red)", exact=True).check()
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page).to_have_title(re.compile(r"^Error: Update action"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    message = "Enter a progress commentary for status Off track (Red)"
    error_link = summary.get_by_role("link")
    expect(error_link).to_have_count(1)
    expect(error_link).to_have_text(message)
    expect(error_link).to_have_attribute("href", "#id_commentary")
    expect(page.locator("#id_commentary-error")).to_contain_text(message)
    # The choice survives the failed attempt, and nothing was saved.
    expect(page.get_by_label("Off track (Red)", exact=True)).to_be_checked()
    assert not ActionUpdate.objects.filter(action=action, period=period).exists()
    axe.check("action update form, error state")

    error_link.click()
    commentary = page.locator("#id_commentary")
    expect(commentary).to_be_focused()

    # Corrected and submitted: back on the action page, with the banner and the progress.
    commentary.fill(COMMENTARY)
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(rf"^Action {re.escape(ACTION_REF)}: ")
    )
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Update submitted")
    card = page.locator(f"#progress-{period.pk}")
    expect(card.get_by_role("heading", level=3)).to_contain_text(QUARTER)
    expect(summary_value(card, "Status").locator(".govuk-tag")).to_have_text("Off track (Red)")
    expect(summary_value(card, "State").locator(".govuk-tag").first).to_have_text("Submitted")
    expect(summary_value(card, "Submitted")).to_contain_text("By csu-officer on ")
    expect(card).to_contain_text(COMMENTARY)
    axe.check("action, update submitted")

    # My updates now shows it submitted.
    nav_link(page, "My updates").click()
    row = my_updates_row(page, action, period)
    expect(row.locator(".govuk-task-list__status")).to_have_text("Submitted")
    expect(
        row.get_by_role("link", name=re.compile(rf"^Action {re.escape(ACTION_REF)}: "))
    ).to_be_visible()
    axe.check("my updates, after submitting")

    axe.assert_no_violations()


def test_seg_member_cannot_open_the_update_form(
    browser_page, axe, seg_member, open_quarter, action
):
    page = browser_page

    sign_in_from_home(page, "seg-member")
    menu = page.get_by_role("navigation", name="Menu")
    expect(nav_link(page, "Plans")).to_be_visible()
    expect(menu.get_by_role("link", name="My updates")).to_have_count(0)
    axe.check("home, SEG member")

    # The action page shows the progress but offers no form.
    page.goto(action.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(rf"^Action {re.escape(ACTION_REF)}: ")
    )
    expect(page.locator(f"#progress-{open_quarter.pk}")).to_contain_text("No update yet")
    expect(page.get_by_role("link", name=re.compile(r"^Update for "))).to_have_count(0)
    axe.check("action, SEG member")

    # The form's address, typed in: refused.
    response = page.goto(update_url(action, open_quarter))
    assert response is not None
    assert response.status == 403, response.status
    expect(page).to_have_title(re.compile(r"^You cannot do this"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    expect(page.locator("main")).to_contain_text(
        "Only the lead agency's officers may update this action."
    )
    expect(page.get_by_role("link", name="Go to your plans")).to_be_visible()
    axe.check("403 on the update form")

    assert not ActionUpdate.objects.filter(action=action).exists()
    axe.assert_no_violations()
