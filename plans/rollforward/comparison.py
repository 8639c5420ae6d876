"""The two plans side by side, for "What changed from last year": priorities kept, renamed,
added and removed; actions carried over, changed (and what), new, dropped (with the reason)
and completed last year; indicators with their targets. Read in a fixed number of queries
however big the plans are."""

from __future__ import annotations

from dataclasses import dataclass, field

from indicators.models import Indicator
from plans.models import Plan
from plans.rollforward.lineage import differences
from plans.rollforward.models import DroppedAction
from priorities.models import Action, FinalStatus, Lineage, Priority


@dataclass
class Pair:
    """An item as it was last year (``before``) and as it is this year (``after``)."""

    before: object | None
    after: object | None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)
    note: str = ""
    deferred: bool = False
    drop: DroppedAction | None = None  # a dropped action's record: who, when and why


@dataclass
class Comparison:
    plan: Plan
    previous: Plan
    priorities: list[Pair] = field(default_factory=list)
    carried: list[Pair] = field(default_factory=list)
    changed: list[Pair] = field(default_factory=list)
    new: list[Pair] = field(default_factory=list)
    dropped: list[Pair] = field(default_factory=list)
    completed: list[Pair] = field(default_factory=list)
    indicators: list[Pair] = field(default_factory=list)

    @property
    def priorities_added(self) -> int:
        return sum(1 for pair in self.priorities if pair.before is None)

    @property
    def priorities_removed(self) -> int:
        return sum(1 for pair in self.priorities if pair.after is None)

    @property
    def targets_changed(self) -> int:
        return sum(1 for pair in self.indicators if pair.before and pair.after and pair.changes)


def _actions(plan: Plan) -> list[Action]:
    return list(
        Action.objects.filter(priority__plan=plan)
        .select_related("priority__lead_agency", "lead_agency", "lead_officer", "completed_in")
        .prefetch_related("supporting_agencies")
    )


def _same(text: str) -> str:
    return " ".join(text.lower().split())


def compare(plan: Plan, previous: Plan) -> Comparison:
    """``plan`` against ``previous``, the plan it was started from."""
    result = Comparison(plan=plan, previous=previous)
    result.priorities = _priorities(plan, previous)
    _compare_actions(result)
    result.indicators = _indicators(plan, previous)
    return result


def _priorities(plan: Plan, previous: Plan) -> list[Pair]:
    """Matched by title, then a changed title under the same ref as renamed."""
    rows = list(Priority.objects.filter(plan__in=[plan, previous]))
    old = [p for p in rows if p.plan_id == previous.pk]
    new = [p for p in rows if p.plan_id == plan.pk]
    pairs: list[Pair] = []
    unmatched = list(old)
    for priority in new:
        match = next((p for p in unmatched if _same(p.title) == _same(priority.title)), None)
        match = match or next((p for p in unmatched if p.ref == priority.ref), None)
        if match is not None:
            unmatched.remove(match)
            changes = (
                [("Title", match.title, priority.title)] if match.title != priority.title else []
            )
            pairs.append(Pair(match, priority, changes))
        else:
            pairs.append(Pair(None, priority))
    return pairs + [Pair(priority, None) for priority in unmatched]


def _compare_actions(result: Comparison) -> None:
    old = {action.pk: action for action in _actions(result.previous)}
    carried_from: set[int] = set()
    for action in _actions(result.plan):
        before = old.get(action.predecessor_id)
        if before is None or action.lineage == Lineage.NEW:
            result.new.append(Pair(None, action))
            continue
        carried_from.add(before.pk)
        pair = Pair(before, action, differences(before, action),
                    deferred=before.final_status == FinalStatus.DEFERRED)  # fmt: skip
        (result.changed if pair.changes else result.carried).append(pair)
    drops = DroppedAction.objects.filter(plan=result.plan).select_related("by")
    dropped_from = set()
    for drop in drops:
        dropped_from.add(drop.predecessor_id)
        before = old.get(drop.predecessor_id)
        result.dropped.append(Pair(before, None, note=drop.reason, drop=drop))
    for action in old.values():
        if action.pk in carried_from or action.pk in dropped_from:
            continue
        if action.completed_in_id or action.final_status == FinalStatus.COMPLETE:
            when = f"Completed in {action.completed_in.label}" if action.completed_in_id else ""
            result.completed.append(Pair(action, None, note=when or "Complete at the year end"))
        else:
            result.dropped.append(Pair(action, None, note=""))


def _indicators(plan: Plan, previous: Plan) -> list[Pair]:
    rows = list(Indicator.objects.filter(plan__in=[plan, previous]))
    old = {i.pk: i for i in rows if i.plan_id == previous.pk}
    pairs, followed = [], set()
    for indicator in (i for i in rows if i.plan_id == plan.pk):
        before = old.get(indicator.predecessor_id)
        if before is None:
            pairs.append(Pair(None, indicator))
            continue
        followed.add(before.pk)
        changes = []
        if _same(before.target) != _same(indicator.target):
            changes.append(("Target", before.target, indicator.target))
        pairs.append(Pair(before, indicator, changes))
    return pairs + [Pair(i, None) for i in old.values() if i.pk not in followed]
