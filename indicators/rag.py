"""Red, Amber, Green and direction of travel, derived from an indicator's figures.

- RAG compares a quarter's figure with the structured target (``indicators.targets``), the
  right way round: for "at least" and "increase by" higher is better, for "at most" and
  "reduce by" lower is better, for "equal to" close is better. Short of the target by no
  more than the indicator's Amber tolerance (a % of the target figure, 5 by default) is
  Amber; further is Red. A milestone target has no derived RAG: the lead sets one by hand
  (``IndicatorValue.rag_override``), and a lead's RAG always wins over the derived one.
- Direction of travel compares a figure with an earlier one (the previous quarter, or the
  same quarter last year) in the light of the desired direction: improving, worsening or no
  change, shown as words with an arrow that points the way the figure itself moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from indicators import targets
from indicators.models import Indicator, IndicatorValue, Rag

HIGHER_IS_BETTER = {targets.AT_LEAST, targets.INCREASE_BY}
LOWER_IS_BETTER = {targets.AT_MOST, targets.REDUCE_BY}
RELATIVE = {targets.REDUCE_BY, targets.INCREASE_BY}

RAG_LABELS = {Rag.RED.value: "Red", Rag.AMBER.value: "Amber", Rag.GREEN.value: "Green"}
# GOV.UK tag colours; the tag always carries the word too, never colour alone. Amber is
# yellow, as an action's "At risk" is.
RAG_TAG_CLASSES = {
    Rag.RED.value: "govuk-tag--red",
    Rag.AMBER.value: "govuk-tag--yellow",
    Rag.GREEN.value: "govuk-tag--green",
}

IMPROVING, WORSENING, NO_CHANGE = "improving", "worsening", "no_change"
TRAVEL_WORDS = {IMPROVING: "Improving", WORSENING: "Worsening", NO_CHANGE: "No change"}
UP, DOWN, LEVEL = "↑", "↓", "→"
# Words and arrows for a measure where higher is better (the arrow is the figure's movement,
# the word what it means). For a lower-is-better measure the arrows turn round: use
# ``direction_label``, which knows which way the figure moved.
DIRECTION_LABELS = {
    IMPROVING: f"Improving {UP}",
    WORSENING: f"Worsening {DOWN}",
    NO_CHANGE: f"No change {LEVEL}",
}

_LOOK_UP = object()  # value_rag: find the same quarter last year when the target needs it


# --- RAG -----------------------------------------------------------------------------------------


def target_threshold(indicator, *, reference: Decimal | None = None) -> Decimal | None:
    """The figure a quarter's value is compared with.

    "At least", "at most" and "equal to" give it directly. "Reduce by" and "increase by" are
    changes from a starting figure: the parsed baseline or, failing that, ``reference`` (such
    as the same quarter last year). A % change is relative to the start ("reduce by 5%" of
    200 is 190); a count or percentage points is added or taken away ("a reduction of 5
    casualties a year" from 48 is 43, applied as written, whatever the period).
    """
    target = targets.structured_target(indicator)
    if target.value is None or target.comparator == targets.MILESTONE:
        return None
    if target.comparator not in RELATIVE:
        return target.value
    start = target.baseline if target.baseline is not None else reference
    if start is None:
        return None
    change = start * target.value / 100 if target.unit == targets.PERCENT else target.value
    return start - change if target.comparator == targets.REDUCE_BY else start + change


def derive_rag(indicator, value: Decimal | None, *, reference: Decimal | None = None) -> str | None:
    """ "red", "amber" or "green" for ``value`` against the target; None when there is no
    value, the target is not measurable, or there is nothing to compare with."""
    if value is None:
        return None
    comparator = targets.structured_target(indicator).comparator
    threshold = target_threshold(indicator, reference=reference)
    if threshold is None:
        return None
    tolerance = abs(threshold) * Decimal(indicator.amber_tolerance) / 100
    if comparator in HIGHER_IS_BETTER:
        shortfall = threshold - value
    elif comparator in LOWER_IS_BETTER:
        shortfall = value - threshold
    elif comparator == targets.EQUAL:
        # "Equal to" is met within the tolerance either side; Amber up to twice as far.
        miss = abs(value - threshold)
        if miss <= tolerance:
            return Rag.GREEN.value
        return Rag.AMBER.value if miss <= 2 * tolerance else Rag.RED.value
    else:
        return None
    if shortfall <= 0:
        return Rag.GREEN.value
    return Rag.AMBER.value if shortfall <= tolerance else Rag.RED.value


def value_rag(value_row: IndicatorValue, *, reference=_LOOK_UP) -> str | None:
    """A quarter's RAG: the lead's override if set, else derived from its figure.

    A "reduce by"/"increase by" target without a baseline is measured against the same
    quarter last year (in this plan or the indicator's predecessor): pass it as
    ``reference`` when you have it, or it is looked up (one query, only for such targets).
    """
    if value_row.rag_override:
        return value_row.rag_override
    if value_row.value is None:
        return None
    indicator = value_row.indicator
    if reference is _LOOK_UP:
        reference = same_quarter_last_year(value_row) if needs_reference(indicator) else None
    return derive_rag(indicator, value_row.value, reference=reference)


def needs_reference(indicator) -> bool:
    target = targets.structured_target(indicator)
    return target.comparator in RELATIVE and target.baseline is None


def same_quarter_last_year(value_row: IndicatorValue) -> Decimal | None:
    indicator, period = value_row.indicator, value_row.period
    indicator_ids = [indicator.pk] + (
        [indicator.predecessor_id] if indicator.predecessor_id else []
    )
    return (
        IndicatorValue.objects.counted()
        .filter(
            indicator_id__in=indicator_ids,
            period__year=period.year - 1,
            period__quarter=period.quarter,
            value__isnull=False,
        )
        .values_list("value", flat=True)
        .first()
    )


def rag_label(rag: str | None) -> str:
    return RAG_LABELS.get(rag or "", "No RAG")


# --- Direction of travel -------------------------------------------------------------------------


def desired_direction(indicator) -> str:
    """ "up", "down" or "" (not known): the indicator's own, else implied by its target."""
    if indicator.direction in (Indicator.Direction.UP, Indicator.Direction.DOWN):
        return indicator.direction
    comparator = targets.structured_target(indicator).comparator
    if comparator in HIGHER_IS_BETTER:
        return Indicator.Direction.UP.value
    if comparator in LOWER_IS_BETTER:
        return Indicator.Direction.DOWN.value
    return ""


def direction_of_travel(indicator, current: Decimal | None, previous: Decimal | None) -> str | None:
    """ "improving", "worsening" or "no_change" from ``previous`` to ``current``; None when
    either is missing or there is no way to tell better from worse."""
    if current is None or previous is None:
        return None
    if current == previous:
        return NO_CHANGE
    desired = desired_direction(indicator)
    if desired == Indicator.Direction.UP:
        return IMPROVING if current > previous else WORSENING
    if desired == Indicator.Direction.DOWN:
        return IMPROVING if current < previous else WORSENING
    target = targets.structured_target(indicator)
    if target.comparator == targets.EQUAL and target.value is not None:
        closer = abs(current - target.value) < abs(previous - target.value)
        farther = abs(current - target.value) > abs(previous - target.value)
        return IMPROVING if closer else WORSENING if farther else NO_CHANGE
    return None


def direction_label(indicator, current: Decimal | None, previous: Decimal | None) -> str:
    """ "Improving ↓" for a lower-is-better figure that fell, "Worsening ↑" when it rose,
    "No change →"; "" when there is no direction of travel."""
    travel = direction_of_travel(indicator, current, previous)
    if travel is None:
        return ""
    arrow = UP if current > previous else DOWN if current < previous else LEVEL
    return f"{TRAVEL_WORDS[travel]} {arrow}"


# --- A table of an indicator's values ----------------------------------------------------------


def annotate_values(values: Iterable[IndicatorValue]) -> list[IndicatorValue]:
    """Set on each of one indicator's values, without further queries: ``rag``,
    ``rag_label``, ``rag_tag_class``, ``rag_is_override``, and the direction of travel since
    the previous quarter (``travel_quarter``, ``travel_quarter_label``) and since the same
    quarter last year (``travel_year``, ``travel_year_label``), both among ``values``."""
    rows = list(values)
    by_quarter = {(row.period.year, row.period.quarter): row.value for row in rows}
    for row in rows:
        indicator, year, quarter = row.indicator, row.period.year, row.period.quarter
        previous = by_quarter.get((year, quarter - 1) if quarter > 1 else (year - 1, 4))
        last_year = by_quarter.get((year - 1, quarter))
        row.rag = value_rag(row, reference=last_year)
        row.rag_label = rag_label(row.rag)
        row.rag_tag_class = RAG_TAG_CLASSES.get(row.rag or "", "govuk-tag--grey")
        row.rag_is_override = bool(row.rag_override)
        row.travel_quarter = direction_of_travel(indicator, row.value, previous)
        row.travel_quarter_label = direction_label(indicator, row.value, previous)
        row.travel_year = direction_of_travel(indicator, row.value, last_year)
        row.travel_year_label = direction_label(indicator, row.value, last_year)
    return rows
