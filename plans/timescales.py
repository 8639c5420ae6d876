"""Reading timescales as plans write them: "By June 19", "May19", "31 March 2016",
"End April 19", "By January", "Quarterly", "Ongoing", "As required", "Annually in April".

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

_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))

RECURRENCE_WORDS = [
    (re.compile(r"\bsix[\s-]*monthly\b|\bbi-?annual(ly)?\b|\bhalf[\s-]*yearly\b"), "six_monthly"),
    (re.compile(r"\bweekly\b|\b(every|each) week\b"), "weekly"),
    (re.compile(r"\bmonthly\b|\b(every|each) month\b"), "monthly"),
    (re.compile(r"\bquarterly\b|\b(every|each) quarter\b"), "quarterly"),
    (
        re.compile(
            rf"\bannual(ly)?\b|\byearly\b|\b(per|each|every) year\b|\bevery ({_MONTH_WORDS})\b"
        ),
        "annually",
    ),
    (re.compile(r"\bongoing\b|\bon-going\b|\bcontinuous\b"), "ongoing"),
    (re.compile(r"\bas required\b|\bas needed\b|\bwhen required\b"), "as_required"),
]

# Recurrences that come round again: a month with them is when they come round ("Annually in
# April", "Quarterly from June 2019"), not a one-off deadline. "Ongoing" and "As required" do
# not come round: a date with them is still the date the work ends by.
PERIODIC = {"weekly", "monthly", "quarterly", "six_monthly", "annually"}

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
    anchor_month: int | None = None  # the month a periodic recurrence comes round in

    @property
    def one_off_date(self) -> date | None:
        """The date the item is due once by: none for an item that comes round again."""
        return None if self.recurrence in PERIODIC else self.due_date


def parse_timescale(text: str, *, plan_start_year: int | None = None) -> Timescale:
    """Derive a due date or a recurrence from a timescale as written.

    A month without a day means its last day ("By June 19" → 30 June 2019). A month without a
    year is placed in the plan's first financial year ("By January" in 2019/20 → January 2020).
    A recurrence that comes round again wins over a month, which becomes its anchor: "Annually
    in April" is every April, first due at the end of April in the plan's first year.
    """
    cleaned = " ".join((text or "").lower().replace(",", " ").split())
    if not cleaned:
        return Timescale()
    recurrence = next((name for pattern, name in RECURRENCE_WORDS if pattern.search(cleaned)), "")
    month, found = _first_date(cleaned, plan_start_year)
    if recurrence in PERIODIC:
        return Timescale(due_date=found, recurrence=recurrence, anchor_month=month)
    if found:
        return Timescale(due_date=found)
    return Timescale(recurrence=recurrence)


def _first_date(cleaned: str, plan_start_year: int | None) -> tuple[int | None, date | None]:
    """The first month named, and the date it gives where a year is known."""
    anchor = None
    for match in DATE_PATTERN.finditer(cleaned):
        month = MONTHS.get(match.group("month"))
        if month is None:
            continue
        anchor = anchor or month
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
        return month, date(year, month, day)
    return anchor, None


def due_display(due: date | None, recurrence: str, recurrence_label: str) -> str:
    """When an item falls due, in words: "30 April 2019", "Every year in April" (from its
    first date), "Quarterly from 30 June 2019", "Ongoing"."""
    if recurrence == "annually" and due:
        return f"Every year in {calendar.month_name[due.month]}"
    if recurrence in PERIODIC and due:
        return f"{recurrence_label} from {due.day} {calendar.month_name[due.month]} {due.year}"
    if due:
        return f"{due.day} {calendar.month_name[due.month]} {due.year}"
    return recurrence_label if recurrence else ""


def fill_parsed_dates(instance) -> None:
    """Set ``due_date`` (and ``recurrence``) from the text as written, where it parses.

    A date the text does not give is left as it is, so a date entered by hand is kept. A
    milestone that comes round again keeps its first date as the anchor of its recurrence; an
    action or indicator has no recurrence to keep, so it takes no date from such a text.
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
        if parsed.one_off_date:
            instance.due_date = parsed.one_off_date
    elif isinstance(instance, Indicator):
        parsed = parse_timescale(
            instance.due_as_written, plan_start_year=_plan_start(lambda: instance.plan)
        )
        if parsed.one_off_date:
            instance.due_date = parsed.one_off_date


def _plan_start(get_plan) -> int | None:
    try:
        return get_plan().start_year
    except ObjectDoesNotExist:  # an unsaved parent: no plan yet, no year to infer from
        return None
