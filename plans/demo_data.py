"""Sample quarterly data for the demo (DEMO ONLY): four quarters of Medway's Action Plan
2024-25 and Swale's Community Safety Plan 2019/20, made from the seed plans as loaded.

Q1 to Q3 are closed with an update for every action that is not done; Q4 is open, with a
deadline three weeks after the day the data is first loaded, and partly reported, so each
demo officer has work to do and not everything reads as late. Every action follows a story
across the quarters (steady, slipping, recovering, completed early, …); an action submitted
Complete is done (``Action.completed_in``) and not reported on again. Swale's indicators
(the plan sets no targets) get sample targets, marked as such, on a few measures, so the
dashboards show Red, Amber and Green figures.

Rows are found by what they are (plan title, refs, usernames), never by fixed ids, and only
added where missing: loading again adds nothing and keeps what demo users have entered.
"""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue
from plans.models import Membership, Plan, ReportingPeriod, quarter_dates
from priorities.models import (
    Action,
    ActionUpdate,
    ActionUpdateVersion,
    MilestoneProgress,
    UpdateState,
)

MEDWAY_PLAN = "Action Plan 2024-25"
SWALE_PLAN = "Swale Community Safety Plan 2019/20"
SAMPLE_PLANS = (MEDWAY_PLAN, SWALE_PLAN)
CLOSED_QUARTERS = (1, 2, 3)
OPEN_QUARTER = 4
OPEN_DEADLINE_DAYS = 21
# Actions left wholly for a demo officer to report in the open quarter.
LEFT_FOR_DEMO = {(MEDWAY_PLAN, "Kent Police")}

S = ActionUpdate.Status
# An action's status in Q1–Q4; None after Complete: a done action is not reported on again.
STORIES: tuple[tuple[S | None, ...], ...] = (
    (S.ON_TRACK, S.ON_TRACK, S.ON_TRACK, S.ON_TRACK),
    (S.ON_TRACK, S.AT_RISK, S.OFF_TRACK, S.OFF_TRACK),
    (S.OFF_TRACK, S.AT_RISK, S.ON_TRACK, S.ON_TRACK),
    (S.ON_TRACK, S.COMPLETE, None, None),
    (S.NOT_STARTED, S.ON_TRACK, S.AT_RISK, S.ON_TRACK),
    (S.ON_TRACK, S.ON_TRACK, S.ON_TRACK, S.AT_RISK),
    (S.NOT_STARTED, S.NOT_STARTED, S.ON_TRACK, S.ON_TRACK),
    (S.ON_TRACK, S.ON_TRACK, S.COMPLETE, None),
    (S.ON_TRACK, S.ON_TRACK, S.AT_RISK, S.AT_RISK),
    (S.AT_RISK, S.ON_TRACK, S.ON_TRACK, S.ON_TRACK),
)
SLIPPING = STORIES[1]

COMMENTARY = {
    S.NOT_STARTED: ("Work has not started yet: it is planned for later in the year.", ""),
    S.ON_TRACK: (
        "Activity this quarter went ahead as planned; there is nothing to escalate to the "
        "CSP Executive.",
        "Review the action plan with partners next quarter.",
    ),
    S.AT_RISK: (
        "Progress slowed this quarter because of reduced staffing; partners are covering "
        "the most urgent work.",
        "Agree a recovery plan at the next partnership meeting.",
    ),
    S.OFF_TRACK: (
        "Some milestones have slipped while funding is confirmed; delivery is paused until then.",
        "Escalate to the CSP Executive for a decision on funding.",
    ),
    S.COMPLETE: (
        "All milestones for this action have been delivered. Learning has been shared with "
        "partners and the action can be closed.",
        "",
    ),
}


@dataclass(frozen=True)
class SampleMeasure:
    """A sample target for an indicator the plan sets none for, and its four quarters."""

    target: str
    figures: tuple[str, str, str, str]
    note: str = ""


# Swale's indicators by ref: Red, Amber and Green in the last closed quarter (Q3).
SAMPLE_MEASURES = {
    "2.3": SampleMeasure(
        "At most 60 a quarter (sample target)",
        ("52", "58", "71", "74"),
        "Rise follows the reporting campaign in schools.",
    ),
    "2.6": SampleMeasure("At most 40 a quarter (sample target)", ("36", "39", "48", "45")),
    "3.1": SampleMeasure("At most 450 a quarter (sample target)", ("470", "455", "461", "440")),
    "4.7": SampleMeasure("At least 60% (sample target)", ("55.5", "58", "57.5", "61")),
    "4.9": SampleMeasure("At least 300 a quarter (sample target)", ("280", "310", "342", "355")),
}
NOT_AVAILABLE = {"4.3": "The measure is still being agreed (TBC in the plan)."}
SEASON = (Decimal("1.00"), Decimal("1.06"), Decimal("0.95"), Decimal("1.02"))


