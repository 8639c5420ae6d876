"""Evidence files: what is accepted (by content, not name), what is refused with a message
and nothing stored, who uploads, downloads and removes, and the audit record of a removal."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from plans.collaboration import filecheck, services
from plans.collaboration.models import Comment, Evidence
from tests.collaboration.files import (
    JPEG,
    OLE2,
    PDF,
    PNG,
    office,
    stored_files,
    upload,
    zip_bomb_docx,
)
from tests.conftest import MEDWAY, member

pytestmark = pytest.mark.django_db


def evidence_url(swale, kind="action"):
    return reverse("collaboration:evidence", args=[kind, swale[kind].pk, swale["period"].pk])


def post_file(client, swale, name, content, kind="action"):
    return client.post(evidence_url(swale, kind), {"file": upload(name, content)})


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("minutes.pdf", PDF, "pdf"),
        ("photo.png", PNG, "png"),
        ("photo.JPG", JPEG, "jpeg"),
        ("photo.jpeg", JPEG, "jpeg"),
        ("old report.doc", OLE2, "doc"),
        ("figures.xls", OLE2, "xls"),
        ("slides.ppt", OLE2, "ppt"),
        ("report.docx", office("docx"), "docx"),
        ("figures.xlsx", office("xlsx"), "xlsx"),
        ("slides.pptx", office("pptx"), "pptx"),
    ],
)
def test_allowed_files_are_stored(client, csu_officer, swale, name, content, kind):
    client.force_login(csu_officer)
    response = post_file(client, swale, name, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    evidence = Evidence.objects.get()
    assert (evidence.name, evidence.kind, evidence.size) == (name, kind, len(content))
    assert evidence.uploaded_by == csu_officer
    assert len(stored_files()) == 1
    assert stored_files()[0].read_bytes() == content
    page = client.get(evidence_url(swale)).content.decode()
    assert name in page and csu_officer.get_full_name() in page


WRONG_TYPE = "The selected file must be a PDF, Word, Excel, PowerPoint, PNG or JPEG file"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>",
         "The selected file is not really a .pdf file"),
        ("report.docx", b"<html><body>hello</body></html>",
         "The selected file is not really a .docx"),
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 100, WRONG_TYPE),
        ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 100, "The selected file is not really a .pdf"),
        ("picture.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', WRONG_TYPE),
        ("picture.png", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
         "The selected file is not really a .png"),
        ("page.html", b"<html></html>", WRONG_TYPE),
        ("no-extension", PDF, WRONG_TYPE),
        ("empty.pdf", b"", "The selected file is empty"),
        ("bomb.docx", zip_bomb_docx(), "The selected file unpacks to far more than its size"),
        ("macros.docx", office("docx", main_type="application/vnd.ms-word.document."
                               "macroEnabled.main+xml"), "it may contain macros"),
        ("workbook.docx", office("xlsx"), "The selected file is not a valid docx file"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 200, "The selected file is not a valid xlsx"),
    ],
)  # fmt: skip
def test_hostile_files_are_refused_and_nothing_is_stored(
    client, csu_officer, swale, name, content, message
):
    client.force_login(csu_officer)
    response = post_file(client, swale, name, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert '<a href="#id_file">' in html  # the error summary links to the field
    assert not Evidence.objects.exists()
    assert stored_files() == []


def test_an_over_size_file_is_refused(client, csu_officer, swale):
    client.force_login(csu_officer)
    big = PDF + b"\x00" * (filecheck.MAX_FILE_BYTES + 1 - len(PDF))
    response = post_file(client, swale, "big.pdf", big)
    assert "The selected file must be smaller than 10 MB" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files() == []


def test_the_quarter_total_is_bounded(client, csu_officer, swale, monkeypatch):
    monkeypatch.setattr(services, "MAX_QUARTER_BYTES", len(PDF) * 2)
    client.force_login(csu_officer)
    assert post_file(client, swale, "one.pdf", PDF).status_code == 302
    assert post_file(client, swale, "two.pdf", PDF).status_code == 302
    response = post_file(client, swale, "three.pdf", PDF)
    assert "must add up to less than" in response.content.decode()
    assert Evidence.objects.count() == 2 and len(stored_files()) == 2


def test_the_upload_form_reminds_about_personal_data(client, csu_officer, swale):
    client.force_login(csu_officer)
    html = client.get(evidence_url(swale)).content.decode()
    assert "this service holds no personal data about them" in html
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.parametrize(
    "who, status", [("police_officer", 403), ("seg_member", 403), ("outsider", 404)]
)
def test_only_reporters_upload(request, client, swale, who, status):
    client.force_login(request.getfixturevalue(who))
    assert post_file(client, swale, "a.pdf", PDF).status_code == status
    assert stored_files() == []


def test_the_reporting_agency_uploads_for_an_indicator(client, police_officer, csu_officer, swale):
    client.force_login(police_officer)
    assert post_file(client, swale, "a.pdf", PDF, kind="indicator").status_code == 302
    client.force_login(csu_officer)
    assert post_file(client, swale, "b.pdf", PDF, kind="indicator").status_code == 403


@pytest.fixture
def stored(client, csu_officer, swale) -> Evidence:
    client.force_login(csu_officer)
    post_file(client, swale, "minutes.pdf", PDF)
    client.logout()
    return Evidence.objects.get()


@pytest.mark.parametrize("who", ["csu_officer", "police_officer", "seg_member", "swale_admin"])
def test_everyone_who_sees_the_action_downloads_its_file_as_an_attachment(
    request, client, stored, who
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("collaboration:evidence_download", args=[stored.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_another_partnerships_file_is_not_found(client, outsider, seg_member, stored):
    client.force_login(outsider)
    url = reverse("collaboration:evidence_download", args=[stored.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("collaboration:evidence_remove", args=[stored.pk])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: sign in first


def test_a_medway_file_is_not_found_for_swale(client, seg_member, seeded):
    from datetime import date

    from plans.models import Plan
    from plans.services import period_open
    from priorities.models import Action

    medway_admin = member("medway-admin-2", MEDWAY, "admin")
    action = Action.objects.filter(priority__plan__partnership__name=MEDWAY).first()
    plan = Plan.objects.get(pk=action.priority.plan_id)
    period = period_open(plan=plan, year=plan.start_year, quarter=1, deadline=date(2099, 1, 1))
    client.force_login(medway_admin)
    url = reverse("collaboration:evidence", args=["action", action.pk, period.pk])
    assert client.post(url, {"file": upload("medway.pdf", PDF)}).status_code == 302
    evidence = Evidence.objects.get()
    client.force_login(seg_member)
    assert (
        client.get(reverse("collaboration:evidence_download", args=[evidence.pk])).status_code
        == 404
    )
    assert client.get(url).status_code == 404


def test_removing_a_file_deletes_it_and_keeps_an_audit_record(
    client, stored, csu_officer, police_officer, seg_member, django_capture_on_commit_callbacks
):
    url = reverse("collaboration:evidence_remove", args=[stored.pk])
    for who in (police_officer, seg_member):
        client.force_login(who)
        assert client.post(url).status_code == 403
    client.force_login(csu_officer)
    assert "Remove minutes.pdf?" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not Evidence.objects.exists() and stored_files() == []
    entry = LogEntry.objects.get(
        content_type__model="evidence", object_pk=str(stored.pk), action=LogEntry.Action.DELETE
    )
    assert entry.actor == csu_officer
    assert entry.changes_dict["name"][0] == "minutes.pdf"
    assert entry.changes_dict["size"][0] == str(len(PDF))


def test_an_admin_removes_any_file(client, stored, swale_admin, django_capture_on_commit_callbacks):
    client.force_login(swale_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("collaboration:evidence_remove", args=[stored.pk]))
    assert response.status_code == 302 and not Evidence.objects.exists()


def test_an_answer_with_a_file_keeps_it_as_evidence(client, seg_member, csu_officer, swale):
    client.force_login(seg_member)
    item = ["action", swale["action"].pk, swale["period"].pk]
    thread = reverse("collaboration:thread", args=item)
    client.post(thread, {"text": "Where are the minutes?"})
    question = Comment.objects.get()
    client.force_login(csu_officer)
    answer_url = reverse("collaboration:question_answer", args=[question.pk])
    refused = client.post(answer_url, {"text": "Here.", "file": upload("x.pdf", b"<html>")})
    assert "The selected file is not really a .pdf file" in refused.content.decode()
    assert not question.answers.exists() and stored_files() == []
    response = client.post(answer_url, {"text": "Attached.", "file": upload("minutes.pdf", PDF)})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.comment == question.answers.get()
    client.force_login(seg_member)
    page = client.get(thread).content.decode()
    assert reverse("collaboration:evidence_download", args=[evidence.pk]) in page
    assert "minutes.pdf" in client.get(evidence_url(swale)).content.decode()


def test_a_removed_file_stays_in_the_partnerships_audit_log(
    client, stored, csu_officer, swale_admin, swale, django_capture_on_commit_callbacks
):
    client.force_login(csu_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("collaboration:evidence_remove", args=[stored.pk]))
    client.force_login(swale_admin)
    log = reverse("plans:audit_log", args=[swale["plan"].partnership_id])
    html = client.get(log).content.decode()
    assert "minutes.pdf" in html
