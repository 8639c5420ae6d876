"""The partnership's other plans: one of the same title (which the import would replace,
if it is a draft and the admin confirms) and the latest earlier plan, whose indicators the
new plan's indicators continue (``predecessors``)."""

from __future__ import annotations

import difflib
import re

from indicators.models import Indicator
from plans.importing.cells import normal
from plans.importing.checks import Parsed
from plans.importing.problems import MESSAGES, Problem
from plans.models import Partnership, Plan

TITLES_ALIKE = 0.75  # how alike two indicator titles with the same number must be to link


def existing_plan(partnership: Partnership, title: str) -> Plan | None:
    return Plan.objects.filter(partnership=partnership, title__iexact=title).first()


def duplicate_problem(existing: Plan) -> Problem:
    if existing.status == Plan.Status.DRAFT:
        fix = MESSAGES["exists_draft"]
    else:
        fix = MESSAGES["exists_kept"].format(status=existing.get_status_display().lower())
    message = MESSAGES["exists"].format(
        partnership=existing.partnership, title=existing.title, period=existing.period, fix=fix
    )
    return Problem("Plan", None, "Title", message)


def predecessors(parsed: Parsed, partnership, *, exclude: Plan | None) -> dict[int, Indicator]:
    """id(new indicator) → the same measure in the partnership's latest earlier plan that has
    indicators: the same title; else the same code, where it is a real code ("DA06", "NI111")
    or the titles are alike (plans renumber their indicators each year, so "2.5" alone says
    nothing)."""
    if not parsed.indicators or not parsed.plan.start_year:
        return {}
    earlier = Plan.objects.filter(
        partnership=partnership, start_year__lt=parsed.plan.start_year, indicators__isnull=False
    )
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude.pk)
    previous = earlier.order_by("-start_year", "-end_year", "-pk").first()
    if previous is None:
        return {}
    old = list(previous.indicators.select_related("plan"))
    by_ref = {indicator.ref.casefold(): indicator for indicator in old}
    by_title = {normal(indicator.title): indicator for indicator in old}
    links = {}
    for indicator in parsed.indicators:
        match = by_title.get(normal(indicator.title))
        same_code = by_ref.get(indicator.ref.casefold())
        if match is None and same_code is not None:
            titles = normal(indicator.title), normal(same_code.title)
            alike = difflib.SequenceMatcher(None, *titles).ratio() >= TITLES_ALIKE
            if alike or re.search(r"[a-z]", indicator.ref, re.IGNORECASE):
                match = same_code
        if match is not None:
            links[id(indicator)] = match
    return links
