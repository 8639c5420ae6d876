"""The optional Funding sheet: each line of money behind an action (source, amount in pounds,
financial year, the words as written), under its action as the Milestones sheet names it."""

from __future__ import annotations

from collections import defaultdict

from plans.importing.cells import normal
from plans.importing.checks import Checker, Parsed, refs_hint
from plans.models_content import FundingLine
from priorities.models import Action, Priority

SHEET = "Funding"


def validate_funding(
    check: Checker,
    parsed: Parsed,
    rows: list[dict],
    priorities: dict[str, Priority],
    actions: dict[tuple[str, str], Action],
) -> None:
    """Each line under its action, in the order of the sheet."""
    lines: dict[int, int] = defaultdict(int)  # lines so far, by id(action)
    titles = {(p, normal(a.title)): a for (p, _), a in actions.items()}
    by_title = {normal(p.title): ref for ref, p in priorities.items() if p.title}
    for row in rows:
        if row["priority_ref"] is None or row["action_ref"] is None or row["source"] is None:
            continue  # already reported as empty
        if row["priority_ref"] not in priorities:
            row["priority_ref"] = by_title.get(normal(row["priority_ref"]), row["priority_ref"])
        action = actions.get((row["priority_ref"], row["action_ref"])) or titles.get(
            (row["priority_ref"], normal(row["action_ref"]))
        )
        if action is None:
            _no_action(check, row, priorities, actions)
            continue
        lines[id(action)] += 1
        line = FundingLine(
            action=action,
            order=lines[id(action)],
            source=row["source"],
            amount=row["amount"],
            financial_year=row["financial_year"],
            as_written=row["as_written"] or "",
        )
        check.check_fields(line, SHEET, row)
        parsed.funding.append(line)


def _no_action(check: Checker, row: dict, priorities: dict, actions: dict) -> None:
    if check.broken & {"Priorities", "Actions"}:
        return  # reported once, for the sheet
    if row["priority_ref"] not in priorities:
        check.with_priority([row], SHEET, priorities)
        return
    known = [ref for (p, ref) in actions if p == row["priority_ref"]]
    check.error(SHEET, row["_row"], "Action ref", "no_action", priority=row["priority_ref"],
                ref=row["action_ref"], hint=refs_hint(known, "its actions"))  # fmt: skip
