"""Browser tests: a reader's journey through the seed plans in Debian's Chromium, with
axe-core checking every page against WCAG 2.2 A and AA.

Playwright's sync API drives Chromium against pytest-django's ``live_server``. axe-core comes
from the axe-playwright-python package (its bundled ``axe.min.js`` is injected into each page
with ``page.evaluate``): nothing is fetched at run time.

Run them alone with ``pytest -m browser``. Without /usr/bin/chromium they skip, except when
``CI=true``, where a missing browser fails the run instead of passing it silently.
"""

from __future__ import annotations

import base64
import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path

# Playwright's sync API runs an event loop in the test thread, so Django's ORM, called by the
# fixtures in that same thread, would otherwise refuse to run ("SynchronousOnlyOperation").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from plans.seeds import load_seed_plans  # noqa: E402
from tests.conftest import PASSWORD  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
TIMEOUT_MS = 10_000

SWALE_PLAN = "Swale Community Safety Plan 2019/20"
ACTION_CSV_HEADER = ["Ref", "Action", "Plan", "Priority or theme", "Lead", "Timescale", "Due"]


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for the whole module; each test gets its own context."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium (make test does it)."
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db, live_server, settings):
    """The live server, with every seed plan loaded.

    The server runs in another thread, so the data must be committed: ``transactional_db``,
    not ``db``. Static files are served unhashed from ``static/`` by the live server's
    static handler, so the pages get the current GOV.UK Frontend CSS whether or not
    ``collectstatic`` has been run (with the manifest storage, ``{% static %}`` would point at
    hashed names that the live server cannot serve, or fail on files not yet collected).
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    load_seed_plans()
    return live_server


class AccessibilityChecker:
    """Runs axe-core on a page and remembers every violation, so one run reports them all."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.axe = Axe()
        self.failures: list[str] = []
        self.reported = False
        self.broken_assets: list[str] = []
        page.on("response", self._note_broken_asset)
        page.on("requestfailed", self._note_failed_request)

    def _note_broken_asset(self, response) -> None:
        if "/static/" in response.url and response.status >= 400:
            self.broken_assets.append(f"{response.url} {response.status}")

    def _note_failed_request(self, request) -> None:
        # ERR_ABORTED is the browser dropping a request because the page moved on (a slow
        # favicon under load), not a file that failed to load; 404s are caught above.
        if "/static/" in request.url and "ERR_ABORTED" not in (request.failure or ""):
            self.broken_assets.append(f"{request.url} {request.failure}")

    def check(self, name: str) -> None:
        """Run axe on the page as it is now; ``name`` says which page it was in the report."""
        self.page.wait_for_load_state("load")
        if self.broken_assets:
            # Without its CSS a page's colour contrast (and more) is not what users get.
            self.failures.append(
                f"{name} ({self.page.url}): static files did not load: {self.broken_assets}"
            )
            self.broken_assets = []
        sheets = self.page.evaluate(
            "[...document.styleSheets].map(sheet => [sheet.href || '', sheet.cssRules.length])"
        )
        if not any("govuk-frontend" in href and rules > 100 for href, rules in sheets):
            self.failures.append(f"{name} ({self.page.url}): GOV.UK Frontend CSS not applied")
        results = self.axe.run(
            self.page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        violations = results.response["violations"]
        if violations:
            self.failures.append(describe_violations(name, self.page.url, violations))

    def report(self) -> str:
        self.reported = True
        return "\n\n".join(self.failures)

    def assert_no_violations(self) -> None:
        if self.failures:
            pytest.fail("Accessibility violations found:\n\n" + self.report(), pytrace=False)
        self.reported = True


def describe_violations(name: str, url: str, violations: list[dict]) -> str:
    lines = [f"{name} ({url}): {len(violations)} axe rule(s) failed"]
    for violation in violations:
        nodes = violation["nodes"]
        targets = [" ".join(map(str, node["target"])) for node in nodes[:3]]
        more = f" and {len(nodes) - 3} more" if len(nodes) > 3 else ""
        lines.append(
            f"  - {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"    {len(nodes)} element(s): {'; '.join(targets)}{more}\n"
            f"    first: {nodes[0]['html'][:200]}\n"
            f"    {nodes[0].get('failureSummary', '').strip().replace(chr(10), ' ')[:300]}\n"
            f"    {violation['helpUrl']}"
        )
    return "\n".join(lines)


@pytest.fixture
def browser_page(chromium, site) -> Iterator[Page]:
    context = chromium.new_context(
        base_url=site.url,
        accept_downloads=True,
        locale="en-GB",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe(browser_page) -> Iterator[AccessibilityChecker]:
    """Call ``axe.check(name)`` on each page; the test ends with ``axe.assert_no_violations()``.
    Should the test fail first, the violations seen so far are still reported (as an error)."""
    checker = AccessibilityChecker(browser_page)
    yield checker
    if checker.failures and not checker.reported:
        pytest.fail("Accessibility violations found:\n\n" + checker.report(), pytrace=False)


# --- Helpers --------------------------------------------------------------------------------


def sign_in(page: Page, username: str, password: str) -> None:
    page.locator("#id_username").press_sequentially(username)
    page.locator("#id_password").press_sequentially(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    finish_two_factor(page, username)


def finish_two_factor(page: Page, username: str) -> None:
    """Partnership admins sign in with a second factor: enter the code from their app, or set
    the app up first (as the person would, from the key on the page) and carry on to where
    they were going. Other users land where they were going straight away."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from tests.two_factor import app_for, code_for, code_for_key

    path = page.url.removeprefix(page.url.split("/", 3)[0] + "//").partition("/")[2]
    if f"/{path}".startswith(reverse("accounts:two_factor_verify")):
        device = app_for(get_user_model().objects.get(username=username))
        page.get_by_label("Code", exact=True).fill(code_for(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    elif f"/{path}".startswith(reverse("accounts:two_factor_setup")):
        secret = page.locator("#secret").text_content().replace(" ", "")
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        page.get_by_label("Code", exact=True).fill(code_for_key(key))
        with page.expect_navigation():
            page.get_by_role("button", name="Turn on two-factor sign-in").click()
        with page.expect_navigation():
            page.get_by_role("button", name="I have kept my codes, continue").click()


def nav_link(page: Page, label: str):
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=label, exact=True)


def column_index(table, header: str) -> int:
    # Sortable headers end with a visually hidden ", sort ascending": drop it.
    headers = [
        re.sub(r",\s*sort \w+$", "", " ".join(text.split())).strip()
        for text in table.locator("thead th").all_inner_texts()
    ]
    assert header in headers, f"no {header!r} column in {headers}"
    return headers.index(header)


def shown_count(page: Page, noun: str) -> int:
    text = page.locator("#results-count").inner_text()
    match = re.fullmatch(rf"Showing 1 to (\d+) of (\d+) {noun}", " ".join(text.split()))
    assert match, f"unexpected count text: {text!r}"
    assert match[1] == match[2], f"expected every row on one page: {text!r}"
    return int(match[2])


# --- Tests ----------------------------------------------------------------------------------


def test_signed_out_visitor_is_sent_to_sign_in_and_sees_errors(browser_page, axe, reader):
    page = browser_page

    page.goto("/plans/1/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/plans/1/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to CSP Tracker")
    axe.check("sign-in")

    sign_in(page, "reader", "not-the-password")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    error_link = summary.get_by_role("link")
    expect(error_link).to_have_count(1)
    expect(error_link).to_have_attribute("href", "#id_username")
    axe.check("sign-in, error state")

    error_link.click()
    expect(page.locator("#id_username")).to_be_focused()

    # The fields are still there to correct, and "next" survives the failed attempt.
    page.locator("#id_username").fill("")
    page.locator("#id_password").fill("")
    sign_in(page, "reader", PASSWORD)
    expect(page).to_have_url(re.compile(r"/plans/1/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Community Safety Plan 2013–2016")

    axe.assert_no_violations()


def test_reader_journey_from_sign_in_to_csv(browser_page, axe, reader):
    page = browser_page

    # Sign in.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
    sign_in(page, "reader", PASSWORD)

    # Home: both partnerships and their plans.
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnerships and plans")
    main = page.locator("main")
    for name in ("Medway Community Safety Partnership", "Swale Community Safety Partnership"):
        expect(main.get_by_role("heading", name=name)).to_be_visible()
    expect(main.get_by_role("link", name="Action Plan 2024-25", exact=True)).to_be_visible()
    expect(main.get_by_role("link", name=SWALE_PLAN, exact=True)).to_be_visible()
    axe.check("home")

    # The Swale plan.
    main.get_by_role("link", name=SWALE_PLAN, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SWALE_PLAN)
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents).to_be_visible()
    expect(contents.get_by_role("link", name=re.compile("Domestic Abuse"))).to_be_visible()
    expect(contents.get_by_role("link", name=re.compile("Reducing Reoffending"))).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Cross-cutting theme").first).to_be_visible()
    # Indicators have refs like "1.1" too: look in the actions tables only.
    actions = page.locator("table.app-action-table")
    expect(actions.get_by_role("link", name="1.1", exact=True)).to_be_visible()
    action_row = actions.get_by_role("row").filter(
        has=page.get_by_role("link", name="2.2", exact=True)
    )
    expect(action_row).to_have_count(1)
    milestone = action_row.locator("li", has_text="Swale Fusion Festival")
    expect(milestone).to_be_visible()
    expect(milestone.locator("strong")).to_have_text("October 19")
    axe.check("plan")

    # Action 2.2.
    action_row.get_by_role("link", name="2.2", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Action 2\.2: "))
    milestone_row = page.get_by_role("row").filter(has_text="Swale Fusion Festival")
    expect(milestone_row).to_have_count(1)
    expect(milestone_row.get_by_role("cell").nth(1)).to_have_text("October 19")
    axe.check("action")

    # The actions table, filtered to the Swale plan's actions that mention the CSU.
    nav_link(page, "Actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions")
    page.get_by_label("Plan", exact=True).select_option(label=SWALE_PLAN)
    page.get_by_label("Search", exact=True).fill("CSU")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]q=CSU(&|$)"))
    expect(page.get_by_label("Plan", exact=True).locator("option:checked")).to_have_text(SWALE_PLAN)
    count = shown_count(page, "actions")
    table = page.locator("table.govuk-table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(count)
    plan_column = column_index(table, "Plan")
    ref_column = column_index(table, "Ref")
    plans_shown = [row.locator("td").nth(plan_column).inner_text().strip() for row in rows.all()]
    refs_shown = [row.locator("td").nth(ref_column).inner_text().strip() for row in rows.all()]
    assert set(plans_shown) == {SWALE_PLAN}
    assert "2.2" in refs_shown
    assert count < 33, "the search should narrow the Swale plan's 33 actions"
    axe.check("actions table, filtered")

    # The CSV of exactly those rows.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download these actions as CSV")).click()
    download = download_info.value
    assert re.fullmatch(r"actions-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    header, *records = list(csv.reader(text.splitlines()))
    assert header == ACTION_CSV_HEADER
    assert len(records) == count
    assert {record[header.index("Plan")] for record in records} == {SWALE_PLAN}
    assert sorted(record[header.index("Ref")] for record in records) == sorted(refs_shown)

    # The indicators table and one indicator.
    nav_link(page, "Indicators").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicators")
    expect(page.locator("#results-count")).to_contain_text("indicators")
    axe.check("indicators table")
    first_indicator = page.locator("table.govuk-table tbody tr").first.get_by_role("link").first
    first_indicator.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Indicator "))
    axe.check("indicator")

    # The agencies and one agency.
    nav_link(page, "Agencies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agencies")
    axe.check("agencies")
    page.get_by_role("link", name="Swale Community Safety Unit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Swale Community Safety Unit")
    )
    expect(page.get_by_role("heading", name=re.compile(r"^Actions led \(\d+\)"))).to_be_visible()
    axe.check("agency")

    axe.assert_no_violations()
