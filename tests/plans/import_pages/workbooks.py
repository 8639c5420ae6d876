"""Workbooks and requests for the import pages' tests. Workbooks are built with openpyxl,
starting from the app's own template or from the Swale seed plan exported with
``plan_workbook``."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from io import BytesIO

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import Indicator
from plans.importing import ImportRefused, read_and_validate
from plans.importing.preview import preview_to_json
from plans.models import Agency, Partnership, Plan, PlanImport, Risk
from priorities.models import Action, Milestone, Objective, Priority

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


# Workbooks with one problem each


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
