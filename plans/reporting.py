"""What a plan's quarter looks like to the Strategic Executive Group: the data behind every
dashboard, report pack and workbook, built in a fixed number of queries however big the plan.

``quarter_report(plan=, period=)`` returns a ``QuarterReport`` (``quarter_reports`` builds
several at once, for the partnership overview, in the same number of queries):

``QuarterReport``
    ``plan``, ``period``; ``periods`` (every opened quarter of the plan, oldest first);
    ``previous_period`` (the plan's latest opened quarter before ``period``, or None);
    ``generated_at`` (aware datetime); ``priority`` and ``agency`` (the filters, or None).

    ``action_counts``: {ActionUpdate.Status value: n, "no_update": n}. Only SUBMITTED updates
    count: a draft is still "no_update" (the agency has not reported yet).

    ``indicator_counts``: {"red", "amber", "green", "no_rag", "no_value"}. "no_rag" is a
    figure without a RAG (no measurable target and no override); "no_value" is no figure at
    all: none entered, or entered as "not available" (without an override).

    ``changes``: {"actions": {same keys as action_counts}, "indicators": {same keys as
    indicator_counts}} for ``previous_period``; ``{}`` when there is none.
    ``action_rag_counts``: the actions by RAG ("red", "amber", "green", "no_rag" = not
    started, "no_update"). ``action_rag_summary``, ``indicator_summary`` (and
    ``action_summary``, by status) give ``SummaryLine``s (``key``, ``label``, ``count``,
    ``previous``, ``delta``, ``delta_display``) to show "change since last quarter";
    ``summaries`` pairs them with captions for the headline tables.

    ``priorities``: ``PriorityReport`` (``priority`` — None for indicators not linked to a
    priority —, ``actions``: [ActionRow], ``indicators``: [IndicatorRow]), in plan order;
    with an agency filter, priorities left without rows are dropped.

    ``exceptions``: the Red and Amber ActionRows (status off_track/at_risk) and
    IndicatorRows, Red first, then in plan order; each has ``commentary`` and ``lead``.

    ``overdue_milestones``: [MilestoneRow] (``milestone``, ``action``, ``lead``,
    ``due_date``, ``flagged``): due before ``cutoff`` (the quarter's end, or today if
    earlier) and not marked done in any submitted update of the plan up to this quarter.
    (Update forms start blank each quarter, so "done in the latest update" alone would flag
    milestones finished earlier.)

    ``flagged_actions``: [ActionRow] with an overdue milestone and no submitted update this
    quarter.

    ``missing``: [AgencyMissing] (``agency`` — None when no agency is named —, ``actions``:
    [ActionRow] without a submitted update (``has_draft`` says a draft exists),
    ``indicators``: [IndicatorRow] without any value entered), by agency label;
    ``missing_actions`` and ``missing_indicators`` count them.

    ``to_json()``: a JSON-serialisable snapshot (strings, numbers, ISO dates) of all the above,
    for ``PublishedReport.data``.

``ActionRow``: ``action``, ``lead`` (str), ``agency`` (lead Agency or None), ``update`` (the
submitted ActionUpdate or None), ``status`` (str or None), ``status_label``,
``commentary``, ``rag`` ("red"/"amber"/"green"/None: off_track→red, at_risk→amber,
on_track/complete→green), ``has_draft``, ``overdue_milestones``, ``flagged``; properties
``kind`` ("action"), ``ref``, ``title``, ``url``, ``rag_label``.

``IndicatorRow``: ``indicator``, ``target_text`` (as written), ``target_summary`` (as
understood), ``lead``, ``agency``, ``value`` (IndicatorValue or None), ``display``, ``rag``,
``direction`` (vs the previous quarter), ``direction_year`` (vs the same quarter a year
before), ``last_four`` ([(label, display)], oldest first, calendar quarters ending with this
one), ``commentary`` (the value's note, the "not available" reason, the override's reason),
``direction_label`` and ``direction_year_label`` (words and an arrow, "Not known" when there
is nothing to compare); properties ``kind`` ("indicator"), ``ref``, ``title``, ``url``,
``rag_label``, ``tag_class``.

Trends run across plans: an indicator's earlier quarters include those of its
``predecessor`` chain (the same measure in the partnership's earlier plans).
``indicator_trend(indicator)`` gives the last eight quarters of that chain as ``TrendPoint``s
(``label``, ``value``, ``figure``, ``display``, ``source`` indicator, ``rag`` — for the
indicator's own figures only —, ``direction_label``); ``TrendChart(points, target)`` places
them in a server-side SVG.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from indicators import rag as rag_rules
from indicators import targets
from indicators.models import Indicator, IndicatorValue
from plans.models import Agency, Plan, Quarter, ReportingPeriod, quarter_label
from priorities.models import Action, ActionUpdate, MilestoneProgress, Priority, UpdateState

Status = ActionUpdate.Status
NO_UPDATE = "no_update"
ACTION_KEYS: tuple[str, ...] = (*Status.values, NO_UPDATE)
INDICATOR_KEYS: tuple[str, ...] = ("red", "amber", "green", "no_rag", "no_value")
RAG_ORDER = {"red": 0, "amber": 1, "green": 2}

STATUS_RAG: dict[str, str | None] = {
    Status.OFF_TRACK: "red",
    Status.AT_RISK: "amber",
    Status.ON_TRACK: "green",
    Status.COMPLETE: "green",
    Status.NOT_STARTED: None,
}
RAG_LABELS = rag_rules.RAG_LABELS
RAG_TAG_CLASSES = rag_rules.RAG_TAG_CLASSES
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
NO_VALUE = "No value"
NOT_KNOWN = "Not known"

YearQuarter = tuple[int, int]


# --- Quarters ----------------------------------------------------------------------------------


def quarters_of(plan: Plan) -> list[YearQuarter]:
    """Every (financial year, quarter) inside the plan's period, in order."""
    return [
        (year, quarter)
        for year in range(plan.start_year, plan.end_year + 1)
        for quarter in Quarter.values
    ]


