"""Loading what one or more quarter reports are built from, in a fixed number of queries
whatever the size of the plans: their quarters, priorities, actions (with milestones), the
updates and values the asked-for quarters need, the milestones reported done, and the
partnerships' indicators.

Only what a report shows is read, not every quarter (``wanted``, one per report):
- updates: any in the quarter and in the previous opened one, the one in the quarter the
  action was completed in, and, for each of those two quarters still open, the latest
  submitted before it (what carries forward);
- milestones done: one aggregate row per milestone, the first quarter it was reported done;
- values: per indicator of a chain, the quarters from a year before its latest figure
  before the previous quarter (the carried figure and its year-earlier reference) up to the
  quarter, which also holds the last four quarters and the same quarter a year before.

Indicators carry their ``predecessor`` chain (the same measure in the partnership's earlier
plans), so values are read for the whole chain: trends and directions run across plans.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery

from indicators.models import Indicator, IndicatorValue
from plans.editing.history import attach_target_history, flag_target_history
from plans.models import Agency, Plan, ReportingPeriod
from plans.reporting.quarters import YearQuarter, period_key
from plans.signoff.fields import ItemState
from priorities.models import Action, ActionUpdate, MilestoneProgress, Priority


@dataclass
class QuarterData:
    """The rows behind one or more reports, read in one go."""

    periods: dict[int, list[ReportingPeriod]]  # by plan, oldest first
    priorities: dict[int, list[Priority]]  # by plan
    actions: dict[int, list[Action]]  # by priority
    updates: dict[int, list[ActionUpdate]]  # by action, oldest first (see above: not all)
    done: dict[int, dict[int, YearQuarter]]  # by action: milestone -> first quarter done
    indicators: dict[int, Indicator]  # every indicator of the partnerships, by pk
    plan_indicators: dict[int | None, list[Indicator]]  # by priority (None: not linked)
    values: dict[int, dict[YearQuarter, IndicatorValue]]  # by indicator
    priority: Priority | None
    agency: Agency | None

    @classmethod
    def load(
        cls,
        plans: dict[int, Plan],
        priority: Priority | None,
        agency: Agency | None,
        wanted: list[ReportingPeriod],
    ) -> QuarterData:
        """What the reports of the ``wanted`` quarters (of the plans) need, narrowed to a
        priority and/or an agency when given."""
        plan_ids = set(plans)
        partnership_ids = {plan.partnership_id for plan in plans.values()}
        periods, quarters = _periods(plans, partnership_ids)
        asked = [_Asked.of(period, periods[period.plan_id]) for period in wanted]
        priorities, by_pk = _priorities(plans, priority)
        actions = _actions(by_pk, agency)
        updates = _updates(asked, actions, quarters)
        done = _done(asked, actions, quarters)
        indicators = _indicators(partnership_ids, asked)
        plan_indicators = _plan_indicators(indicators, plan_ids, by_pk, priority, agency)
        values = _values(asked, plan_indicators, indicators, quarters)
        return cls(
            periods, priorities, actions, updates, done, indicators, plan_indicators, values,
            priority, agency,
        )  # fmt: skip

    def done_milestones(self, action: Action, period: ReportingPeriod) -> set[int]:
        """The action's milestones reported done in a submitted update up to ``period``."""
        here = period_key(period)
        return {pk for pk, first in self.done.get(action.pk, {}).items() if first <= here}

    def chain_values(self, indicator: Indicator) -> dict[YearQuarter, IndicatorValue]:
        """Every quarter's value of the indicator and its predecessors (the newer wins)."""
        merged: dict[YearQuarter, IndicatorValue] = {}
        for pk in reversed(predecessor_chain(indicator, self.indicators)):
            merged.update(self.values.get(pk, {}))
        return merged


def predecessor_chain(indicator: Indicator, indicators: dict[int, Indicator]) -> list[int]:
    """The indicator and its predecessors, newest first (stopping at a loop)."""
    chain = [indicator.pk]
    current = indicator
    while current.predecessor_id and current.predecessor_id not in chain:
        current = indicators.get(current.predecessor_id)
        if current is None:
            break
        chain.append(current.pk)
    return chain


def _periods(
    plans: dict[int, Plan], partnership_ids: set[int]
) -> tuple[dict[int, list[ReportingPeriod]], dict[int, ReportingPeriod]]:
    """The plans' quarters by plan, oldest first, and every quarter of the partnerships'
    plans by pk (updates and values take theirs from it: no join)."""
    periods: dict[int, list[ReportingPeriod]] = defaultdict(list)
    quarters: dict[int, ReportingPeriod] = {}
    for period in ReportingPeriod.objects.filter(plan__partnership__in=partnership_ids).order_by(
        "year", "quarter", "pk"
    ):
        quarters[period.pk] = period
        if period.plan_id in plans:
            period.plan = plans[period.plan_id]
            periods[period.plan_id].append(period)
    return periods, quarters


