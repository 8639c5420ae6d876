"""The action-plan workbook: the template's sheets and columns (``columns``), the downloadable
template and the layout it shares with exports (``template``), and the export of any plan to
that layout (``export``), which ``plans.importing`` reads back."""

from __future__ import annotations

from plans.workbook.columns import (
    EXAMPLE_MARKER,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    SHEETS,
    Column,
    choice_label,
)
from plans.workbook.export import plan_rows, plan_workbook
from plans.workbook.template import template_workbook

__all__ = [
    "EXAMPLE_MARKER",
    "INSTRUCTIONS_SHEET",
    "LISTS_SHEET",
    "SHEETS",
    "Column",
    "choice_label",
    "plan_rows",
    "plan_workbook",
    "template_workbook",
]
