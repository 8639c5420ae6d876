"""A quarter's progress for its own page: how many actions and indicators are reported, and
what each agency still owes, in two queries (the page's query budget has no room for a whole
``QuarterReport``). What is missing is grouped by ``missing_by_agency``, as in the reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery

from indicators.models import Indicator, IndicatorValue
from plans.models import Agency, ReportingPeriod
from plans.reporting.missing import AgencyMissing, missing_by_agency
from plans.reporting.rows import ReportRow, answering_agency
from priorities.cycle import done_before
from priorities.models import Action, ActionUpdate, UpdateState


@dataclass
class ActionProgress(ReportRow):
    """An action and the state of its update for the quarter (None: not started)."""

    action: Action
    agency: Agency | None
    state: str | None
    late: bool

    kind = "action"
    rag = None

    @property
    def reported(self) -> bool:
        return self.state == UpdateState.SUBMITTED

    @property
    def has_draft(self) -> bool:
        return self.state == UpdateState.DRAFT

    @property
    def awaiting_sign_off(self) -> bool:
        return self.state == UpdateState.AWAITING


@dataclass
class IndicatorProgress(ReportRow):
    """An indicator and whether it has a value for the quarter."""

    indicator: Indicator
    agency: Agency | None
    reported: bool
    late: bool

    kind = "indicator"
    rag = None


@dataclass
class QuarterProgress:
    """Every action and indicator of the quarter's plan, with what has been reported."""

    actions: list[ActionProgress]
    indicators: list[IndicatorProgress]

    @property
    def counts(self) -> dict[str, int]:
        submitted = [a for a in self.actions if a.reported]
        entered = [i for i in self.indicators if i.reported]
        return {
            "actions": len(self.actions),
            "actions_updated": sum(a.state is not None for a in self.actions),
            "actions_submitted": len(submitted),
            "actions_late": sum(a.late for a in submitted),
            "indicators": len(self.indicators),
            "indicators_entered": len(entered),
            "indicators_late": sum(i.late for i in entered),
        }

    @property
    def missing(self) -> list[AgencyMissing]:
        return missing_by_agency(self.actions, self.indicators)


def quarter_progress(period: ReportingPeriod) -> QuarterProgress:
    """The plan's actions with their update's state for the quarter and its indicators with
    whether they have a value: two queries however many there are. Actions completed in an
    earlier quarter and indicators not due in this one are not asked for, so not listed."""
    updates = ActionUpdate.objects.filter(action=OuterRef("pk"), period=period)
    actions = (
        Action.objects.filter(priority__plan=period.plan_id)
        .exclude(done_before(period))  # completed earlier: not asked for, so not missing
        .select_related("priority__lead_agency", "lead_agency")
        .annotate(
            update_state=Subquery(updates.values("state")[:1]),
            update_late=Subquery(updates.values("is_late")[:1]),
        )
    )
    values = IndicatorValue.objects.counted().filter(indicator=OuterRef("pk"), period=period)
    indicators = (
        Indicator.objects.filter(Indicator.due_in_rule(period.quarter), plan=period.plan_id)
        .select_related("agency")
        .annotate(has_value=Exists(values), value_late=Subquery(values.values("is_late")[:1]))
    )
    return QuarterProgress(
        actions=[
            ActionProgress(a, answering_agency(a), a.update_state, bool(a.update_late))
            for a in actions
        ],
        indicators=[
            IndicatorProgress(i, i.agency, i.has_value, bool(i.value_late)) for i in indicators
        ],
    )