def quarter_before(year: int, quarter: int) -> YearQuarter:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def quarters_ending(year: int, quarter: int, count: int) -> list[YearQuarter]:
    """``count`` calendar quarters ending with (year, quarter), oldest first."""
    quarters = [(year, quarter)]
    while len(quarters) < count:
        quarters.append(quarter_before(*quarters[-1]))
    return quarters[::-1]


def _key(period: ReportingPeriod) -> YearQuarter:
    return (period.year, period.quarter)


# --- Rows --------------------------------------------------------------------------------------


@dataclass
class MilestoneRow:
    """A milestone past its due date and not reported done."""

    milestone: object
    action: Action
    lead: str
    due_date: date
    flagged: bool = False  # the action has no submitted update this quarter


class ReportRow:
    """What action and indicator rows share: a link to their subject and a RAG tag.
    ``kind`` names the attribute that holds the subject ("action" or "indicator")."""

    kind = ""
    rag: str | None

    @property
    def subject(self) -> Action | Indicator:
        return getattr(self, self.kind)

    @property
    def ref(self) -> str:
        return self.subject.ref

    @property
    def title(self) -> str:
        return self.subject.title

    @property
    def url(self) -> str:
        return self.subject.get_absolute_url()

    @property
    def rag_label(self) -> str:
        return RAG_LABELS.get(self.rag or "", "No RAG")

    @property
    def tag_class(self) -> str:
        return RAG_TAG_CLASSES.get(self.rag or "", "govuk-tag--grey")


@dataclass
class ActionRow(ReportRow):
    """An action in a quarter: its submitted update (if any) and what that means."""

    action: Action
    lead: str
    agency: Agency | None
    update: ActionUpdate | None
    status: str | None
    status_label: str
    commentary: str
    rag: str | None
    has_draft: bool = False
    overdue_milestones: list[MilestoneRow] = field(default_factory=list)

    kind = "action"

    @property
    def flagged(self) -> bool:
        """An overdue milestone and nothing reported this quarter."""
        return bool(self.overdue_milestones) and self.update is None


