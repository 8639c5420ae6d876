"""``QuarterReport``, everything the Strategic Executive Group sees about a plan's quarter,
and ``quarter_report``/``quarter_reports``, which build reports from the loaded data (see
the package docstring for what a report holds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from plans.models import Agency, Plan, ReportingPeriod
from plans.reporting import snapshot
from plans.reporting.changes import CHANGE_KINDS, changed_rows
from plans.reporting.loading import QuarterData
from plans.reporting.missing import AgencyMissing, missing_by_agency
from plans.reporting.quarters import period_key
from plans.reporting.rows import (
    ActionRow,
    IndicatorRow,
    MilestoneRow,
    PriorityReport,
    action_row,
    indicator_row,
)
from plans.reporting.summary import (
    ACTION_KEYS,
    ACTION_RAG_KEYS,
    ACTION_RAG_LABELS,
    COUNT_LABELS,
    INDICATOR_KEYS,
    SummaryLine,
    action_counts,
    action_rag_counts,
    count_lines,
    indicator_counts,
    previous_action_rags,
)
from priorities.models import Priority

RAG_ORDER = {"red": 0, "amber": 1, "green": 2}


@dataclass(frozen=True)
class Completeness:
    """What has been reported of what is asked for this quarter: actions not done in an
    earlier quarter, indicators due this quarter."""

    actions_reported: int
    actions_due: int
    indicators_reported: int
    indicators_due: int
    carried_forward: int  # actions shown at an earlier quarter's status
    done_earlier: int  # actions completed in an earlier quarter
    not_due: int  # indicators not asked for this quarter

    @classmethod
    def of(cls, actions: list[ActionRow], indicators: list[IndicatorRow]) -> Completeness:
        due_actions = [row for row in actions if row.due]
        due_indicators = [row for row in indicators if row.due]
        return cls(
            actions_reported=sum(row.reported for row in due_actions),
            actions_due=len(due_actions),
            indicators_reported=sum(row.reported for row in due_indicators),
            indicators_due=len(due_indicators),
            carried_forward=sum(row.carried_forward for row in actions),
            done_earlier=len(actions) - len(due_actions),
            not_due=len(indicators) - len(due_indicators),
        )

    @property
    def complete(self) -> bool:
        return (self.actions_reported, self.indicators_reported) == (
            self.actions_due,
            self.indicators_due,
        )

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class QuarterReport:
    """Everything the SEG sees about a plan's quarter (see the package docstring)."""

    plan: Plan
    period: ReportingPeriod
    periods: list[ReportingPeriod]
    previous_period: ReportingPeriod | None
    generated_at: datetime
    action_counts: dict[str, int]
    indicator_counts: dict[str, int]
    changes: dict
    priorities: list[PriorityReport]
    exceptions: list[ActionRow | IndicatorRow]
    overdue_milestones: list[MilestoneRow]
    flagged_actions: list[ActionRow]
    missing: list[AgencyMissing]
    priority: Priority | None = None
    agency: Agency | None = None
    cutoff: date | None = None  # milestones due before this day are overdue

    @property
    def actions(self) -> list[ActionRow]:
        return [row for p in self.priorities for row in p.actions]

    @property
    def indicators(self) -> list[IndicatorRow]:
        return [row for p in self.priorities for row in p.indicators]

    @property
    def action_rag_counts(self) -> dict[str, int]:
        return action_rag_counts(self.actions)

    @property
    def action_rag_summary(self) -> list[SummaryLine]:
        """Actions by RAG, with the previous quarter's."""
        previous = previous_action_rags(self.changes)
        return count_lines(self.action_rag_counts, previous, ACTION_RAG_KEYS, ACTION_RAG_LABELS)

    @property
    def summaries(self) -> list[tuple[str, str, list[SummaryLine]]]:
        """(caption, id, lines) of the headline tables: actions and indicators by RAG."""
        return [
            ("Actions by RAG", "actions", self.action_rag_summary),
            ("Indicators by RAG", "indicators", self.indicator_summary),
        ]

    @property
    def action_summary(self) -> list[SummaryLine]:
        previous = self.changes.get("actions", {})
        return count_lines(self.action_counts, previous, ACTION_KEYS, COUNT_LABELS)

    @property
    def indicator_summary(self) -> list[SummaryLine]:
        previous = self.changes.get("indicators", {})
        return count_lines(self.indicator_counts, previous, INDICATOR_KEYS, COUNT_LABELS)

    @property
    def provisional(self) -> bool:
        """The quarter is still open: its figures change as updates come in."""
        return self.period.is_open

    @property
    def completeness(self) -> Completeness:
        """How much of what is asked for this quarter has been reported."""
        return Completeness.of(self.actions, self.indicators)

    @property
    def changed(self) -> dict[str, list[ActionRow | IndicatorRow]]:
        """What changed since the previous quarter, by kind (see ``changes``)."""
        return changed_rows([*self.actions, *self.indicators])

    @property
    def changed_lists(self) -> list[tuple[str, str, list[ActionRow | IndicatorRow]]]:
        """(key, heading, rows) of each kind of change, in the order they are shown."""
        changed = self.changed
        return [(key, label, changed[key]) for key, label in CHANGE_KINDS.items()]

    @property
    def missing_actions(self) -> int:
        return sum(len(m.actions) for m in self.missing)

    @property
    def missing_indicators(self) -> int:
        return sum(len(m.indicators) for m in self.missing)

    def to_json(self) -> dict:
        """A snapshot of everything shown, for ``PublishedReport.data``."""
        return snapshot.report_snapshot(self)


