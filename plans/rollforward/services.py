"""Starting next year's plan from this one: one transaction that copies the plan's priorities
(with key themes and objectives), its actions not completed (deferred ones first in each
priority, with their milestones not done), its indicators (each the successor of last year's,
so trends run on) and its risks into a draft, audited as it is written."""

from __future__ import annotations

import re
from collections import defaultdict

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import models, transaction

from indicators.models import Indicator
from plans.models import Plan, Risk
from plans.signoff.fields import ItemState
from priorities.models import (
    Action,
    FinalStatus,
    KeyTheme,
    Lineage,
    Milestone,
    MilestoneProgress,
    Objective,
    Priority,
)

# What is copied of each kind of item (the rest is last year's record: updates, figures,
# completion, year-end status, delegations).
PRIORITY_FIELDS = ("ref", "ref_generated", "title", "lead_agency_id", "lead_as_written",
                   "is_cross_cutting", "summary")  # fmt: skip
OBJECTIVE_FIELDS = ("ref", "ref_generated", "title", "description")
ACTION_FIELDS = ("ref_generated", "title", "desired_outcome", "lead_agency_id", "lead_as_written",
                 "responsible", "lead_officer_id", "lead_officer_as_written", "timescale",
                 "due_date", "partner_priority", "footnote")  # fmt: skip
MILESTONE_FIELDS = ("text", "timescale", "due_date", "recurrence", "lead_officer_id",
                    "lead_officer_as_written")  # fmt: skip
INDICATOR_SKIPPED = {"id", "plan", "priority", "sort_key", "predecessor"}
RISK_SKIPPED = {"id", "plan", "sort_key"}


class RollForwardRefused(ValidationError):
    """The plan cannot be rolled forward (a draft, or one already rolled forward)."""


def next_period(plan: Plan) -> tuple[int, int]:
    """The years after the plan's, as many as it ran: 2019/20 → 2020/21."""
    start = plan.end_year + 1
    return start, start + plan.end_year - plan.start_year


YEAR_PAIR = re.compile(r"(?<!\d)((?:19|20)\d\d)(\s*[/–—-]\s*)(\d{4}|\d\d)(?!\d)")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def suggested_title(plan: Plan) -> str:
    """The plan's title with its years moved on by the plan's length ("… 2019/20" →
    "… 2020/21"), or the next period added when the title names no year."""
    step = plan.end_year - plan.start_year + 1

    def pair(match: re.Match) -> str:
        first, gap, second = match.groups()
        later = int(second) + step
        second = f"{later:04d}" if len(second) == 4 else f"{later % 100:02d}"
        return f"{int(first) + step}{gap}{second}"

    title, n = YEAR_PAIR.subn(pair, plan.title)
    if not n:
        title, n = YEAR.subn(lambda m: str(int(m.group(1)) + step), plan.title)
    if not n:
        start, end = next_period(plan)
        title = f"{plan.title} {Plan(start_year=start, end_year=end).period}"
    return title


def refusal(plan: Plan) -> str:
    """Why the plan cannot be rolled forward, or "" when it can."""
    if plan.status == Plan.Status.DRAFT:
        return "This plan is a draft: activate it before starting next year's plan from it."
    if plan.successors.exists():
        return "Next year's plan has already been started from this plan."
    return ""


def carried_actions(plan: Plan) -> list[Action]:
    """The plan's actions not completed, deferred ones first in each priority, then the rest
    in the plan's order."""
    actions = Action.objects.filter(priority__plan=plan, completed_in__isnull=True).exclude(
        final_status=FinalStatus.COMPLETE
    )
    actions = list(actions.select_related("priority").prefetch_related("supporting_agencies"))
    return sorted(
        actions,
        key=lambda a: (a.priority.sort_key, a.priority_id,
                       a.final_status != FinalStatus.DEFERRED, a.sort_key, a.pk),
    )  # fmt: skip


def renumbered(priority: Priority, places: int, old_refs: list[str]) -> list[str]:
    """Refs for ``places`` actions in order: numbered as the priority numbered them ("2.1",
    "2.2"…, "1", "2"…, or "a", "b"…), or last year's refs where they follow no such pattern."""
    prefix = f"{priority.ref.rstrip('.')}."
    if old_refs and all(
        ref.startswith(prefix) and ref[len(prefix) :].isdigit() for ref in old_refs
    ):
        return [f"{prefix}{n}" for n in range(1, places + 1)]
    if all(ref.isdigit() for ref in old_refs):
        return [str(n) for n in range(1, places + 1)]
    if all(len(ref) == 1 and ref.isalpha() and ref.islower() for ref in old_refs) and places <= 26:
        return [chr(ord("a") + n) for n in range(places)]
    return list(old_refs)


