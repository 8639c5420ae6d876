"""Where an action or an indicator stands in a quarter, whether reported or not.

An action stands at the status of the update submitted for the quarter. Without one, it
stands at Complete when it was completed in an earlier quarter (``Action.completed_in``: it
is not asked for again); while the quarter is open, at the last status submitted before
(carried forward, not yet updated); once the quarter has closed, at "no update".

An indicator stands at the figure entered for the quarter. Without one, it stands at its
latest earlier figure when none is due this quarter (an annual figure stands for the year)
or while the quarter is open; once a quarter in which it was due has closed, at no value.

The previous quarter is read the same way, so the change between the two compares each item
with itself: an action nobody has updated yet keeps its place instead of dropping to
"no update".
"""

from __future__ import annotations

from dataclasses import dataclass

from indicators.models import Indicator, IndicatorValue
from plans.models import ReportingPeriod
from plans.reporting.quarters import YearQuarter, period_key
from priorities.models import Action, ActionUpdate


@dataclass(frozen=True)
class ActionStanding:
    """An action's status in a quarter and where it comes from."""

    update: ActionUpdate | None  # the submitted update the status comes from
    carried_from: ReportingPeriod | None = None  # an earlier quarter's, not yet updated
    done_in: ReportingPeriod | None = None  # completed in an earlier quarter

    @property
    def status(self) -> str | None:
        if self.done_in is not None:
            return ActionUpdate.Status.COMPLETE
        return self.update.status if self.update else None


def action_standing(
    action: Action, submitted: list[ActionUpdate], period: ReportingPeriod
) -> ActionStanding:
    """The action's standing in ``period``, from its submitted updates (oldest first)."""
    here = period_key(period)
    own = next((u for u in submitted if u.period_id == period.pk), None)
    if own is not None:
        return ActionStanding(own)
    done = action.completed_in
    if done is not None and period_key(done) < here:
        completing = next((u for u in submitted if u.period_id == done.pk), None)
        return ActionStanding(completing, done_in=done)
    if period.is_open:
        earlier = [u for u in submitted if period_key(u.period) < here]
        if earlier:
            return ActionStanding(earlier[-1], carried_from=earlier[-1].period)
    return ActionStanding(None)


@dataclass(frozen=True)
class IndicatorStanding:
    """An indicator's figure in a quarter: its own, or an earlier one carried."""

    value: IndicatorValue | None  # entered for this quarter
    carried: IndicatorValue | None  # the latest earlier figure, shown instead
    due: bool

    @property
    def shown(self) -> IndicatorValue | None:
        return self.value or self.carried


def indicator_standing(
    indicator: Indicator,
    own: dict[YearQuarter, IndicatorValue],
    history: dict[YearQuarter, IndicatorValue],
    period: ReportingPeriod,
) -> IndicatorStanding:
    """The indicator's standing in ``period``, from its own values and those of its
    predecessor chain (``history``), both by quarter."""
    here = period_key(period)
    due = indicator.is_due_in(period.quarter)
    value = own.get(here)
    carried = None
    if value is None and (not due or period.is_open):
        earlier = [key for key in history if key < here]
        carried = history[max(earlier)] if earlier else None
    return IndicatorStanding(value, carried, due)
