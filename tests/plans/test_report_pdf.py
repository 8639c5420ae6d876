"""The report pack as a PDF board paper: stored with each published version, downloaded by
every member of the partnership, and said plainly where the server cannot make one."""

from __future__ import annotations

import os
from io import BytesIO

import pytest
from django.urls import reverse

from plans import reporting as reports
from plans.models import PublishedReport
from plans.reporting import pack_pdf
from tests.conftest import STAND_IN_PDF
from tests.plans.report_data import Known

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(swale_admin) -> Known:
    return Known(swale_admin)


@pytest.fixture
def weasyprint_ready() -> None:
    """Real PDFs need WeasyPrint's system libraries: skipped without them, except in CI,
    where a missing library is a broken set-up."""
    if not pack_pdf.pdf_available():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("WeasyPrint cannot load (Pango missing?): run `make pdf-libs` as root")
        pytest.skip("WeasyPrint's system libraries (Pango) are not installed")


def pdf_pages(content: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(BytesIO(content)).pages]


@pytest.mark.pdf
def test_publishing_stores_a_board_paper_pdf_with_header_and_page_numbers(weasyprint_ready, known):
    published = reports.report_publish(period=known.q2, user=known.admin, reason="")
    content = bytes(PublishedReport.objects.get(pk=published.pk).pdf)
    assert content.startswith(b"%PDF")
    pages = pdf_pages(content)
    assert len(pages) > 3  # a cover, the summary, a page per priority, …
    header = "Swale Community Safety Partnership · Swale Community Safety Plan 2019/20 · 2019/20 Q2"
    for number, text in enumerate(pages, start=1):
        assert header in text, number
        assert "Published version 1" in text, number
        assert f"Page {number} of {len(pages)}" in text, number
    everything = " ".join("\n".join(pages).split())  # lines wrap where the paper wraps them
    assert "The Sittingbourne venue closed in August." in everything
    assert "Draft" not in everything


@pytest.mark.pdf
def test_live_pdf_is_the_draft_as_it_stands(weasyprint_ready, client, seg_member, known):
    client.force_login(seg_member)
    response = client.get(reverse("plans:report_pdf", args=[known.q2.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="swale-community-safety-plan-2019-20-2019-20-q2-report-draft.pdf"'
    )
    pages = pdf_pages(response.content)
    assert all("Draft" in text and "Published version" not in text for text in pages)


def test_published_pdf_downloads_as_an_attachment(client, seg_member, known):
    published = reports.report_publish(period=known.q2, user=known.admin, reason="")
    client.force_login(seg_member)
    page = client.get(reverse("plans:published_report", args=[published.pk])).content.decode()
    url = reverse("plans:published_report_pdf", args=[published.pk])
    assert url in page
    assert "Download the PDF as published" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="swale-community-safety-plan-2019-20-2019-20-q2-report-v1.pdf"'
    )
    assert response.content == STAND_IN_PDF


def test_without_weasyprint_publishing_works_and_says_pdf_not_available(
    monkeypatch, client, swale_admin, known
):
    monkeypatch.setattr(pack_pdf, "report_pdf", lambda data, *, published: None)
    monkeypatch.setattr(pack_pdf, "pdf_available", lambda: False)
    client.force_login(swale_admin)
    live = client.get(reverse("plans:report_pack", args=[known.q2.pk])).content.decode()
    assert "PDF not available on this server" in live
    assert reverse("plans:report_pdf", args=[known.q2.pk]) not in live

    response = client.post(reverse("plans:report_publish", args=[known.q2.pk]), {"reason": ""})
    published = PublishedReport.objects.get()
    assert response.status_code == 302
    assert published.pdf is None
    page = client.get(response["Location"]).content.decode()
    assert "PDF not available on this server" in page
    assert "print dialogue" in page  # the browser's print is offered instead
    listing = client.get(reverse("plans:published_report_list", args=[known.plan.pk]))
    assert "PDF not available on this server" in listing.content.decode()

    download = client.get(reverse("plans:published_report_pdf", args=[published.pk]))
    assert download.status_code == 302
    assert download["Location"] == reverse("plans:published_report", args=[published.pk])
    live_download = client.get(reverse("plans:report_pdf", args=[known.q2.pk]))
    assert live_download["Location"] == reverse("plans:report_pack", args=[known.q2.pk])


def test_pages_carry_the_running_header_for_the_browsers_print(client, seg_member, known):
    published = reports.report_publish(period=known.q2, user=known.admin, reason="")
    client.force_login(seg_member)
    live = client.get(reverse("plans:report_pack", args=[known.q2.pk]))
    frozen = client.get(reverse("plans:published_report", args=[published.pk]))
    draft, version_1 = '"Draft"', '"Published\\000020version\\0000201"'
    for response, status in ((live, draft), (frozen, version_1)):
        html = response.content.decode()
        assert "@top-left" in html and "@top-right" in html
        assert status in html  # "Draft" / "Published version 1", as CSS escapes
        nonce = response.wsgi_request.csp_nonce
        assert f'<style nonce="{nonce}">' in html
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"].split("style-src")[1]


def test_css_string_escapes_everything_that_could_break_out():
    from plans.templatetags.govuk import css_string

    escaped = css_string('A "quote" </style> \\ 2019/20')
    assert escaped.startswith('"') and escaped.endswith('"')
    inner = escaped[1:-1]
    assert '"' not in inner and "<" not in inner and " " not in inner
    assert inner.startswith("A\\000020\\000022quote")