@dataclass
class IndicatorRow(ReportRow):
    """An indicator in a quarter: its figure, RAG against the target, and direction."""

    indicator: Indicator
    target_text: str
    target_summary: str
    lead: str
    agency: Agency | None
    value: IndicatorValue | None
    display: str
    rag: str | None
    direction: str | None
    direction_year: str | None
    last_four: list[tuple[str, str]]
    commentary: str
    direction_label: str = NOT_KNOWN
    direction_year_label: str = NOT_KNOWN

    kind = "indicator"


@dataclass
class PriorityReport:
    """A priority's (or theme's) actions and indicators in the quarter."""

    priority: Priority | None
    actions: list[ActionRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.priority) if self.priority else "Indicators not linked to a priority"

    @property
    def action_rags(self) -> dict[str, int]:
        return action_rag_counts(self.actions)

    @property
    def indicator_counts(self) -> dict[str, int]:
        return indicator_counts(self.indicators)


@dataclass
class AgencyMissing:
    """What an agency has not reported for the quarter."""

    agency: Agency | None
    actions: list[ActionRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.agency.label if self.agency else "No agency named"


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


@dataclass
class QuarterReport:
    """Everything the SEG sees about a plan's quarter (see the module docstring)."""

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
        counts = self.action_rag_counts
        previous: dict[str, int] = {}
        if self.changes:
            previous = dict.fromkeys(ACTION_RAG_KEYS, 0)
            for status, n in self.changes["actions"].items():
                previous[action_rag_key(status)] += n
        return [
            SummaryLine(key, ACTION_RAG_LABELS[key], counts[key], previous.get(key))
            for key in ACTION_RAG_KEYS
        ]

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
        return [
            SummaryLine(key, COUNT_LABELS[key], self.action_counts[key], previous.get(key))
            for key in ACTION_KEYS
        ]

    @property
    def indicator_summary(self) -> list[SummaryLine]:
        previous = self.changes.get("indicators", {})
        return [
            SummaryLine(key, COUNT_LABELS[key], self.indicator_counts[key], previous.get(key))
            for key in INDICATOR_KEYS
        ]

    @property
    def missing_actions(self) -> int:
        return sum(len(m.actions) for m in self.missing)

    @property
    def missing_indicators(self) -> int:
        return sum(len(m.indicators) for m in self.missing)

    def to_json(self) -> dict:
        """A snapshot of everything shown, for ``PublishedReport.data``."""
        plan, period = self.plan, self.period
        return {
            "plan": {
                "id": plan.pk,
                "title": plan.title,
                "period": plan.period,
                "status": plan.get_status_display(),
                "partnership": plan.partnership.name,
            },
            "period": _period_json(period),
            "previous_period": _period_json(self.previous_period),
            "generated_at": self.generated_at.isoformat(),
            "filters": {
                "priority": str(self.priority) if self.priority else None,
                "agency": self.agency.label if self.agency else None,
            },
            "action_counts": dict(self.action_counts),
            "action_rag_counts": self.action_rag_counts,
            "indicator_counts": dict(self.indicator_counts),
            "changes": {kind: dict(counts) for kind, counts in self.changes.items()},
            "priorities": [
                {
                    "ref": p.priority.ref if p.priority else None,
                    "title": p.title,
                    "lead": p.priority.lead_display if p.priority else "",
                    "cross_cutting": bool(p.priority and p.priority.is_cross_cutting),
                    "actions": [_action_json(row) for row in p.actions],
                    "indicators": [_indicator_json(row) for row in p.indicators],
                }
                for p in self.priorities
            ],
            "exceptions": [
                _action_json(row) if row.kind == "action" else _indicator_json(row)
                for row in self.exceptions
            ],
            "cutoff": self.cutoff.isoformat() if self.cutoff else None,
            "overdue_milestones": [_milestone_json(row) for row in self.overdue_milestones],
            "flagged_actions": [row.ref for row in self.flagged_actions],
            "missing": [
                {
                    "agency": m.label,
                    "actions": [{"ref": r.ref, "title": r.title} for r in m.actions],
                    "indicators": [{"ref": r.ref, "title": r.title} for r in m.indicators],
                }
                for m in self.missing
            ],
        }


def _period_json(period: ReportingPeriod | None) -> dict | None:
    if period is None:
        return None
    return {
        "id": period.pk,
        "label": period.label,
        "year": period.year,
        "quarter": period.quarter,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "deadline": period.deadline.isoformat(),
        "status": period.get_status_display(),
    }


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _action_json(row: ActionRow) -> dict:
    update = row.update
    return {
        "kind": "action",
        "ref": row.ref,
        "title": row.title,
        "lead": row.lead,
        "status": row.status,
        "status_label": row.status_label,
        "rag": row.rag,
        "commentary": row.commentary,
        "next_steps": update.next_steps if update else "",
        "late": bool(update and update.is_late),
        "submitted_at": update.submitted_at.isoformat() if update and update.submitted_at else None,
        "flagged": row.flagged,
    }


def _indicator_json(row: IndicatorRow) -> dict:
    value = row.value
    return {
        "kind": "indicator",
        "ref": row.ref,
        "title": row.title,
        "lead": row.lead,
        "target": row.target_text,
        "target_summary": row.target_summary,
        "value": _number(value.value) if value else None,
        "not_available": bool(value and value.not_available),
        "display": row.display,
        "rag": row.rag,
        "rag_overridden": bool(value and value.rag_override),
        "direction": row.direction,
        "direction_label": row.direction_label,
        "direction_year": row.direction_year,
        "direction_year_label": row.direction_year_label,
        "last_four": [{"quarter": label, "display": shown} for label, shown in row.last_four],
        "commentary": row.commentary,
    }


def _milestone_json(row: MilestoneRow) -> dict:
    return {
        "action": row.action.ref,
        "action_title": row.action.title,
        "milestone": row.milestone.text,
        "due_date": row.due_date.isoformat(),
        "lead": row.lead,
        "flagged": row.flagged,
    }


def action_rag_key(status: str | None) -> str:
    """Where an action with this status (None: no update) counts among actions by RAG."""
    if status is None or status == NO_UPDATE:
        return NO_UPDATE
    return STATUS_RAG[status] or "no_rag"


def action_rag_counts(rows: list[ActionRow]) -> dict[str, int]:
    counts = dict.fromkeys(ACTION_RAG_KEYS, 0)
    for row in rows:
        counts[action_rag_key(row.status)] += 1
    return counts


def indicator_counts(rows: list[IndicatorRow]) -> dict[str, int]:
    counts = dict.fromkeys(INDICATOR_KEYS, 0)
    for row in rows:
        counts[_indicator_key(row.value, row.rag)] += 1
    return counts


def _indicator_key(value: IndicatorValue | None, rag: str | None) -> str:
    if rag:
        return rag
    if value is None or value.not_available:
        return "no_value"
    return "no_rag"


# --- Building reports --------------------------------------------------------------------------


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
    data = _Data.load(plans, priority, agency)
    return [_build(data, period, today) for period in periods]


@dataclass
class _Data:
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
    ) -> _Data:
        plan_ids = set(plans)
        partnership_ids = {plan.partnership_id for plan in plans.values()}
        periods: dict[int, list[ReportingPeriod]] = defaultdict(list)
        for period in ReportingPeriod.objects.filter(plan__in=plan_ids).order_by("year", "quarter"):
            period.plan = plans[period.plan_id]
            periods[period.plan_id].append(period)

        priority_rows = Priority.objects.filter(plan__in=plan_ids).select_related("lead_agency")
        if priority is not None:
            priority_rows = priority_rows.filter(pk=priority.pk)
        priorities: dict[int, list[Priority]] = defaultdict(list)
        by_pk: dict[int, Priority] = {}
        for row in priority_rows:
            row.plan = plans[row.plan_id]
            priorities[row.plan_id].append(row)
            by_pk[row.pk] = row

        action_rows = Action.objects.filter(priority__in=list(by_pk)).select_related("lead_agency")
        if agency is not None:
            action_rows = action_rows.led_by(agency)
        action_rows = action_rows.prefetch_related("milestones")
        actions: dict[int, list[Action]] = defaultdict(list)
        for action in action_rows:
            action.priority = by_pk[action.priority_id]
            actions[action.priority_id].append(action)

        updates: dict[int, list[ActionUpdate]] = defaultdict(list)
        done = MilestoneProgress.objects.filter(done=True)
        for update in (
            ActionUpdate.objects.filter(action__priority__plan__in=plan_ids)
            .order_by("period__year", "period__quarter")
            .prefetch_related(Prefetch("milestone_progress", queryset=done, to_attr="done"))
        ):
            updates[update.action_id].append(update)

        indicators = {
            i.pk: i
            for i in Indicator.objects.filter(plan__partnership__in=partnership_ids)
            .select_related("agency")
            .order_by("plan", "sort_key")
        }
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

        wanted = {
            pk
            for rows in plan_indicators.values()
            for indicator in rows
            for pk in _chain(indicator, indicators)
        }
        values: dict[int, dict[YearQuarter, IndicatorValue]] = defaultdict(dict)
        for value in IndicatorValue.objects.filter(indicator__in=wanted).select_related("period"):
            value.indicator = indicators[value.indicator_id]
            values[value.indicator_id][_key(value.period)] = value
        return cls(
            periods, priorities, actions, updates, indicators, plan_indicators, values,
            priority, agency,
        )  # fmt: skip


