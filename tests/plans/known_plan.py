"""A plan whose every status, figure and milestone is known (``build_known_plan``), the dates it is
reported on, and ``grow`` to make it larger: for the quarter report's, dashboards' and report
cache's tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from indicators.models import Indicator, IndicatorValue
from indicators.services import ValueEntry, indicator_value_save
from plans.models import Agency, Membership, Partnership, Plan, ReportingPeriod
from plans.services import period_open
from priorities.models import Action, ActionUpdate, Milestone, MilestoneProgress, UpdateState
from priorities.services import MilestoneReport, action_update_save
from tests.conftest import SWALE, member
from tests.factories import ActionFactory, AgencyFactory, IndicatorFactory, PriorityFactory

TODAY = date(2025, 1, 15)  # after both quarters: milestones are overdue from the quarter's end


@dataclass
class Known:
    """A small Swale plan with two quarters of updates and values, every one known."""

    plan: Plan
    q1: ReportingPeriod
    q2: ReportingPeriod
    actions: dict[str, Action]
    indicators: dict[str, Indicator]
    milestones: dict[str, Milestone]
    agencies: dict[str, Agency]
    user: object


def build_known_plan() -> Known:
    """Priority 1 (led by Swale CSU): actions 1.1 (CSU) and 1.2 (no lead: the theme's),
    indicators I1 "85%" and I2 "Under 30%" (Kent Police). Priority 2 (led by Kent Police):
    actions 2.1 (Kent Police) and 2.2 (Test agency), indicator I3 (no target, Test agency).
    I5 "85%" (Kent Police) belongs to no priority.

    2024/25 Q1: 1.1 On track (milestone m1 done), 1.2 At risk, 2.1 Off track, 2.2 nothing;
    I1 90 (Green), I2 40 (Red), I3 5 (no RAG), I5 nothing.
    2024/25 Q2: 1.1 Off track, 1.2 a draft only, 2.1 At risk, 2.2 Complete;
    I1 81 (Amber: 4 short of 85, within 5%), I2 25 (Green), I3 not available, I5 nothing.
    """
    swale = Partnership.objects.get(name=SWALE)
    agencies = {
        "csu": Agency.objects.get(name="Swale Community Safety Unit"),
        "police": Agency.objects.get(name="Kent Police"),
        "other": AgencyFactory(name="Test agency"),
    }
    plan = Plan.objects.create(
        partnership=swale,
        title="Known plan 2024/25",
        kind=Plan.Kind.ACTION_PLAN,
        start_year=2024,
        end_year=2024,
        status=Plan.Status.ACTIVE,
    )
    p1 = PriorityFactory(plan=plan, ref="1", title="Safer streets", lead_agency=agencies["csu"])
    p2 = PriorityFactory(plan=plan, ref="2", title="Fewer victims", lead_agency=agencies["police"])
    actions = {
        "1.1": ActionFactory(priority=p1, ref="1.1", title="Patrols", lead_agency=agencies["csu"]),
        "1.2": ActionFactory(priority=p1, ref="1.2", title="Street lighting"),
        "2.1": ActionFactory(
            priority=p2, ref="2.1", title="Victim support", lead_agency=agencies["police"]
        ),
        "2.2": ActionFactory(
            priority=p2, ref="2.2", title="Awareness campaign", lead_agency=agencies["other"]
        ),
    }
    milestones = {
        "m1": Milestone.objects.create(
            action=actions["1.1"], order=1, text="Patrol plan agreed", due_date=date(2024, 5, 31)
        ),
        "m2": Milestone.objects.create(
            action=actions["1.1"], order=2, text="Review", due_date=date(2024, 12, 31)
        ),
        "m3": Milestone.objects.create(
            action=actions["2.1"], order=1, text="Referral pathway", due_date=date(2024, 8, 31)
        ),
        "m4": Milestone.objects.create(
            action=actions["1.2"], order=1, text="Survey done", due_date=date(2024, 6, 30)
        ),
    }
    percent, up, down = Indicator.Unit.PERCENTAGE, Indicator.Direction.UP, Indicator.Direction.DOWN
    indicators = {
        "I1": IndicatorFactory(
            plan=plan, priority=p1, ref="I1", title="Victims satisfied", target="85%",
            unit=percent, direction=up, agency=agencies["police"],
        ),
        "I2": IndicatorFactory(
            plan=plan, priority=p1, ref="I2", title="Repeat victims", target="Under 30%",
            unit=percent, direction=down, agency=agencies["police"],
        ),
        "I3": IndicatorFactory(
            plan=plan, priority=p2, ref="I3", title="Campaign reach", target="",
            agency=agencies["other"],
        ),
        "I5": IndicatorFactory(
            plan=plan, ref="I5", title="Cases closed", target="85%", unit=percent,
            direction=up, agency=agencies["police"],
        ),
    }  # fmt: skip
    q1 = period_open(plan=plan, year=2024, quarter=1, deadline=date(2024, 7, 31))
    q2 = period_open(plan=plan, year=2024, quarter=2, deadline=date(2024, 10, 31))
    user = member("known-admin", SWALE, Membership.Role.ADMIN)
    known = Known(plan, q1, q2, actions, indicators, milestones, agencies, user)

    update(known, q1, "1.1", "on_track", done=["m1"])
    update(known, q1, "1.2", "at_risk", "Contractor slipping")
    update(known, q1, "2.1", "off_track", "Stalled")
    value(known, q1, "I1", 90)
    value(known, q1, "I2", 40)
    value(known, q1, "I3", 5)

    update(known, q2, "1.1", "off_track", "Funding cut")
    update(known, q2, "1.2", "on_track", submit=False)
    update(known, q2, "2.1", "at_risk", "Recovering")
    update(known, q2, "2.2", "complete", "Campaign ran in August")
    value(known, q2, "I1", 81, note="Two surveys were late")
    value(known, q2, "I2", 25)
    value(known, q2, "I3", None, not_available="Survey not run")
    return known


def update(known, period, ref, status, commentary="", *, done=(), submit=True):
    action = known.actions[ref]
    milestones = [
        MilestoneReport(m, key in done, date(2024, 5, 1) if key in done else None)
        for key, m in known.milestones.items()
        if m.action_id == action.pk
    ]
    return action_update_save(
        user=known.user, action=action, period=period, status=status, commentary=commentary,
        next_steps="", milestones=milestones, submit=submit, expected_version=None, today=TODAY,
    )  # fmt: skip


def value(known, period, ref, figure, *, note="", not_available=""):
    entry = ValueEntry(
        indicator=known.indicators[ref],
        value=None if figure is None else Decimal(figure),
        not_available=bool(not_available),
        not_available_reason=not_available,
        note=note,
    )
    return indicator_value_save(user=known.user, period=period, entry=entry, today=TODAY)


def grow(plan: Plan, periods: list[ReportingPeriod], *, size: int = 40) -> None:
    """Add ``size`` actions (each with a due milestone and an update per quarter) and
    ``size`` indicators (each with a predecessor and a value per quarter) to the plan."""
    priority = plan.priorities.first()
    agency = AgencyFactory()
    actions = Action.objects.bulk_create(
        Action(priority=priority, ref=f"9.{n}", sort_key=f"9.{n:04}", title=f"Extra {n}",
               lead_agency=agency)
        for n in range(size)
    )  # fmt: skip
    milestones = Milestone.objects.bulk_create(
        Milestone(action=a, order=1, text="Due", due_date=date(2024, 4, 30)) for a in actions
    )
    now = timezone.now()
    statuses = list(ActionUpdate.Status.values)
    updates = ActionUpdate.objects.bulk_create(
        ActionUpdate(action=a, period=p, status=statuses[n % 5], commentary="x",
                     state=UpdateState.SUBMITTED, saved_at=now)
        for n, a in enumerate(actions)
        for p in periods
    )  # fmt: skip
    MilestoneProgress.objects.bulk_create(
        MilestoneProgress(update=u, milestone=m, done=n % 2 == 0)
        for n, (u, m) in enumerate(zip(updates[:: len(periods)], milestones, strict=True))
    )
    olds = Indicator.objects.bulk_create(
        Indicator(plan=plan, ref=f"OLD{n}", sort_key=f"x{n:04}", title="Old", target="85%")
        for n in range(size)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(plan=plan, priority=priority, ref=f"X{n}", sort_key=f"y{n:04}", title="New",
                  target="85%", unit=Indicator.Unit.PERCENTAGE, agency=agency, predecessor=old)
        for n, old in enumerate(olds)
    )  # fmt: skip
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=i, period=p, value=Decimal(70 + n % 30), entered_at=now)
        for n, i in enumerate(indicators + olds)
        for p in periods
    )
