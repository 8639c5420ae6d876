"""The executive summary of a quarter: the keys and labels its counts go by, the counts
themselves (actions by status and by RAG, indicators by RAG) and ``SummaryLine``, one count
beside the previous quarter's with the change between them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from priorities.models import ActionUpdate

if TYPE_CHECKING:
    from indicators.models import IndicatorValue
    from plans.reporting.rows import ActionRow, IndicatorRow

Status = ActionUpdate.Status
NO_UPDATE = "no_update"
ACTION_KEYS: tuple[str, ...] = (*Status.values, NO_UPDATE)
INDICATOR_KEYS: tuple[str, ...] = ("red", "amber", "green", "no_rag", "no_value")

STATUS_RAG: dict[str, str | None] = {
    Status.OFF_TRACK: "red",
    Status.AT_RISK: "amber",
    Status.ON_TRACK: "green",
    Status.COMPLETE: "green",
    Status.NOT_STARTED: None,
}
COUNT_LABELS: dict[str, str] = {
    **{status.value: status.label for status in Status},
    NO_UPDATE: "No update",
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "no_rag": "No RAG",
    "no_value": "No value",
}
ACTION_RAG_KEYS: tuple[str, ...] = ("red", "amber", "green", "no_rag", NO_UPDATE)
ACTION_RAG_LABELS = {
    "red": "Red (off track)",
    "amber": "Amber (at risk)",
    "green": "Green (on track or complete)",
    "no_rag": "Not started",
    NO_UPDATE: "No update",
}


@dataclass
class SummaryLine:
    """One count of the executive summary, with the previous quarter's for comparison."""

    key: str
    label: str
    count: int
    previous: int | None

    @property
    def delta(self) -> int | None:
        return None if self.previous is None else self.count - self.previous

    @property
    def delta_display(self) -> str:
        if self.delta is None:
            return "Not known"
        return "No change" if self.delta == 0 else f"{self.delta:+d}"


def action_rag_key(status: str | None) -> str:
    """Where an action with this status (None: no update) counts among actions by RAG."""
    if status is None or status == NO_UPDATE:
        return NO_UPDATE
    return STATUS_RAG[status] or "no_rag"


def action_counts(rows: Iterable[ActionRow]) -> dict[str, int]:
    """Actions by the status of their submitted update ("no_update" without one)."""
    counts = dict.fromkeys(ACTION_KEYS, 0)
    for row in rows:
        counts[row.status or NO_UPDATE] += 1
    return counts


def action_rag_counts(rows: list[ActionRow]) -> dict[str, int]:
    counts = dict.fromkeys(ACTION_RAG_KEYS, 0)
    for row in rows:
        counts[action_rag_key(row.status)] += 1
    return counts


def indicator_counts(rows: list[IndicatorRow]) -> dict[str, int]:
    counts = dict.fromkeys(INDICATOR_KEYS, 0)
    for row in rows:
        counts[indicator_key(row.value or row.carried, row.rag)] += 1
    return counts


def indicator_key(value: IndicatorValue | None, rag: str | None) -> str:
    """Where an indicator with this value and RAG counts among indicators by RAG."""
    if rag:
        return rag
    if value is None or value.not_available:
        return "no_value"
    return "no_rag"


def count_lines(
    counts: dict[str, int],
    previous: dict[str, int],
    keys: tuple[str, ...],
    labels: dict[str, str],
) -> list[SummaryLine]:
    """A line per key: this quarter's count beside the previous one (None when unknown)."""
    return [SummaryLine(key, labels[key], counts[key], previous.get(key)) for key in keys]


def previous_action_rags(changes: dict) -> dict[str, int]:
    """The previous quarter's actions by RAG, from its actions by status ({} when there is
    no previous quarter)."""
    if not changes:
        return {}
    previous = dict.fromkeys(ACTION_RAG_KEYS, 0)
    for status, n in changes["actions"].items():
        previous[action_rag_key(status)] += n
    return previous