def _copy(source: models.Model, model: type[models.Model], names, **extra) -> models.Model:
    item = model(**{name: getattr(source, name) for name in names}, **extra)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def plan_roll_forward(*, plan: Plan, title: str, start_year: int, end_year: int, user) -> Plan:
    """Next year's plan as a draft started from ``plan``; refused for a draft plan, for one
    already rolled forward and for a title the partnership already uses."""
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one roll forward at a time
    reason = refusal(plan)
    if reason:
        raise RollForwardRefused(reason)
    title = title.strip()
    if Plan.objects.filter(partnership=plan.partnership_id, title__iexact=title).exists():
        raise ValidationError(
            {"title": f"There is already a plan called {title}: choose another title"}
        )
    with set_actor(user):
        new = Plan(
            partnership=plan.partnership, title=title, kind=plan.kind, start_year=start_year,
            end_year=end_year, summary=plan.summary, status=Plan.Status.DRAFT, predecessor=plan,
            parent=plan.parent if plan.parent and plan.parent.end_year >= start_year else None,
        )  # fmt: skip
        new.full_clean()
        new.save()
        priorities, objectives = _copy_priorities(plan, new)
        actions = _copy_actions(plan, priorities, objectives)
        _copy_indicators(plan, new, priorities, objectives, actions)
        for risk in plan.risks.all():
            names = [f.attname for f in Risk._meta.concrete_fields if f.name not in RISK_SKIPPED]
            _copy(risk, Risk, names, plan=new)
    return new


def _copy_priorities(plan: Plan, new: Plan) -> tuple[dict[int, Priority], dict[int, Objective]]:
    priorities, objectives = {}, {}
    for priority in plan.priorities.prefetch_related("key_themes", "objectives"):
        copy = _copy(priority, Priority, PRIORITY_FIELDS, plan=new)
        priorities[priority.pk] = copy
        for theme in priority.key_themes.all():
            _copy(theme, KeyTheme, ("order", "text"), priority=copy)
        for objective in priority.objectives.all():
            objectives[objective.pk] = _copy(objective, Objective, OBJECTIVE_FIELDS, priority=copy)
    return priorities, objectives


def _copy_actions(plan, priorities, objectives) -> dict[int, Action]:
    """Each action not completed, renumbered in its priority (deferred first), carried over."""
    by_priority: dict[int, list[Action]] = defaultdict(list)
    for action in carried_actions(plan):
        by_priority[action.priority_id].append(action)
    # Done: reported done in an update that counts (submitted, signed off if need be).
    done = set(
        MilestoneProgress.objects.filter(
            done=True, update__state=ItemState.SUBMITTED, milestone__action__priority__plan=plan
        ).values_list("milestone_id", flat=True)
    )
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in Milestone.objects.filter(action__priority__plan=plan).prefetch_related(
        "supporting_agencies"
    ):
        if milestone.pk not in done:
            milestones[milestone.action_id].append(milestone)
    copies: dict[int, Action] = {}
    for priority_id, actions in by_priority.items():
        priority = priorities[priority_id]
        refs = renumbered(priority, len(actions), [a.ref for a in actions])
        for action, ref in zip(actions, refs, strict=True):
            copy = _copy(
                action, Action, ACTION_FIELDS, priority=priority, ref=ref,
                objective=objectives.get(action.objective_id), predecessor=action,
                lineage=Lineage.CARRIED_OVER,
            )  # fmt: skip
            copy.supporting_agencies.set(action.supporting_agencies.all())
            for order, milestone in enumerate(milestones[action.pk], start=1):
                step = _copy(milestone, Milestone, MILESTONE_FIELDS, action=copy, order=order)
                step.supporting_agencies.set(milestone.supporting_agencies.all())
            copies[action.pk] = copy
    return copies


def _copy_indicators(plan, new, priorities, objectives, actions) -> None:
    """Every indicator, the successor of last year's, measuring what was carried over."""
    names = [f.attname for f in Indicator._meta.concrete_fields if f.name not in INDICATOR_SKIPPED]
    indicators = plan.indicators.prefetch_related(
        "measures_actions", "measures_objectives", "reported_to"
    )
    for indicator in indicators:
        copy = _copy(
            indicator, Indicator, names, plan=new, predecessor=indicator,
            priority=priorities.get(indicator.priority_id),
        )  # fmt: skip
        copy.reported_to.set(indicator.reported_to.all())
        copy.measures_actions.set(
            [actions[a.pk] for a in indicator.measures_actions.all() if a.pk in actions]
        )
        copy.measures_objectives.set(
            [objectives[o.pk] for o in indicator.measures_objectives.all() if o.pk in objectives]
        )