def _priorities(
    plans: dict[int, Plan], priority: Priority | None
) -> tuple[dict[int, list[Priority]], dict[int, Priority]]:
    """The plans' priorities by plan, and the same by pk."""
    rows = Priority.objects.filter(plan__in=set(plans)).select_related("lead_agency")
    if priority is not None:
        rows = rows.filter(pk=priority.pk)
    priorities: dict[int, list[Priority]] = defaultdict(list)
    by_pk: dict[int, Priority] = {}
    for row in rows:
        row.plan = plans[row.plan_id]
        priorities[row.plan_id].append(row)
        by_pk[row.pk] = row
    return priorities, by_pk


def _actions(by_pk: dict[int, Priority], agency: Agency | None) -> dict[int, list[Action]]:
    rows = Action.objects.filter(priority__in=list(by_pk)).select_related(
        "lead_agency", "completed_in"
    )
    if agency is not None:
        rows = rows.led_by(agency)
    actions: dict[int, list[Action]] = defaultdict(list)
    for action in rows.prefetch_related("milestones"):
        action.priority = by_pk[action.priority_id]
        actions[action.priority_id].append(action)
    return actions


def _key(period: ReportingPeriod) -> int:
    """A quarter as one comparable number: year * 10 + quarter."""
    return period.year * 10 + period.quarter


def _between(
    quarters: dict[int, ReportingPeriod], low: int, high: int, plan: int | None = None
) -> list[int]:
    """The pks of the quarters (of a plan, or any) numbered (``_key``) ``low`` to ``high``."""
    return [
        pk
        for pk, p in quarters.items()
        if low <= _key(p) <= high and (plan is None or p.plan_id == plan)
    ]


@dataclass(frozen=True)
class _Asked:
    """A quarter a report is asked for, and its plan's previous opened quarter."""

    period: ReportingPeriod
    previous: ReportingPeriod | None

    @classmethod
    def of(cls, period: ReportingPeriod, plan_periods: list[ReportingPeriod]) -> _Asked:
        earlier = [p for p in plan_periods if _key(p) < _key(period)]
        return cls(period, earlier[-1] if earlier else None)

    @property
    def plan(self) -> int:
        return self.period.plan_id

    @property
    def quarters(self) -> list[ReportingPeriod]:
        return [self.period] + ([self.previous] if self.previous else [])


def _plan_actions(asked: _Asked, actions: dict[int, list[Action]]) -> list[Action]:
    return [a for rows in actions.values() for a in rows if a.priority.plan_id == asked.plan]


def _updates(
    asked: list[_Asked], actions: dict[int, list[Action]], quarters: dict[int, ReportingPeriod]
) -> dict[int, list[ActionUpdate]]:
    """The updates the asked quarters need (see the module docstring), oldest first."""
    wanted = Q(pk__in=[])
    for one in asked:
        rows = _plan_actions(one, actions)
        if not rows:
            continue
        ids = [a.pk for a in rows]
        needed = {p.pk for p in one.quarters} | {a.completed_in_id for a in rows}
        carried = Q(pk__in=[])
        # Only an open quarter shows an earlier status carried forward.
        for quarter in (q for q in one.quarters if q.is_open):
            earlier = _between(quarters, 0, _key(quarter) - 1, one.plan)
            if not earlier:  # (an empty IN would make PostgreSQL compare an id with NULL text)
                continue
            latest = (
                ActionUpdate.objects.counted()
                .filter(action=OuterRef("pk"), period__in=earlier)
                .order_by("-period__year", "-period__quarter")
                .values("pk")[:1]
            )
            carried |= Q(pk__in=Action.objects.filter(pk__in=ids).values(u=Subquery(latest)))
        wanted |= Q(action__in=ids) & (Q(period__in=needed - {None}) | carried)
    updates: dict[int, list[ActionUpdate]] = defaultdict(list)
    rows = list(ActionUpdate.objects.filter(wanted).order_by())
    for update in rows:
        update.period = quarters.get(update.period_id) or update.period
    for update in sorted(rows, key=lambda u: period_key(u.period)):
        updates[update.action_id].append(update)
    return updates


