"""Exporting a plan, activating a draft, who may do what, and the pages' query budgets."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from plans import importing as importer
from plans.models import Plan
from plans.synthetic import make_synthetic_plans
from plans.workbook import plan_workbook
from priorities.models import Action
from tests.plans.import_pages.workbooks import (
    NEW_TITLE,
    SWALE_PLAN,
    XLSX,
    counts,
    edited,
    preview_url,
    retitled,
    stored,
    text,
    upload_url,
)

pytestmark = pytest.mark.django_db


# --- Export and activation ------------------------------------------------------------------


def test_plan_export_downloads_the_plan_as_the_template(client, reader, swale):
    client.force_login(reader)
    page = client.get(swale.get_absolute_url()).content.decode()
    export_url = reverse("plans:plan_export", args=[swale.pk])
    assert f'href="{export_url}"' in page and "Download as Excel" in page
    assert "Activate this plan" not in page
    response = client.get(export_url)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="swale-community-safety-plan-201920.xlsx"'
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert book["Plan"].cell(2, 1).value == SWALE_PLAN


@pytest.fixture
def draft(swale_admin, partnership, next_year_xlsx) -> Plan:
    return importer.plan_import(content=next_year_xlsx, partnership=partnership, user=swale_admin)


def test_admin_activates_a_draft(admin_client, draft):
    url = reverse("plans:plan_activate", args=[draft.pk])
    page = admin_client.get(draft.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page
    response = admin_client.get(url)
    assert response.status_code == 200
    assert f"Activate {draft.title}" in text(response)
    assert 'method="post"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT  # the GET changed nothing

    response = admin_client.post(url)
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == Plan.Status.ACTIVE
    page = text(admin_client.get(draft.get_absolute_url()))
    assert f"{draft.title} is now active." in page and "Activate this plan" not in page


def test_only_a_draft_can_be_activated(admin_client, swale):
    status = swale.status  # closed
    url = reverse("plans:plan_activate", args=[swale.pk])
    for response in (admin_client.get(url), admin_client.post(url)):
        assert response.status_code == 302 and response["Location"] == swale.get_absolute_url()
    swale.refresh_from_db()
    assert swale.status == status != Plan.Status.DRAFT


# --- Who may do what ------------------------------------------------------------------------


@pytest.fixture
def urls(swale_admin, partnership, swale) -> dict[str, str]:
    """One URL of each view. Refusals come before the workbook is read, so any bytes do."""
    plan_import = stored(partnership, swale_admin, b"PK\x03\x04 never read")
    draft = Plan.objects.create(
        partnership=partnership, title=NEW_TITLE, kind=Plan.Kind.ACTION_PLAN,
        start_year=2020, end_year=2020,
    )  # fmt: skip
    return {
        "upload": upload_url(partnership),
        "template": reverse("plans:plan_import_template", args=[partnership.pk]),
        "preview": preview_url(plan_import),
        "activate": reverse("plans:plan_activate", args=[draft.pk]),
        "export": reverse("plans:plan_export", args=[swale.pk]),
    }


ADMIN_ONLY = [
    ("upload", "get"),
    ("upload", "post"),
    ("template", "get"),
    ("preview", "get"),
    ("preview", "post"),
    ("activate", "get"),
    ("activate", "post"),
]


@pytest.mark.parametrize(("name", "method"), [*ADMIN_ONLY, ("export", "get")])
def test_anonymous_visitors_are_sent_to_sign_in(client, urls, name, method):
    response = getattr(client, method)(urls[name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("user", ["csu_officer", "police_officer", "seg_member"])
@pytest.mark.parametrize(("name", "method"), ADMIN_ONLY)
def test_officers_and_seg_members_are_refused(request, client, urls, name, method, user):
    client.force_login(request.getfixturevalue(user))
    before = counts()
    assert getattr(client, method)(urls[name]).status_code == 403
    assert counts() == before
    assert Plan.objects.get(title=NEW_TITLE).status == Plan.Status.DRAFT


@pytest.mark.parametrize(("name", "method"), [*ADMIN_ONLY, ("export", "get")])
def test_another_partnerships_admin_sees_nothing(client, outsider, urls, name, method):
    client.force_login(outsider)
    assert getattr(client, method)(urls[name]).status_code == 404


@pytest.mark.parametrize("user", ["csu_officer", "seg_member", "swale_admin"])
def test_everyone_in_the_partnership_may_export(request, client, urls, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(urls["export"]).status_code == 200


# --- Query budgets --------------------------------------------------------------------------


@pytest.fixture
def big(partnership) -> Plan:
    """The larger size: a synthetic Swale plan of 6 priorities × 30 actions × 3 milestones
    and 6 × 8 indicators, several times the biggest seed plan."""
    (plan,) = make_synthetic_plans(
        partnership=partnership, priorities=6, actions=30, indicators=8, first_year=2040
    )
    return plan


# Queries each page may make whatever the size of the workbook or plan: session, user and
# memberships, then a fixed number for the page itself.
# export: +3 for milestones' supporting agencies and what indicators measure, +2 for the
# progress sheets (updates, values), +4 for the groups indicators are reported to, the funding
# lines and their summary, and the previous year's results.
BUDGETS = {"upload": 5, "template": 6, "preview": 9, "export": 23}


@pytest.mark.parametrize("size", ["small", "big"])
def test_query_budgets_hold_at_two_sizes(
    request, admin_client, swale_admin, partnership, swale, django_assert_max_num_queries, size
):
    plan = swale if size == "small" else request.getfixturevalue("big")
    plan_import = stored(partnership, swale_admin, edited(plan_workbook(plan), retitled))
    urls = {
        "upload": upload_url(partnership),
        "template": reverse("plans:plan_import_template", args=[partnership.pk]),
        "preview": preview_url(plan_import),
        "export": reverse("plans:plan_export", args=[plan.pk]),
    }
    for name, url in urls.items():
        with django_assert_max_num_queries(BUDGETS[name]):
            response = admin_client.get(url)
        assert response.status_code == 200, name
    assert Action.objects.filter(priority__plan=plan).count() == (33 if size == "small" else 180)
