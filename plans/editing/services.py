"""The writes of plan editing: save (add or change), move and remove an item. Each runs in
one transaction with ``full_clean()``; on an active plan each needs a reason and is kept as a
``PlanChange``, and a changed target keeps the old one for the quarters before the change."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from indicators.models import Indicator
from plans.editing.kinds import history_of, item_label, kind_for
from plans.editing.models import IndicatorTarget, PlanChange
from plans.models import Plan
from plans.refs import NaturallyOrdered
from plans.rollforward import lineage
from plans.workbook.columns import SHEETS
from priorities.models import Action

REASON_NEEDED = "Enter the reason for this change"
TARGET_FIELDS = ("target", "target_comparator", "target_value", "target_unit", "target_per",
                 "target_baseline", "target_baseline_period", "amber_tolerance")  # fmt: skip
# Text as written from which a date is derived: a changed text derives it afresh.
DATE_SOURCES = {"timescale": "due_date", "due_as_written": "due_date"}


def financial_quarter(day: date) -> tuple[int, int]:
    """(financial year, quarter) of a day: 15 October 2026 is (2026, 3)."""
    year = day.year if day.month >= 4 else day.year - 1
    return year, (day.month - 4) % 12 // 3 + 1


def _check_reason(plan: Plan, reason: str) -> None:
    if plan.status == Plan.Status.ACTIVE and not reason.strip():
        raise ValidationError({"reason": REASON_NEEDED})


def _shown(item: models.Model, name: str) -> str:
    field = item._meta.get_field(name)
    if isinstance(field, models.ManyToManyField):
        return ", ".join(sorted(str(a) for a in getattr(item, name).all())) if item.pk else ""
    value = getattr(item, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value or ""))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)


def item_fields(item: models.Model, names: tuple[str, ...]) -> dict[str, str]:
    """The named fields as people read them, by label (the workbook's column headers, as
    the form shows them)."""
    headers = {column.field: column.header for column in SHEETS[kind_for(item).sheet]}
    headers |= {"text": "Key theme"} if kind_for(item).slug == "theme" else {}
    labels = {name: headers.get(name) or item._meta.get_field(name).verbose_name for name in names}
    return {str(labels[name]).capitalize(): _shown(item, name) for name in names}


def _record(*, plan: Plan, user, kind: str, what: str, before: dict, after: dict, reason: str):
    """Keep an active plan's change in its list (a draft changes without one)."""
    if plan.status != Plan.Status.ACTIVE:
        return None
    change = PlanChange(plan=plan, user=user, when=timezone.now(), kind=kind, what=what[:400],
                        before=before, after=after, reason=reason.strip())  # fmt: skip
    change.full_clean()
    change.save()
    return change


@transaction.atomic
def plan_item_save(
    *, plan: Plan, item: models.Model, fields: tuple[str, ...], user, reason: str = "",
    many: dict[str, list] | None = None, today: date | None = None,
) -> PlanChange | None:  # fmt: skip
    """Add ``item`` (not yet saved) or save its changed ``fields``; ``many`` sets its
    many-to-many fields. On an active plan a changed target keeps the old one in force for
    the quarters before ``today``'s."""
    _check_reason(plan, reason)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    adding = item.pk is None
    old = None if adding else type(item).objects.get(pk=item.pk)
    before = {} if adding else item_fields(old, fields)
    for source, derived in DATE_SOURCES.items():
        if old is not None and source in fields and getattr(old, source) != getattr(item, source):
            setattr(item, derived, None)  # derived afresh by the pre_save signal
    item_kind = kind_for(item)
    if adding and not item_kind.ordered_by_ref:  # milestones, funding lines, previous results
        last = item_kind.siblings(item).aggregate(n=Max("order"))["n"]
        item.order = (last or 0) + 1
    if isinstance(item, NaturallyOrdered):
        item.fill_sort_key()  # the model requires it; the pre_save signal fills it anyway
    item.full_clean()
    item.save()
    for name, values in (many or {}).items():
        getattr(item, name).set(values)
    if isinstance(item, Action):
        lineage.action_saved(plan=plan, action=item, adding=adding)  # roll forward
    if isinstance(item, Indicator) and old is not None and old.target != item.target:
        _keep_old_target(plan, old, user, today or timezone.localdate())
    after = item_fields(item, fields)
    if not adding:
        before = {k: v for k, v in before.items() if after.get(k) != v}
        after = {k: after[k] for k in before}
        if not before:
            return None  # nothing changed: nothing to keep
    kind = PlanChange.Kind.ADDED if adding else PlanChange.Kind.CHANGED
    after = {k: v for k, v in after.items() if v} if adding else after
    return _record(plan=plan, user=user, kind=kind, what=item_label(item), before=before,
                   after=after, reason=reason)  # fmt: skip


