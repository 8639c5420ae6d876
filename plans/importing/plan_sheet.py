"""The Plan sheet: its one row becomes the unsaved draft ``Plan`` (with the earlier plan it is
read with, if the partnership has one of that title)."""

from __future__ import annotations

from plans.importing.checks import Checker, Parsed
from plans.models import Plan


def validate_plan(check: Checker, rows: list[dict]) -> Parsed:
    """The plan from its sheet's one row (an empty plan if it is missing: the other sheets
    are still checked, so that every problem is reported at once)."""
    parsed = Parsed(plan=Plan(partnership=check.partnership, status=Plan.Status.DRAFT))
    if not rows:
        if "Plan" not in check.broken and not any(p.sheet == "Plan" for p in check.problems):
            check.error("Plan", 2, None, "no_plan")
        return parsed
    for extra in rows[1:]:
        check.error("Plan", extra["_row"], None, "two_plans")
    row = rows[0]
    plan = parsed.plan
    plan.title, plan.kind = row["title"] or "", row["kind"] or ""
    plan.start_year, plan.end_year = row["start_year"], row["end_year"]
    plan.summary, plan.source = row["summary"] or "", row["source"] or ""
    if plan.start_year and plan.end_year and plan.end_year < plan.start_year:
        check.error(
            "Plan",
            row["_row"],
            "Last year",
            "ends_early",
            end=plan.end_year,
            start=plan.start_year,
        )
    _parent(check, parsed, row)
    check.check_fields(plan, "Plan", row)
    return parsed


def _parent(check: Checker, parsed: Parsed, row: dict) -> None:
    """The earlier plan this one is read with: a warning, not an error, if there is none."""
    parsed.parent_title = row["parent_title"] or ""
    if not parsed.parent_title:
        return
    plan = parsed.plan
    plan.parent = Plan.objects.filter(
        partnership=check.partnership, title__iexact=parsed.parent_title
    ).first()
    if plan.parent is None:
        check.warn(
            "Plan",
            row["_row"],
            "Read with",
            "no_parent_plan",
            partnership=check.partnership,
            title=parsed.parent_title,
        )
