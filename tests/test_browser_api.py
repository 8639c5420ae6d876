"""The API tokens, API docs and benchmark pages in Chromium at 1280 and 375 px: axe clean, and
the page never scrolls sideways; a token made on the page opens the API, and the library's
interactive docs run under the site's Content-Security-Policy."""

from __future__ import annotations

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.urls import reverse  # noqa: E402

from indicators.models import Population  # noqa: E402
from plans.models import Partnership  # noqa: E402
from tests import test_browser  # noqa: E402
from tests.conftest import PASSWORD, SWALE  # noqa: E402
from tests.indicators.test_benchmarks import measured  # noqa: E402
from tests.test_browser import sign_in  # noqa: E402
from tests.test_browser_trust import no_sideways_scroll, too_wide  # noqa: E402

chromium = test_browser.chromium
site = test_browser.site
browser_page = test_browser.browser_page
axe = test_browser.axe

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("API_SCREENSHOTS")  # a folder to keep screenshots in, if set


def test_token_docs_and_benchmark_pages(browser_page, axe, seg_member):
    swale = Partnership.objects.get(name=SWALE)
    own = measured(swale, {1: ("submitted", 30), 2: ("submitted", 42)})
    neighbour = Partnership.objects.create(name="Neighbour CSP", area="Neighbourhood")
    measured(neighbour, {1: ("submitted", 55)})
    for partnership, residents in ((swale, 150_000), (neighbour, 120_000)):
        Population.objects.create(partnership=partnership, year=2019, residents=residents)
    page = browser_page
    page.goto(reverse("login"))
    sign_in(page, "seg-member", PASSWORD)

    page.goto(reverse("accounts:account"))
    page.goto(reverse("api_pages:tokens"))
    page.get_by_label("What is it for?").fill("Power BI quarterly report")
    page.get_by_role("button", name="Make a token").click()
    key = page.locator("#new-token-value").inner_text()
    assert key.startswith("csp_")
    answer = page.request.get("/api/v1/plans", headers={"Authorization": f"Bearer {key}"})
    assert answer.status == 200 and answer.json()["count"] >= 1

    pages = {
        "api-tokens": reverse("api_pages:tokens"),
        "api-docs": reverse("api_pages:docs"),
        "benchmark": reverse("indicators:benchmark", args=["NI 111"]),
        "account": reverse("accounts:account"),  # links to the tokens
        "indicator": own.get_absolute_url(),  # links to the benchmark
    }
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(url)
            axe.check(f"{name} at {width}px")
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
            assert no_sideways_scroll(page), (name, width, too_wide(page))

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(pages["benchmark"])
    assert page.get_by_role("row", name=f"Yours {SWALE} 42").count() == 1
    assert page.get_by_role("img", name="NI 111: partnerships compared").count() == 1
    page.goto(own.get_absolute_url())
    page.get_by_role("link", name="Compare with other partnerships (NI 111)").click()
    assert page.url.endswith(pages["benchmark"].replace(" ", "%20"))

    page.goto(pages["api-tokens"])
    assert key not in page.content()
    page.get_by_role("button", name="Revoke Power BI quarterly report").click()
    assert "it no longer opens the API" in page.content()
    answer = page.request.get("/api/v1/plans", headers={"Authorization": f"Bearer {key}"})
    assert answer.status == 401
    axe.assert_no_violations()


def test_interactive_docs_run_under_the_content_security_policy(browser_page, seg_member):
    page = browser_page
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto(reverse("login"))
    sign_in(page, "seg-member", PASSWORD)
    page.goto("/api/v1/docs/try/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 12
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/swagger-1280.png")
    assert not [text for text in blocked if "script" in text.lower()], blocked


def test_benchmark_sharing_setting(browser_page, axe, swale_admin):
    swale = Partnership.objects.get(name=SWALE)
    page = browser_page
    page.goto(reverse("login"))
    sign_in(page, "swale-admin", PASSWORD)
    page.goto(swale.get_absolute_url())
    page.get_by_role("link", name="Benchmarks").click()
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        axe.check(f"benchmark sharing at {width}px")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/benchmark-sharing-{width}.png", full_page=True)
        assert no_sideways_scroll(page), (width, too_wide(page))
    page.get_by_label("Yes: show our name beside our figures").check()
    page.get_by_role("button", name="Save").click()
    assert "is now named on benchmark pages" in page.content()
    swale.refresh_from_db()
    assert swale.share_benchmarks
    axe.assert_no_violations()
