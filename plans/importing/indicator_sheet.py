"""The Indicators sheet: each indicator of the plan, under a priority if it names one, with
the agency that reports it and the group it is reported to."""

from __future__ import annotations

from indicators.models import Indicator
from plans.importing.checks import Checker, Parsed, texts
from priorities.models import Priority


def validate_indicators(
    check: Checker, parsed: Parsed, rows: list[dict], priorities: dict[str, Priority]
) -> None:
    """The indicators, in the order of the sheet (refs unique in the plan)."""
    linked = [row for row in rows if not row["priority_ref"]]
    linked += check.with_priority(
        [row for row in rows if row["priority_ref"]], "Indicators", priorities
    )
    for row in check.unique(
        sorted(linked, key=lambda r: r["_row"]), "Indicators", in_priority=False
    ):
        parsed.indicators.append(_indicator(check, parsed, row, priorities))


def _indicator(check: Checker, parsed: Parsed, row: dict, priorities: dict) -> Indicator:
    due_text, due = row["due_as_written"] or ("", None)
    indicator = Indicator(
        plan=parsed.plan,
        priority=priorities.get(row["priority_ref"] or ""),
        ref=row["ref"],
        title=row["title"],
        due_as_written=due_text,
        due_date=row["due_date"] or due,
        frequency=row["frequency"] or Indicator.Frequency.QUARTERLY,
        unit=row["unit"] or Indicator.Unit.COUNT,
        direction=row["direction"] or "",
        **texts(row, "theme", "target", "baseline", "responsible", "agency_as_written"),
    )
    check.set_agency(parsed, indicator, "agency", row, "Indicators")
    check.set_agency(parsed, indicator, "reporting_group", row, "Indicators")
    check.check_fields(indicator, "Indicators", row)
    return indicator
