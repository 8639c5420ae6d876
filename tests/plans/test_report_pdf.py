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
def test_a_published_board_paper_pdf_has_header_and_page_numbers(weasyprint_ready, client, known):
    published = reports.report_publish(period=known.q2, user=known.admin, reason="")
    client.force_login(known.admin)
    response = client.get(reverse("plans:published_report_pdf", args=[published.pk]))
    content = bytes(PublishedReport.objects.get(pk=published.pk).pdf)
    assert response.content == content  # made on the first download, and kept
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
def test_a_pdf_made_after_publishing_reads_as_the_version_was_published(
    weasyprint_ready, client, known
):
    """The first download makes the PDF from the stored HTML, not from today's templates."""
    published = reports.report_publish(period=known.q2, user=known.admin, reason="")
    stored = PublishedReport.objects.get(pk=published.pk)
    assert "The Sittingbourne venue closed in August." in stored.html
    as_published = stored.html.replace(
        "The Sittingbourne venue closed in August.", "Words as they were on the day."
    )
    PublishedReport.objects.filter(pk=published.pk).update(html=as_published)
    client.force_login(known.admin)
    response = client.get(reverse("plans:published_report_pdf", args=[published.pk]))
    everything = " ".join("\n".join(pdf_pages(response.content)).split())
    assert "Words as they were on the day." in everything
    assert "Sittingbourne venue closed" not in everything
    assert "Page 1 of" in everything


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


def test_the_pdf_is_made_from_the_published_snapshot_once_and_kept(
    monkeypatch, client, seg_member, known
):
    published = reports.report_publish(period=known.q2, user=known.admin, reason="")
    assert PublishedReport.objects.get(pk=published.pk).pdf is None  # publishing is quick
    made = []

    def report_pdf(data, *, published, report_html=""):
        made.append((data, published.version, report_html))
        return STAND_IN_PDF

    monkeypatch.setattr(pack_pdf, "report_pdf", report_pdf)
    client.force_login(seg_member)
    url = reverse("plans:published_report_pdf", args=[published.pk])
    first, again = client.get(url), client.get(url)
    assert first.content == again.content == STAND_IN_PDF
    stored = PublishedReport.objects.get(pk=published.pk)
    assert made == [(stored.data, 1, stored.html)]  # frozen, once, from the published HTML
    assert bytes(PublishedReport.objects.get(pk=published.pk).pdf) == STAND_IN_PDF


def test_a_pdf_that_cannot_be_made_says_so_and_the_publication_stays(
    monkeypatch, client, seg_member, known
):
    published = reports.report_publish(period=known.q2, user=known.admin, reason="")

    def broken(data, **kwargs):
        raise RuntimeError("Pango gave up")

    monkeypatch.setattr(pack_pdf, "report_pdf", broken)
    client.force_login(seg_member)
    url = reverse("plans:published_report_pdf", args=[published.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain == [
        (reverse("plans:published_report", args=[published.pk]), 302)
    ]
    page = " ".join(response.content.decode().split())
    assert "The PDF could not be made just now. The published report is safe" in page
    kept = PublishedReport.objects.get(pk=published.pk)
    assert (kept.version, kept.pdf) == (1, None)
    assert kept.html == published.html and bytes(kept.workbook) == bytes(published.workbook)

    monkeypatch.setattr(pack_pdf, "report_pdf", lambda data, **kwargs: STAND_IN_PDF)
    assert client.get(url).content == STAND_IN_PDF  # the next try makes it


def test_without_weasyprint_publishing_works_and_says_pdf_not_available(
    monkeypatch, client, swale_admin, known
):
    monkeypatch.setattr(pack_pdf, "report_pdf", lambda data, **kwargs: None)
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
