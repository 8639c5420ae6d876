"""Reading one cell as its column needs it (``read_cell``): formulas never worked out, Excel
errors, overlong text, then a cleaner per column kind (text, score, year, date, date or text,
yes/no, choice, agencies). ``Bad`` says why a cell cannot be read."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from openpyxl.utils.datetime import from_excel

from plans.importing.archive import LIMITS
from plans.limits import figure_text, validate_year_range
from plans.timescales import parse_timescale
from plans.workbook.columns import Column

EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!"}
TRUE_WORDS = {"yes", "y", "true", "1", "x", "✓", "✔"}
FALSE_WORDS = {"no", "n", "false", "0"}
NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$")


class Bad(Exception):
    """A cell that cannot be read as its column needs: ``args`` are (message key, values)."""


def read_cell(formula: str | None, column: Column, value: Any) -> Any:
    if value is None and formula is not None:
        raise Bad("formula", {"formula": formula[:100]})
    if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
        raise Bad("excel_error", {"value": value.strip()})
    if isinstance(value, str) and len(value) > LIMITS["max_cell_chars"]:
        raise Bad("huge", {"length": len(value), "limit": LIMITS["max_cell_chars"]})
    cleaned = CLEANERS[column.kind](value, column)
    if column.required and cleaned in (None, "", []):
        raise Bad("required", {})
    text = cleaned[0] if isinstance(cleaned, tuple) else cleaned
    if column.max_length and isinstance(text, str) and len(text) > column.max_length:
        raise Bad("too_long", {"length": len(text), "limit": column.max_length})
    return cleaned


def _text(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime | dt.date):
        return _date_text(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date_text(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _score(value: Any, column: Column) -> int | None:
    if is_blank(value):
        return None
    number = _whole(value)
    if number is None or not 1 <= number <= 5:
        raise Bad("score", {"value": _text(value, column), "help": column.help.lower()})
    return number


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and "," in value:
        value = _figure(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _figure(text: str) -> str:
    """Thousands separators taken out; a decimal comma or misplaced commas refused, as the
    forms refuse them, rather than guessed at."""
    try:
        return figure_text(text)
    except ValidationError as error:
        raise Bad(error.code, {"value": text.strip()}) from None


def _year(value: Any, column: Column) -> int | None:
    if is_blank(value):
        return None
    year = _whole(value)
    if year is None and isinstance(value, str):
        match = re.fullmatch(r"(\d{4})\s*(?:[/-]\s*\d{2}(?:\d{2})?)?", value.strip())
        year = int(match.group(1)) if match else None
    if year is None or not 1998 <= year <= 2100:
        raise Bad("year", {"value": _text(value, column)})
    return year


def _date(value: Any, column: Column) -> dt.date | None:
    if is_blank(value):
        return None
    found = _read_date(value)
    if found is None:
        raise Bad("date", {"value": _text(value, column)})
    return _in_range(found, value, column)


def _in_range(found: dt.date, value: Any, column: Column) -> dt.date:
    """A date before the first CSPs (1998) or after 2100 is a typing slip, not a plan date."""
    try:
        validate_year_range(found)
    except ValidationError:
        raise Bad("date_range", {"value": _text(value, column)}) from None
    return found


def _read_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel date serial without a date format (1954–2119)
            return from_excel(value).date()
        return None
    text = str(value).strip()
    numeric = NUMERIC_DATE.match(text)
    if numeric:
        return _numeric_date(*numeric.groups())
    if re.search(r"\d", text) is None:
        return None  # "Ongoing" is a timescale, not a date
    return parse_timescale(text).due_date


def _numeric_date(first: str, second: str, third: str) -> dt.date | None:
    """31/03/2016 (UK order), 31-3-16 or 2016-03-31."""
    if len(first) == 4:
        year, month, day = int(first), int(second), int(third)
    else:
        day, month, year = int(first), int(second), int(third)
        year += 2000 if len(third) == 2 else 0
    try:  # a year out of range is refused by the caller, naming the range
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date_or_text(value: Any, column: Column) -> tuple[str, dt.date | None] | None:
    """Kept as written; a real Excel date is written out ("31 March 2016"); a numeric date
    ("31/03/2016") gives the due date that the written text cannot."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return _date_text(value), _in_range(_read_date(value), value, column)
    text = _text(value, column)
    if NUMERIC_DATE.match(text):
        found = _read_date(text)
        if found is None:
            raise Bad("timescale", {"value": text})
        return text, _in_range(found, text, column)
    return text, None