def _chain(indicator: Indicator, indicators: dict[int, Indicator]) -> list[int]:
    """The indicator and its predecessors, newest first (stopping at a loop)."""
    chain = [indicator.pk]
    current = indicator
    while current.predecessor_id and current.predecessor_id not in chain:
        current = indicators.get(current.predecessor_id)
        if current is None:
            break
        chain.append(current.pk)
    return chain


def _chain_values(indicator: Indicator, data: _Data) -> dict[YearQuarter, IndicatorValue]:
    """Every quarter's value of the indicator and its predecessors (the newer wins)."""
    merged: dict[YearQuarter, IndicatorValue] = {}
    for pk in reversed(_chain(indicator, data.indicators)):
        merged.update(data.values.get(pk, {}))
    return merged


def _build(data: _Data, period: ReportingPeriod, today: date) -> QuarterReport:
    plan = period.plan
    plan_periods = data.periods.get(plan.pk, [])
    earlier = [p for p in plan_periods if _key(p) < _key(period)]
    previous_period = earlier[-1] if earlier else None
    cutoff = min(period.ends_on, today)
    # Updates count from the plan's quarters up to and including this one.
    period_ids = {p.pk for p in plan_periods if _key(p) <= _key(period)}

    priority_reports: list[PriorityReport] = []
    groups: list[Priority | None] = list(data.priorities.get(plan.pk, []))
    if data.plan_indicators.get(None) and any(
        i.plan_id == plan.pk for i in data.plan_indicators[None]
    ):
        groups.append(None)
    previous_actions = dict.fromkeys(ACTION_KEYS, 0)
    previous_indicators = dict.fromkeys(INDICATOR_KEYS, 0)
    for priority in groups:
        report = PriorityReport(priority)
        for action in data.actions.get(priority.pk, []) if priority else []:
            row, previous = _action_row(action, data, period, previous_period, cutoff, period_ids)
            report.actions.append(row)
            previous_actions[previous] += 1
        plan_rows = data.plan_indicators.get(priority.pk if priority else None, [])
        for indicator in plan_rows:
            if indicator.plan_id != plan.pk:
                continue
            row, previous = _indicator_row(indicator, data, period, previous_period)
            report.indicators.append(row)
            previous_indicators[previous] += 1
        if data.agency is None or report.actions or report.indicators:
            priority_reports.append(report)

    actions = [row for p in priority_reports for row in p.actions]
    indicators = [row for p in priority_reports for row in p.indicators]
    action_counts = dict.fromkeys(ACTION_KEYS, 0)
    for row in actions:
        action_counts[row.status or NO_UPDATE] += 1
    exceptions: list[ActionRow | IndicatorRow] = [
        row
        for p in priority_reports
        for row in [*p.actions, *p.indicators]
        if row.rag in ("red", "amber")
    ]
    exceptions.sort(key=lambda row: RAG_ORDER[row.rag])
    changes = {}
    if previous_period is not None:
        changes = {"actions": previous_actions, "indicators": previous_indicators}
    return QuarterReport(
        plan=plan,
        period=period,
        periods=plan_periods,
        previous_period=previous_period,
        generated_at=timezone.now(),
        action_counts=action_counts,
        indicator_counts=indicator_counts(indicators),
        changes=changes,
        priorities=priority_reports,
        exceptions=exceptions,
        overdue_milestones=[m for row in actions for m in row.overdue_milestones],
        flagged_actions=[row for row in actions if row.flagged],
        missing=_missing(actions, indicators),
        priority=data.priority,
        agency=data.agency,
        cutoff=cutoff,
    )


