"""Browser test of questions, answers and evidence (issue 10): an SEG member asks about an
Amber action; its officer answers with a PDF attached; the SEG member reads the answer and
downloads the file. Every page is checked with axe at 1280 and 375 px, and none scrolls
sideways on a phone. Screenshots go to ``$SCREENSHOTS`` (default: a temporary folder).
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

from plans.collaboration.models import Comment, Evidence
from plans.models import Plan
from plans.services import period_open
from priorities import services as update_services
from priorities.models import Action
from tests import test_browser
from tests.collaboration.files import PDF
from tests.conftest import PASSWORD
from tests.test_browser import SWALE_PLAN, sign_in

pytestmark = pytest.mark.browser

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe

QUESTION = "Why is this Amber again? The venue was meant to be agreed last quarter."
ANSWER = "The council withdrew the venue in August. The minutes of the meeting are attached."


@pytest.fixture
def amber(site, csu_officer, settings, tmp_path):
    """Swale's action 2.2 reported At risk (Amber) for 2019/20 Q2 by the CSU officer."""
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = Plan.objects.get(title=SWALE_PLAN)
    period = period_open(
        plan=plan, year=2019, quarter=2, deadline=timezone.localdate() + timedelta(days=28)
    )
    action = Action.objects.select_related("priority__plan").get(priority__plan=plan, ref="2.2")
    update_services.action_update_save(
        user=csu_officer, action=action, period=period, status="at_risk",
        commentary="The festival venue fell through.", next_steps="Find a venue.",
        milestones=[], submit=True, expected_version=None,
    )  # fmt: skip
    return action, period


def shots() -> Path:
    folder = Path(os.environ.get("SCREENSHOTS") or "/tmp/csp-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_both_widths(page: Page, axe, name: str) -> None:
    """axe at 1280 px and at 375 px, no sideways scroll at 375 px, a screenshot of each."""
    slug = re.sub(r"\W+", "-", name)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_load_state("load")
        axe.check(f"{name} at {width}px")
        page.screenshot(path=str(shots() / f"{slug}-{width}.png"), full_page=True)
        if width == 375:
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert scroll <= inner, f"{name} at 375px scrolls sideways: {scroll} > {inner}"
    page.set_viewport_size({"width": 1280, "height": 900})


def sign_in_as(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(reverse("login"))
    sign_in(page, username, PASSWORD)


def test_seg_member_asks_officer_answers_with_a_pdf_and_the_file_opens(
    browser_page, axe, seg_member, csu_officer, amber, tmp_path
):
    page = browser_page
    action, period = amber

    # The SEG member reads the Amber action and asks about it.
    sign_in_as(page, "seg-member")
    page.goto(action.get_absolute_url())
    expect(page.locator(f"#progress-{period.pk}")).to_contain_text("At risk (Amber)")
    panel = page.locator("#questions-and-evidence")
    panel.get_by_role("link", name=f"Questions on {period.label}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Questions on action"))
    check_both_widths(page, axe, "thread, empty")
    page.get_by_role("button", name="Send question").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your question")
    axe.check("thread with an error")
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_role("button", name="Send question").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your question has been sent to the lead."
    )
    expect(page.get_by_text("Awaiting an answer")).to_be_visible()
    check_both_widths(page, axe, "thread, asked")

    # The officer sees it on My updates and answers with the minutes attached.
    sign_in_as(page, "csu-officer")
    page.goto(reverse("plans:my_updates"))
    open_questions = page.locator("#open-questions")
    expect(open_questions).to_contain_text("Questions awaiting your answer (1)")
    check_both_widths(page, axe, "my updates with a question")
    open_questions.get_by_role("link", name=re.compile(r"^Answer the question on action")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Answer a question on action")
    )
    expect(page.get_by_text(QUESTION)).to_be_visible()
    expect(page.get_by_text("holds no personal data")).to_be_visible()
    check_both_widths(page, axe, "answer form")
    page.get_by_label("Your answer").fill(ANSWER)
    minutes = tmp_path / "venue-minutes.pdf"
    minutes.write_bytes(PDF)
    page.get_by_label("Attach a file (optional)").set_input_files(str(minutes))
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Your answer has been saved")).to_be_visible()
    assert Comment.objects.get(parent__isnull=False).text == ANSWER
    assert Evidence.objects.get().name == "venue-minutes.pdf"

    # The SEG member reads the answer and opens the file.
    sign_in_as(page, "seg-member")
    page.goto(reverse("collaboration:thread", args=["action", action.pk, period.pk]))
    expect(page.get_by_text(ANSWER)).to_be_visible()
    expect(page.get_by_text("Answered", exact=True)).to_be_visible()
    check_both_widths(page, axe, "thread, answered")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="venue-minutes.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "venue-minutes.pdf"
    assert Path(download.path()).read_bytes() == PDF

    # The evidence page lists the file with who uploaded it.
    page.goto(reverse("collaboration:evidence", args=["action", action.pk, period.pk]))
    expect(page.locator("#evidence-files")).to_contain_text("venue-minutes.pdf")
    expect(page.locator("#evidence-files")).to_contain_text(csu_officer.get_full_name())
    check_both_widths(page, axe, "evidence page")

    # The action page shows the thread and links to the quarter's questions and evidence.
    page.goto(action.get_absolute_url())
    panel = page.locator("#questions-and-evidence")
    expect(panel).to_contain_text(ANSWER)
    expect(panel.get_by_role("link", name=f"Evidence (1 file) for {period.label}")).to_be_visible()
    check_both_widths(page, axe, "action page with a thread")

    # The dashboard no longer counts it as awaiting an answer.
    page.goto(reverse("plans:plan_dashboard", args=[period.plan_id]))
    expect(page.locator("#open-questions")).to_contain_text("No questions awaiting an answer")
    axe.assert_no_violations()


def test_officer_uploads_evidence_and_is_refused_a_renamed_web_page(
    browser_page, axe, csu_officer, amber, tmp_path
):
    page = browser_page
    action, period = amber
    sign_in_as(page, "csu-officer")
    page.goto(reverse("priorities:action_update", args=[action.pk, period.pk]))
    links = page.locator("#quarter-questions-evidence")
    links.get_by_role("link", name=f"Evidence for {period.label} (0 files)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Evidence for action"))
    check_both_widths(page, axe, "evidence page, empty")
    fake = tmp_path / "report.pdf"
    fake.write_bytes(b"<!DOCTYPE html><html><script>alert(1)</script></html>")
    page.get_by_label("Upload a file").set_input_files(str(fake))
    page.get_by_role("button", name="Upload file").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The selected file is not really a .pdf file")
    check_both_widths(page, axe, "evidence page, refused")
    assert not Evidence.objects.exists()
    axe.assert_no_violations()
