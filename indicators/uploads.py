"""This quarter's figures from a sheet: the sheet to download, the check of an uploaded one
(every problem named by row and column, with the value page's own messages), the rows kept
between preview and confirmation, and the all-or-nothing save.

An uploaded row is checked exactly as the bulk values page checks a typed one: the same
``ValueField`` (decimal commas refused), the same "not available" rules and
``indicators.services.validate_entry``; the save goes through ``indicator_values_save_all``, so a
closed quarter, a value someone saved meanwhile (``ConcurrentEdit``) or any refused row leaves
everything as it was.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from indicators.comparisons import Comparison
from indicators.forms import MISSING_MESSAGE, NOT_EMPTY_MESSAGE, ValueField
from indicators.models import Indicator, IndicatorValue, ValueUpload
from indicators.services import ValueEntry, indicator_values_save_all, validate_entry
from indicators.sheets import Cell, Grid, Problem, workbook_bytes
from plans.limits import NOTE, REASON
from plans.models import Plan, ReportingPeriod

KEEP = timedelta(days=1)
NOT_AVAILABLE_WORDS = {"not available", "n/a", "na"}
COLUMNS = [
    "Ref",
    "Indicator",
    "Unit",
    "Target",
    "Last value",
    "Value",
    "Not available reason",
    "Note",
]
FIELD_COLUMNS = {"value": "Value", "not_available_reason": "Not available reason", "note": "Note"}


def quarter_sheet(
    *, period: ReportingPeriod, indicators: list[Indicator], found: dict[int, Comparison]
) -> bytes:
    """The sheet to fill in: one row per indicator due, with this quarter's saved figure (if
    any) in the Value column, so that uploading it unchanged changes nothing."""
    rows = []
    for indicator in indicators:
        current = next(iter(getattr(indicator, "period_values", [])), None)
        last = found[indicator.pk].last_quarter
        rows.append(
            [
                indicator.ref,
                indicator.title,
                indicator.get_unit_display(),
                indicator.target,
                last.display if last else "",
                current.value if current and current.value is not None else "",
                current.not_available_reason if current else "",
                current.note if current else "",
            ]
        )
    return workbook_bytes(
        title=f"Values {period.label.replace('/', '-')}",
        headers=COLUMNS,
        rows=rows,
        widths=[10, 60, 12, 40, 12, 12, 30, 40],
    )


def check_quarter_grid(
    grid: Grid, *, period: ReportingPeriod, indicators: list[Indicator], plan_refs: set[str]
) -> tuple[list[dict], list[Problem]]:
    """The rows that will change the quarter's values (as JSON-ready dicts) and every problem.
    ``indicators`` are the user's, due this quarter, each with ``period_values``."""
    ref_at, value_at = grid.column("ref"), grid.column("value")
    missing = [name for name, at in (("Ref", ref_at), ("Value", value_at)) if at is None]
    if missing:
        return [], [Problem(1, name, "this column is missing: use the downloaded sheet’s headings")
                    for name in missing]  # fmt: skip
    reason_at = grid.column("not available reason", "reason")
    note_at = grid.column("note")
    mine = {indicator.ref.lower(): indicator for indicator in indicators}
    known = {ref.lower() for ref in plan_refs}
    planned, problems, seen = [], [], {}
    for number, cells in grid.rows:
        ref = str(cells[ref_at]).strip()
        text = {
            "value": cells[value_at],
            "reason": _text(cells, reason_at),
            "note": _text(cells, note_at),
        }
        if ref == "" and all(v == "" for v in text.values()):
            continue
        if ref and all(v == "" for v in text.values()):
            continue  # a row left as it was downloaded, empty
        indicator, problem = _indicator(ref, mine, known, period)
        if problem is None and ref.lower() in seen:
            problem = f"{ref} is also on row {seen[ref.lower()]}: keep one row per indicator"
        if problem is not None:
            problems.append(Problem(number, "Ref", problem))
            continue
        seen[ref.lower()] = number
        row, row_problems = check_row(indicator, **text)
        problems += [Problem(number, column, message) for column, message in row_problems]
        if row is not None and not row_problems and _changes(indicator, row):
            planned.append(row | {"row": number})
    return planned, problems


def _text(cells: list[Cell], at: int | None) -> str:
    return "" if at is None else str(cells[at]).strip()


