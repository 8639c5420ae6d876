"""Synthetic plans for load and query-budget tests: realistic shapes, made-up texts."""

from __future__ import annotations

from django.db import transaction

from indicators.models import Indicator
from plans.models import Agency, Partnership, Plan, Risk
from priorities.models import Action, KeyTheme, Milestone, Objective, Priority


@transaction.atomic
def make_synthetic_plans(
    *,
    partnership: Partnership,
    plans: int = 1,
    priorities: int = 5,
    actions: int = 10,
    indicators: int = 5,
    milestones: int = 3,
    first_year: int = 2030,
) -> list[Plan]:
    """Create ``plans`` plans, each with ``priorities`` priorities of ``actions`` actions
    (each with ``milestones`` milestones) and ``indicators`` indicators. Bulk inserts
    bypass signals, so derived fields are filled here."""
    agencies = [
        Agency.objects.get_or_create(
            name=f"Synthetic agency {n}", defaults={"kind": Agency.Kind.PARTNER_ORGANISATION}
        )[0]
        for n in range(1, 4)
    ]
    made = [
        _make_plan(
            partnership=partnership,
            year=first_year + p,
            agencies=agencies,
            shape=(priorities, actions, indicators, milestones),
        )
        for p in range(plans)
    ]
    partnership.add_named_agencies()
    return made


def _make_plan(
    *, partnership: Partnership, year: int, agencies: list[Agency], shape: tuple[int, ...]
) -> Plan:
    priorities, actions, indicators, milestones = shape
    plan = Plan.objects.create(
        partnership=partnership,
        title=f"Synthetic plan {year}/{(year + 1) % 100:02d}",
        kind=Plan.Kind.ACTION_PLAN,
        start_year=year,
        end_year=year,
        status=Plan.Status.ACTIVE,
        summary="A generated plan for testing.",
    )
    prios = _bulk(
        Priority,
        [
            Priority(
                plan=plan,
                ref=str(i),
                title=f"Priority {i}",
                lead_agency=agencies[i % 3],
                summary="Summary of the issue.",
                is_cross_cutting=i == priorities,
            )
            for i in range(1, priorities + 1)
        ],
    )
    _bulk(KeyTheme, [KeyTheme(priority=pr, order=1, text="A key theme") for pr in prios])
    objectives = _bulk(
        Objective, [Objective(priority=pr, ref="1", title="An objective") for pr in prios]
    )
    _make_actions(prios, objectives, agencies, actions=actions, milestones=milestones)
    made = _bulk(
        Indicator,
        [
            Indicator(
                plan=plan,
                priority=pr,
                ref=f"{pr.ref}.{i}",
                title=f"Indicator {i}",
                target="85%",
                agency=agencies[i % 3],
                unit=Indicator.Unit.PERCENTAGE,
                direction=Indicator.Direction.UP,
            )
            for pr in prios
            for i in range(1, indicators + 1)
        ],
    )
    through = Indicator.reported_to.through
    _bulk(through, [through(indicator_id=i.pk, agency_id=agencies[2].pk) for i in made])
    _bulk(
        Risk,
        [
            Risk(plan=plan, ref=str(r), risk=f"Risk {r}", likelihood_before=3, impact_before=3)
            for r in range(1, 4)
        ],
    )
    return plan


def _make_actions(prios, objectives, agencies, *, actions: int, milestones: int) -> None:
    action_rows = _bulk(
        Action,
        [
            Action(
                priority=pr,
                objective=objectives[n] if a % 2 else None,
                ref=f"{pr.ref}.{a}",
                title=f"Action {pr.ref}.{a}",
                desired_outcome="An outcome",
                lead_agency=agencies[a % 3],
                timescale="By Mar 31",
            )
            for n, pr in enumerate(prios)
            for a in range(1, actions + 1)
        ],
    )
    for action in action_rows:
        action.supporting_agencies.add(agencies[0])
    _bulk(
        Milestone,
        [
            Milestone(
                action=action,
                order=m,
                text=f"Milestone {m}",
                timescale="Quarterly",
                recurrence="quarterly",
            )
            for action in action_rows
            for m in range(1, milestones + 1)
        ],
    )


def _bulk(model, rows: list) -> list:
    for row in rows:
        if hasattr(row, "fill_sort_key"):
            row.fill_sort_key()
    return model.objects.bulk_create(rows)
