"""What an officer has to report in the open quarters: the source of My updates, of "Save and
go to the next" and of who gets asked at sign-in.

An action completed in an earlier quarter is not asked for (it is listed as completed); an
indicator that is not due in the quarter (``Indicator.is_due_in``) is neither asked for nor
missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from plans import access
from plans.models import ReportingPeriod
from priorities.cycle import is_done_for
from priorities.models import Action, ActionUpdate, Priority, UpdateState

TO_DO, DRAFT, SUBMITTED, COMPLETED = "To do", "Draft", "Submitted", "Completed earlier"
RETURNED, AWAITING = "Returned", "Awaiting sign-off"  # partnerships with sign-off on
# GOV.UK task list: unfinished tasks carry a tag, finished ones plain text.
STATE_TAG_CLASSES = {
    TO_DO: "govuk-tag--blue",
    DRAFT: "govuk-tag--light-blue",
    RETURNED: "govuk-tag--red",
    AWAITING: "govuk-tag--grey",
}


@dataclass
class WorkItem:
    """One action or indicator the user reports on, in one open quarter."""

    obj: Action | Indicator
    period: ReportingPeriod
    state: str
    late: bool = False
    overdue: bool = False
    sample: bool = False  # demo data, marked as such on the page
    return_comment: str = ""  # what the signer asked to change, when returned

    @property
    def kind(self) -> str:
        return "action" if isinstance(self.obj, Action) else "indicator"

    @property
    def tag_class(self) -> str:
        return STATE_TAG_CLASSES.get(self.state, "")

    @property
    def is_open(self) -> bool:
        return self.state in (TO_DO, DRAFT, RETURNED)

    @property
    def url(self) -> str:
        """The form for this quarter; a completed action's own page."""
        if self.state == COMPLETED:
            return self.obj.get_absolute_url()
        name = "priorities:action_update" if self.kind == "action" else "indicators:indicator_value"
        return reverse(name, args=[self.obj.pk, self.period.pk])

    @property
    def dom_id(self) -> str:
        return f"{self.kind}-{self.obj.pk}-period-{self.period.pk}"


@dataclass
class WorkGroup:
    """What the user reports on in one plan's open quarter."""

    period: ReportingPeriod
    overdue: bool
    actions: list[WorkItem] = field(default_factory=list)
    indicators: list[WorkItem] = field(default_factory=list)
    completed: list[WorkItem] = field(default_factory=list)
    not_due: int = 0  # indicators the user reports, not due this quarter

    @property
    def items(self) -> list[WorkItem]:
        """What is asked for this quarter, in the page's order."""
        return self.actions + self.indicators


def item_state(state: str | None, return_comment: str = "") -> str:
    if state is None:
        return TO_DO
    if state == UpdateState.DRAFT:
        return RETURNED if return_comment else DRAFT
    return AWAITING if state == UpdateState.AWAITING else SUBMITTED


def work_groups(
    user, periods: list[ReportingPeriod], *, priority: Priority | None = None, today: date
) -> list[WorkGroup]:
    """Every action and indicator the user reports on in each open quarter, with its state.
    At most four queries whatever the number of rows."""
    plan_ids = {period.plan_id for period in periods}
    actions = access.reportable_actions(user).filter(priority__plan__in=plan_ids)
    indicators = access.reportable_indicators(user).filter(plan__in=plan_ids)
    if priority is not None:
        actions, indicators = (
            actions.filter(priority=priority),
            indicators.filter(priority=priority),
        )
    actions = list(actions.select_related("priority", "completed_in"))
    indicators = list(indicators.select_related("priority", "agency"))
    updates = _saved(ActionUpdate, "action_id", periods, [action.pk for action in actions])
    values = _saved(IndicatorValue, "indicator_id", periods, [ind.pk for ind in indicators])
    groups = []
    for period in periods:
        group = WorkGroup(period=period, overdue=period.is_late_on(today))

        def item(obj, found, period=period, group=group) -> WorkItem:
            saved_state, late, sample, comment = found or (None, False, False, "")
            state = item_state(saved_state, comment)
            overdue = group.overdue and state in (TO_DO, DRAFT, RETURNED)
            comment = comment if state == RETURNED else ""
            return WorkItem(obj, period, state, late, overdue, sample, return_comment=comment)

        for action in actions:
            if action.priority.plan_id != period.plan_id:
                continue
            if is_done_for(action, period):
                group.completed.append(WorkItem(action, period, COMPLETED))
            else:
                group.actions.append(item(action, updates.get((action.pk, period.pk))))
        for indicator in indicators:
            if indicator.plan_id != period.plan_id:
                continue
            if indicator.is_due_in(period.quarter):
                group.indicators.append(item(indicator, values.get((indicator.pk, period.pk))))
            else:
                group.not_due += 1
        if group.actions or group.indicators or group.completed:
            groups.append(group)
    return groups


def _saved(model, item_field: str, periods, item_ids: list[int]) -> dict[tuple, tuple]:
    """(item id, period id) -> what ``item`` needs of the saved update or value. Only the
    listed items' rows (not every one in the plans), and no query when none is listed. No
    ordering: the default one joins every partnership's quarters."""
    if not item_ids:
        return {}
    found = ("state", "is_late", "is_sample", "return_comment")
    rows = (
        model.objects.filter(
            period__in=periods, **{f"{item_field.removesuffix('_id')}__in": item_ids}
        )
        .order_by()
        .values_list(item_field, "period_id", *found)
    )
    return {(row[0], row[1]): row[2:] for row in rows}


def work_counts(groups: list[WorkGroup]) -> dict[str, int]:
    items = [item for group in groups for item in group.items]
    return {
        "todo": sum(item.state == TO_DO for item in items),
        "drafts": sum(item.state == DRAFT for item in items),
        "returned": sum(item.state == RETURNED for item in items),
        "awaiting": sum(item.state == AWAITING for item in items),
        "submitted": sum(item.state == SUBMITTED for item in items),
        "overdue": sum(item.overdue for item in items),
        "completed": sum(len(group.completed) for group in groups),
    }


def open_periods(user):
    return ReportingPeriod.objects.filter(
        status=ReportingPeriod.Status.OPEN, plan__in=access.visible_plans(user)
    ).select_related("plan__partnership")


def next_item(user, period: ReportingPeriod, current: Action | Indicator, *, today: date):
    """The next thing to do (not started or draft) after ``current`` in My updates' order for
    this quarter, going round to the start; None when nothing else is left."""
    groups = work_groups(user, [period], today=today)
    items = groups[0].items if groups else []
    here = next(
        (n for n, i in enumerate(items) if type(i.obj) is type(current) and i.obj.pk == current.pk),
        -1,
    )
    rest = items[here + 1 :] + items[: max(here, 0)]
    return next((item for item in rest if item.is_open), None)


def has_work_due(user, *, today: date) -> bool:
    """Whether anything the user reports on is still to do or in draft in an open quarter."""
    periods = list(open_periods(user))
    if not periods:
        return False
    return any(
        item.is_open for group in work_groups(user, periods, today=today) for item in group.items
    )
