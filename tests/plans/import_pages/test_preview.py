"""The preview, confirming it, and what the confirm writes or refuses."""

from __future__ import annotations

import re
from io import BytesIO

import openpyxl
import pytest
from django.db import DatabaseError

from plans import importing as importer
from plans.models import Agency, Plan, PlanImport
from priorities.models import Action
from tests.plans.import_pages.workbooks import (
    NEW_TITLE,
    SWALE_PLAN,
    counts,
    edited,
    error_summary,
    first_row,
    missing_sheet,
    misspelt_lead,
    preview_url,
    set_cell,
    stored,
    text,
    upload,
)

pytestmark = pytest.mark.django_db


# --- The preview ----------------------------------------------------------------------------


def test_preview_shows_the_tree_counts_and_links_and_writes_nothing(
    admin_client, swale_admin, partnership, swale, next_year_xlsx
):
    plan_import = stored(partnership, swale_admin, next_year_xlsx)
    before = counts()
    response = admin_client.get(preview_url(plan_import))
    assert response.status_code == 200
    page = text(response)
    assert counts() == before
    assert NEW_TITLE in page
    preview = response.context["preview"]
    assert preview.counts["actions"] == Action.objects.filter(priority__plan=swale).count()
    assert f"Actions {preview.counts['actions']}" in page
    action = Action.objects.filter(priority__plan=swale).prefetch_related("milestones").first()
    assert action.title in page
    for milestone in action.milestones.all():
        assert milestone.text in page
    for priority in swale.priorities.all():
        assert priority.title in page
    indicator = swale.indicators.first()
    risk = swale.risks.first()
    assert indicator.title in page and risk.risk in page
    # Next year's indicators continue this year's, by code.
    assert "Indicators linked to the previous plan" in page and SWALE_PLAN in page
    assert "Confirm import" in page
    raw = response.content.decode()
    assert 'name="create_agencies"' not in raw and 'name="replace_draft"' not in raw


def test_confirm_creates_the_draft_plan_and_says_so(
    admin_client, swale_admin, partnership, swale, next_year_xlsx
):
    plan_import = stored(partnership, swale_admin, next_year_xlsx)
    response = admin_client.post(preview_url(plan_import), {})
    plan = Plan.objects.get(partnership=partnership, title=NEW_TITLE)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.status == Plan.Status.DRAFT
    assert plan.priorities.count() == swale.priorities.count()
    assert Action.objects.filter(priority__plan=plan).count() == (
        Action.objects.filter(priority__plan=swale).count()
    )
    plan_import.refresh_from_db()
    assert (plan_import.status, plan_import.plan) == (PlanImport.Status.IMPORTED, plan)
    page = text(admin_client.get(response["Location"]))
    assert "Imported as a draft: activate it when it is agreed" in page
    assert "Activate this plan" in page


def test_confirming_the_same_import_twice_makes_one_plan(
    admin_client, swale_admin, partnership, next_year_xlsx
):
    plan_import = stored(partnership, swale_admin, next_year_xlsx)
    admin_client.post(preview_url(plan_import), {})
    plan = Plan.objects.get(title=NEW_TITLE)
    before = counts()
    again = admin_client.post(preview_url(plan_import), {})
    assert again.status_code == 302 and again["Location"] == plan.get_absolute_url()
    assert counts() == before
    assert admin_client.get(preview_url(plan_import))["Location"] == plan.get_absolute_url()


def test_a_refused_confirm_rolls_back_everything(
    admin_client, swale_admin, partnership, next_year_xlsx, monkeypatch
):
    """The engine writes the plan, then something refuses: nothing stays, the preview says why."""
    real_import = importer.plan_import

    def import_then_refuse(**kwargs):
        real_import(**kwargs)
        raise importer.ImportRefused([importer.Problem("Risks", 2, "Risk", "Simulated failure")])

    monkeypatch.setattr(importer, "plan_import", import_then_refuse)
    plan_import = stored(partnership, swale_admin, next_year_xlsx)
    before = counts()
    response = admin_client.post(preview_url(plan_import), {})
    assert response.status_code == 200
    assert "Simulated failure" in error_summary(response)
    assert counts() == before
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImport.Status.PREVIEWED and plan_import.plan is None


def test_a_crash_during_confirm_leaves_nothing_behind(
    client, swale_admin, partnership, next_year_xlsx, monkeypatch
):
    real_import = importer.plan_import

    def import_then_crash(**kwargs):
        real_import(**kwargs)
        raise DatabaseError("disk full")

    monkeypatch.setattr(importer, "plan_import", import_then_crash)
    client.raise_request_exception = False
    client.force_login(swale_admin)
    plan_import = stored(partnership, swale_admin, next_year_xlsx)
    before = counts()
    assert client.post(preview_url(plan_import), {}).status_code == 500
    assert counts() == before
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImport.Status.PREVIEWED


