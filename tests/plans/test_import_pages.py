"""Importing an action plan from Excel in the browser (upload → validate → preview → confirm →
created), the template and plan downloads, and activating the imported draft.

Workbooks are built in the tests with openpyxl, starting from the app's own template or from
the Swale seed plan exported with ``plan_workbook``.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from indicators.models import Indicator
from plans import importing as importer
from plans.importing import ImportRefused, read_and_validate
from plans.importing.preview import preview_to_json
from plans.models import Agency, Partnership, Plan, PlanImport, Risk
from plans.synthetic import make_synthetic_plans
from plans.workbook import plan_workbook
from priorities.models import Action, Milestone, Objective, Priority

pytestmark = pytest.mark.django_db

SWALE_PLAN = "Swale Community Safety Plan 2019/20"
NEW_TITLE = "Swale Community Safety Plan 2020/21"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WRITTEN = (Plan, Priority, Objective, Action, Milestone, Indicator, Risk, Agency)


# --- Workbooks ------------------------------------------------------------------------------


def edited(content: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    book = openpyxl.load_workbook(BytesIO(content))
    change(book)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column(sheet, header: str) -> int:
    headers = [cell.value for cell in sheet[1]]
    return headers.index(header) + 1


def set_cell(book, sheet_name: str, row: int, header: str, value) -> None:
    sheet = book[sheet_name]
    sheet.cell(row, column(sheet, header)).value = value


def first_row(book, sheet_name: str, header: str, value) -> int:
    """The number of the first row whose ``header`` cell holds ``value``."""
    sheet = book[sheet_name]
    index = column(sheet, header)
    for number in range(2, sheet.max_row + 1):
        if sheet.cell(number, index).value == value:
            return number
    raise AssertionError(f"no {header} {value!r} on {sheet_name}")


def retitled(book, title: str = NEW_TITLE) -> None:
    """The Swale 2019/20 plan as next year's plan: a new title, a year later."""
    set_cell(book, "Plan", 2, "Title", title)
    set_cell(book, "Plan", 2, "First year", 2020)
    set_cell(book, "Plan", 2, "Last year", 2020)


@pytest.fixture
def swale(seeded) -> Plan:
    return Plan.objects.get(title=SWALE_PLAN)


@pytest.fixture
def partnership(swale) -> Partnership:
    return swale.partnership


_exports: dict[int, bytes] = {}


@pytest.fixture
def swale_xlsx(swale) -> bytes:
    """The Swale seed plan exported (once per run: every test starts from the same seeds)."""
    if swale.pk not in _exports:
        _exports[swale.pk] = plan_workbook(swale)
    return _exports[swale.pk]


@pytest.fixture
def next_year_xlsx(swale_xlsx) -> bytes:
    """The Swale plan as next year's plan: the same workbook under a new title."""
    return edited(swale_xlsx, retitled)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


# --- Requests -------------------------------------------------------------------------------


def upload_url(partnership: Partnership) -> str:
    return reverse("plans:plan_import", args=[partnership.pk])


def preview_url(plan_import: PlanImport) -> str:
    return reverse("plans:plan_import_preview", args=[plan_import.pk])


def upload(client, partnership, content: bytes, name: str = "plan.xlsx"):
    return client.post(
        upload_url(partnership), {"workbook": SimpleUploadedFile(name, content, XLSX)}
    )


def stored(partnership, user, content: bytes, name: str = "plan.xlsx") -> PlanImport:
    """A PlanImport as the upload page leaves it after a clean validation (with its preview
    kept, when the workbook is valid)."""
    try:
        preview = preview_to_json(read_and_validate(content, partnership=partnership))
    except ImportRefused:
        preview = None
    return PlanImport.objects.create(
        preview=preview,
        partnership=partnership,
        file_name=name,
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        status=PlanImport.Status.PREVIEWED,
        uploaded_by=user,
    )


def text(response) -> str:
    """The page's text as a user reads it: tags dropped, entities unescaped, white space
    collapsed."""
    words = re.sub(r"<[^>]*>", " ", response.content.decode())
    return " ".join(html.unescape(words).split())


def error_summary(response) -> str:
    """The error summary's HTML, entities unescaped, white space collapsed."""
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page, "no error summary on the page"
    start = page.index('class="govuk-error-summary"')
    end = page.index('<span class="govuk-caption-l">', start)
    return " ".join(html.unescape(page[start:end]).split())


@pytest.fixture
def admin_client(client, swale_admin):
    client.force_login(swale_admin)
    return client


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


def misspelt_lead(book) -> None:
    retitled(book)
    row = first_row(book, "Actions", "Ref", "2.3")  # "Swale CSU/Kent Police"
    set_cell(book, "Actions", row, "Lead agency", "Kent Polce")


def duplicate_priority_ref(book) -> None:
    retitled(book)
    set_cell(book, "Priorities", 3, "Ref", book["Priorities"].cell(2, 1).value)


def unknown_parent(book) -> None:
    retitled(book)
    set_cell(book, "Actions", 2, "Priority ref", "99")


def empty_required(book) -> None:
    retitled(book)
    set_cell(book, "Actions", 2, "Action", None)


def unreadable_date(book) -> None:
    retitled(book)
    set_cell(book, "Actions", 2, "Due date", "the thirty-second of Smarch")


def too_long(book) -> None:
    retitled(book)
    set_cell(book, "Actions", 2, "Responsible", "x" * 301)


def missing_sheet(book) -> None:
    retitled(book)
    del book["Actions"]


def missing_header(book) -> None:
    retitled(book)
    set_cell(book, "Priorities", 1, "Title", "Name")


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
