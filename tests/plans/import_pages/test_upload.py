"""The upload page and the template, and each validation problem reaching the page."""

from __future__ import annotations

import hashlib
import re
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from plans import importing as importer
from plans.models import PlanImport
from tests.plans.import_pages.workbooks import (
    XLSX,
    counts,
    duplicate_priority_ref,
    edited,
    empty_required,
    error_summary,
    missing_header,
    missing_sheet,
    preview_url,
    retitled,
    set_cell,
    too_long,
    unknown_parent,
    unreadable_date,
    upload,
    upload_url,
)

pytestmark = pytest.mark.django_db


# --- The upload page and the template -------------------------------------------------------


def test_upload_page_offers_the_template_and_an_xlsx_file_upload(admin_client, partnership):
    response = admin_client.get(upload_url(partnership))
    page = response.content.decode()
    assert response.status_code == 200
    template_url = reverse("plans:plan_import_template", args=[partnership.pk])
    assert f'href="{template_url}"' in page and "Download the template" in page
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page and 'accept=".xlsx' in page and 'class="govuk-file-upload"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_template_download_is_the_generated_workbook_with_the_agencies(admin_client, partnership):
    response = admin_client.get(reverse("plans:plan_import_template", args=[partnership.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="action-plan-template.xlsx"'
    book = openpyxl.load_workbook(BytesIO(response.content))
    for sheet in ("Plan", "Priorities", "Objectives", "Actions", "Milestones", "Indicators"):
        assert sheet in book.sheetnames
    lists = [cell.value for row in book["Lists"].iter_rows() for cell in row]
    assert "Kent Police" in lists and "Swale Community Safety Unit" in lists


def test_partnership_page_links_to_the_import_for_its_admins_only(
    client, swale_admin, seg_member, partnership
):
    link = f'href="{upload_url(partnership)}"'
    client.force_login(swale_admin)
    assert link in client.get(partnership.get_absolute_url()).content.decode()
    client.force_login(seg_member)
    assert link not in client.get(partnership.get_absolute_url()).content.decode()


def test_no_file_is_an_error_and_nothing_is_stored(admin_client, partnership):
    response = admin_client.post(upload_url(partnership), {})
    assert response.status_code == 200
    assert "Select the action plan workbook" in error_summary(response)
    assert 'href="#id_workbook"' in response.content.decode()
    assert "<title>Error: " in response.content.decode()
    assert not PlanImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_anything_is_stored(admin_client, partnership):
    too_big = b"PK\x03\x04" + b"\0" * importer.LIMITS["max_bytes"]
    response = upload(admin_client, partnership, too_big)
    assert response.status_code == 200
    assert "The selected file must be smaller than 10MB" in error_summary(response)
    assert 'id="id_workbook-error"' in response.content.decode()
    assert not PlanImport.objects.exists()


def test_a_csv_renamed_xlsx_is_refused_with_a_clear_message(admin_client, partnership):
    before = counts()
    csv = b"Ref,Action,Lead agency\n1.1,Run a campaign,Kent Police\n"
    response = upload(admin_client, partnership, csv, name="plan.xlsx")
    assert response.status_code == 200
    summary = error_summary(response)
    assert "The file" in summary  # a problem with the whole file, not a sheet
    assert "This is not an Excel workbook (.xlsx), whatever its name" in summary
    plan_import = PlanImport.objects.get()
    assert plan_import.status == PlanImport.Status.FAILED
    assert bytes(plan_import.content) == b""  # a refused file's bytes are not kept
    assert counts() == before


def test_a_valid_upload_is_stored_and_goes_to_the_preview(
    admin_client, swale_admin, partnership, next_year_xlsx
):
    before = counts()
    response = upload(admin_client, partnership, next_year_xlsx, name="Swale 2020-21.xlsx")
    plan_import = PlanImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == preview_url(plan_import)
    assert plan_import.status == PlanImport.Status.PREVIEWED
    assert plan_import.file_name == "Swale 2020-21.xlsx"
    assert plan_import.sha256 == hashlib.sha256(next_year_xlsx).hexdigest()
    assert bytes(plan_import.content) == next_year_xlsx
    assert (plan_import.partnership, plan_import.uploaded_by) == (partnership, swale_admin)
    assert counts() == before


# --- Validation problems reach the page -----------------------------------------------------


BROKEN = {
    # name: (change, sheet, row or None, words the message must hold)
    "duplicate ref": (duplicate_priority_ref, "Priorities", 3, ["Ref"]),
    "unknown parent": (unknown_parent, "Actions", 2, ["Priority ref", "99"]),
    "required cell empty": (empty_required, "Actions", 2, ["Action"]),
    "unreadable date": (unreadable_date, "Actions", 2, ["Due date", "Smarch"]),
    "text too long": (too_long, "Actions", 2, ["Responsible", "300"]),
    "missing sheet": (missing_sheet, "Actions", None, []),
    "missing header": (missing_header, "Priorities", None, ["Title"]),
}  # fmt: skip


@pytest.mark.parametrize("name", BROKEN)
def test_each_problem_reaches_the_page_naming_sheet_row_and_column(
    admin_client, partnership, next_year_xlsx, swale_xlsx, name
):
    change, sheet, row, words = BROKEN[name]
    book_bytes = edited(swale_xlsx, change)
    before = counts()
    response = upload(admin_client, partnership, book_bytes)
    assert response.status_code == 200
    assert "<title>Error: " in response.content.decode()
    summary = error_summary(response)
    assert "There is a problem" in summary
    assert f"{sheet} sheet" in summary  # the group heading
    where = f"{sheet} row {row}" if row else sheet
    assert where in summary, summary
    for word in words:
        assert word in summary, (word, summary)
    assert 'href="#id_workbook"' in response.content.decode()
    assert PlanImport.objects.get().status == PlanImport.Status.FAILED
    assert counts() == before


def test_every_problem_is_listed_grouped_by_sheet(admin_client, partnership, swale_xlsx):
    def many(book) -> None:
        retitled(book)
        for row in range(2, 7):
            set_cell(book, "Actions", row, "Action", None)
        set_cell(book, "Risks", 2, "Likelihood before", "very")
        set_cell(book, "Priorities", 2, "Title", None)

    content = edited(swale_xlsx, many)
    with pytest.raises(importer.ImportRefused) as refused:
        importer.read_and_validate(content, partnership=partnership)
    problems = refused.value.problems
    # One cause, one problem: five empty Action cells are said once, with their rows.
    assert len(problems) == 3
    assert (
        "5 rows of Actions (rows 2–6), Action: this cell is empty, but it is required: fill "
        "it in." in [str(problem) for problem in problems]
    )
    response = upload(admin_client, partnership, content)
    summary = error_summary(response)
    for problem in problems:
        assert str(problem) in summary
    assert f"The workbook has {len(problems)} problems" in summary
    headings = re.findall(r"<h3[^>]*>([^<]+) sheet</h3>", summary)
    assert {"Priorities", "Actions", "Risks"} <= set(headings)
    assert len(headings) == len(set(headings)), "one group per sheet"