def _action_row(
    action: Action,
    data: _Data,
    period: ReportingPeriod,
    previous_period: ReportingPeriod | None,
    cutoff: date,
    period_ids: set[int],
) -> tuple[ActionRow, str]:
    """The action's row for the quarter, and its count key for the previous quarter."""
    updates = [u for u in data.updates.get(action.pk, []) if u.period_id in period_ids]
    submitted = [u for u in updates if u.state == UpdateState.SUBMITTED]
    update = next((u for u in submitted if u.period_id == period.pk), None)
    draft = any(u.period_id == period.pk and u.state == UpdateState.DRAFT for u in updates)
    previous = NO_UPDATE
    if previous_period is not None:
        before = next((u for u in submitted if u.period_id == previous_period.pk), None)
        previous = before.status if before else NO_UPDATE
    agency = action.lead_agency or action.priority.lead_agency
    lead = action.lead_display
    done = {p.milestone_id for u in submitted for p in u.done}
    overdue = [
        MilestoneRow(milestone, action, lead, milestone.due_date, flagged=update is None)
        for milestone in action.milestones.all()
        if milestone.due_date and milestone.due_date < cutoff and milestone.pk not in done
    ]
    row = ActionRow(
        action=action,
        lead=lead,
        agency=agency,
        update=update,
        status=update.status if update else None,
        status_label=update.get_status_display() if update else COUNT_LABELS[NO_UPDATE],
        commentary=update.commentary if update else "",
        rag=STATUS_RAG[update.status] if update else None,
        has_draft=draft,
        overdue_milestones=overdue,
    )
    return row, previous


