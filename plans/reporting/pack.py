"""The SEG report pack page, read from a report's JSON snapshot (``snapshot.py``): its
summary tables, totals and dates, and the page frozen for publishing.

The live report pack and a published one are the same template fed the same kind of data,
so what the SEG saw on the day a report was published is what it sees years later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.template import Template
from django.template.loader import render_to_string
from django.utils import timezone

from plans.models import PublishedReport
from plans.reporting.changes import CHANGE_KINDS
from plans.reporting.report import QuarterReport
from plans.reporting.summary import (
    ACTION_KEYS,
    ACTION_RAG_KEYS,
    ACTION_RAG_LABELS,
    COUNT_LABELS,
    INDICATOR_KEYS,
    STATUS_RAG,
)

REPORT_TEMPLATE = "plans/report_pack.html"
# What a published report stores: the report itself, without the site's header, account bar
# (and its CSRF token) or footer. ``report_pack.html`` extends ``layout``: base.html on the
# live page, this bare layout when freezing it.
FROZEN_LAYOUT = Template("{% block report %}{% endblock %}")

Snapshot = dict[str, Any]


@dataclass(frozen=True)
class SummaryLine:
    """A count of the executive summary beside the previous quarter's."""

    label: str
    count: int
    previous: int | None

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.count - self.previous

    @property
    def change_display(self) -> str:
        if self.change is None:
            return "Not known"
        return "No change" if self.change == 0 else f"{self.change:+d}"


def snapshot_of(report: QuarterReport | Snapshot) -> Snapshot:
    return report if isinstance(report, dict) else report.to_json()


def snapshot_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def snapshot_datetime(value: str | None) -> datetime | None:
    """An ISO timestamp as local time, without a time zone (Excel has none)."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None)


def summary_lines(data: Snapshot) -> dict[str, list[SummaryLine]]:
    """The executive summary's counts, from a snapshot: actions by status and by RAG,
    indicators by RAG, each beside the previous quarter's (None when there is none)."""
    changes = data.get("changes") or {}
    previous_actions = changes.get("actions")
    previous_rags: dict[str, int] | None = None
    if previous_actions is not None:
        previous_rags = dict.fromkeys(ACTION_RAG_KEYS, 0)
        for status, n in previous_actions.items():
            key = STATUS_RAG.get(status) or ("no_rag" if status in STATUS_RAG else status)
            previous_rags[key] = previous_rags.get(key, 0) + n
    previous_indicators = changes.get("indicators")

    def lines(counts, previous, keys, labels) -> list[SummaryLine]:
        return [
            SummaryLine(
                labels[key], counts.get(key, 0), None if previous is None else previous.get(key, 0)
            )
            for key in keys
        ]

    return {
        "actions_by_status": lines(
            data["action_counts"], previous_actions, ACTION_KEYS, COUNT_LABELS
        ),
        "actions_by_rag": lines(
            data["action_rag_counts"], previous_rags, ACTION_RAG_KEYS, ACTION_RAG_LABELS
        ),
        "indicators_by_rag": lines(
            data["indicator_counts"], previous_indicators, INDICATOR_KEYS, COUNT_LABELS
        ),
    }


def report_context(data: Snapshot, *, published: PublishedReport | None) -> dict[str, Any]:
    """What ``report_pack.html`` needs besides the layout: the snapshot, its summary tables,
    its dates as dates, and ``published``, the version the page is (None on the live page)."""
    summary = summary_lines(data)
    actions = [row for p in data["priorities"] for row in p["actions"]]
    indicators = [row for p in data["priorities"] for row in p["indicators"]]
    return {
        "report": data,
        "summary_tables": [
            ("Actions by status", "actions-by-status", "Status", summary["actions_by_status"]),
            ("Actions by RAG", "actions-by-rag", "RAG", summary["actions_by_rag"]),
            ("Indicators by RAG", "indicators-by-rag", "RAG", summary["indicators_by_rag"]),
        ],
        "totals": {
            "actions": len(actions),
            "indicators": len(indicators),
            "exceptions": len(data["exceptions"]),
            "overdue_milestones": len(data["overdue_milestones"]),
            "missing_actions": sum(len(m["actions"]) for m in data["missing"]),
            "missing_indicators": sum(len(m["indicators"]) for m in data["missing"]),
        },
        "dates": {
            "starts_on": snapshot_date(data["period"]["starts_on"]),
            "ends_on": snapshot_date(data["period"]["ends_on"]),
            "cutoff": snapshot_date(data.get("cutoff")),
        },
        "milestones": [
            row | {"due": snapshot_date(row["due_date"])} for row in data["overdue_milestones"]
        ],
        "generated_at": snapshot_datetime(data["generated_at"]),
        "published": published,
        **_what_changed(data),
    }


def _what_changed(data: Snapshot) -> dict[str, Any]:
    """``provisional``, ``completeness`` and ``changed_lists`` ([(key, heading, rows)]) of a
    snapshot; snapshots published before they were kept give None for the last two, and
    are provisional when their quarter was open."""
    changed = data.get("changed")
    return {
        "provisional": data.get("provisional", (data["period"] or {}).get("status") == "Open"),
        "completeness": data.get("completeness"),
        "has_previous_status": changed is not None and bool(data.get("previous_period")),
        "changed_lists": None
        if changed is None
        else [(key, label, changed.get(key, [])) for key, label in CHANGE_KINDS.items()],
    }


def render_report_html(data: Snapshot, *, published: PublishedReport | None) -> str:
    """The report as it reads on the page, without the site around it: what is frozen."""
    context = report_context(data, published=published) | {"layout": FROZEN_LAYOUT}
    return render_to_string(REPORT_TEMPLATE, context).strip()
