"""Quarter arithmetic for reports: a quarter as a (financial year, quarter) pair, the quarters
of a plan, the quarter before one, and runs of quarters ending with one."""

from __future__ import annotations

from plans.models import Plan, Quarter, ReportingPeriod

YearQuarter = tuple[int, int]


def quarters_of(plan: Plan) -> list[YearQuarter]:
    """Every (financial year, quarter) inside the plan's period, in order."""
    return [
        (year, quarter)
        for year in range(plan.start_year, plan.end_year + 1)
        for quarter in Quarter.values
    ]


def quarter_before(year: int, quarter: int) -> YearQuarter:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def quarters_ending(year: int, quarter: int, count: int) -> list[YearQuarter]:
    """``count`` calendar quarters ending with (year, quarter), oldest first."""
    quarters = [(year, quarter)]
    while len(quarters) < count:
        quarters.append(quarter_before(*quarters[-1]))
    return quarters[::-1]


def period_key(period: ReportingPeriod) -> YearQuarter:
    return (period.year, period.quarter)
