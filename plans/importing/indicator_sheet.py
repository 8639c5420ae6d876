"""The Indicators sheet: each indicator of the plan, under a priority if it names one, with
the agency that reports it, the group it is reported to, how often (a choice, or the plan's
own words kept as written) and the actions and objectives it measures."""

from __future__ import annotations

import re

from indicators.models import Indicator
from plans.importing.checks import Checker, Parsed, refs_hint, texts
from plans.importing.leads import set_indicator_agency
from plans.importing.numbering import number_rows
from plans.workbook.columns import shown_ref
from priorities.models import Action, Objective, Priority


def validate_indicators(
    check: Checker,
    parsed: Parsed,
    rows: list[dict],
    priorities: dict[str, Priority],
    actions: dict[tuple[str, str], Action] | None = None,
    objectives: dict[tuple[str, str], Objective] | None = None,
) -> None:
    """The indicators, in the order of the sheet (refs unique in the plan)."""
    linked = [row for row in rows if not row["priority_ref"]]
    linked += check.with_priority(
        [row for row in rows if row["priority_ref"]], "Indicators", priorities
    )
    linked = number_rows(check, sorted(linked, key=lambda r: r["_row"]), "Indicators")
    for row in check.unique(linked, "Indicators", in_priority=False):
        indicator = _indicator(check, parsed, row, priorities)
        parsed.measures[id(indicator)] = (
            _measured(check, row, "measures_actions", actions or {}, "action"),
            _measured(check, row, "measures_objectives", objectives or {}, "objective"),
        )
        parsed.indicators.append(indicator)


def _indicator(check: Checker, parsed: Parsed, row: dict, priorities: dict) -> Indicator:
    due_text, due = row["due_as_written"] or ("", None)
    frequency, frequency_words = row["frequency"] or ("", "")
    if frequency_words and not frequency:
        frequency = Indicator.Frequency.ANNUALLY  # "3 year rolling programme": once a year
        check.warn("Indicators", row["_row"], "Frequency", "frequency_kept",
                   value=frequency_words, label="once a year (Annually)")  # fmt: skip
    indicator = Indicator(
        plan=parsed.plan,
        priority=priorities.get(row["priority_ref"] or ""),
        ref=row["ref"],
        ref_generated=row.get("_numbered", False),
        title=row["title"],
        due_as_written=due_text,
        due_date=row["due_date"] or due,
        frequency=frequency or Indicator.Frequency.QUARTERLY,
        frequency_as_written=row["frequency_as_written"] or frequency_words,
        unit=row["unit"] or Indicator.Unit.COUNT,
        direction=row["direction"] or "",
        **texts(row, "theme", "target", "baseline", "responsible", "agency_as_written"),
        measure_code=(row.get("measure_code") or "").strip(),
    )
    set_indicator_agency(check, parsed, indicator, row)
    parsed.reported_to[id(indicator)] = [
        check.agency(row, "Indicators", "reported_to", name) for name in row["reported_to"] or []
    ]
    check.check_fields(indicator, "Indicators", row)
    return indicator


def _measured(check: Checker, row: dict, field: str, known: dict, what: str) -> list:
    """The actions (or objectives) a row names: "1.1; 2.3", or "2/1" for ref 1 under
    priority 2. A bare ref is looked for under the indicator's own priority, then anywhere in
    the plan where it is used once, then as shown standing alone ("2.3" for action 3 of
    priority 2)."""
    found = []
    for ref in filter(None, (r.strip() for r in re.split(r"[;\n]", row[field] or ""))):
        item = find_ref(ref, known, row["priority_ref"] or "")
        if item is None:
            hint = refs_hint([shown_ref(k, known) for k in known], f"the {what}s")
            check.error("Indicators", row["_row"], _header(field), "no_measure", what=what,
                        ref=ref, hint=hint)  # fmt: skip
        elif item not in found:
            found.append(item)
    return found


def find_ref(ref: str, known: dict, priority_ref: str):
    if "/" in ref:
        return known.get(tuple(part.strip() for part in ref.split("/", 1)))
    if (priority_ref, ref) in known:
        return known[(priority_ref, ref)]
    same = [item for (_, r), item in known.items() if r == ref]
    if len(same) == 1:
        return same[0]
    shown = [item for key, item in known.items() if f"{key[0]}.{key[1]}" == ref]
    return shown[0] if len(shown) == 1 else None


def _header(field: str) -> str:
    return "Measures (action refs)" if field == "measures_actions" else "Measures (objective refs)"
