"""The report pack as a PDF board paper, rendered on the server with WeasyPrint.

WeasyPrint needs the system's Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0 and a font).
Where it is missing the app still works: ``pdf_available()`` says so, publishing stores no
PDF (``PublishedReport.pdf`` stays empty and the pages say "PDF not available on this
server") and the browser's print dialogue makes the same paper from the page.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from plans.models import PublishedReport
from plans.reporting.pack import FROZEN_LAYOUT, REPORT_TEMPLATE, Snapshot, report_context

logger = logging.getLogger(__name__)

PDF = "application/pdf"
PDF_TEMPLATE = "plans/report_pack_pdf.html"
NOT_AVAILABLE = "PDF not available on this server"
# The page's own stylesheets, so the paper looks like the printed page.
STYLESHEETS = (
    "vendor/govuk-frontend/govuk-frontend.min.css",
    "css/app.css",
    "css/report-pdf.css",
)


@cache
def _weasyprint() -> Any | None:
    """The weasyprint module, or None when it or its system libraries are missing."""
    # Its progress and every CSS rule it skips (screen media queries) are noise in our logs.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango or its fonts are missing
        logger.warning("%s: %s", NOT_AVAILABLE, error)
        return None
    return weasyprint


def pdf_available() -> bool:
    return _weasyprint() is not None


def running_header(
    *, partnership: str, plan: str, quarter: str, version: int | None
) -> dict[str, str]:
    """What every printed page says at its top: whose report of which quarter, and whether
    it is a draft or which published version."""
    return {
        "title": f"{partnership} · {plan} · {quarter}",
        "status": f"Published version {version}" if version else "Draft",
    }


def snapshot_header(data: Snapshot, *, published: PublishedReport | None) -> dict[str, str]:
    return running_header(
        partnership=str(data["plan"]["partnership"]),
        plan=data["plan"]["title"],
        quarter=data["period"]["label"],
        version=published.version if published else None,
    )


def _refuse_fetch(url: str, *args, **kwargs) -> dict[str, Any]:
    # The paper needs nothing from outside: no server-side requests on behalf of report text.
    raise ValueError(f"Not fetched: {url}")


def report_pdf(
    data: Snapshot, *, published: PublishedReport | None, report_html: str = ""
) -> bytes | None:
    """The report pack as a PDF (A4, a running header and page numbers on every page), or
    None when this server cannot make PDFs. ``report_html``: the report as published (its
    stored HTML), so a PDF made long after publishing still reads as the version did."""
    weasyprint = _weasyprint()
    if weasyprint is None:
        return None
    report_html = report_html or render_to_string(
        REPORT_TEMPLATE, report_context(data, published=published) | {"layout": FROZEN_LAYOUT}
    )
    document = render_to_string(
        PDF_TEMPLATE,
        {
            "report": data,
            "report_html": report_html,
            "running_header": snapshot_header(data, published=published),
        },
    )
    return weasyprint.HTML(string=document, url_fetcher=_refuse_fetch).write_pdf(
        stylesheets=_stylesheets()
    )


@cache
def _stylesheets() -> list[Any]:
    """The stylesheets, parsed once per process (parsing GOV.UK Frontend's takes a second)."""
    weasyprint = _weasyprint()
    paths = [finders.find(name) for name in STYLESHEETS]
    return [
        weasyprint.CSS(filename=path, url_fetcher=_refuse_fetch)
        for path in paths
        if path and Path(path).exists()
    ]