def _indicator_row(
    indicator: Indicator,
    data: _Data,
    period: ReportingPeriod,
    previous_period: ReportingPeriod | None,
) -> tuple[IndicatorRow, str]:
    """The indicator's row for the quarter, and its count key for the previous quarter."""
    history = _chain_values(indicator, data)
    here = _key(period)
    value = data.values.get(indicator.pk, {}).get(here)
    rag = _rag(value, history)
    last_key = _key(previous_period) if previous_period else quarter_before(*here)
    last_year = (here[0] - 1, here[1])
    previous_key = "no_value"
    if previous_period is not None:
        before = data.values.get(indicator.pk, {}).get(_key(previous_period))
        previous_key = _indicator_key(before, _rag(before, history))
    now = _figure(value)
    quarter_before_figure = _figure(history.get(last_key))
    year_before_figure = _figure(history.get(last_year))
    notes = [value.note] if value and value.note else []
    if value and value.rag_override and value.rag_override_reason:
        notes.append(f"RAG set to {RAG_LABELS[value.rag_override]}: {value.rag_override_reason}")
    if value and value.not_available and value.not_available_reason:
        notes.insert(0, f"Not available: {value.not_available_reason}")
    row = IndicatorRow(
        indicator=indicator,
        target_text=indicator.target,
        target_summary=targets.target_summary(indicator),
        lead=indicator_lead(indicator),
        agency=indicator.agency,
        value=value,
        display=value.display if value else NO_VALUE,
        rag=rag,
        direction=rag_rules.direction_of_travel(indicator, now, quarter_before_figure),
        direction_year=rag_rules.direction_of_travel(indicator, now, year_before_figure),
        direction_label=rag_rules.direction_label(indicator, now, quarter_before_figure)
        or NOT_KNOWN,
        direction_year_label=rag_rules.direction_label(indicator, now, year_before_figure)
        or NOT_KNOWN,
        last_four=[
            (quarter_label(*key), history[key].display if key in history else NO_VALUE)
            for key in quarters_ending(*here, 4)
        ],
        commentary="\n\n".join(notes),
    )
    return row, previous_key