def _keep_old_target(plan: Plan, old: Indicator, user, today: date) -> None:
    """On an active plan the old target still applies to the quarters before this one (the
    first change in a quarter is kept: a target changed twice in a quarter applied to none)."""
    if plan.status != Plan.Status.ACTIVE:
        return
    year, quarter = financial_quarter(today)
    kept = IndicatorTarget.objects.filter(indicator=old, until_year=year, until_quarter=quarter)
    if kept.exists():
        return
    kept = IndicatorTarget(indicator=old, until_year=year, until_quarter=quarter,
                           changed_by=user, changed_at=timezone.now(),
                           **{name: getattr(old, name) for name in TARGET_FIELDS})  # fmt: skip
    kept.target_comparator = old.target_comparator or ""
    kept.full_clean()
    kept.save()


@transaction.atomic
def plan_item_move(*, plan: Plan, item: models.Model, up: bool, user, reason: str = "") -> bool:
    """Swap the item with its neighbour above (or below). Items listed by ref swap refs, as
    the plan numbers them in order; milestones swap places. False at either end."""
    _check_reason(plan, reason)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    kind = kind_for(item)
    siblings = list(kind.siblings(item))
    at = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other_at = at - 1 if up else at + 1
    if not 0 <= other_at < len(siblings):
        return False
    item, other = siblings[at], siblings[other_at]
    what = f"{item_label(item)} moved {'up' if up else 'down'}"
    slot = "order" if not kind.ordered_by_ref else "ref"
    mine, theirs = getattr(item, slot), getattr(other, slot)
    # Through a free value, as (parent, ref) and (action, order) are unique.
    setattr(item, slot, 32000 if slot == "order" else f"~moving{item.pk}")
    item.save(update_fields=[slot, "sort_key"] if slot == "ref" else [slot])
    setattr(other, slot, mine)
    other.save()
    setattr(item, slot, theirs)
    item.save()
    label = "Position" if slot == "order" else "Ref"
    _record(plan=plan, user=user, kind=PlanChange.Kind.MOVED, what=what,
            before={label: str(mine)}, after={label: str(theirs)}, reason=reason)  # fmt: skip
    return True


class HasHistory(ValidationError):
    """Removing the item would lose what was reported on it."""


@transaction.atomic
def plan_item_remove(*, plan: Plan, item: models.Model, user, reason: str = "") -> None:
    """Remove an item (and what belongs to it). Refused for one with reported updates or
    figures: history is never lost by editing a plan."""
    _check_reason(plan, reason)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    lost = history_of(item)
    label = item_label(item)
    if lost:
        raise HasHistory(
            f"{label} cannot be removed: it has {' and '.join(lost)}, which would be lost. "
            "Change its wording instead, or leave it in the plan."
        )
    dropped = lineage.check_drop_reason(item, reason)  # carried over from last year's plan
    kind = kind_for(item)
    before = item_fields(item, kind.fields)
    item.delete()
    lineage.record_dropped(plan=plan, actions=dropped, reason=reason, user=user)
    _record(plan=plan, user=user, kind=PlanChange.Kind.REMOVED, what=label,
            before={k: v for k, v in before.items() if v}, after={}, reason=reason)  # fmt: skip


PLAN_FIELDS = ("title", "kind", "start_year", "end_year", "summary", "source", "parent")


def _plan_fields(plan: Plan) -> dict[str, str]:
    headers = {column.field: column.header for column in SHEETS["Plan"]}
    headers["parent"] = headers["parent_title"]
    return {headers[name]: _shown(plan, name) for name in PLAN_FIELDS}


@transaction.atomic
def plan_details_save(*, plan: Plan, user, reason: str = "") -> PlanChange | None:
    """Save the plan's own fields (already set on ``plan``); on an active plan, with a
    reason, kept in its list of changes."""
    _check_reason(plan, reason)
    old = Plan.objects.select_for_update().get(pk=plan.pk)
    before = _plan_fields(old)
    plan.full_clean()
    plan.save()
    after = _plan_fields(plan)
    before = {k: v for k, v in before.items() if after[k] != v}
    if not before:
        return None
    return _record(plan=plan, user=user, kind=PlanChange.Kind.CHANGED, what="Plan details",
                   before=before, after={k: after[k] for k in before}, reason=reason)  # fmt: skip
