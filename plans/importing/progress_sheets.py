"""The optional progress sheets of the plan workbook, for a plan that arrives half way through
its year: "Action progress" (each action's status, commentary and next steps by quarter) and
"Indicator values" (each indicator's figure by quarter).

Both go into closed quarters of the plan, created as needed, through the indicator history
loader's own pieces (``indicators.history``: quarters read the same way, figures checked and
saved by it, marked with their source and when they were imported). Imported updates are
submitted (they count, as a correction of a closed quarter does, whatever the sign-off rule)
and are marked ``imported_at``; a Complete one completes its action as the update service
does (``priorities.cycle.completion_record``).
"""

from __future__ import annotations

import difflib

from django.core.exceptions import ValidationError
from django.utils import timezone

from indicators.history import clean_figure, history_value_load, parse_quarter
from indicators.models import IndicatorValue
from plans.importing.cells import normal
from plans.importing.checks import Checker, Parsed, refs_hint
from plans.importing.indicator_sheet import find_ref
from plans.importing.problems import Problem
from plans.models import Plan, ReportingPeriod, quarter_label
from plans.services import period_ensure_closed
from plans.workbook.columns import shown_ref
from priorities import cycle
from priorities.models import Action, ActionUpdate, ActionUpdateVersion, UpdateState

ACTIONS, VALUES = "Action progress", "Indicator values"
SOURCE = "the plan workbook"  # read as "Imported from the plan workbook on …"
Status = ActionUpdate.Status

# The app's statuses by value and label, and the words plan documents use for them.
STATUS_WORDS = {
    **{normal(value): value for value in Status.values},
    **{normal(label): value for value, label in Status.choices},
    "ontrack": Status.ON_TRACK, "green": Status.ON_TRACK, "g": Status.ON_TRACK,
    "atrisk": Status.AT_RISK, "amber": Status.AT_RISK, "a": Status.AT_RISK,
    "offtrack": Status.OFF_TRACK, "red": Status.OFF_TRACK, "r": Status.OFF_TRACK,
    "completed": Status.COMPLETE, "done": Status.COMPLETE, "achieved": Status.COMPLETE,
    "notyetstarted": Status.NOT_STARTED,
}  # fmt: skip
# Words offered by "did you mean" (as people write them), each standing for a status.
STATUS_SUGGESTIONS = {
    **{label: value for value, label in Status.choices},
    "On track": Status.ON_TRACK, "Green": Status.ON_TRACK, "Amber": Status.AT_RISK,
    "Red": Status.OFF_TRACK, "At risk": Status.AT_RISK, "Off track": Status.OFF_TRACK,
    "Completed": Status.COMPLETE,
}  # fmt: skip


def validate_progress(check: Checker, parsed: Parsed, rows: dict, actions: dict) -> None:
    """Both sheets' rows checked; what is valid kept on ``parsed`` for the preview and save."""
    today = timezone.localdate()
    _validate_updates(check, parsed, rows[ACTIONS], actions, today)
    _validate_values(check, parsed, rows[VALUES], today)


def _validate_updates(check: Checker, parsed: Parsed, rows, actions: dict, today) -> None:
    if rows and "Actions" in check.broken:
        return  # the Actions sheet is reported once: its refs cannot be looked up
    seen: dict[tuple, int] = {}
    for row in rows:
        action = _action(check, row, actions)
        quarter = _quarter(check, ACTIONS, row, parsed.plan, today)
        status = _status(check, row)
        if None in (action, quarter, status):
            continue
        if not _first(check, ACTIONS, row, seen, (id(action), *quarter), "action"):
            continue
        update = ActionUpdate(
            status=status, commentary=row["commentary"] or "", next_steps=row["next_steps"] or "",
            state=UpdateState.SUBMITTED, saved_at=timezone.now(),
        )  # fmt: skip
        check.check_fields(update, ACTIONS, row)
        parsed.past_updates.append(
            {"row": row["_row"], "action": action, "year": quarter[0], "quarter": quarter[1],
             "status": status, "commentary": update.commentary, "next_steps": update.next_steps}
        )  # fmt: skip


def _validate_values(check: Checker, parsed: Parsed, rows, today) -> None:
    if rows and "Indicators" in check.broken:
        return
    indicators = {i.ref.casefold(): i for i in parsed.indicators if i.ref}
    seen: dict[tuple, int] = {}
    for row in rows:
        ref = row["indicator_ref"]
        indicator = indicators.get((ref or "").casefold())
        if ref and indicator is None:
            hint = refs_hint([i.ref for i in parsed.indicators], "the indicators")
            _error(check, VALUES, row, "Indicator ref",
                   f"there is no indicator '{ref}' on the Indicators sheet. {hint}")  # fmt: skip
        quarter = _quarter(check, VALUES, row, parsed.plan, today)
        figure = _figure(check, row, indicator)
        if None in (indicator, quarter, figure):
            continue
        if not _first(check, VALUES, row, seen, (id(indicator), *quarter), "indicator"):
            continue
        value = IndicatorValue(value=figure, note=row["note"] or "", entered_at=timezone.now())
        check.check_fields(value, VALUES, row)
        parsed.past_values.append(
            {"row": row["_row"], "indicator": indicator, "year": quarter[0],
             "quarter": quarter[1], "value": figure, "note": value.note}
        )  # fmt: skip