def _indicator(ref: str, mine: dict, known: set, period: ReportingPeriod):
    if not ref:
        return None, "the ref is empty: copy it from the downloaded sheet"
    indicator = mine.get(ref.lower())
    if indicator is None:
        if ref.lower() in known:
            return None, f"{ref} is not one of your indicators due in {period.label}"
        return None, f"there is no indicator {ref} in this plan"
    if indicator.expression:
        return None, f"{ref} is calculated from other indicators: leave it out"
    return indicator, None


def check_row(
    indicator: Indicator, *, value: Cell, reason: str, note: str
) -> tuple[dict | None, list[tuple[str, str]]]:
    """One row's figure under the value page's rules: (the row to save, problems)."""
    figure, marked_na = None, False
    if isinstance(value, str) and value.strip().lower() in NOT_AVAILABLE_WORDS:
        marked_na = True
    elif value != "":
        try:
            figure = ValueField(required=False).clean(str(value))
        except ValidationError as error:
            return None, [("Value", message) for message in error.messages]
    not_available = marked_na or (figure is None and reason != "")
    if figure is not None and reason:
        return None, [("Value", NOT_EMPTY_MESSAGE)]
    if not not_available and figure is None:
        return None, [("Value", MISSING_MESSAGE)]
    problems = []
    if len(reason) > REASON:
        problems.append(("Not available reason", f"Enter no more than {REASON} characters"))
    if len(note) > NOTE:
        problems.append(("Note", f"Enter no more than {NOTE} characters"))
    entry = ValueEntry(indicator, figure, not_available, reason, note)
    try:
        validate_entry(entry)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems += [(FIELD_COLUMNS.get(name, "Value"), m) for m in messages]
    current = next(iter(getattr(indicator, "period_values", [])), None)
    return {
        "indicator": indicator.pk,
        "ref": indicator.ref,
        "title": indicator.title,
        "value": None if figure is None else str(figure),
        "not_available": not_available,
        "reason": reason if not_available else "",
        "note": note,
        "version": current.version if current else None,
        "before": current.display if current else "",
    }, problems


def _changes(indicator: Indicator, row: dict) -> bool:
    current = next(iter(getattr(indicator, "period_values", [])), None)
    if current is None:
        return True
    figure = None if row["value"] is None else Decimal(row["value"])
    return (current.value, current.not_available, current.not_available_reason, current.note) != (
        figure,
        row["not_available"],
        row["reason"],
        row["note"],
    )


def upload_keep(*, user, plan: Plan, period: ReportingPeriod | None, kind: str, file_name: str,
                rows: list[dict], source: str = "") -> ValueUpload:  # fmt: skip
    """Keep the checked rows until the user confirms (and forget old unconfirmed ones)."""
    purge_value_uploads()
    upload = ValueUpload(user=user, plan=plan, period=period, kind=kind,
                         file_name=file_name[:255], rows=rows, source=source[:200])  # fmt: skip
    upload.full_clean()
    upload.save()
    return upload


def purge_value_uploads() -> int:
    """Forget uploads never confirmed within ``KEEP``; return how many."""
    deleted, _ = ValueUpload.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return deleted


def entries_of(upload: ValueUpload, indicators: dict[int, Indicator]) -> list[ValueEntry]:
    """The kept rows as entries; a row whose indicator the user no longer reports on is
    refused (``ValidationError``) rather than skipped."""
    entries = []
    for row in upload.rows:
        indicator = indicators.get(row["indicator"])
        if indicator is None:
            raise ValidationError(f"Row {row['row']}: you no longer report on {row['ref']}")
        entries.append(
            ValueEntry(
                indicator=indicator,
                value=None if row["value"] is None else Decimal(row["value"]),
                not_available=row["not_available"],
                not_available_reason=row["reason"],
                note=row["note"],
                expected_version=row["version"],
            )
        )
    return entries


@transaction.atomic
def quarter_upload_confirm(
    *, user, upload: ValueUpload, indicators: dict[int, Indicator]
) -> list[IndicatorValue]:
    """Save every kept row or none (see ``indicator_values_save_all``), then forget the upload."""
    saved = indicator_values_save_all(
        user=user, period=upload.period, entries=entries_of(upload, indicators)
    )
    upload.delete()
    return saved