def indicator_lead(indicator: Indicator) -> str:
    if indicator.agency_as_written:
        return indicator.agency_as_written
    if indicator.agency_id:
        return indicator.agency.label
    return indicator.responsible


def _figure(value: IndicatorValue | None) -> Decimal | None:
    if value is None or value.not_available:
        return None
    return value.value


def _rag(value: IndicatorValue | None, history: dict[YearQuarter, IndicatorValue]) -> str | None:
    """The value's RAG; a relative target without a baseline is measured against the same
    quarter a year before (from the history already read, so no query)."""
    if value is None:
        return None
    year, quarter = _key(value.period)
    return rag_rules.value_rag(value, reference=_figure(history.get((year - 1, quarter))))


def _missing(actions: list[ActionRow], indicators: list[IndicatorRow]) -> list[AgencyMissing]:
    """Actions without a submitted update and indicators without a value, by the agency that
    answers for them (an action without a lead of its own falls to its theme's lead)."""
    gaps: dict[int | None, AgencyMissing] = {}

    def gap(agency: Agency | None) -> AgencyMissing:
        return gaps.setdefault(agency.pk if agency else None, AgencyMissing(agency))

    for row in actions:
        if row.update is None:
            gap(row.agency).actions.append(row)
    for row in indicators:
        if row.value is None:
            gap(row.agency).indicators.append(row)
    return sorted(gaps.values(), key=lambda g: (g.agency is None, g.label.lower()))


# --- Trends ------------------------------------------------------------------------------------


@dataclass
class TrendPoint:
    """One quarter of an indicator's trend, from the indicator itself or a predecessor."""

    year: int
    quarter: int
    value: IndicatorValue | None
    source: Indicator | None  # the indicator (perhaps a predecessor) the value belongs to
    rag: str | None = None
    direction_label: str = ""  # since the quarter before, in words and an arrow

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def figure(self) -> Decimal | None:
        return _figure(self.value)

    @property
    def display(self) -> str:
        return self.value.display if self.value else NO_VALUE

    @property
    def rag_label(self) -> str:
        return RAG_LABELS.get(self.rag or "", "No RAG")