def _action(check: Checker, row: dict, actions: dict) -> Action | None:
    ref = row["action_ref"]
    if not ref:
        return None  # reported as empty
    action = find_ref(ref, actions, "")
    under = [priority for priority, own in actions if own == ref]
    if action is None and len(under) > 1:
        _error(check, ACTIONS, row, "Action ref",
               f"'{ref}' is an action under priorities {', '.join(under)}: write it as "
               f"'priority ref/action ref', e.g. '{under[0]}/{ref}'")  # fmt: skip
    elif action is None:
        hint = refs_hint([shown_ref(key, actions) for key in actions], "the actions")
        _error(check, ACTIONS, row, "Action ref",
               f"there is no action '{ref}' on the Actions sheet. {hint}")  # fmt: skip
    return action


def _quarter(check: Checker, sheet: str, row: dict, plan: Plan, today) -> tuple | None:
    """(year, quarter), a quarter of the plan's years that has ended."""
    text = row["quarter"]
    if not text:
        return None
    found = parse_quarter(text)
    if found is None:
        _error(check, sheet, row, "Quarter",
               f"'{text}' is not a quarter: write it like 2019/20 Q1")  # fmt: skip
        return None
    label = quarter_label(*found)
    first, last = plan.start_year, plan.end_year
    if first and last and not first <= found[0] <= last:
        _error(check, sheet, row, "Quarter",
               f"{label} is outside the plan's years ({plan.period}): give quarters from "
               f"{quarter_label(first, 1)} to {quarter_label(last, 4)}")  # fmt: skip
        return None
    if ReportingPeriod(year=found[0], quarter=found[1]).ends_on >= today:
        _error(check, sheet, row, "Quarter",
               f"{label} has not ended yet: only past quarters are imported; report on it "
               "in CSP Tracker once it is opened")  # fmt: skip
        return None
    return found


def _status(check: Checker, row: dict) -> str | None:
    text = row["status"]
    if not text:
        return None
    status = STATUS_WORDS.get(normal(text))
    if status is None:
        labels = ", ".join(Status.labels)
        words = [word.casefold() for word in STATUS_SUGGESTIONS]
        near = difflib.get_close_matches(text.casefold(), words, 1, 0.6)
        guess = next((w for w in STATUS_SUGGESTIONS if near and w.casefold() == near[0]), "")
        hint = f" — did you mean '{guess}'?" if guess else ":"
        _error(check, ACTIONS, row, "Status",
               f"'{text}' is not a status{hint} Write one of {labels}.")  # fmt: skip
    return status


def _figure(check: Checker, row: dict, indicator):
    if row["value"] is None or indicator is None:
        return None  # reported already: empty, or no such indicator
    try:
        return clean_figure(indicator, row["value"])
    except ValidationError as error:
        for message in error.messages:
            _error(check, VALUES, row, "Value", f"'{row['value']}': {message}")
        return None


def _first(check: Checker, sheet: str, row: dict, seen: dict, key: tuple, what: str) -> bool:
    """Whether this is the item's only row for the quarter so far (a second is an error)."""
    if key in seen:
        label = quarter_label(*key[1:])
        _error(check, sheet, row, None,
               f"this {what} has a row for {label} already (row {seen[key]}): keep one row "
               f"per {what} and quarter")  # fmt: skip
        return False
    seen[key] = row["_row"]
    return True


def _error(check: Checker, sheet: str, row: dict, column: str | None, message: str) -> None:
    check.problems.append(Problem(sheet, row["_row"], column, message))


# -- the preview and the save


def progress_counts(parsed: Parsed) -> dict[str, int]:
    """What the progress sheets will create, for the preview (nothing if they are empty)."""
    if not (parsed.past_updates or parsed.past_values):
        return {}
    rows = parsed.past_updates + parsed.past_values
    return {
        "updates": len(parsed.past_updates),
        "values": len(parsed.past_values),
        "quarters": len({(row["year"], row["quarter"]) for row in rows}),
    }


def progress_save(parsed: Parsed, *, plan: Plan, user) -> None:
    """After the plan is saved: its closed quarters, the updates (one insert, with their first
    version each) and the figures (through the history loader)."""
    if not (parsed.past_updates or parsed.past_values):
        return
    now = timezone.now()
    rows = parsed.past_updates + parsed.past_values
    periods = {
        key: period_ensure_closed(plan=plan, year=key[0], quarter=key[1])
        for key in sorted({(row["year"], row["quarter"]) for row in rows})
    }
    updates = [
        ActionUpdate(
            action=row["action"], period=periods[(row["year"], row["quarter"])],
            status=row["status"], commentary=row["commentary"], next_steps=row["next_steps"],
            state=UpdateState.SUBMITTED, version=1, saved_by=user, saved_at=now,
            submitted_by=user, submitted_at=now, imported_at=now,
        )
        for row in parsed.past_updates
    ]  # fmt: skip
    ActionUpdate.objects.bulk_create(updates, batch_size=500)
    ActionUpdateVersion.objects.bulk_create(
        [
            ActionUpdateVersion(
                update=u, number=1, status=u.status, commentary=u.commentary,
                next_steps=u.next_steps, state=u.state, saved_by=user, saved_at=now,
            )
            for u in updates
        ],
        batch_size=500,
    )  # fmt: skip
    for update in updates:
        if update.status == Status.COMPLETE:
            cycle.completion_record(update)  # the earliest Complete quarter wins
    for row in parsed.past_values:
        history_value_load(
            user=user, plan=plan, indicator=row["indicator"], year=row["year"],
            quarter=row["quarter"], figure=row["value"], source=SOURCE, now=now,
            where=f"{VALUES} row {row['row']}: {row['indicator'].ref}", note=row["note"],
        )  # fmt: skip