def _bool(value: Any, column: Column) -> bool:
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    text = _text(value, column).casefold()
    if text in TRUE_WORDS | FALSE_WORDS:
        return text in TRUE_WORDS
    raise Bad("bool", {"value": _text(value, column)})


def _choice(value: Any, column: Column) -> str:
    if is_blank(value):
        return ""
    key = _choice_key(value, column)
    if key is not None:
        return key
    labels = ", ".join(label for _, label in column.choices)
    guess = _choice_guess(value, column)
    if guess:
        raise Bad("choice_guess", {"value": _text(value, column), "guess": guess, "labels": labels})
    raise Bad("choice", {"value": _text(value, column), "labels": labels})


def _choice_key(value: Any, column: Column) -> str | None:
    wanted = normal(value)
    for key, label in column.choices:
        if wanted in (normal(key), normal(label)):
            return key
    return None


def _choice_guess(value: Any, column: Column) -> str:
    """The label a plan's other word stands for ("%" → Percentage, "Increase" → Higher is
    better), else the nearest label by spelling."""
    text = str(value).strip().casefold()
    labels = dict(column.choices)
    for alias, key in column.aliases:
        if text == alias or (normal(text) and normal(text) == normal(alias)):
            return labels[key]
    near = difflib.get_close_matches(text, [label.casefold() for label in labels.values()], 1)
    return next((label for label in labels.values() if near and label.casefold() == near[0]), "")


def _frequency(value: Any, column: Column) -> tuple[str, str]:
    """(choice, words as written): a choice by label or value ("", if so); a plan's own
    words ("3 year rolling programme") kept, with the frequency they name, if any ("" if
    none: the sheet decides). Empty is refused, with the choices."""
    labels = ", ".join(label for _, label in column.choices)
    if is_blank(value):
        raise Bad("frequency_blank", {"labels": labels})
    key = _choice_key(value, column)
    if key is not None:
        return key, ""
    text = _text(value, column)
    if re.search(r"\b(daily|fortnightly|every (day|fortnight))\b", text, re.IGNORECASE):
        return "monthly", text  # more often than monthly: a figure each month at most
    recurrence = parse_timescale(text).recurrence
    return FREQUENCY_OF_RECURRENCE.get(recurrence, ""), text


# A frequency said in words ("every quarter", "yearly", "bi-annual"), as the timescales read it.
FREQUENCY_OF_RECURRENCE = {
    "weekly": "monthly",
    "monthly": "monthly",
    "quarterly": "quarterly",
    "six_monthly": "six_monthly",
    "annually": "annually",
}


MONEY = re.compile(r"\d{1,10}(\.\d{1,2})?")


def _money(value: Any, column: Column) -> Decimal | None:
    """An amount in pounds: 118369, "£118,369" or "£1,000.50"; "£1k", "about 5000" or a
    negative amount refused (the plan's words belong in "As written")."""
    if is_blank(value):
        return None
    shown = _text(value, column)
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = format(Decimal(str(value)), "f")
    else:
        text = shown.replace("£", "").replace(" ", "")
        text = _figure(text) if "," in text else text
    negative = text.startswith("-")
    text = text.removeprefix("-")
    if text.endswith(".0"):
        text = text[:-2]
    if not MONEY.fullmatch(text):
        raise Bad("money", {"value": shown})
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern only lets amounts through
        raise Bad("money", {"value": shown}) from None
    if negative and amount:
        raise Bad("money_negative", {"value": shown})
    return amount


def _agencies(value: Any, column: Column) -> list[str]:
    """Names separated by ";" or new lines, each once (in its first spelling)."""
    names: dict[str, str] = {}
    for name in re.split(r"[;\n]", _text(value, column)):
        if name.strip():
            names.setdefault(name.strip().casefold(), name.strip())
    return list(names.values())


CLEANERS = {
    "text": _text,
    "agency": _text,
    "int": _score,
    "year": _year,
    "date": _date,
    "date_or_text": _date_or_text,
    "bool": _bool,
    "choice": _choice,
    "frequency": _frequency,
    "agencies": _agencies,
    "money": _money,
}


def normal(text: Any) -> str:
    """Headers, sheet names and choices compare without case, spaces or punctuation."""
    return re.sub(r"[\W_]+", "", str(text or "")).casefold()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_example(value: Any) -> bool:
    if not isinstance(value, str) or value.lstrip()[:7].casefold() != "example":
        return False
    return "deletethisrow" in normal(value)
