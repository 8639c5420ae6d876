"""The optional Previous results sheet: the plan's review of the year before it, each item
with its target and outturn as written."""

from __future__ import annotations

from plans.importing.checks import Checker, Parsed, texts
from plans.models_content import PreviousResult

SHEET = "Previous results"


def validate_previous_results(check: Checker, parsed: Parsed, rows: list[dict]) -> None:
    """Each item, in the order of the sheet."""
    for order, row in enumerate(rows, start=1):
        if row["title"] is None:
            continue  # already reported as empty
        result = PreviousResult(
            plan=parsed.plan,
            order=order,
            title=row["title"],
            **texts(row, "ref", "target", "outturn", "period", "comment"),
        )
        check.check_fields(result, SHEET, row)
        parsed.previous_results.append(result)
