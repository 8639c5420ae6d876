"""The Priorities sheet (each priority with its key themes) and the Objectives sheet (each
objective under a priority of the Priorities sheet)."""

from __future__ import annotations

from plans.importing.checks import Checker, Parsed, texts
from plans.importing.numbering import number_rows
from priorities.models import KeyTheme, Objective, Priority


def validate_priorities(check: Checker, parsed: Parsed, rows: list[dict]) -> dict[str, Priority]:
    """The plan's priorities, by ref (refs unique in the plan)."""
    priorities: dict[str, Priority] = {}
    rows = number_rows(check, rows, "Priorities")
    for row in check.unique(rows, "Priorities", in_priority=False):
        priority = Priority(
            plan=parsed.plan,
            ref=row["ref"],
            ref_generated=row.get("_numbered", False),
            title=row["title"],
            is_cross_cutting=bool(row["is_cross_cutting"]),
            **texts(row, "summary", "lead_as_written"),
        )
        check.set_agency(parsed, priority, "lead_agency", row, "Priorities")
        check.check_fields(priority, "Priorities", row)
        priorities[priority.ref] = priority
        parsed.priorities.append(priority)
        themes = [line.strip() for line in (row["key_themes"] or "").splitlines()]
        parsed.key_themes[priority.ref] = [
            KeyTheme(priority=priority, order=order, text=text)
            for order, text in enumerate(filter(None, themes), start=1)
        ]
    return priorities


def validate_objectives(
    check: Checker, parsed: Parsed, rows: list[dict], priorities: dict[str, Priority]
) -> dict[tuple[str, str], Objective]:
    """The objectives, by (priority ref, ref) (refs unique within their priority)."""
    objectives: dict[tuple[str, str], Objective] = {}
    known = number_rows(
        check, check.with_priority(rows, "Objectives", priorities), "Objectives",
        parent="priority_ref",
    )  # fmt: skip
    for row in check.unique(known, "Objectives", in_priority=True):
        objective = Objective(
            priority=priorities[row["priority_ref"]],
            ref=row["ref"],
            ref_generated=row.get("_numbered", False),
            title=row["title"],
            **texts(row, "description"),
        )
        check.check_fields(objective, "Objectives", row)
        objectives[(row["priority_ref"], objective.ref)] = objective
        parsed.objectives.append(objective)
    return objectives
