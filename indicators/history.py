"""Earlier quarters' figures from a sheet (partnership admins): so that trend charts start with
years of data rather than with the first quarter reported in the app.

Two layouts are read: wide (a ``Ref`` column, then one column per quarter headed like
"2019/20 Q1") and long (``Ref``, ``Quarter``, ``Value``). Each figure goes to the indicator
itself when the quarter falls inside its plan, else to its predecessor (the same measure in an
earlier plan) whose plan covers it. Missing quarters are created closed
(``plans.services.period_ensure_closed``). A loaded value is marked with its source and when it
was imported; loading again replaces imported figures but never one typed in or calculated,
and never writes into an open quarter.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from indicators.calculated import refresh_dependents
from indicators.forms import ValueField
from indicators.models import Indicator, IndicatorValue, ValueUpload
from indicators.services import ValueEntry, validate_entry
from indicators.sheets import Grid, Problem
from plans.models import Plan, ReportingPeriod, quarter_label
from plans.services import period_ensure_closed

YEAR = r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})"
QUARTER = re.compile(rf"^\s*{YEAR}\s*,?\s*Q\s*([1-4])\s*$", re.IGNORECASE)
QUARTER_FIRST = re.compile(rf"^\s*Q\s*([1-4])\s*,?\s*{YEAR}\s*$", re.IGNORECASE)
Key = tuple[int, int, int]  # indicator, year, quarter


def parse_quarter(text) -> tuple[int, int] | None:
    """ "2019/20 Q1" (or "2019-20 Q1", "Q1 2019/20", "2019/2020 Q1") → (2019, 1); None for
    anything else, and for years that do not follow each other ("2019/21")."""
    if match := QUARTER.match(str(text)):
        year, second, quarter = match[1], match[2], match[3]
    elif match := QUARTER_FIRST.match(str(text)):
        quarter, year, second = match[1], match[2], match[3]
    else:
        return None
    year, quarter = int(year), int(quarter)
    following = (year + 1) % 100 if len(second) == 2 else year + 1
    return (year, quarter) if int(second) == following else None


def history_cells(grid: Grid) -> tuple[list[tuple[int, str, str, object]], list[Problem]]:
    """Every filled cell as (row, column heading, ref, quarter text, value), either layout."""
    ref_at = grid.column("ref")
    if ref_at is None:
        return [], [Problem(1, "Ref", "this column is missing: add it, headed Ref")]
    quarter_at, value_at = grid.column("quarter"), grid.column("value")
    if quarter_at is not None and value_at is not None:
        return [
            (number, "Value", str(cells[ref_at]).strip(), cells[quarter_at], cells[value_at])
            for number, cells in grid.rows
            if cells[value_at] != "" or cells[quarter_at] != ""
        ], []
    quarters = [(i, h) for i, h in enumerate(grid.headers) if parse_quarter(h)]
    if not quarters:
        message = 'head one column per quarter like "2019/20 Q1", or use Quarter and Value columns'
        return [], [Problem(1, None, message)]
    return [
        (number, heading, str(cells[ref_at]).strip(), heading, cells[at])
        for number, cells in grid.rows
        for at, heading in quarters
        if cells[at] != ""
    ], []


def check_history_grid(grid: Grid, *, plan: Plan, today: date) -> tuple[list[dict], list[Problem]]:
    """The figures that will be loaded (JSON-ready dicts) and every problem found."""
    cells, problems = history_cells(grid)
    indicators = {i.ref.lower(): i for i in plan.indicators.select_related("plan")}
    chains = _chains(plan)
    periods = {
        (p.plan_id, p.year, p.quarter): p
        for p in ReportingPeriod.objects.filter(plan__partnership=plan.partnership_id)
    }
    existing = _existing(chains)
    planned, seen = [], {}
    for number, column, ref, quarter_text, value in cells:
        try:
            row = _row(ref, quarter_text, value, indicators, chains, periods, existing, today)
        except ValidationError as error:
            problems += [Problem(number, column, message) for message in error.messages]
            continue
        key = (row["indicator"], row["year"], row["quarter"])
        if key in seen:
            problems.append(
                Problem(number, column, f"{ref} {row['label']} is also on row {seen[key]}")
            )
            continue
        seen[key] = number
        planned.append(row | {"row": number, "column": column})
    return planned, problems


def _row(ref, quarter_text, value, indicators, chains, periods, existing, today) -> dict:
    indicator = indicators.get(ref.lower())
    if indicator is None:
        raise ValidationError(f"there is no indicator {ref or '(empty ref)'} in this plan")
    if indicator.expression:
        raise ValidationError(f"{ref} is calculated from other indicators: leave it out")
    found = parse_quarter(quarter_text)
    if found is None:
        raise ValidationError(f"“{quarter_text}” is not a quarter: write it like 2019/20 Q1")
    year, quarter = found
    label = quarter_label(year, quarter)
    if ReportingPeriod(year=year, quarter=quarter).ends_on >= today:
        raise ValidationError(f"{label} has not ended yet: history is for earlier quarters")
    target = next(
        (i for i in chains[indicator.pk] if i.plan.start_year <= year <= i.plan.end_year), None
    )
    if target is None:
        raise ValidationError(
            f"{label} is outside {indicator.plan.title} ({indicator.plan.period}) and {ref} has "
            "no earlier plan’s indicator covering it"
        )
    period = periods.get((target.plan_id, year, quarter))
    if period is not None and period.is_open:
        raise ValidationError(f"{label} is open: enter its figures on the quarter’s values page")
    figure = clean_figure(target, value)
    before = existing.get((target.pk, year, quarter))
    if before is not None and before.imported_at is None:
        raise ValidationError(
            f"{ref} already has a figure for {label} ({before.display}) that was not imported: "
            "history never replaces it"
        )
    return {
        "indicator": target.pk, "plan": target.plan_id, "ref": ref, "target_ref": target.ref,
        "year": year, "quarter": quarter, "label": label, "value": str(figure),
        "before": before.display if before else "",
    }  # fmt: skip


def clean_figure(indicator: Indicator, value):
    """The cell as a figure the indicator accepts (its unit's bounds), or ValidationError."""
    if isinstance(value, str) and not value.strip():
        raise ValidationError("the figure is empty")
    figure = ValueField(required=False).clean(str(value))
    if figure is None:
        raise ValidationError("the figure is empty")
    try:
        validate_entry(ValueEntry(indicator, figure, False))
    except ValidationError as error:
        raise ValidationError(sum(error.message_dict.values(), [])) from None
    return figure


def _chains(plan: Plan) -> dict[int, list[Indicator]]:
    """Each of the plan's indicators with its predecessors, newest first (two queries)."""
    everyone = {
        i.pk: i
        for i in Indicator.objects.filter(plan__partnership=plan.partnership_id).select_related(
            "plan"
        )
    }
    chains = {}
    for indicator in everyone.values():
        if indicator.plan_id != plan.pk:
            continue
        chain, current = [], indicator
        while current is not None and current not in chain and len(chain) < 20:
            chain.append(current)
            current = everyone.get(current.predecessor_id)
        chains[indicator.pk] = chain
    return chains


def _existing(chains: dict[int, list[Indicator]]) -> dict[Key, IndicatorValue]:
    ids = [i.pk for chain in chains.values() for i in chain]
    values = IndicatorValue.objects.filter(indicator__in=ids).select_related("period", "indicator")
    return {(v.indicator_id, v.period.year, v.period.quarter): v for v in values}


@transaction.atomic
def history_import(*, user, upload: ValueUpload) -> int:
    """Load every kept figure or none, creating closed quarters as needed; return how many.
    Checks again what may have changed since the preview (a quarter opened, a value typed)."""
    plans = {p.pk: p for p in Plan.objects.filter(pk__in={r["plan"] for r in upload.rows})}
    now = timezone.now()
    for row in upload.rows:
        indicator = Indicator.objects.get(pk=row["indicator"])
        history_value_load(
            user=user, plan=plans[row["plan"]], indicator=indicator, year=row["year"],
            quarter=row["quarter"], figure=row["value"], source=upload.source, now=now,
            where=f"Row {row['row']}: {row['ref']}",
        )  # fmt: skip
    count = len(upload.rows)
    upload.delete()
    return count


def history_value_load(
    *, user, plan: Plan, indicator: Indicator, year: int, quarter: int, figure, source: str,
    now, where: str, note: str = "",
) -> IndicatorValue:  # fmt: skip
    """One figure of an earlier quarter saved as imported (its quarter created closed if need
    be), replacing an imported one but never one typed in or an open quarter's. Shared by
    the history sheet and the plan workbook's past values (``plans.importing``)."""
    period = period_ensure_closed(plan=plan, year=year, quarter=quarter)
    if period.is_open:
        raise ValidationError(f"{where}: {period.label} was opened meanwhile")
    value = IndicatorValue.objects.select_for_update().filter(indicator=indicator, period=period)
    value = value.first()
    if value is not None and value.imported_at is None:
        raise ValidationError(f"{where} {period.label} was entered meanwhile")
    value = value or IndicatorValue(indicator=indicator, period=period, version=0)
    value.value, value.not_available, value.not_available_reason = figure, False, ""
    value.note = note or value.note
    value.source, value.imported_at = source, now
    value.entered_by, value.entered_at, value.is_late, value.is_sample = user, now, False, False
    value.version += 1
    value.full_clean(exclude=["entered_by"] if user is None else None)  # None: the command line
    value.save()
    refresh_dependents(indicator=indicator, period=period, user=user)
    return value
