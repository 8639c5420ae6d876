"""A hosted service's worth of synthetic partnerships, for benchmarks: each with members, plans,
and years of quarterly updates and values, sharing police forces and fire services with its
neighbours as real partnerships do. Texts are made up; there is no personal data."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue
from plans.models import Agency, Membership, Partnership, Plan, ReportingPeriod
from plans.synthetic import make_synthetic_plans
from priorities.models import Action, ActionUpdate, UpdateState

PASSWORD = "bench-password-not-secret"
# One police force and one fire service for every this many partnerships, as in England.
PARTNERSHIPS_PER_FORCE = 8
STATUSES = ["on_track", "on_track", "at_risk", "off_track", "complete", "not_started"]


def make_synthetic_partnerships(
    *,
    count: int,
    first: int = 1,
    plans: int = 3,
    priorities: int = 6,
    actions: int = 10,
    indicators: int = 5,
    years: int = 5,
    first_year: int = 2020,
) -> list[Partnership]:
    """``count`` partnerships named "Synthetic CSP <n>", numbered from ``first``. Each has
    ``plans`` active plans of ``priorities`` × ``actions`` actions and ``priorities`` ×
    ``indicators`` indicators, and every plan ``years`` × 4 quarters of submitted updates and
    values (the last quarter open). Members: ``bench-<n>-admin``, ``-seg`` and ``-officer``."""
    password = get_user_model()(username="x")
    password.set_password(PASSWORD)
    made = []
    for n in range(first, first + count):
        with transaction.atomic():
            made.append(
                _partnership(
                    n,
                    password.password,
                    plans=plans,
                    shape=(priorities, actions, indicators),
                    years=years,
                    first_year=first_year,
                )
            )
    return made


def _partnership(n: int, password: str, *, plans, shape, years, first_year) -> Partnership:
    priorities, actions, indicators = shape
    partnership = Partnership.objects.create(name=f"Synthetic CSP {n:03d}", area=f"District {n}")
    force = (n - 1) // PARTNERSHIPS_PER_FORCE + 1
    shared = [
        Agency.objects.get_or_create(
            name=f"Synthetic Police Force {force}",
            defaults={"kind": Agency.Kind.RESPONSIBLE_AUTHORITY},
        )[0],
        Agency.objects.get_or_create(
            name=f"Synthetic Fire and Rescue Service {force}",
            defaults={"kind": Agency.Kind.RESPONSIBLE_AUTHORITY},
        )[0],
    ]
    partnership.agencies.add(*shared)
    made = make_synthetic_plans(
        partnership=partnership,
        plans=plans,
        priorities=priorities,
        actions=actions,
        indicators=indicators,
        first_year=first_year,
    )
    officer = _members(partnership, n, password, shared[0])
    for plan in made:
        Action.objects.filter(priority__plan=plan, ref__endswith=".1").update(lead_agency=shared[0])
        Indicator.objects.filter(plan=plan, ref__endswith=".2").update(agency=shared[1])
        _history(plan, officer, years=years, first_year=first_year)
    return partnership


def _members(partnership: Partnership, n: int, password: str, police: Agency):
    User = get_user_model()
    users = {}
    for role in (Membership.Role.ADMIN, Membership.Role.SEG, Membership.Role.OFFICER):
        user = User.objects.create(
            username=f"bench-{n}-{role}", password=password, first_name="Bench", last_name=role
        )
        membership = Membership.objects.create(user=user, partnership=partnership, role=role)
        if role == Membership.Role.OFFICER:
            membership.agencies.add(police)
        users[role] = user
    return users[Membership.Role.OFFICER]


def quarter_end(year: int, quarter: int) -> date:
    """The last day of a financial year's quarter (the year starting in April)."""
    return [date(year, 6, 30), date(year, 9, 30), date(year, 12, 31), date(year + 1, 3, 31)][
        quarter - 1
    ]


def _history(plan: Plan, officer, *, years: int, first_year: int) -> None:
    """Quarters from April ``first_year`` for ``years`` years, every one reported."""
    now = timezone.now()
    action_ids = list(Action.objects.filter(priority__plan=plan).values_list("pk", flat=True))
    indicator_ids = list(Indicator.objects.filter(plan=plan).values_list("pk", flat=True))
    quarters = [(first_year + y, q) for y in range(years) for q in (1, 2, 3, 4)]
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            plan=plan,
            year=year,
            quarter=quarter,
            deadline=quarter_end(year, quarter) + timedelta(days=21),
            status=ReportingPeriod.Status.CLOSED,
            closed_at=now,
        )
        for year, quarter in quarters
    )
    ReportingPeriod.objects.filter(pk=periods[-1].pk).update(
        status=ReportingPeriod.Status.OPEN, closed_at=None
    )
    for number, period in enumerate(periods):
        ActionUpdate.objects.bulk_create(
            ActionUpdate(
                action_id=pk, period=period, status=STATUSES[(pk + number) % len(STATUSES)],
                commentary="Progress as planned this quarter.", state=UpdateState.SUBMITTED,
                saved_by=officer, saved_at=now, submitted_by=officer, submitted_at=now,
            )
            for pk in action_ids
        )  # fmt: skip
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator_id=pk, period=period, value=50 + (pk * 7 + number * 3) % 50,
                entered_by=officer, entered_at=now,
            )
            for pk in indicator_ids
        )  # fmt: skip
