"""What changed since the previous quarter: each action's and indicator's RAG beside the
previous quarter's, sorted into the lists the SEG reads first ("Changed since last quarter").

A change is only read from a status reported this quarter: an action carried forward or done
earlier, or an indicator showing an earlier figure, has not changed, it has not been updated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

# The lists, in the order they are shown, with their headings.
CHANGE_KINDS: dict[str, str] = {
    "new_red": "New Red",
    "new_amber": "New Amber",
    "improved": "Improved",
    "completed": "Completed",
}
RAG_RANK = {"red": 0, "amber": 1, "green": 2}


class Changeable(Protocol):
    @property
    def change(self) -> str | None: ...


def change_of(previous: str | None, current: str | None, *, completed: bool = False) -> str | None:
    """How a RAG moved from ``previous`` to ``current`` (None: no RAG, e.g. no update or not
    started): into Red, into Amber from anything but Red, up from Red or Amber; or
    "completed" when the action was completed this quarter."""
    if completed:
        return "completed"
    if current == previous or current not in RAG_RANK:
        return None
    if previous in RAG_RANK and RAG_RANK[current] > RAG_RANK[previous]:
        return "improved"
    if current in ("red", "amber"):
        return f"new_{current}"
    return None


def changed_rows(rows: Iterable[Changeable]) -> dict[str, list]:
    """The rows that changed, by kind of change (every kind present, maybe empty)."""
    changed: dict[str, list] = {kind: [] for kind in CHANGE_KINDS}
    for row in rows:
        if row.change:
            changed[row.change].append(row)
    return changed