def _stable(text: str) -> int:
    return zlib.crc32(text.encode())


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@transaction.atomic
def sample_data_load(*, today: date | None = None) -> Counter[str]:
    """Add whatever sample data is missing; returns what was added."""
    today = today or timezone.localdate()
    added: Counter[str] = Counter()
    for plan in Plan.objects.filter(title__in=SAMPLE_PLANS).select_related("partnership"):
        if plan.status != Plan.Status.ACTIVE:
            # The demo reports on this plan as if it were this year's, so it is active: it
            # shows on the partnership's overview and the Dashboard link goes to it.
            plan.status = Plan.Status.ACTIVE
            plan.save(update_fields=["status"])
        periods = _periods_ensure(plan, today, added)
        reporters = _reporters(plan)
        _updates_add(plan, periods, reporters, added)
        _values_add(plan, periods, reporters, added)
    added["versions"] = _first_versions_ensure()
    return added


def _periods_ensure(plan: Plan, today: date, added: Counter) -> dict[int, ReportingPeriod]:
    """Q1–Q3 closed and Q4 open (deadline three weeks from today); a quarter that exists,
    opened by an admin or an earlier load, is used as it is."""
    periods = {p.quarter: p for p in plan.periods.filter(year=plan.start_year)}
    for quarter in (*CLOSED_QUARTERS, OPEN_QUARTER):
        if quarter in periods:
            continue
        starts, ends = quarter_dates(plan.start_year, quarter)
        is_open = quarter == OPEN_QUARTER
        period = ReportingPeriod(
            plan=plan,
            year=plan.start_year,
            quarter=quarter,
            deadline=today + timedelta(days=OPEN_DEADLINE_DAYS)
            if is_open
            else ends + timedelta(31),
            status=ReportingPeriod.Status.OPEN if is_open else ReportingPeriod.Status.CLOSED,
            closed_at=None if is_open else _at(ends + timedelta(45), 16),
        )
        period.full_clean()
        period.save()
        # opened_at is set on creation (auto_now_add): the day the quarter really opened.
        ReportingPeriod.objects.filter(pk=period.pk).update(opened_at=_at(ends + timedelta(1), 9))
        periods[quarter] = period
        added["quarters"] += 1
    return periods


def _reporters(plan: Plan) -> dict[int | None, object]:
    """Who reports for each agency: its officer where there is one, else an admin."""
    memberships = Membership.objects.filter(partnership=plan.partnership_id).select_related("user")
    admin = next((m.user for m in memberships if m.role == Membership.Role.ADMIN), None)
    reporters: dict[int | None, object] = {None: admin}
    for membership in memberships.filter(role=Membership.Role.OFFICER).prefetch_related("agencies"):
        for agency in membership.agencies.all():
            reporters.setdefault(agency.pk, membership.user)
    return reporters


def _story(plan: Plan, action: Action, index: int) -> tuple[S | None, ...]:
    if action.lead_agency and (plan.title, action.lead_agency.name) in LEFT_FOR_DEMO:
        return SLIPPING
    return STORIES[index % len(STORIES)]


def _open_state(index: int) -> str | None:
    """Q4 so far: half submitted, some drafts, the rest still to report."""
    if index % 2 == 0:
        return UpdateState.SUBMITTED
    return UpdateState.DRAFT if index % 6 == 1 else None


def _updates_add(plan, periods, reporters, added: Counter) -> None:
    actions = list(
        Action.objects.filter(priority__plan=plan)
        .select_related("lead_agency", "priority")
        .prefetch_related("milestones")
    )
    taken = set(
        ActionUpdate.objects.filter(period__in=periods.values()).values_list("action", "period")
    )
    updates, progress, completed = [], [], []
    for index, action in enumerate(actions):
        story = _story(plan, action, index)
        for quarter, status in enumerate(story, start=1):
            if status is None:
                break
            period = periods[quarter]
            state = UpdateState.SUBMITTED
            if quarter == OPEN_QUARTER:
                left = action.lead_agency and (plan.title, action.lead_agency.name) in LEFT_FOR_DEMO
                state = None if left else _open_state(index)
            if state is None or (action.pk, period.pk) in taken:
                continue
            update = _update(action, period, status, state, reporters, late=index % 7 == 3)
            updates.append(update)
            progress += _milestones(update, action, period, status)
            if status == S.COMPLETE and state == UpdateState.SUBMITTED:
                completed.append((action.pk, period))
    ActionUpdate.objects.bulk_create(updates)
    MilestoneProgress.objects.bulk_create(progress)
    for action_pk, period in completed:
        Action.objects.filter(pk=action_pk, completed_in__isnull=True).update(completed_in=period)
    added["action updates"] += len(updates)
    added["milestone progress rows"] += len(progress)
    added["actions completed"] += len(completed)


