"""The rows of a quarter report: an action with its submitted update (``ActionRow``), an
indicator with its figure, RAG and direction of travel (``IndicatorRow``), an overdue
milestone (``MilestoneRow``), a priority's rows (``PriorityReport``), and how each row is
built from the loaded data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from indicators import rag as rag_rules
from indicators import targets
from indicators.models import Indicator, IndicatorValue
from plans.models import Agency, ReportingPeriod, quarter_label
from plans.reporting.changes import change_of
from plans.reporting.loading import QuarterData
from plans.reporting.quarters import YearQuarter, period_key, quarter_before, quarters_ending
from plans.reporting.standing import action_standing, indicator_standing
from plans.reporting.summary import (
    COUNT_LABELS,
    NO_UPDATE,
    STATUS_RAG,
    action_rag_counts,
    indicator_counts,
    indicator_key,
)
from plans.timescales import PERIODIC
from priorities.models import Action, ActionUpdate, Priority, UpdateState

RAG_LABELS = rag_rules.RAG_LABELS
RAG_TAG_CLASSES = rag_rules.RAG_TAG_CLASSES
NO_VALUE = "No value"
NOT_KNOWN = "Not known"


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
    """An action in a quarter: the status it stands at and where that status comes from.

    ``update`` is the update submitted for this quarter (None: not reported yet);
    ``status`` is what the action stands at: that update's status, or, while the quarter is
    open, the last earlier submitted status (``source_period`` says from when: "carried
    forward, not yet updated"), or Complete for an action done in an earlier quarter
    (``done_in``). ``previous`` is the same for the previous quarter, as a count key (None:
    there is no previous quarter)."""

    action: Action
    lead: str
    agency: Agency | None
    update: ActionUpdate | None
    status: str | None
    status_label: str
    commentary: str
    rag: str | None
    has_draft: bool = False
    awaiting_sign_off: bool = False  # submitted, not counted until signed off
    overdue_milestones: list[MilestoneRow] = field(default_factory=list)
    previous: str | None = None
    source_period: ReportingPeriod | None = None
    done_in: ReportingPeriod | None = None
    shown_update: ActionUpdate | None = None  # the submitted update the status comes from

    kind = "action"

    @property
    def ref(self) -> str:
        return self.action.display_ref

    @property
    def flagged(self) -> bool:
        """An overdue milestone and nothing reported this quarter."""
        return bool(self.overdue_milestones) and self.update is None

    @property
    def reported(self) -> bool:
        """A submitted update this quarter (a draft is not reported yet)."""
        return self.update is not None

    @property
    def done(self) -> bool:
        """Completed in an earlier quarter: not asked for again."""
        return self.done_in is not None

    @property
    def due(self) -> bool:
        """Asked for this quarter."""
        return not self.done

    @property
    def carried_forward(self) -> bool:
        return self.source_period is not None

    @property
    def now(self) -> str:
        """Where it stands, in words."""
        return self.status_label

    @property
    def status_note(self) -> str:
        if self.done_in is not None:
            return f"Completed in {self.done_in.label}"
        if self.source_period is not None:
            return f"Carried forward from {self.source_period.label}, not yet updated"
        return ""

    @property
    def previous_rag(self) -> str | None:
        return STATUS_RAG.get(self.previous) if self.previous else None

    @property
    def previous_label(self) -> str:
        return COUNT_LABELS[self.previous] if self.previous else NOT_KNOWN

    @property
    def change(self) -> str | None:
        """ "new_red", "new_amber", "improved" or "completed" since the previous quarter."""
        if self.carried_forward or self.done or self.previous is None:
            return None
        completed = self.status == "complete" and self.previous != "complete"
        return change_of(self.previous_rag, self.rag, completed=completed)


@dataclass
class IndicatorRow(ReportRow):
    """An indicator in a quarter: its figure, RAG against the target, and direction.

    Without a figure this quarter, ``carried`` is the latest earlier one when the indicator
    is not due this quarter (``due`` False: an annual figure stands for the year) or the
    quarter is still open (not yet updated); ``rag`` is then the carried figure's.
    ``previous`` is the previous quarter's count key (None: no previous quarter)."""

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
    due: bool = True
    carried: IndicatorValue | None = None
    previous: str | None = None
    previous_display: str = ""

    kind = "indicator"

    @property
    def reported(self) -> bool:
        """A value entered this quarter (even "not available")."""
        return self.value is not None

    @property
    def carried_forward(self) -> bool:
        return self.carried is not None

    @property
    def now(self) -> str:
        """Where it stands, in words: its figure and RAG."""
        return f"{self.display} ({self.rag_label})"

    @property
    def status_note(self) -> str:
        shown = f"{self.carried.display} in {self.carried.period.label}" if self.carried else ""
        if not self.due:
            when = f"{self.indicator.get_frequency_display().lower()}, due in " + ", ".join(
                f"Q{q}" for q in range(1, 5) if self.indicator.is_due_in(q)
            )
            return f"Not due this quarter ({when})" + (f"; latest figure {shown}" if shown else "")
        if self.carried is not None:
            return f"Not yet updated: {shown}, carried forward"
        return ""

    @property
    def previous_rag(self) -> str | None:
        return self.previous if self.previous in RAG_LABELS else None

    @property
    def previous_label(self) -> str:
        if self.previous is None:
            return NOT_KNOWN
        label = COUNT_LABELS[self.previous]
        return f"{label} ({self.previous_display})" if self.previous_display else label

    @property
    def change(self) -> str | None:
        """ "new_red", "new_amber" or "improved" since the previous quarter."""
        if self.carried_forward or self.previous is None:
            return None
        return change_of(self.previous_rag, self.rag)


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


def answering_agency(action: Action) -> Agency | None:
    """The agency that answers for an action: its own lead, else its theme's."""
    return action.lead_agency or action.priority.lead_agency


def action_row(
    action: Action,
    data: QuarterData,
    period: ReportingPeriod,
    previous_period: ReportingPeriod | None,
    cutoff: date,
    period_ids: set[int],
) -> tuple[ActionRow, str]:
    """The action's row for the quarter, and its count key for the previous quarter."""
    updates = [u for u in data.updates.get(action.pk, []) if u.period_id in period_ids]
    submitted = [u for u in updates if u.counts]
    standing = action_standing(action, submitted, period)
    update = standing.update if standing.update and standing.update.period_id == period.pk else None
    draft = any(u.period_id == period.pk and u.state == UpdateState.DRAFT for u in updates)
    previous = None
    if previous_period is not None:
        earlier = [u for u in submitted if period_key(u.period) <= period_key(previous_period)]
        previous = action_standing(action, earlier, previous_period).status or NO_UPDATE
    lead = action.lead_display
    # Update forms start blank each quarter: a milestone done in any earlier update is done.
    done = data.done_milestones(action, period)
    overdue = [
        MilestoneRow(milestone, action, lead, milestone.due_date, flagged=update is None)
        for milestone in action.milestones.all()
        if milestone.due_date
        and milestone.due_date < cutoff
        and milestone.pk not in done
        # One that comes round again ("Annually in April") is not late once its first date passed.
        and milestone.recurrence not in PERIODIC
    ]
    status = standing.status
    shown = standing.update
    row = ActionRow(
        action=action,
        lead=lead,
        agency=answering_agency(action),
        update=update,
        status=status,
        status_label=COUNT_LABELS[status or NO_UPDATE],
        commentary=shown.commentary if shown else "",
        rag=STATUS_RAG[status] if status else None,
        has_draft=draft,
        awaiting_sign_off=any(u.period_id == period.pk and u.is_awaiting_sign_off for u in updates),
        overdue_milestones=[] if standing.done_in else overdue,
        previous=previous,
        source_period=standing.carried_from,
        done_in=standing.done_in,
        shown_update=shown,
    )
    return row, previous or NO_UPDATE


def indicator_row(
    indicator: Indicator,
    data: QuarterData,
    period: ReportingPeriod,
    previous_period: ReportingPeriod | None,
) -> tuple[IndicatorRow, str]:
    """The indicator's row for the quarter, and its count key for the previous quarter."""
    history = data.chain_values(indicator)
    own = data.values.get(indicator.pk, {})
    here = period_key(period)
    standing = indicator_standing(indicator, own, history, period)
    value = standing.value
    last_key = period_key(previous_period) if previous_period else quarter_before(*here)
    last_year = (here[0] - 1, here[1])
    previous, previous_display = None, ""
    if previous_period is not None:
        before = indicator_standing(indicator, own, history, previous_period).shown
        previous = indicator_key(before, value_rag(before, history))
        previous_display = before.display if before else ""
    now = figure_of(value)
    quarter_before_figure = figure_of(history.get(last_key))
    year_before_figure = figure_of(history.get(last_year))
    row = IndicatorRow(
        indicator=indicator,
        target_text=indicator.target,
        target_summary=targets.target_summary(indicator),
        lead=indicator_lead(indicator),
        agency=indicator.agency,
        value=value,
        display=value.display if value else NO_VALUE,
        rag=value_rag(standing.shown, history),
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
        commentary=_commentary(value),
        due=standing.due,
        carried=standing.carried,
        previous=previous,
        previous_display=previous_display,
    )
    return row, previous or "no_value"


def _commentary(value: IndicatorValue | None) -> str:
    """The "not available" reason, the value's note and the override's reason."""
    notes = [value.note] if value and value.note else []
    if value and value.rag_override and value.rag_override_reason:
        notes.append(f"RAG set to {RAG_LABELS[value.rag_override]}: {value.rag_override_reason}")
    if value and value.not_available and value.not_available_reason:
        notes.insert(0, f"Not available: {value.not_available_reason}")
    return "\n\n".join(notes)


def indicator_lead(indicator: Indicator) -> str:
    if indicator.agency_as_written:
        return indicator.agency_as_written
    if indicator.agency_id:
        return indicator.agency.label
    return indicator.responsible


def figure_of(value: IndicatorValue | None) -> Decimal | None:
    """The value's figure; None when there is none or it is "not available"."""
    if value is None or value.not_available:
        return None
    return value.value


def value_rag(
    value: IndicatorValue | None, history: dict[YearQuarter, IndicatorValue]
) -> str | None:
    """The value's RAG; a relative target without a baseline is measured against the same
    quarter a year before (from the history already read, so no query)."""
    if value is None:
        return None
    year, quarter = period_key(value.period)
    return rag_rules.value_rag(value, reference=figure_of(history.get((year - 1, quarter))))
