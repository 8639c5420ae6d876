"""Refs a plan does not give: rows without one are numbered in the order of the sheet (under
their parent, where refs are unique within it), marked ``_numbered`` so that the model says
"numbered by CSP Tracker", and reported once per sheet as a warning, not once per row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from plans.importing.checks import Checker

WHAT = {  # (one, many)
    "Priorities": ("priority", "priorities"),
    "Objectives": ("objective", "objectives"),
    "Actions": ("action", "actions"),
    "Indicators": ("indicator", "indicators"),
}


def number_rows(
    check: Checker,
    rows: list[dict],
    sheet: str,
    *,
    parent: str | None = None,
    ref_of: Callable[[str, int], str] = lambda parent, n: str(n),
) -> list[dict]:
    """``rows`` with every empty ref filled in: the row's place among its parent's rows
    ("1", "2"…, or what ``ref_of(parent ref, place)`` makes of it), moved on past any ref
    the sheet already uses."""
    used = {(row[parent] if parent else "", row["ref"]) for row in rows if row["ref"]}
    places: dict[str, int] = defaultdict(int)
    numbered = []
    for row in rows:
        key = row[parent] if parent else ""
        places[key] += 1
        if row["ref"] or row["ref"] is None:  # None: a cell already reported
            continue
        place = places[key]
        while (key, ref_of(key, place)) in used:
            place += 1
        row["ref"] = ref_of(key, place)
        row["_numbered"] = True
        used.add((key, row["ref"]))
        numbered.append(row)
    if numbered:
        refs = ", ".join(row["ref"] for row in numbered[:5]) + (", …" if len(numbered) > 5 else "")
        one, many = WHAT[sheet]
        said = (
            {"what": f"1 {one} has", "them": "it"}
            if len(numbered) == 1
            else {"what": f"{len(numbered)} {many} have", "them": "them"}
        )
        for row in numbered:
            check.warn(sheet, row["_row"], "Ref", "numbered", refs=refs, **said)
    return rows
