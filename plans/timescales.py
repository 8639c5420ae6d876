"""Reading timescales as plans write them: "By June 19", "May19", "31 March 2016",
"End April 19", "By January", "Quarterly", "Ongoing", "As required".

The text is always kept as written; these functions only derive a due date or a recurrence
where the text allows, so that overdue milestones can be found.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ObjectDoesNotExist

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {
        calendar.month_name[number].lower(),
        calendar.month_abbr[number].lower(),
        calendar.month_name[number][:4].lower(),  # "sept", "marc" (harmless), "june"
    }
}

RECURRENCE_WORDS = [
    (re.compile(r"\bsix[\s-]*monthly\b|\bbi-?annual(ly)?\b|\bhalf[\s-]*yearly\b"), "six_monthly"),
    (re.compile(r"\bweekly\b"), "weekly"),
    (re.compile(r"\bmonthly\b"), "monthly"),
    (re.compile(r"\bquarterly\b"), "quarterly"),
    (re.compile(r"\bannual(ly)?\b|\byearly\b|\bper year\b|\beach year\b"), "annually"),
    (re.compile(r"\bongoing\b|\bon-going\b|\bcontinuous\b"), "ongoing"),
    (re.compile(r"\bas required\b|\bas needed\b|\bwhen required\b"), "as_required"),
]

# Optional day, a month name, optional year: "31 March 2016", "June 19", "May19", "Sept 2019".
DATE_PATTERN = re.compile(
    r"(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s*)?"
    r"(?P<month>[a-z]{3,9})\.?"
    r"(?:\s*(?P<year>\d{4}|\d{2})(?!\d))?"
)


@dataclass(frozen=True)
class Timescale:
    due_date: date | None = None
    recurrence: str = ""


def parse_timescale(text: str, *, plan_start_year: int | None = None) -> Timescale:
    """Derive a due date or a recurrence from a timescale as written.

    A month without a day means its last day ("By June 19" → 30 June 2019). A month without a
    year is placed in the plan's first financial year ("By January" in 2019/20 → January 2020).
    """
    cleaned = " ".join((text or "").lower().replace(",", " ").split())
    if not cleaned:
        return Timescale()
    for match in DATE_PATTERN.finditer(cleaned):
        month = MONTHS.get(match.group("month"))
        if month is None:
            continue
        year_text = match.group("year")
        if year_text:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        elif plan_start_year is not None:
            year = plan_start_year + (1 if month <= 3 else 0)
        else:
            continue
        last_day = calendar.monthrange(year, month)[1]
        day = int(match.group("day")) if match.group("day") else last_day
        if not 1 <= day <= last_day:
            continue
        return Timescale(due_date=date(year, month, day))
    for pattern, recurrence in RECURRENCE_WORDS:
        if pattern.search(cleaned):
            return Timescale(recurrence=recurrence)
    return Timescale()


def fill_parsed_dates(instance) -> None:
    """Set ``due_date`` (and ``recurrence``) from the text as written, where it parses.

    A date the text does not give is left as it is, so a date entered by hand is kept.
    """
    from indicators.models import Indicator
    from priorities.models import Action, Milestone

    if isinstance(instance, Milestone):
        plan_start = _plan_start(lambda: instance.action.priority.plan)
        parsed = parse_timescale(instance.timescale, plan_start_year=plan_start)
        instance.recurrence = parsed.recurrence
        if parsed.due_date:
            instance.due_date = parsed.due_date
    elif isinstance(instance, Action):
        parsed = parse_timescale(
            instance.timescale, plan_start_year=_plan_start(lambda: instance.priority.plan)
        )
        if parsed.due_date:
            instance.due_date = parsed.due_date
    elif isinstance(instance, Indicator):
        parsed = parse_timescale(
            instance.due_as_written, plan_start_year=_plan_start(lambda: instance.plan)
        )
        if parsed.due_date:
            instance.due_date = parsed.due_date


def _plan_start(get_plan) -> int | None:
    try:
        return get_plan().start_year
    except ObjectDoesNotExist:  # an unsaved parent: no plan yet, no year to infer from
        return None
