"""Bounds on what people type: figures, free text and dates, each with the message a person
reads. Forms and models share them so that the page and the database agree."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

# Free text, in characters (shown with a character count on every form).
LONG_TEXT = 5000  # progress commentary, next steps
NOTE = 2000  # notes on a figure
REASON = 1000  # why something was corrected, overridden, republished, not available

FIRST_YEAR, LAST_YEAR = 1998, 2100  # the Crime and Disorder Act 1998 created CSPs

DECIMAL_COMMA = "Use a full stop for decimals, like 12.5"
BAD_GROUPS = "Use commas only between groups of three digits, like 1,234, or leave them out"
THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
COMMA_DECIMAL = re.compile(r"[+-]?\d*,\d{1,2}|[+-]?\d*,\d{4,}")


def figure_text(text: str) -> str:
    """A typed figure with its thousands separators (and a trailing %) taken out, ready for
    ``Decimal``: "1,234.5" → "1234.5". A comma used as the decimal separator ("12,5") or
    commas in the wrong places ("1,2,3") are refused rather than guessed at."""
    text = text.strip().removesuffix("%").strip()
    if "," not in text:
        return text
    if THOUSANDS.fullmatch(text):
        return text.replace(",", "")
    if text.count(",") == 1 and "." not in text and COMMA_DECIMAL.fullmatch(text):
        raise ValidationError(DECIMAL_COMMA, code="decimal_comma")
    raise ValidationError(BAD_GROUPS, code="thousands")


def text_validators(limit: int) -> list:
    return [MaxLengthValidator(limit)]


def validate_year_range(value: date | None) -> None:
    """Dates in this app fall between 1998 and 2100: anything else is a typing slip."""
    if value is not None and not (FIRST_YEAR <= value.year <= LAST_YEAR):
        raise ValidationError(
            f"Enter a date between {FIRST_YEAR} and {LAST_YEAR}", code="year_range"
        )