def quarter_report(
    *,
    plan: Plan,
    period: ReportingPeriod,
    priority: Priority | None = None,
    agency: Agency | None = None,
    today: date | None = None,
) -> QuarterReport:
    """The plan's report for one opened quarter, optionally narrowed to a priority and/or
    an agency. A fixed number of queries, whatever the size of the plan."""
    return quarter_reports([period], plan=plan, priority=priority, agency=agency, today=today)[0]


def quarter_reports(
    periods: list[ReportingPeriod],
    *,
    plan: Plan | None = None,
    priority: Priority | None = None,
    agency: Agency | None = None,
    today: date | None = None,
) -> list[QuarterReport]:
    """One report per quarter (of one plan each, any plans of one or more partnerships),
    built together: the same fixed number of queries for one plan or many."""
    if not periods:
        return []
    today = today or timezone.localdate()
    if plan is not None:
        for period in periods:
            period.plan = plan
    plans = {period.plan_id: period.plan for period in periods}
    data = QuarterData.load(plans, priority, agency, periods)
    return [_build(data, period, today) for period in periods]


def _build(data: QuarterData, period: ReportingPeriod, today: date) -> QuarterReport:
    plan = period.plan
    plan_periods = data.periods.get(plan.pk, [])
    earlier = [p for p in plan_periods if period_key(p) < period_key(period)]
    previous_period = earlier[-1] if earlier else None
    cutoff = min(period.ends_on, today)
    priority_reports, previous_counts = _priority_reports(
        data, period, previous_period, cutoff, plan_periods
    )
    actions = [row for p in priority_reports for row in p.actions]
    indicators = [row for p in priority_reports for row in p.indicators]
    exceptions: list[ActionRow | IndicatorRow] = [
        row
        for p in priority_reports
        for row in [*p.actions, *p.indicators]
        if row.rag in ("red", "amber")
    ]
    exceptions.sort(key=lambda row: RAG_ORDER[row.rag])
    return QuarterReport(
        plan=plan,
        period=period,
        periods=plan_periods,
        previous_period=previous_period,
        generated_at=timezone.now(),
        action_counts=action_counts(actions),
        indicator_counts=indicator_counts(indicators),
        changes=previous_counts if previous_period is not None else {},
        priorities=priority_reports,
        exceptions=exceptions,
        overdue_milestones=[m for row in actions for m in row.overdue_milestones],
        flagged_actions=[row for row in actions if row.flagged],
        # Done actions and indicators not due this quarter are not asked for: not missing.
        missing=missing_by_agency(
            [row for row in actions if row.due], [row for row in indicators if row.due]
        ),
        priority=data.priority,
        agency=data.agency,
        cutoff=cutoff,
    )


def _priority_reports(
    data: QuarterData,
    period: ReportingPeriod,
    previous_period: ReportingPeriod | None,
    cutoff: date,
    plan_periods: list[ReportingPeriod],
) -> tuple[list[PriorityReport], dict[str, dict[str, int]]]:
    """The plan's rows by priority (indicators not linked to one last), and the previous
    quarter's counts of the same rows ({"actions": …, "indicators": …})."""
    plan = period.plan
    # Updates count from the plan's quarters up to and including this one.
    period_ids = {p.pk for p in plan_periods if period_key(p) <= period_key(period)}
    groups: list[Priority | None] = list(data.priorities.get(plan.pk, []))
    if data.plan_indicators.get(None) and any(
        i.plan_id == plan.pk for i in data.plan_indicators[None]
    ):
        groups.append(None)
    previous = {
        "actions": dict.fromkeys(ACTION_KEYS, 0),
        "indicators": dict.fromkeys(INDICATOR_KEYS, 0),
    }
    reports: list[PriorityReport] = []
    for priority in groups:
        report = PriorityReport(priority)
        for action in data.actions.get(priority.pk, []) if priority else []:
            row, key = action_row(action, data, period, previous_period, cutoff, period_ids)
            report.actions.append(row)
            previous["actions"][key] += 1
        for indicator in data.plan_indicators.get(priority.pk if priority else None, []):
            if indicator.plan_id != plan.pk:
                continue
            row, key = indicator_row(indicator, data, period, previous_period)
            report.indicators.append(row)
            previous["indicators"][key] += 1
        if data.agency is None or report.actions or report.indicators:
            reports.append(report)
    return reports, previous
