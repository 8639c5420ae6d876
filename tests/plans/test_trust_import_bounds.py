"""Finding 3 and 10: the import bounds every structure before the expensive work, keeps its
preview instead of parsing again, and forgets abandoned uploads after 7 days."""

from __future__ import annotations

import re
import time
import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from plans.importing import ImportRefused, read_and_validate, reader
from plans.models import Partnership, PlanImport
from tests.plans.import_workbooks import valid_rows, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def swale(seeded) -> Partnership:
    return Partnership.objects.get(name__startswith="Swale")


@pytest.fixture
def no_openpyxl(monkeypatch):
    def refuse_to_parse(*args, **kwargs):
        raise AssertionError("openpyxl was given a file that should have been refused first")

    monkeypatch.setattr(reader, "load_workbook", refuse_to_parse)


def with_sheet_xml(content: bytes, sheet: str, change) -> bytes:
    """``content`` with one member's XML rewritten by ``change``."""
    source = zipfile.ZipFile(BytesIO(content))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == sheet:
                data = change(data)
            target.writestr(info.filename, data)
    return out.getvalue()


def merges(count: int):
    def add(xml: bytes) -> bytes:
        cells = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (n, n) for n in range(2, count + 2))
        block = b'<mergeCells count="%d">%s</mergeCells>' % (count, cells)
        return re.sub(rb"(</sheetData>|<sheetData\s*/>)", lambda m: m.group(1) + block, xml)

    return add


def test_400k_merged_ranges_are_refused_unread_in_well_under_a_second(swale, no_openpyxl):
    content = with_sheet_xml(xlsx(valid_rows()), "xl/worksheets/sheet4.xml", merges(400_000))
    assert len(content) < 3 * 1024 * 1024
    started = time.process_time()
    with pytest.raises(ImportRefused) as caught:
        read_and_validate(content, partnership=swale)
    assert time.process_time() - started < 3
    [problem] = caught.value.problems
    assert "more merged cell ranges than a plan needs (over 2,000)" in str(problem)


def test_a_few_merged_ranges_are_read(swale):
    content = with_sheet_xml(xlsx(valid_rows()), "xl/worksheets/sheet4.xml", merges(20))
    assert read_and_validate(content, partnership=swale).counts["actions"] >= 1


PADDING = {
    "cells": lambda n: b'<c r="A%d"><v>%d</v></c>' % (n, n * 7919 % 100_003),
    "rows": lambda n: b'<row r="%d" ht="%d"/>' % (n + 10, n * 7919 % 100_003),
    "texts": lambda n: b"<si><t>%d</t></si>" % (n * 7919 % 100_003),
}


@pytest.mark.parametrize("what", PADDING)
def test_cells_rows_and_shared_strings_are_bounded(swale, no_openpyxl, what):
    padding = b"".join(PADDING[what](n) for n in range(260_000))
    sheet = "xl/worksheets/sheet4.xml"
    if what == "texts":
        content = with_sheet_xml(xlsx(valid_rows()), sheet, lambda xml: xml)
        content = with_member(content, "xl/sharedStrings.xml", b"<sst>%s</sst>" % padding)
    else:
        content = with_sheet_xml(
            xlsx(valid_rows()),
            sheet,
            lambda xml: xml.replace(b"</sheetData>", padding + b"</sheetData>"),
        )
    with pytest.raises(ImportRefused) as caught:
        read_and_validate(content, partnership=swale)
    assert f"more {what} than a plan needs" in str(caught.value.problems[0])


def with_member(content: bytes, name: str, data: bytes) -> bytes:
    out = BytesIO(content)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


def upload(client, swale, content: bytes, name: str = "plan.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name, content)
    return client.post(reverse("plans:plan_import", args=[swale.pk]), {"workbook": file})


def test_the_preview_is_kept_and_not_parsed_again(client, swale_admin, swale, monkeypatch):
    client.force_login(swale_admin)
    response = upload(client, swale, xlsx(valid_rows()))
    assert response.status_code == 302
    plan_import = PlanImport.objects.get()
    assert plan_import.preview["counts"]["actions"] >= 1
    monkeypatch.setattr(reader, "load_workbook", None)  # parsing again would raise
    for _ in range(2):
        html = client.get(response["Location"]).content.decode()
        assert "Fewer repeat victims" in html


def test_a_refused_upload_keeps_no_bytes(client, swale_admin, swale):
    client.force_login(swale_admin)
    response = upload(client, swale, b"not a workbook at all")
    assert response.status_code == 200
    plan_import = PlanImport.objects.get()
    assert plan_import.status == PlanImport.Status.FAILED
    assert bytes(plan_import.content) == b""


def test_abandoned_uploads_are_deleted_after_7_days(client, swale_admin, swale, capsys):
    client.force_login(swale_admin)
    upload(client, swale, xlsx(valid_rows()))
    upload(client, swale, b"junk")
    PlanImport.objects.update(uploaded_at=timezone.now() - timedelta(days=8))
    fresh = upload(client, swale, xlsx(valid_rows()))  # opportunistic purge on upload
    assert fresh.status_code == 302
    assert PlanImport.objects.count() == 1
    PlanImport.objects.update(uploaded_at=timezone.now() - timedelta(days=8))
    call_command("purge_abandoned_imports")
    assert "Deleted 1 abandoned upload." in capsys.readouterr().out
    assert not PlanImport.objects.exists()
