"""Uploading a quarter's figures from a sheet: the sheet to download, the preview, every
problem named by row and column with the value page's messages, and all or nothing."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from indicators.models import Indicator, IndicatorValue, ValueUpload
from indicators.services import ValueEntry, indicator_value_save
from indicators.uploads import COLUMNS
from plans.models import Plan
from plans.services import period_close, period_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def swale(seeded) -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


@pytest.fixture
def q2(swale):
    return period_open(plan=swale, year=2019, quarter=2, deadline=date(2099, 1, 31))


def indicator(plan, ref) -> Indicator:
    return Indicator.objects.get(plan=plan, ref=ref)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheet_url(period):
    return reverse("indicators:values_sheet", args=[period.plan_id, period.pk])


def upload_url(period):
    return reverse("indicators:values_upload", args=[period.plan_id, period.pk])


def xlsx(rows, headers=COLUMNS) -> bytes:
    book = Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, headers=COLUMNS) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def row(ref, value="", reason="", note=""):
    return [ref, "", "", "", "", value, reason, note]


def upload(client, period, content, name="figures.xlsx"):
    return client.post(upload_url(period), {"file": SimpleUploadedFile(name, content)})


def test_officer_downloads_the_quarter_sheet_of_their_indicators(police_officer, q2, swale):
    dv = indicator(swale, "1.1")
    indicator_value_save(user=police_officer, period=q2, entry=ValueEntry(dv, Decimal(42), False))
    dv.title = '=HYPERLINK("http://evil.example")'
    dv.save()
    response = signed_in(police_officer).get(sheet_url(q2))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="indicator-values-2019-20-Q2.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    refs = [r[0] for r in rows[1:]]
    assert "1.1" in refs and "1.2" not in refs  # 1.2 is Kent County Council's
    first = rows[refs.index("1.1") + 1]
    assert first[5] == 42 and first[2] == "Number"
    title_cell = sheet.cell(row=refs.index("1.1") + 2, column=2)
    assert title_cell.data_type == "s" and title_cell.quotePrefix  # never a live formula


def test_upload_previews_then_saves_every_figure(police_officer, q2, swale):
    client = signed_in(police_officer)
    content = xlsx([row("1.1", 42, note="Up on last year"), row("2.3", "1,234"),
                    row("2.4", "", "Force system down"), row("2.5")])  # fmt: skip
    response = upload(client, q2, content)
    kept = ValueUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:values_upload_preview", args=[kept.pk])
    assert not IndicatorValue.objects.filter(period=q2).exists(), "nothing saved at preview"
    html = client.get(response["Location"]).content.decode()
    assert "Check the figures before saving" in html
    assert "3 figures will be saved for 2019/20 Q2" in html
    assert "Not available: Force system down" in html and "1234" in html

    done = client.post(response["Location"])
    assert done.status_code == 302
    assert done["Location"] == reverse("indicators:bulk_values", args=[swale.pk, q2.pk])
    saved = {v.indicator.ref: v for v in IndicatorValue.objects.filter(period=q2)}
    assert saved["1.1"].value == 42 and saved["1.1"].note == "Up on last year"
    assert saved["2.3"].value == 1234
    assert saved["2.4"].not_available and saved["2.4"].not_available_reason == "Force system down"
    assert saved["1.1"].entered_by == police_officer
    assert not ValueUpload.objects.exists(), "the kept rows are forgotten once saved"
    assert "3 values for 2019/20 Q2 saved" in client.get(done["Location"]).content.decode()


def test_csv_works_too_and_unchanged_rows_change_nothing(police_officer, q2, swale):
    client = signed_in(police_officer)
    dv = indicator(swale, "1.1")
    indicator_value_save(user=police_officer, period=q2, entry=ValueEntry(dv, Decimal(42), False))
    response = upload(client, q2, csv_bytes([row("1.1", "42"), row("2.3", "7")]), "f.csv")
    assert response.status_code == 302
    assert [r["ref"] for r in ValueUpload.objects.get().rows] == ["2.3"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([row("1.1", "12,5")], "Row 2, column “Value”: Use a full stop for decimals, like 12.5"),
        ([row("1.1", "lots")], "Row 2, column “Value”: Enter the value as a number, like 42"),
        ([row("1.1", "-3")], "Row 2, column “Value”: Enter a number of 0 or more"),
        ([row("1.1", "n/a")], "Row 2, column “Not available reason”: Enter why the figure is not"),
        ([row("1.1", "4", "Down")], "Row 2, column “Value”: Leave the value empty when it is not"),
        (
            [row("1.1", "", "", "A note")],
            "Row 2, column “Value”: Enter the value as a number, like",
        ),
        ([row("1.1", "1.2345")], "Enter the value with no more than 3 decimal places"),
        ([row("1.2", "4")], "Row 2, column “Ref”: 1.2 is not one of your indicators due in"),
        ([row("9.9", "4")], "Row 2, column “Ref”: there is no indicator 9.9 in this plan"),
        ([row("", "4")], "Row 2, column “Ref”: the ref is empty"),
        ([row("1.1", "4"), row("1.1", "5")], "Row 3, column “Ref”: 1.1 is also on row 2"),
        ([row("1.1", "4", "", "x" * 3000)], "Row 2, column “Note”: Enter no more than"),
        ([row("1.1", "")], "The sheet changes no figures"),
    ],
)
def test_each_problem_is_named_by_row_and_column(police_officer, q2, rows, message):
    response = upload(signed_in(police_officer), q2, xlsx(rows))
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert message in html.replace("&#x27;", "'"), html[html.find("govuk-error-summary") :][:1500]
    assert "nothing has been saved" in html
    assert not ValueUpload.objects.exists() and not IndicatorValue.objects.exists()


def test_percentage_bounds_are_the_pages(police_officer, q2, swale):
    share = indicator(swale, "4.7")
    share.agency = indicator(swale, "1.1").agency
    share.save()
    html = upload(signed_in(police_officer), q2, xlsx([row("4.7", "120")])).content.decode()
    assert "Row 2, column “Value”: Enter a percentage between 0 and 100" in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("f.xlsx", b"", "The file is empty"),
        ("f.pdf", b"%PDF-1.7", "Choose a CSV file (.csv) or an Excel workbook (.xlsx)"),
        ("f.xlsx", b"\xd0\xcf\x11\xe0rest", "Excel 97–2003 workbook (.xls)"),
        ("f.xlsx", b"plain text", "This is not an Excel workbook (.xlsx)"),
        ("f.csv", b"PK\x03\x04", "This is not a CSV file"),
        ("f.csv", b"Ref,Indicator\n1.1,x\n", "column “Value”: this column is missing"),
    ],
)
def test_files_that_cannot_be_read_are_refused(police_officer, q2, name, content, message):
    client = signed_in(police_officer)
    response = client.post(upload_url(q2), {"file": SimpleUploadedFile(name, content or b"")})
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert not ValueUpload.objects.exists()


def test_missing_file_is_asked_for(police_officer, q2):
    html = signed_in(police_officer).post(upload_url(q2), {}).content.decode()
    assert "Choose a file to upload" in html


def test_a_value_saved_meanwhile_refuses_the_whole_upload(police_officer, q2, swale):
    client = signed_in(police_officer)
    response = upload(client, q2, xlsx([row("1.1", "42"), row("2.3", "7")]))
    other = indicator(swale, "2.3")
    indicator_value_save(user=police_officer, period=q2, entry=ValueEntry(other, Decimal(9), False))
    refused = client.post(response["Location"])
    html = refused.content.decode()
    assert refused.status_code == 200 and "Nothing was saved" in html
    assert "saved 9 on" in html and "while you were editing" in html
    assert IndicatorValue.objects.get(period=q2, indicator=other).value == 9
    assert not IndicatorValue.objects.filter(period=q2, indicator__ref="1.1").exists()


def test_a_quarter_closed_before_confirming_saves_nothing(police_officer, q2):
    client = signed_in(police_officer)
    response = upload(client, q2, xlsx([row("1.1", "42")]))
    period_close(period=q2)
    assert client.post(response["Location"]).status_code == 403
    assert not IndicatorValue.objects.exists()


def test_a_closed_quarter_takes_no_upload(police_officer, swale_admin, q2):
    period_close(period=q2)
    assert signed_in(police_officer).get(upload_url(q2)).status_code == 403
    assert signed_in(swale_admin).get(upload_url(q2)).status_code == 403


def test_only_the_uploader_sees_and_confirms_their_upload(police_officer, swale_admin, q2):
    response = upload(signed_in(police_officer), q2, xlsx([row("1.1", "42")]))
    other = signed_in(swale_admin)
    assert other.get(response["Location"]).status_code == 404
    assert other.post(response["Location"]).status_code == 404
    assert not IndicatorValue.objects.exists()


def test_old_unconfirmed_uploads_are_forgotten(police_officer, q2):
    from datetime import timedelta

    from django.utils import timezone

    client = signed_in(police_officer)
    upload(client, q2, xlsx([row("1.1", "42")]))
    ValueUpload.objects.update(created_at=timezone.now() - timedelta(days=2))
    upload(client, q2, xlsx([row("1.1", "43")]))
    assert [u.rows[0]["value"] for u in ValueUpload.objects.all()] == ["43"]


def test_bulk_page_links_to_the_sheet_and_the_upload(police_officer, q2):
    html = (
        signed_in(police_officer)
        .get(reverse("indicators:bulk_values", args=[q2.plan_id, q2.pk]))
        .content.decode()
    )
    assert sheet_url(q2) in html and upload_url(q2) in html


def test_the_purge_command_forgets_old_uploads(police_officer, q2):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    upload(signed_in(police_officer), q2, xlsx([row("1.1", "42")]))
    out = io.StringIO()
    call_command("purge_value_uploads", stdout=out)
    assert out.getvalue() == "Deleted 0 unconfirmed uploads.\n"
    ValueUpload.objects.update(created_at=timezone.now() - timedelta(days=2))
    call_command("purge_value_uploads", stdout=out)
    assert "Deleted 1 unconfirmed upload." in out.getvalue()
    assert not ValueUpload.objects.exists()
