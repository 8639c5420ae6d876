"""Which target applies in a quarter. An indicator's own target applies from the quarter it
was last changed in; the targets it had before (``IndicatorTarget``) apply to the quarters
before their change, so a target changed mid-year leaves earlier quarters' RAG as it was."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet

from plans.editing.models import IndicatorTarget

HISTORY = "_target_history"  # where an indicator's superseded targets are kept once read


@dataclass(frozen=True)
class TargetInForce:
    """What RAG needs from an indicator (``indicators.rag``), with an earlier target."""

    target: str
    target_comparator: str
    target_value: Decimal | None
    target_unit: str
    target_per: str
    target_baseline: Decimal | None
    target_baseline_period: str
    amber_tolerance: Decimal
    direction: str
    unit: str


def flag_target_history(indicators: QuerySet) -> QuerySet:
    """Indicators marked ``has_target_history`` in the same query, so that
    ``attach_target_history`` asks no more when none has any (the usual case)."""
    earlier = IndicatorTarget.objects.filter(indicator=OuterRef("pk"))
    return indicators.annotate(has_target_history=Exists(earlier))


def attach_target_history(indicators: Iterable) -> None:
    """Read the superseded targets of many indicators in one query (none when all are
    flagged by ``flag_target_history`` as having none)."""
    indicators = list(indicators)
    wanted = [i.pk for i in indicators if i.pk and getattr(i, "has_target_history", True)]
    found: dict[int, list[IndicatorTarget]] = defaultdict(list)
    if wanted:
        rows = IndicatorTarget.objects.filter(indicator_id__in=wanted)
        for row in rows.order_by("until_year", "until_quarter"):
            found[row.indicator_id].append(row)
    for indicator in indicators:
        setattr(indicator, HISTORY, found.get(indicator.pk, []))


def target_history(indicator) -> list[IndicatorTarget]:
    """The indicator's superseded targets, oldest first (one query unless already read)."""
    if not hasattr(indicator, HISTORY):
        attach_target_history([indicator])
    return getattr(indicator, HISTORY)


def target_in_force(indicator, year: int, quarter: int):
    """The indicator itself when its own target applies in (year, quarter), else the
    earliest superseded target whose change came after that quarter."""
    for row in target_history(indicator):
        if (year, quarter) < row.until:
            return TargetInForce(
                target=row.target,
                target_comparator=row.target_comparator,
                target_value=row.target_value,
                target_unit=row.target_unit,
                target_per=row.target_per,
                target_baseline=row.target_baseline,
                target_baseline_period=row.target_baseline_period,
                amber_tolerance=row.amber_tolerance,
                direction=indicator.direction,
                unit=indicator.unit,
            )
    return indicator
