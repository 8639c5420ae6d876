"""Indicators filled from crime data: each complete quarter of the partnership's area inside
the indicator's plan gets the series' figure, marked "from police.uk data, loaded <date>".

A figure typed by hand (or imported, or calculated) is never replaced here unless the admin
confirmed replacing exactly that value (``replace``): otherwise it is returned as a conflict
for the confirm page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from indicators.calculated import refresh_dependents
from indicators.crimedata.figures import area_quarters
from indicators.crimedata.models import CrimeSeries
from indicators.models import Indicator, IndicatorValue
from plans.services import period_ensure_closed

SOURCE = "from police.uk data"


@dataclass
class Conflict:
    value: IndicatorValue
    label: str
    figure: object


@dataclass
class FillResult:
    indicator: Indicator
    filled: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    no_population: list[str] = field(default_factory=list)


def is_from_data(value: IndicatorValue) -> bool:
    return value.source.startswith(SOURCE)


@dataclass
class Planned:
    """What filling would write: (quarter, figure, the value there now or None) each."""

    indicator: Indicator
    writes: list[tuple] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    no_population: list[str] = field(default_factory=list)


def series_plan(*, series: CrimeSeries, replace: frozenset[int] = frozenset()) -> Planned:
    """Read only (four queries): the figures the series gives the indicator's quarters, and
    the typed figures it would replace (conflicts) unless they are in ``replace``."""
    indicator = Indicator.objects.select_related("plan").get(pk=series.indicator_id)
    plan = indicator.plan
    planned = Planned(indicator)
    existing = {
        (v.period.year, v.period.quarter): v
        for v in IndicatorValue.objects.filter(indicator=indicator).select_related("period")
    }
    for quarter in area_quarters(plan.partnership_id):
        if not quarter.complete or not plan.start_year <= quarter.year <= plan.end_year:
            continue
        if series.measure == CrimeSeries.Measure.RATE:
            figure = quarter.rate(series.crime_types)
            if figure is None:
                planned.no_population.append(quarter.label)
                continue
        else:
            figure = Decimal(quarter.count(series.crime_types))
        value = existing.get((quarter.year, quarter.quarter))
        if value is not None and not is_from_data(value) and value.pk not in replace:
            if value.not_available or value.value != figure:
                planned.conflicts.append(Conflict(value, quarter.label, figure))
            continue
        planned.writes.append((quarter, figure, value))
    return planned


@transaction.atomic
def series_fill(*, series: CrimeSeries, user, replace: frozenset[int] = frozenset()) -> FillResult:
    planned = series_plan(series=series, replace=replace)
    indicator = planned.indicator
    result = FillResult(indicator, conflicts=planned.conflicts, no_population=planned.no_population)
    now = timezone.now()
    for quarter, figure, value in planned.writes:
        source = f"{SOURCE}, loaded {date_format(quarter.loaded_at, 'j F Y')}"
        if value is not None and value.value == figure and value.source == source:
            continue  # loaded before and unchanged
        if value is None:
            period = period_ensure_closed(
                plan=indicator.plan, year=quarter.year, quarter=quarter.quarter
            )
            value = IndicatorValue(indicator=indicator, period=period, version=0)
        value.value, value.not_available, value.not_available_reason = figure, False, ""
        value.source, value.imported_at = source[:200], now
        value.entered_by = user if user is not None and user.is_authenticated else None
        value.entered_at, value.is_late, value.is_sample = now, False, False
        value.version += 1
        value.full_clean(exclude=[] if value.entered_by else ["entered_by"])  # by the command
        value.save()
        refresh_dependents(indicator=indicator, period=value.period, user=value.entered_by)
        result.filled.append(quarter.label)
    return result


def fill_all(*, user) -> list[FillResult]:
    """After a load: every linked indicator, never replacing a typed figure."""
    series = CrimeSeries.objects.select_related("indicator")
    return [series_fill(series=s, user=user) for s in series]