def test_importing_an_existing_active_plan_is_refused_naming_it(
    admin_client, swale_admin, partnership, swale, swale_xlsx
):
    plan_import = stored(partnership, swale_admin, swale_xlsx)
    status = swale.get_status_display().lower()  # the seed plan is closed
    page = text(admin_client.get(preview_url(plan_import)))
    assert f"already has a plan called {SWALE_PLAN} ({status})" in page
    assert "Change the plan's title in the workbook" in page
    assert 'name="replace_draft"' not in admin_client.get(preview_url(plan_import)).content.decode()
    before = counts()
    response = admin_client.post(preview_url(plan_import), {"replace_draft": "yes"})
    assert response.status_code == 200
    assert f"'{SWALE_PLAN}' already exists and is {status}" in error_summary(response)
    assert counts() == before


def test_a_draft_of_the_same_title_is_replaced_only_when_ticked(
    admin_client, swale_admin, partnership, next_year_xlsx
):
    admin_client.post(preview_url(stored(partnership, swale_admin, next_year_xlsx)), {})
    draft = Plan.objects.get(title=NEW_TITLE)

    def changed(book) -> None:
        set_cell(book, "Actions", 2, "Action", "A rewritten first action.")

    second = stored(partnership, swale_admin, edited(next_year_xlsx, changed))
    response = admin_client.get(preview_url(second))
    assert f"already has a plan called {NEW_TITLE} (draft)" in text(response)
    assert 'name="replace_draft"' in response.content.decode()

    before = counts()
    response = admin_client.post(preview_url(second), {})
    summary = error_summary(response)
    assert f"'{NEW_TITLE}' already exists as a draft" in summary
    assert 'href="#id_replace_draft"' in response.content.decode()
    assert counts() == before and Plan.objects.filter(pk=draft.pk).exists()

    response = admin_client.post(preview_url(second), {"replace_draft": "yes"})
    replacement = Plan.objects.get(title=NEW_TITLE)
    assert response["Location"] == replacement.get_absolute_url()
    assert not Plan.objects.filter(pk=draft.pk).exists()
    assert Action.objects.filter(priority__plan=replacement, title="A rewritten first action.")


def test_new_agencies_are_created_only_when_each_is_ticked(
    admin_client, swale_admin, partnership, next_year_xlsx
):
    new_names = ["Swale Youth Forum", "Sittingbourne Town Team"]

    def new_agencies(book) -> None:
        set_cell(book, "Actions", 2, "Lead agency", new_names[0])
        set_cell(book, "Actions", 3, "Lead agency", new_names[1])

    plan_import = stored(partnership, swale_admin, edited(next_year_xlsx, new_agencies))
    page = admin_client.get(preview_url(plan_import)).content.decode()
    assert "Create these agencies" in page
    for name in new_names:
        assert f'value="{name}"' in page

    before = counts()
    response = admin_client.post(preview_url(plan_import), {"create_agencies": [new_names[0]]})
    summary = error_summary(response)
    assert "Tick each new agency" in summary and new_names[1] in summary
    assert 'href="#id_create_agencies"' in response.content.decode()
    assert counts() == before and not Agency.objects.filter(name__in=new_names).exists()
    # The ticked box stays ticked.
    assert re.search(rf'value="{new_names[0]}" checked', response.content.decode())

    response = admin_client.post(preview_url(plan_import), {"create_agencies": new_names})
    assert response.status_code == 302
    assert set(Agency.objects.filter(name__in=new_names).values_list("name", flat=True)) == set(
        new_names
    )
    plan = Plan.objects.get(title=NEW_TITLE)
    assert Action.objects.filter(priority__plan=plan, lead_agency__name=new_names[0]).exists()


def test_a_misspelt_agency_must_be_corrected_or_ticked(
    admin_client, swale_admin, partnership, swale_xlsx
):
    """An unknown agency is no error at upload: the preview names it, with the agency it may
    be a misspelling of, and the import is refused until it is ticked or corrected."""
    content = edited(swale_xlsx, misspelt_lead)
    row = first_row(openpyxl.load_workbook(BytesIO(content)), "Actions", "Ref", "2.3")
    response = upload(admin_client, partnership, content)
    plan_import = PlanImport.objects.get()
    assert response["Location"] == preview_url(plan_import)

    response = admin_client.get(preview_url(plan_import))
    note = (
        f"Actions row {row}, Lead agency: 'Kent Polce' is not a known agency "
        "— did you mean 'Kent Police'?"
    )
    assert note in text(response)
    assert 'value="Kent Polce"' in response.content.decode()
    before = counts()
    response = admin_client.post(preview_url(plan_import), {})
    assert "Tick each new agency" in error_summary(response) and "Kent Polce" in error_summary(
        response
    )
    assert note in text(response)
    assert counts() == before
    assert not Agency.objects.filter(name="Kent Polce").exists()


def test_a_stored_workbook_that_no_longer_validates_shows_its_problems(
    admin_client, swale_admin, partnership, swale_xlsx
):
    plan_import = stored(partnership, swale_admin, edited(swale_xlsx, missing_sheet))
    response = admin_client.get(preview_url(plan_import))
    assert response.status_code == 200
    assert "Actions" in error_summary(response)
    assert "Confirm import" not in text(response)
    assert admin_client.post(preview_url(plan_import), {}).status_code == 200
    assert not Plan.objects.filter(title=NEW_TITLE).exists()
