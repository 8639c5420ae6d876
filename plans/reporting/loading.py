"""Loading what one or more quarter reports are built from, in a fixed number of queries
whatever the size of the plans: their quarters, priorities, actions (with milestones), every
update (with the milestones it reports done), the partnerships' indicators and their values.

Indicators carry their ``predecessor`` chain (the same measure in the partnership's earlier
plans), so values are read for the whole chain: trends and directions run across plans.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from indicators.models import Indicator, IndicatorValue
from plans.models import Agency, Plan, ReportingPeriod
from plans.reporting.quarters import YearQuarter, period_key
from priorities.models import Action, ActionUpdate, MilestoneProgress, Priority


@dataclass
class QuarterData:
    """The rows behind one or more reports, read in one go."""

    periods: dict[int, list[ReportingPeriod]]  # by plan, oldest first
    priorities: dict[int, list[Priority]]  # by plan
    actions: dict[int, list[Action]]  # by priority
    updates: dict[int, list[ActionUpdate]]  # by action, oldest first
    indicators: dict[int, Indicator]  # every indicator of the partnerships, by pk
    plan_indicators: dict[int | None, list[Indicator]]  # by priority (None: not linked)
    values: dict[int, dict[YearQuarter, IndicatorValue]]  # by indicator
    priority: Priority | None
    agency: Agency | None

    @classmethod
    def load(
        cls, plans: dict[int, Plan], priority: Priority | None, agency: Agency | None
    ) -> QuarterData:
        """The plans' rows, narrowed to a priority and/or an agency when given."""
        plan_ids = set(plans)
        partnership_ids = {plan.partnership_id for plan in plans.values()}
        periods = _periods(plans)
        priorities, by_pk = _priorities(plans, priority)
        actions = _actions(by_pk, agency)
        updates = _updates(plan_ids)
        indicators = _indicators(partnership_ids)
        plan_indicators = _plan_indicators(indicators, plan_ids, by_pk, priority, agency)
        values = _values(plan_indicators, indicators)
        return cls(
            periods, priorities, actions, updates, indicators, plan_indicators, values,
            priority, agency,
        )  # fmt: skip

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


def _periods(plans: dict[int, Plan]) -> dict[int, list[ReportingPeriod]]:
    periods: dict[int, list[ReportingPeriod]] = defaultdict(list)
    for period in ReportingPeriod.objects.filter(plan__in=set(plans)).order_by("year", "quarter"):
        period.plan = plans[period.plan_id]
        periods[period.plan_id].append(period)
    return periods


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


def _updates(plan_ids: set[int]) -> dict[int, list[ActionUpdate]]:
    """Every update of the plans' actions, oldest first, each with ``done``: the milestones
    it reports done."""
    updates: dict[int, list[ActionUpdate]] = defaultdict(list)
    done = MilestoneProgress.objects.filter(done=True)
    for update in (
        ActionUpdate.objects.filter(action__priority__plan__in=plan_ids)
        .select_related("period")
        .order_by("period__year", "period__quarter")
        .prefetch_related(Prefetch("milestone_progress", queryset=done, to_attr="done"))
    ):
        updates[update.action_id].append(update)
    return updates


def _indicators(partnership_ids: set[int]) -> dict[int, Indicator]:
    """Every indicator of the partnerships (earlier plans' too: the predecessors)."""
    return {
        i.pk: i
        for i in Indicator.objects.filter(plan__partnership__in=partnership_ids)
        .select_related("agency")
        .order_by("plan", "sort_key")
    }


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
    plan_indicators: dict[int | None, list[Indicator]], indicators: dict[int, Indicator]
) -> dict[int, dict[YearQuarter, IndicatorValue]]:
    """The values of the plans' indicators and of their predecessors, by quarter."""
    wanted = {
        pk
        for rows in plan_indicators.values()
        for indicator in rows
        for pk in predecessor_chain(indicator, indicators)
    }
    values: dict[int, dict[YearQuarter, IndicatorValue]] = defaultdict(dict)
    for value in (
        IndicatorValue.objects.counted().filter(indicator__in=wanted).select_related("period")
    ):
        value.indicator = indicators[value.indicator_id]
        values[value.indicator_id][period_key(value.period)] = value
    return values
