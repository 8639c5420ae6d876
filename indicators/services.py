"""Writing quarterly indicator values, one at a time or all of an agency's at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue, Rag
from plans.models import ReportingPeriod
from plans.signoff import services as signoff
from priorities.services import ConcurrentEdit, check_period_writable


@dataclass(frozen=True)
class ValueEntry:
    indicator: Indicator
    value: Decimal | None
    not_available: bool
    not_available_reason: str = ""
    note: str = ""
    expected_version: int | None = None
    # The lead's own RAG ("" to clear it) and why; None leaves the saved one as it is (the
    # bulk page does not offer it).
    rag_override: str | None = None
    rag_override_reason: str | None = None


def validate_entry(entry: ValueEntry) -> None:
    """The rules every value obeys, with messages for the person typing it."""
    errors: dict[str, str | list[str]] = dict(rag_override_errors(entry))
    try:
        validate_figure(entry)
    except ValidationError as error:
        errors |= error.message_dict
    if errors:
        raise ValidationError(errors)


def rag_override_errors(entry: ValueEntry) -> dict[str, str]:
    """A lead's RAG needs a reason."""
    if not entry.rag_override:
        return {}
    if entry.rag_override not in Rag.values:
        return {"rag_override": "Choose Red, Amber, Green or no override"}
    if not (entry.rag_override_reason or "").strip():
        return {"rag_override_reason": "Enter why you are setting the RAG yourself"}
    return {}


def validate_figure(entry: ValueEntry) -> None:
    indicator = entry.indicator
    if entry.not_available:
        if not entry.not_available_reason.strip():
            raise ValidationError({"not_available_reason": "Enter why the figure is not available"})
        return
    if entry.value is None:
        raise ValidationError(
            {"value": f"Enter a number for {indicator.ref}, or say it is not available"}
        )
    if indicator.unit == Indicator.Unit.PERCENTAGE and not (0 <= entry.value <= 100):
        raise ValidationError({"value": "Enter a percentage between 0 and 100"})
    if indicator.unit == Indicator.Unit.COUNT and entry.value < 0:
        raise ValidationError({"value": "Enter a number of 0 or more"})


@transaction.atomic
def indicator_value_save(
    *,
    user,
    period: ReportingPeriod,
    entry: ValueEntry,
    correction_reason: str = "",
    today: date | None = None,
) -> IndicatorValue:
    indicator = entry.indicator
    if period.plan_id != indicator.plan_id:
        raise ValidationError("That quarter belongs to another plan.")
    check_period_writable(user=user, period=period, correction_reason=correction_reason)
    validate_entry(entry)
    current = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, period=period)
        .first()
    )
    if current is None:
        if entry.expected_version is not None:
            raise ConcurrentEdit(None)
        current = IndicatorValue(indicator=indicator, period=period, version=0)
    elif current.version != entry.expected_version:
        raise ConcurrentEdit(current)
    current.value = None if entry.not_available else entry.value
    current.not_available = entry.not_available
    current.not_available_reason = entry.not_available_reason.strip() if entry.not_available else ""
    current.note = entry.note.strip()
    if entry.rag_override is not None:
        current.rag_override = entry.rag_override
        current.rag_override_reason = (
            (entry.rag_override_reason or "").strip() if entry.rag_override else ""
        )
    current.is_late = period.is_late_on(today or timezone.localdate())
    current.is_sample = False
    current.correction_reason = correction_reason.strip() if not period.is_open else ""
    current.entered_by = user
    current.entered_at = timezone.now()
    current.version += 1
    was = current.state if current.pk else None
    signoff.mark_submitted(current, period)
    current.full_clean()
    current.save()
    signoff.after_submit(item=current, was=was)
    return current


@transaction.atomic
def indicator_values_save_all(
    *, user, period: ReportingPeriod, entries: list[ValueEntry], today: date | None = None
) -> list[IndicatorValue]:
    """Save every entry or none: the first failure rolls back the lot."""
    return [
        indicator_value_save(user=user, period=period, entry=entry, today=today)
        for entry in entries
    ]
