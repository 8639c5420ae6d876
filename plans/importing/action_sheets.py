"""The Actions sheet (each action under a priority, perhaps under one of its objectives, with
its lead and supporting agencies) and the Milestones sheet (the steps of each action, numbered
in the order of the sheet)."""

from __future__ import annotations

from collections import defaultdict

from plans.importing.cells import normal
from plans.importing.checks import Checker, Parsed, refs_hint, texts
from plans.importing.leads import set_lead, set_lead_officer
from plans.importing.numbering import number_rows
from priorities.models import Action, Milestone, Objective, Priority


def validate_actions(
    check: Checker,
    parsed: Parsed,
    rows: list[dict],
    priorities: dict[str, Priority],
    objectives: dict[tuple[str, str], Objective],
) -> dict[tuple[str, str], Action]:
    """The actions, by (priority ref, ref) (refs unique within their priority)."""
    actions: dict[tuple[str, str], Action] = {}
    known = number_rows(
        check,
        check.with_priority(rows, "Actions", priorities),
        "Actions",
        parent="priority_ref",
        ref_of=lambda priority, n: f"{priority}.{n}",
    )
    for row in check.unique(known, "Actions", in_priority=True):
        action = _action(check, parsed, row, priorities, objectives)
        actions[(row["priority_ref"], action.ref)] = action
    return actions


def _action(
    check: Checker, parsed: Parsed, row: dict, priorities: dict, objectives: dict
) -> Action:
    """The action (also when its objective ref is wrong: its milestones still find it)."""
    timescale, due = row["timescale"] or ("", None)
    action = Action(
        priority=priorities[row["priority_ref"]],
        objective=_objective(check, row, objectives),
        ref=row["ref"],
        ref_generated=row.get("_numbered", False),
        title=row["title"],
        timescale=timescale,
        due_date=row["due_date"] or due,
        **texts(
            row,
            "desired_outcome",
            "lead_as_written",
            "responsible",
            "partner_priority",
            "footnote",
        ),
    )
    set_lead_officer(check, action, row["lead_officer"])
    set_lead(check, parsed, action, row, "Actions")
    parsed.supporting[id(action)] = [
        check.agency(row, "Actions", "supporting_agencies", name)
        for name in row["supporting_agencies"] or []
    ]
    check.check_fields(action, "Actions", row)
    parsed.actions.append(action)
    return action


def _objective(check: Checker, row: dict, objectives: dict) -> Objective | None:
    """The action's objective, if it names one that its priority has."""
    objective = None
    if row["objective_ref"] and "Objectives" not in check.broken:
        objective = objectives.get((row["priority_ref"], row["objective_ref"])) or next(
            (
                o  # an objective the plan did not number, named by its words
                for (p, _), o in objectives.items()
                if p == row["priority_ref"] and normal(o.title) == normal(row["objective_ref"])
            ),
            None,
        )
        if objective is None:
            known = [ref for (p, ref) in objectives if p == row["priority_ref"]]
            check.error(
                "Actions",
                row["_row"],
                "Objective ref",
                "no_objective",
                priority=row["priority_ref"],
                ref=row["objective_ref"],
                hint=refs_hint(known, "its objectives"),
            )
    return objective


def validate_milestones(
    check: Checker,
    parsed: Parsed,
    rows: list[dict],
    priorities: dict[str, Priority],
    actions: dict[tuple[str, str], Action],
) -> None:
    """Each milestone under its action, numbered in the order of the sheet."""
    steps: dict[int, int] = defaultdict(int)  # milestones so far, by id(action)
    titles = {(p, normal(a.title)): a for (p, _), a in actions.items()}
    for row in rows:
        if row["priority_ref"] is None or row["action_ref"] is None:
            continue  # already reported as empty
        _priority_by_title(row, priorities)
        action = actions.get((row["priority_ref"], row["action_ref"])) or titles.get(
            (row["priority_ref"], normal(row["action_ref"]))
        )
        if action is None:
            _no_action(check, row, priorities, actions)
            continue
        timescale, due = row["timescale"] or ("", None)
        steps[id(action)] += 1
        milestone = Milestone(
            action=action,
            order=steps[id(action)],
            text=row["text"],
            timescale=timescale,
            due_date=row["due_date"] or due,
        )
        set_lead_officer(check, milestone, row["lead_officer"])
        parsed.milestone_supporting[id(milestone)] = [
            check.agency(row, "Milestones", "supporting_agencies", name)
            for name in row["supporting_agencies"] or []
        ]
        check.check_fields(milestone, "Milestones", row)
        parsed.milestones.append(milestone)


def _priority_by_title(row: dict, priorities: dict) -> None:
    """A milestone may name its priority by title, as the Actions sheet may."""
    if row["priority_ref"] not in priorities:
        titles = {normal(p.title): ref for ref, p in priorities.items() if p.title}
        row["priority_ref"] = titles.get(normal(row["priority_ref"]), row["priority_ref"])


def _no_action(check: Checker, row: dict, priorities: dict, actions: dict) -> None:
    """A milestone whose action is not found: say why, once per cause."""
    if check.broken & {"Priorities", "Actions"}:
        return  # reported once, for the sheet
    if row["priority_ref"] not in priorities:
        check.with_priority([row], "Milestones", priorities)
        return
    known = [ref for (p, ref) in actions if p == row["priority_ref"]]
    check.error(
        "Milestones",
        row["_row"],
        "Action ref",
        "no_action",
        priority=row["priority_ref"],
        ref=row["action_ref"],
        hint=refs_hint(known, "its actions"),
    )
