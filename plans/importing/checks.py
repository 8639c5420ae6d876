"""Stage 3's shared part: ``Checker`` holds what every sheet's validator needs (the problems
and warnings noted so far, the known agencies, the sheets that could not be read) and the
checks they share: rows read by header, cells cleaned, agencies looked up, parents and refs
linked, and the model's own field checks. ``Parsed`` is what the validators build: the plan
as unsaved model instances. One module per sheet (``plan_sheet``, ``priority_sheets``,
``action_sheets``, ``indicator_sheet``, ``risk_sheet``) uses them."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from openpyxl.utils import get_column_letter

from indicators.models import Indicator
from plans.importing.cells import Bad, is_example, normal, read_cell
from plans.importing.names import same_agency_names
from plans.importing.problems import MESSAGES, Problem
from plans.importing.reader import Sheet
from plans.models import Agency, Plan, Risk
from plans.workbook.columns import OPTIONAL_SHEETS, SHEETS, Column
from priorities.models import Action, KeyTheme, Milestone, Objective, Priority


@dataclass
class Parsed:
    """A valid workbook as unsaved model instances, with what the preview needs."""

    plan: Plan
    parent_title: str = ""
    priorities: list[Priority] = field(default_factory=list)
    key_themes: dict[str, list[KeyTheme]] = field(default_factory=dict)  # by priority ref
    objectives: list[Objective] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    supporting: dict[int, list[Agency | str]] = field(default_factory=dict)  # by id(action)
    milestones: list[Milestone] = field(default_factory=list)
    # by id(milestone): its supporting agencies (known, or names to be created)
    milestone_supporting: dict[int, list[Agency | str]] = field(default_factory=dict)
    # by id(indicator): the groups it is reported to (known, or names to be created)
    reported_to: dict[int, list[Agency | str]] = field(default_factory=dict)
    # by id(indicator): the actions and the objectives it measures
    measures: dict[int, tuple[list[Action], list[Objective]]] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    funding: list = field(default_factory=list)  # FundingLine, under their actions
    previous_results: list = field(default_factory=list)  # PreviousResult
    # Agencies not known, in the workbook's first spelling → a problem for each use.
    unknown_agencies: dict[str, list[Problem]] = field(default_factory=dict)
    # (instance, attribute, name): agencies to set once they are created.
    pending_agencies: list[tuple[models.Model, str, str]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # Progress already made (``progress_sheets``): [{"action"/"indicator", "year", ...}].
    past_updates: list[dict] = field(default_factory=list)
    past_values: list[dict] = field(default_factory=list)


class Checker:
    """Notes every problem of every sheet, so that all are reported at once."""

    def __init__(self, sheets: dict[str, Sheet], notes: list, errors: list, partnership) -> None:
        self.sheets = sheets
        self.partnership = partnership
        self.problems: list[Problem] = list(errors)
        self.warnings: list[Problem] = list(notes)
        self.agencies = _agency_index()
        self.own_agencies = (
            set(partnership.agencies.values_list("pk", flat=True)) if partnership else set()
        )
        self.officers: dict[str, object] | None = None  # the partnership's users, by name
        self.unknown: dict[str, list[Problem]] = {}  # first spelling → each use
        self.spellings: dict[str, str] = {}  # casefold → first spelling
        self.bad_rows: set[tuple[str, int]] = set()  # rows with a cell already reported
        self.broken: set[str] = set()  # sheets missing or with bad headers: rows unread

    def error(self, sheet: str, row: int | None, column: str | None, key: str, /, **values):
        self.problems.append(Problem(sheet, row, column, MESSAGES[key].format(**values)))

    def warn(self, sheet: str, row: int | None, column: str | None, key: str, /, **values):
        self.warnings.append(Problem(sheet, row, column, MESSAGES[key].format(**values)))

    # -- reading rows and cells

    def rows(self, name: str) -> list[dict[str, Any]]:
        """The sheet's data rows as {field: clean value, "_row": number}; problems noted."""
        sheet = self.sheets.get(name)
        if sheet is None and name in OPTIONAL_SHEETS:
            return []  # no funding, previous results or progress: all optional
        if sheet is None:
            self.error(name, None, None, "no_sheet", name=name)
            self.broken.add(name)
            return []
        positions = self.headers(sheet, SHEETS[name])
        if positions is None:
            self.broken.add(name)
            return []
        result = []
        for number, values in sorted(sheet.rows.items()):
            if any(is_example(value) for value in values):
                self.warn(name, number, None, "example")
                continue
            row: dict[str, Any] = {"_row": number}
            for column in SHEETS[name]:
                index = positions.get(column.field)
                row[column.field] = (
                    None
                    if index is None
                    else self.cell(sheet, number, index, column, values[index])
                )
            if row.pop("ref_generated", None):  # numbered by CSP Tracker before an export
                row["_numbered"] = True
            result.append(row)
        return result

    def headers(self, sheet: Sheet, columns: list[Column]) -> dict[str, int] | None:
        """Where each column is (any order; headings compared without case or spaces)."""
        if not sheet.headers:
            self.error(sheet.name, 1, None, "no_headers")
            return None
        found: dict[str, list[int]] = defaultdict(list)
        for index, text in sheet.headers.items():
            found[normal(text)].append(index)
        expected = {normal(column.header) for column in columns}
        extra = [sheet.headers[i] for key, at in found.items() if key not in expected for i in at]
        positions: dict[str, int] = {}
        for column in columns:
            at = found.get(normal(column.header), [])
            if len(at) > 1:
                letters = " and ".join(get_column_letter(i + 1) for i in at)
                self.error(
                    sheet.name, sheet.header_row, column.header, "twice_headed", letters=letters
                )
            elif not at and column.optional:
                continue  # a column added since the workbook was made: left empty
            elif not at:
                guess = difflib.get_close_matches(column.header, extra, n=1, cutoff=0.6)
                hint = MESSAGES["renamed"].format(guess=guess[0]) if guess else ""
                self.error(
                    sheet.name, sheet.header_row, None, "no_column", header=column.header, hint=hint
                )
            else:
                positions[column.field] = at[0]
        for text in extra:
            self.warn(sheet.name, sheet.header_row, text, "extra_column")
        needed = [column for column in columns if not column.optional]
        return positions if all(column.field in positions for column in needed) else None

    def cell(self, sheet: Sheet, number: int, index: int, column: Column, value: Any) -> Any:
        """The cell's value as its column needs it, or None with the problem noted."""
        try:
            return read_cell(sheet.formulas.get((number, index)), column, value)
        except Bad as bad:
            key, values = bad.args
            self.error(sheet.name, number, column.header, key, **values)
            self.bad_rows.add((sheet.name, number))
            return None

    # -- agencies, parents and refs

    def agency(self, row: dict, sheet: str, field_name: str, name: str) -> Agency | str | None:
        """The agency named, or the name itself if it is not known (noted for the preview:
        a warning on its first use, an error on each use if the import goes ahead unticked)."""
        if not name:
            return None
        found = self.agencies.get(name.casefold())
        if found is not None:
            return found
        spelling = self.spellings.setdefault(name.casefold(), name)
        guess = self.agency_guess(name)
        message = (
            MESSAGES["agency_guess"].format(name=name, guess=guess.name)
            if guess
            else MESSAGES["agency"].format(name=name)
        )
        problem = Problem(sheet, row["_row"], column_of(sheet, field_name).header, message)
        uses = self.unknown.setdefault(spelling, [])
        if not uses:
            self.warnings.append(problem)
        uses.append(problem)
        return spelling

    def agency_guess(self, name: str) -> Agency | None:
        """The known agency ``name`` most likely means: another name of the same agency
        ("Cambs Police" for Cambridgeshire Constabulary, "GMP"), else the nearest spelling
        among the partnership's own agencies, else among all."""
        for other in same_agency_names(name):
            if other.casefold() in self.agencies:
                return self.agencies[other.casefold()]
        wanted = " ".join(name.split()).casefold()
        own = {
            key: agency for key, agency in self.agencies.items() if agency.pk in self.own_agencies
        }
        for index, cutoff in ((own, 0.6), (self.agencies, 0.8)):
            guess = difflib.get_close_matches(wanted, list(index), n=1, cutoff=cutoff)
            if guess:
                return index[guess[0]]
        return None

    def set_agency(self, parsed: Parsed, obj, attribute: str, row: dict, sheet: str) -> None:
        found = self.agency(row, sheet, attribute, row[attribute] or "")
        if isinstance(found, Agency):
            setattr(obj, attribute, found)
        elif found:
            parsed.pending_agencies.append((obj, attribute, found))

    def with_priority(self, rows: list[dict], sheet: str, priorities: dict) -> list[dict]:
        """Rows whose priority exists, by ref or by title (``priority_ref`` set to its ref);
        a broken Priorities sheet is reported once, not for every row that names a
        priority."""
        if "Priorities" in self.broken:
            return []
        titles = {normal(p.title): ref for ref, p in priorities.items() if p.title}
        kept = []
        for row in rows:
            ref = row["priority_ref"]
            if ref is not None and ref not in priorities and normal(ref) in titles:
                row["priority_ref"] = ref = titles[normal(ref)]
            if ref is not None and ref not in priorities:
                self.no_priority(sheet, row, priorities)
            elif ref is not None:  # None: already reported as empty
                kept.append(row)
        return kept

    def no_priority(self, sheet: str, row: dict, priorities: dict) -> None:
        """There is no such priority: the real cause, where some priorities had no ref."""
        numbered = [p.ref for p in priorities.values() if p.ref_generated]
        if not numbered:
            hint = refs_hint(list(priorities), "the priorities")
            self.error(sheet, row["_row"], "Priority ref", "no_priority", ref=row["priority_ref"],
                       hint=hint)  # fmt: skip
            return
        many = len(numbered) > 1
        self.error(
            sheet, row["_row"], "Priority ref", "unnumbered_priorities",
            ref=row["priority_ref"],
            unnumbered=f"{len(numbered)} priorities have" if many else "1 priority has",
            them="it" if len(numbered) == 1 else "them",
            numbers=", ".join(numbered[:10]) + (", …" if len(numbered) > 10 else ""),
        )  # fmt: skip

    def unique(self, rows: list[dict], sheet: str, *, in_priority: bool) -> list[dict]:
        """Rows whose ref is filled in and not used before within the same parent."""
        seen: dict[tuple[str, str], int] = {}
        kept = []
        for row in rows:
            if row["ref"] is None:
                continue  # already reported as empty
            key = (row["priority_ref"] if in_priority else "", row["ref"])
            if key in seen:
                where = f"priority '{key[0]}'" if in_priority else "the plan"
                self.error(
                    sheet,
                    row["_row"],
                    "Ref",
                    "duplicate",
                    ref=row["ref"],
                    where=where,
                    first=seen[key],
                    row=row["_row"],
                )
                continue
            seen[key] = row["_row"]
            kept.append(row)
        return kept

    def check_fields(self, obj: models.Model, sheet: str, row: dict) -> None:
        """The model's own field checks, as a safety net behind the column checks."""
        if (sheet, row["_row"]) in self.bad_rows:
            return  # the row's cells were already reported
        exclude = [f.name for f in obj._meta.fields if f.is_relation] + ["sort_key"]
        try:
            obj.clean_fields(exclude=exclude)
        except ValidationError as error:
            headers = {c.field: c.header for c in SHEETS[sheet]}
            for name, messages in error.message_dict.items():
                for message in messages:
                    column = headers.get(name, name)
                    self.problems.append(Problem(sheet, row["_row"], column, message))


def texts(row: dict, *names: str) -> dict[str, str]:
    """Optional text cells, "" when empty."""
    return {name: row[name] or "" for name in names}


def column_of(sheet: str, name: str) -> Column:
    return next(column for column in SHEETS[sheet] if column.field == name)


def refs_hint(refs: list[str], what: str) -> str:
    if not refs:
        return MESSAGES["no_refs"]
    shown = ", ".join(refs[:10]) + (", …" if len(refs) > 10 else "")
    return MESSAGES["refs"].format(what=what, refs=shown)


def _agency_index() -> dict[str, Agency]:
    index: dict[str, Agency] = {}
    for agency in Agency.objects.all():
        index.setdefault(agency.name.casefold(), agency)
        if agency.short_name:
            index.setdefault(agency.short_name.casefold(), agency)
    return index
