"""Calculated indicators: setting the calculation, and working out their quarterly values
whenever one of their inputs is saved.

A calculated value is an ``IndicatorValue`` like any other (so RAG, trends and the report pack
show it), with ``source`` saying it was calculated. When an input has no figure the value is
"not available", and its reason names the missing input.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from indicators.formulas import POPULATION, Formula, FormulaError, MissingInput, parse
from indicators.models import Indicator, IndicatorValue, Population
from plans import events
from plans.models import ReportingPeriod

SOURCE = "calculated from other indicators"
MAX_DEPTH = 5
THOUSANDTH = Decimal("0.001")
LARGEST = Decimal(10) ** 11  # IndicatorValue.value holds 14 digits, 3 after the point


def formula_for(indicator: Indicator) -> Formula | None:
    """The indicator's calculation, or None (also for one saved before a rule tightened)."""
    if not indicator.expression:
        return None
    try:
        return parse(indicator.expression)
    except FormulaError:
        return None


def formula_words(indicator: Indicator) -> str:
    formula = formula_for(indicator)
    return formula.words() if formula else ""


def check_expression(*, indicator: Indicator, text: str) -> Formula:
    """Parse ``text`` for ``indicator`` and check its refs against the plan: each exists, none
    is the indicator itself, and no loop of calculations results."""
    formula = parse(text)
    refs = dict(Indicator.objects.filter(plan=indicator.plan_id).values_list("ref", "expression"))
    unknown = [ref for ref in formula.refs if ref not in refs]
    if unknown:
        raise FormulaError(f"{', '.join(unknown)}: no indicator with that ref in this plan")
    if indicator.ref in formula.refs or _loops(indicator.ref, formula.refs, refs):
        raise FormulaError(f"{indicator.ref} cannot be calculated from itself")
    return formula


def _loops(start: str, refs: list[str], expressions: dict[str, str]) -> bool:
    seen, todo = set(), list(refs)
    while todo:
        ref = todo.pop()
        if ref == start:
            return True
        if ref in seen:
            continue
        seen.add(ref)
        try:
            todo += parse(expressions.get(ref) or "0").refs
        except FormulaError:
            continue
    return False


@transaction.atomic
def indicator_expression_set(*, indicator: Indicator, text: str, user) -> Indicator:
    """Make the indicator calculated (or, with an empty ``text``, typed in again), and work
    out its values for every quarter of the plan that has one of its inputs."""
    text = text.strip()
    if text:
        try:
            check_expression(indicator=indicator, text=text)
        except FormulaError as error:
            raise ValidationError({"expression": str(error)}) from None
    indicator.expression = text
    indicator.full_clean()
    indicator.save(update_fields=["expression"])
    if text:
        for period in ReportingPeriod.objects.filter(plan=indicator.plan_id):
            indicator_calculated_refresh(indicator=indicator, period=period, user=user)
    return indicator


@transaction.atomic
def indicator_calculated_refresh(
    *, indicator: Indicator, period: ReportingPeriod, user, depth: int = 0
) -> IndicatorValue | None:
    """Work out the indicator's value for the quarter from its inputs' values, then those of
    the indicators calculated from it. None when it is not calculated or has no inputs yet."""
    formula = formula_for(indicator)
    if formula is None or depth > MAX_DEPTH:
        return None
    values = {
        v.indicator.ref: v
        for v in IndicatorValue.objects.filter(
            period=period, indicator__plan=indicator.plan_id, indicator__ref__in=formula.refs
        ).select_related("indicator")
    }
    current = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, period=period)
        .first()
    )
    if not values and current is None:
        return None
    figures = {ref: (v.value if not v.not_available else None) for ref, v in values.items()}
    if formula.uses_population:
        figures[POPULATION] = _population(indicator, period)
    current = current or IndicatorValue(indicator=indicator, period=period, version=0)
    try:
        result = formula.evaluate(figures).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)
        if abs(result) >= LARGEST:
            raise MissingInput("", "the result is too large to keep")
    except MissingInput as missing:
        current.value, current.not_available = None, True
        current.not_available_reason = f"Not calculated: {missing} for {period.label}."
    else:
        current.value, current.not_available = result, False
        current.not_available_reason = ""
    current.source, current.imported_at = SOURCE, None
    current.entered_by, current.entered_at = user, timezone.now()
    current.version += 1
    current.full_clean()
    current.save()
    events.counted(current)  # as a typed value is: it counts on dashboards now
    refresh_dependents(indicator=indicator, period=period, user=user, depth=depth + 1)
    return current


def refresh_dependents(*, indicator: Indicator, period: ReportingPeriod, user, depth: int = 0):
    """After a value of ``indicator`` is saved: recalculate the indicators that use it."""
    candidates = Indicator.objects.filter(plan=indicator.plan_id).exclude(expression="")
    for other in candidates:
        formula = formula_for(other)
        if formula is not None and indicator.ref in formula.refs:
            indicator_calculated_refresh(indicator=other, period=period, user=user, depth=depth)


def _population(indicator: Indicator, period: ReportingPeriod) -> Decimal | None:
    residents = (
        Population.objects.filter(partnership=indicator.plan.partnership_id, year=period.year)
        .values_list("residents", flat=True)
        .first()
    )
    return None if residents is None else Decimal(residents)


@transaction.atomic
def population_set(*, partnership, year: int, residents: int, user) -> Population:
    """Record the area's residents for a financial year (replacing the figure recorded
    before), and work out again the rates per resident of that year's quarters."""
    population = Population.objects.filter(partnership=partnership, year=year).first()
    population = population or Population(partnership=partnership, year=year)
    population.residents = residents
    population.full_clean()
    population.save()
    rates = [
        indicator
        for indicator in Indicator.objects.filter(plan__partnership=partnership).exclude(
            expression=""
        )
        if (formula := formula_for(indicator)) is not None and formula.uses_population
    ]
    for indicator in rates:
        for period in ReportingPeriod.objects.filter(plan=indicator.plan_id, year=year):
            indicator_calculated_refresh(indicator=indicator, period=period, user=user)
    return population