def _done(
    asked: list[_Asked], actions: dict[int, list[Action]], quarters: dict[int, ReportingPeriod]
) -> dict[int, dict[int, YearQuarter]]:
    """By action, each milestone reported done in a submitted update of the plan's quarters
    (up to the latest asked), with the first quarter it was: one row per milestone and
    quarter, not an object per update. No default ordering: it would join every milestone."""
    wanted = Q(pk__in=[])
    for one in asked:
        # The milestones already read: no join to the milestones table.
        ids = [m.pk for a in _plan_actions(one, actions) for m in a.milestones.all()]
        if ids:
            upto = _between(quarters, 0, _key(one.period), one.plan)
            wanted |= Q(milestone__in=ids, update__period__in=upto)
    done: dict[int, dict[int, YearQuarter]] = defaultdict(dict)
    rows = (
        MilestoneProgress.objects.filter(wanted, done=True, update__state=ItemState.SUBMITTED)
        .values_list("update__action", "milestone", "update__period")
        .distinct()
        .order_by()
    )
    for action_id, milestone_id, period_id in rows:
        key = period_key(quarters[period_id])
        done[action_id][milestone_id] = min(key, done[action_id].get(milestone_id, key))
    return done


def _indicators(partnership_ids: set[int], asked: list[_Asked]) -> dict[int, Indicator]:
    """Every indicator of the partnerships (earlier plans' too: the predecessors), each with
    ``before_<n>``: the quarter of its latest figure before the n-th asked quarter's
    previous one (or before the quarter when it is the plan's first)."""
    rows = (
        flag_target_history(Indicator.objects.filter(plan__partnership__in=partnership_ids))
        .select_related("agency")
        .order_by("plan", "sort_key")
    )
    for n, one in enumerate(asked):
        first = one.previous or one.period
        latest = (
            IndicatorValue.objects.counted()
            .filter(
                indicator=OuterRef("pk"),
                period__plan__partnership=one.period.plan.partnership_id,
            )
            .filter(
                Q(period__year__lt=first.year)
                | Q(period__year=first.year, period__quarter__lt=first.quarter)
            )
            .order_by("-period__year", "-period__quarter")
            .values("period")[:1]
        )
        rows = rows.annotate(**{f"before_{n}": Subquery(latest)})
    indicators = {i.pk: i for i in rows}
    attach_target_history(indicators.values())  # earlier quarters' RAG uses their target
    return indicators


def _plan_indicators(
    indicators: dict[int, Indicator],
    plan_ids: set[int],
    by_pk: dict[int, Priority],
    priority: Priority | None,
    agency: Agency | None,
) -> dict[int | None, list[Indicator]]:
    """The plans' own indicators (within the filters), by priority (None: not linked)."""
    plan_indicators: dict[int | None, list[Indicator]] = defaultdict(list)
    for indicator in indicators.values():
        if indicator.plan_id not in plan_ids:
            continue
        if priority is not None and indicator.priority_id != priority.pk:
            continue
        if agency is not None and indicator.agency_id != agency.pk:
            continue
        if indicator.priority_id is not None:
            if indicator.priority_id not in by_pk:
                continue
            indicator.priority = by_pk[indicator.priority_id]
        plan_indicators[indicator.priority_id].append(indicator)
    return plan_indicators


def _values(
    asked: list[_Asked],
    plan_indicators: dict[int | None, list[Indicator]],
    indicators: dict[int, Indicator],
    quarters: dict[int, ReportingPeriod],
) -> dict[int, dict[YearQuarter, IndicatorValue]]:
    """The values the asked quarters need of the plans' indicators and their predecessors,
    by quarter: per indicator, from a year before its latest figure before the previous
    quarter (or the quarter) up to the quarter. Every indicator of a chain has its own
    window, so the chain's latest figure, and its year-earlier one, are always in it."""
    windows: dict[tuple[int, ...], set[int]] = defaultdict(set)  # quarters -> indicators
    for n, one in enumerate(asked):
        here = _key(one.period)
        first = one.previous or one.period
        floor = min(here - 10, _key(first))
        chain = {
            pk
            for rows in plan_indicators.values()
            for indicator in rows
            if indicator.plan_id == one.plan
            for pk in predecessor_chain(indicator, indicators)
        }
        for pk in chain:
            latest = quarters.get(getattr(indicators[pk], f"before_{n}"))
            low = _key(latest) - 10 if latest else floor
            windows[tuple(_between(quarters, low, here))].add(pk)
    wanted = Q(pk__in=[])
    for window, pks in windows.items():
        wanted |= Q(indicator__in=pks, period__in=window)
    values: dict[int, dict[YearQuarter, IndicatorValue]] = defaultdict(dict)
    rows = list(IndicatorValue.objects.counted().filter(wanted).order_by())
    for value in rows:
        value.period = quarters[value.period_id]
    for value in sorted(rows, key=lambda v: period_key(v.period)):
        value.indicator = indicators[value.indicator_id]
        values[value.indicator_id][period_key(value.period)] = value
    return values
