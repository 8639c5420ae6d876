"""Browser tests of the quarterly cycle (issue 9), in Chromium with axe (WCAG 2.2 A and AA):
an officer submits 2019/20 Q3 (one action Complete), the admin closes Q3 and opens Q4, and
the officer finds the next form pre-filled and the completed action not asked for; and the
officer's pages fit a phone (no sideways scrolling of the page at 375 and 320 px).

Run them alone with ``pytest -m browser``; without /usr/bin/chromium they skip.
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
from plans.worklist import work_groups
from priorities.models import Action, ActionUpdate

# Importing test_browser also sets DJANGO_ALLOW_ASYNC_UNSAFE for the ORM calls below.
from tests import test_browser
from tests.conftest import PASSWORD
from tests.test_browser import SWALE_PLAN, sign_in

pytestmark = pytest.mark.browser

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe

Q3, Q4 = "2019/20 Q3", "2019/20 Q4"
DONE = "The festival ran on 26 October; the evaluation is with the council."
CARRIED = "Two cohesion events held in Sittingbourne."
NEXT_STEPS = "Plan next year's events with the council."


@pytest.fixture
def q3(site) -> ReportingPeriod:
    plan = Plan.objects.get(title=SWALE_PLAN)
    return period_open(
        plan=plan, year=2019, quarter=3, deadline=timezone.localdate() + timedelta(days=21)
    )


def sign_in_from_home(page: Page, username: str) -> None:
    # Let the sign-in page finish loading (its favicon too), so leaving it aborts nothing
    # that the accessibility checker would report as a broken asset.
    page.goto("/")
    page.wait_for_load_state("networkidle")
    sign_in(page, username, PASSWORD)
    page.wait_for_load_state("networkidle")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def task(page: Page, action: Action, period: ReportingPeriod):
    return page.locator(f"#action-{action.pk}-period-{period.pk}")


def test_the_next_quarter_starts_from_the_last(browser_page, axe, csu_officer, swale_admin, q3):
    page = browser_page
    plan = q3.plan
    complete = Action.objects.get(priority__plan=plan, ref="2.2")
    items = work_groups(csu_officer, [q3], today=timezone.localdate())[0].actions
    carried = next(i.obj for i in items if i.obj.pk != complete.pk)  # first on the list
    festival = complete.milestones.get(text="Swale Fusion Festival")

    # Signed in with work due: straight to My updates, a GOV.UK task list.
    sign_in_from_home(page, "csu-officer")
    expect(heading(page)).to_have_text("My updates")
    expect(task(page, complete, q3).locator(".govuk-task-list__status")).to_have_text("To do")
    axe.check("my updates, Q3")

    # 2.2: Complete, its festival milestone done; then on to the next thing to do.
    task(page, complete, q3).get_by_role("link").click()
    expect(heading(page)).to_have_text(re.compile(r"^Update action 2\.2: "))
    page.get_by_label("Complete", exact=True).check()
    page.get_by_label("Progress commentary").fill(DONE)
    page.get_by_label("1. Swale Fusion Festival").check()
    page.locator(f"#id_milestone_{festival.pk}_date").fill("26")
    page.locator(f"#id_milestone_{festival.pk}_date_month").fill("10")
    page.locator(f"#id_milestone_{festival.pk}_date_year").fill("2019")
    axe.check("action update form, Q3")
    page.get_by_role("button", name="Submit and go to the next").click()
    expect(page).to_have_url(re.compile(re.escape(f"/actions/{carried.pk}/update/{q3.pk}/")))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Update submitted")

    # The next one: On track, with next steps.
    page.get_by_label("On track (Green)", exact=True).check()
    page.get_by_label("Progress commentary").fill(CARRIED)
    page.get_by_label("Next steps").fill(NEXT_STEPS)
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(heading(page)).to_have_text(re.compile(rf"^Action {re.escape(carried.ref)}: "))
    page.get_by_role("link", name="Back to My updates").click()
    expect(task(page, carried, q3).locator(".govuk-task-list__status")).to_have_text("Submitted")
    page.get_by_role("button", name="Sign out").click()

    # The admin closes Q3 and opens Q4.
    page.goto(reverse("plans:period_detail", args=[q3.pk]))
    page.wait_for_load_state("networkidle")
    sign_in(page, "swale-admin", PASSWORD)
    page.get_by_role("button", name="Close this quarter").click()
    page.goto(reverse("plans:period_list", args=[plan.pk]))
    page.get_by_role("link", name=f"Open {Q4}").click()
    deadline = timezone.localdate() + timedelta(days=30)
    page.locator("#id_deadline").fill(str(deadline.day))
    page.locator("#id_deadline-month").fill(str(deadline.month))
    page.locator("#id_deadline-year").fill(str(deadline.year))
    page.get_by_role("button", name=f"Open {Q4}").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"{Q4} is open for updates"
    )
    page.get_by_role("button", name="Sign out").click()
    q4 = ReportingPeriod.objects.get(plan=plan, year=2019, quarter=4)

    # The officer: 2.2 is not asked for, but listed as completed.
    sign_in_from_home(page, "csu-officer")
    expect(heading(page)).to_have_text("My updates")
    expect(page.get_by_role("heading", name=f"{SWALE_PLAN}: {Q4}")).to_be_visible()
    completed_heading = page.get_by_role("heading", name="Completed", exact=True)
    expect(completed_heading).to_be_visible()
    done_task = task(page, complete, q4)
    expect(done_task.locator(".govuk-task-list__status")).to_have_text("Completed earlier")
    expect(done_task).to_contain_text(f"Completed in {Q3}")
    expect(done_task.get_by_role("link")).to_have_attribute("href", complete.get_absolute_url())
    expect(page.locator("#update-counts")).to_contain_text("1 completed earlier")
    axe.check("my updates, Q4 with a completed action")

    # The carried-over action's Q4 form starts from Q3.
    task(page, carried, q4).get_by_role("link").click()
    aside = page.locator("#previous-update")
    expect(aside.get_by_role("heading", level=2)).to_have_text(f"{Q3} said:")
    expect(aside).to_contain_text(CARRIED)
    expect(aside).to_contain_text(NEXT_STEPS)
    expect(page.get_by_label("On track (Green)", exact=True)).to_be_checked()
    expect(page.get_by_label("Progress commentary")).to_have_value("")
    axe.check("action update form, Q4 carried over")

    # The completed action's own page says so, with the way to reopen it.
    page.goto(complete.get_absolute_url())
    expect(page.locator("#completed")).to_contain_text(f"Completed in {Q3}")
    expect(page.get_by_role("link", name=re.compile(r"^Reopen this action"))).to_be_visible()
    axe.check("completed action")
    assert not ActionUpdate.objects.filter(action=complete, period=q4).exists()

    # Reopened, with the reason it needs: asked for again.
    page.get_by_role("link", name=re.compile(r"^Reopen this action")).click()
    expect(heading(page)).to_have_text(re.compile(r"^Reopen action 2\.2: "))
    page.get_by_role("button", name="Reopen action 2.2").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are reopening this action"
    )
    axe.check("reopen, error state")
    page.get_by_label("Why are you reopening this action?").fill("A second festival is planned.")
    page.get_by_role("button", name="Reopen action 2.2").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Action 2.2 reopened"
    )
    expect(page.locator("#reopenings")).to_contain_text("A second festival is planned.")
    page.get_by_role("link", name="Back to My updates").click()
    expect(task(page, complete, q4).locator(".govuk-task-list__status")).to_have_text("To do")
    axe.check("my updates, after reopening")

    axe.assert_no_violations()


# --- Phones -------------------------------------------------------------------------------------


def officer_pages(plan: Plan, period: ReportingPeriod) -> dict[str, str]:
    action = Action.objects.get(priority__plan=plan, ref="2.2")
    indicator = plan.indicators.order_by("sort_key").first()
    return {
        "my updates": reverse("plans:my_updates"),
        "action update form": reverse("priorities:action_update", args=[action.pk, period.pk]),
        "indicator value form": reverse(
            "indicators:indicator_value", args=[indicator.pk, period.pk]
        ),
        "bulk values": reverse(
            "indicators:bulk_values", kwargs={"plan_pk": plan.pk, "period_pk": period.pk}
        ),
        "milestones": reverse("priorities:milestone_list"),
        "actions": reverse("priorities:action_list"),
        "indicators": reverse("indicators:indicator_list"),
        "action": action.get_absolute_url(),
    }


@pytest.mark.parametrize("width", [375, 320])
def test_the_officers_pages_fit_a_phone(browser_page, axe, swale_admin, q3, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 740})
    sign_in_from_home(page, "swale-admin")
    expect(heading(page)).to_have_text("My updates")
    for name, url in officer_pages(q3.plan, q3).items():
        page.goto(url)
        page.wait_for_load_state("load")
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{name} at {width}px scrolls sideways: {scroll} > {inner}"
        if width == 375:
            axe.check(f"{name} at {width}px")
    axe.assert_no_violations()