def indicator_trend(indicator: Indicator, *, count: int = 8) -> list[TrendPoint]:
    """The last ``count`` quarters of the indicator and its predecessors, oldest first,
    ending with the latest quarter opened for its plan or with a value, whichever is later;
    each with its RAG and direction of travel. Three queries. Empty when there is neither."""
    partnership_id = indicator.plan.partnership_id
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(plan__partnership=partnership_id).only(
            "pk", "predecessor_id", "unit", "ref", "title", "plan_id"
        )
    }
    indicators[indicator.pk] = indicator
    chain = _chain(indicator, indicators)
    history: dict[YearQuarter, IndicatorValue] = {}
    values = IndicatorValue.objects.filter(indicator__in=chain).select_related("period")
    rank = {pk: n for n, pk in enumerate(chain)}
    for value in sorted(values, key=lambda v: -rank[v.indicator_id]):
        value.indicator = indicators[value.indicator_id]
        history[_key(value.period)] = value
    opened = [
        _key(p)
        for p in ReportingPeriod.objects.filter(plan=indicator.plan_id).only("year", "quarter")
    ]
    ends = [*history, *opened]
    if not ends:
        return []
    points = []
    for key in quarters_ending(*max(ends), count):
        value = history.get(key)
        point = TrendPoint(*key, value, value.indicator if value else None)
        if value is not None:
            # A predecessor's figures were measured against its own, older target: no RAG.
            if value.indicator_id == indicator.pk:
                point.rag = _rag(value, history)
            before = _figure(history.get(quarter_before(*key)))
            point.direction_label = rag_rules.direction_label(indicator, point.figure, before)
        points.append(point)
    return points


@dataclass
class TrendChart:
    """Where to draw an indicator's trend in a server-side SVG line chart: the points
    (broken where a quarter has no figure), the axes' ticks and the target line."""

    points: list[TrendPoint]
    target: Decimal | None = None
    width: int = 640
    height: int = 320
    left: int = 64
    right: int = 32
    top: int = 16
    bottom: int = 48

    def __post_init__(self) -> None:
        figures = [p.figure for p in self.points if p.figure is not None]
        if self.target is not None:
            figures.append(self.target)
        low = min([Decimal(0), *figures])
        high = max([Decimal(1), *figures])
        step = _nice_step((high - low) / 4)
        self.low = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
        self.high = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
        self.step = step

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def right_x(self) -> int:
        return self.width - self.right

    @property
    def first_label(self) -> str:
        return self.points[0].label if self.points else ""

    @property
    def last_label(self) -> str:
        return self.points[-1].label if self.points else ""

    @property
    def baseline_y(self) -> float:
        return self.height - self.bottom

    def x(self, index: int) -> float:
        slots = max(len(self.points) - 1, 1)
        return round(self.left + self.plot_width * index / slots, 1)

    def y(self, figure: Decimal) -> float:
        span = (self.high - self.low) or 1
        share = float((figure - self.low) / span)
        return round(self.top + (self.height - self.top - self.bottom) * (1 - share), 1)

    @property
    def dots(self) -> list[tuple[float, float, TrendPoint]]:
        return [
            (self.x(n), self.y(p.figure), p)
            for n, p in enumerate(self.points)
            if p.figure is not None
        ]

    @property
    def lines(self) -> list[str]:
        """SVG polyline ``points`` attributes, one per unbroken run of quarters."""
        runs: list[list[str]] = [[]]
        for n, point in enumerate(self.points):
            if point.figure is None:
                runs.append([])
            else:
                runs[-1].append(f"{self.x(n)},{self.y(point.figure)}")
        return [" ".join(run) for run in runs if len(run) > 1]

    @property
    def x_labels(self) -> list[tuple[float, str, str]]:
        """(x, financial year, quarter) under each quarter."""
        return [
            (self.x(n), quarter_label(p.year, p.quarter)[:7], f"Q{p.quarter}")
            for n, p in enumerate(self.points)
        ]

    @property
    def y_ticks(self) -> list[tuple[float, str]]:
        ticks, tick = [], self.low
        while tick <= self.high:
            ticks.append((self.y(tick), f"{tick.normalize():f}"))
            tick += self.step
        return ticks

    @property
    def target_y(self) -> float | None:
        return None if self.target is None else self.y(self.target)


def _nice_step(rough: Decimal) -> Decimal:
    """1, 2 or 5 times a power of ten, at least ``rough``."""
    if rough <= 0:
        return Decimal(1)
    power = Decimal(10) ** (rough.adjusted())
    for factor in (1, 2, 5, 10):
        if power * factor >= rough:
            return power * factor
    return power * 10