def _update(action, period, status, state, reporters, *, late: bool) -> ActionUpdate:
    by = reporters.get(action.lead_agency_id) or reporters[None]
    closed = period.status == ReportingPeriod.Status.CLOSED
    late = late and closed
    saved = _at(period.deadline + timedelta(3) if late else period.ends_on + timedelta(14))
    commentary, next_steps = COMMENTARY[status]
    submitted = state == UpdateState.SUBMITTED
    return ActionUpdate(
        action=action,
        period=period,
        status=status,
        commentary=commentary,
        next_steps=next_steps,
        state=state,
        is_late=late,
        is_sample=True,
        saved_by=by,
        saved_at=saved,
        submitted_by=by if submitted else None,
        submitted_at=saved if submitted else None,
    )


def _milestones(update, action, period, status) -> list[MilestoneProgress]:
    """Milestones due by the quarter's end are done unless the action is off track or not
    started; a completed action has all of them done. Done stays done in later quarters."""
    rows = []
    for milestone in action.milestones.all():
        due = milestone.due_date
        if status == S.COMPLETE:
            done = True
        else:
            done = bool(due and due <= period.ends_on and status in (S.ON_TRACK, S.AT_RISK))
        done_on = min(due or period.ends_on, period.ends_on) if done else None
        rows.append(
            MilestoneProgress(update=update, milestone=milestone, done=done, done_on=done_on)
        )
    return rows


def _values_add(plan, periods, reporters, added: Counter) -> None:
    indicators = list(Indicator.objects.filter(plan=plan).order_by("pk"))
    if plan.title == SWALE_PLAN:
        _sample_targets_ensure(indicators)
    taken = set(
        IndicatorValue.objects.filter(period__in=periods.values()).values_list(
            "indicator", "period"
        )
    )
    values = []
    for index, indicator in enumerate(indicators):
        for quarter, period in sorted(periods.items()):
            if quarter == OPEN_QUARTER and index % 2:
                continue  # Q4 so far: half the figures are in
            if (indicator.pk, period.pk) not in taken:
                values.append(_value(indicator, period, quarter, reporters))
    IndicatorValue.objects.bulk_create(values)
    added["indicator values"] += len(values)


def _sample_targets_ensure(indicators: list[Indicator]) -> None:
    """Sample targets on the chosen measures the plan sets none for (saved one by one, so
    the target's structure is read from the text as for any edit)."""
    for indicator in indicators:
        measure = SAMPLE_MEASURES.get(indicator.ref)
        if measure and not indicator.target:
            indicator.target = measure.target
            indicator.save()


def _value(indicator, period, quarter: int, reporters) -> IndicatorValue:
    by = reporters.get(indicator.agency_id) or reporters[None]
    measure = SAMPLE_MEASURES.get(indicator.ref) if indicator.target.endswith("target)") else None
    reason = NOT_AVAILABLE.get(indicator.ref, "")
    figure = None
    if measure:
        figure = Decimal(measure.figures[quarter - 1])
    elif not reason:
        base = Decimal(20 + _stable(indicator.title) % 400)
        if indicator.unit == Indicator.Unit.PERCENTAGE:
            base = Decimal(40 + _stable(indicator.title) % 50)
        figure = (base * SEASON[quarter - 1]).quantize(Decimal("1"))
    return IndicatorValue(
        indicator=indicator,
        period=period,
        value=figure,
        not_available=bool(reason),
        not_available_reason=reason,
        note=measure.note if measure and quarter >= 3 else "",
        is_sample=True,
        entered_by=by,
        entered_at=_at(period.ends_on + timedelta(20)),
    )


def _first_versions_ensure() -> int:
    """Give every sample update without a version its version 1, so history pages show it."""
    updates = (
        ActionUpdate.objects.filter(is_sample=True, versions__isnull=True)
        .select_related("saved_by")
        .prefetch_related("milestone_progress__milestone")
    )
    versions = [
        ActionUpdateVersion(
            update=update,
            number=update.version,
            status=update.status,
            commentary=update.commentary,
            next_steps=update.next_steps,
            milestones_done=[
                {
                    "milestone": p.milestone_id,
                    "text": p.milestone.text,
                    "done": p.done,
                    "done_on": p.done_on.isoformat() if p.done and p.done_on else None,
                }
                for p in update.milestone_progress.all()
            ],
            state=update.state,
            is_late=update.is_late,
            saved_by=update.saved_by,
            saved_at=update.saved_at,
        )
        for update in updates
    ]
    ActionUpdateVersion.objects.bulk_create(versions)
    return len(versions)
