"""The year-end report page from its JSON (``report.py``): what the template needs, and the
page frozen for publishing (without the site around it), as the report pack does."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from plans.reporting.pack import FROZEN_LAYOUT, snapshot_date, snapshot_datetime
from plans.yearend.models import YearEndReport

TEMPLATE = "plans/yearend/report.html"


def report_context(data: dict, *, published: YearEndReport | None) -> dict[str, Any]:
    actions = [row for p in data["priorities"] for row in p["actions"]]
    indicators = [row for p in data["priorities"] for row in p["indicators"]]
    return {
        "report": data,
        "totals": {"actions": len(actions), "indicators": len(indicators)},
        "dates": {
            "starts_on": snapshot_date(data["year"]["starts_on"]),
            "ends_on": snapshot_date(data["year"]["ends_on"]),
        },
        "generated_at": snapshot_datetime(data["generated_at"]),
        "closed_at": snapshot_datetime(data.get("closed_at")),
        "published": published,
        "running_header": running_header(data, published=published),
    }


def running_header(data: dict, *, published: YearEndReport | None) -> dict[str, str]:
    """What every printed page says at its top (``_report_print_style.html``)."""
    title = f"{data['plan']['partnership']} · {data['plan']['title']} · year end"
    if published:
        return {"title": title, "status": f"Published version {published.version}"}
    return {"title": title, "status": "Draft"}


def render_report_html(data: dict, *, published: YearEndReport | None) -> str:
    """The report as it reads on the page, without the site around it: what is frozen."""
    context = report_context(data, published=published) | {"layout": FROZEN_LAYOUT}
    return render_to_string(TEMPLATE, context).strip()
