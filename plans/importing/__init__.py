"""Importing an action plan from the Excel template (``plans.workbook``): the file is checked
as a zip before openpyxl parses it, every row is validated, a preview shows what would be
created, and the import writes everything in one transaction or nothing.

Modules, in the order a workbook meets them:

- ``archive``: stage 1, the file itself (format, encryption, macros, sizes, zip bombs);
  ``LIMITS``.
- ``reader``: stage 2, the sheets into rows (openpyxl read-only, cached values, merged cells
  filled down, formulas found).
- ``cells``: one cell read as its column needs it.
- ``checks``: stage 3's shared checker (rows by header, agencies, parents, refs) and
  ``Parsed``, the unsaved plan; one validator module per sheet: ``plan_sheet``,
  ``priority_sheets`` (Priorities, Objectives), ``action_sheets`` (Actions, Milestones),
  ``indicator_sheet``, ``risk_sheet``, the optional ``funding_sheet`` and ``results_sheet``,
  and ``progress_sheets`` (the optional Action progress and Indicator values sheets, also saved
  by it); ``validation`` runs them in order.
- ``links``: the partnership's plan of the same title, and the indicators' predecessors.
- ``preview``: ``ImportPreview``, what the import would create.
- ``writer``: the plan and everything in it saved.
- ``services``: the entry points, ``read_and_validate`` and ``plan_import``.
- ``problems``: ``Problem``, ``ImportRefused`` and ``MESSAGES``, every message an admin may
  read.
"""

from __future__ import annotations

from plans.importing.archive import LIMITS
from plans.importing.preview import ImportPreview
from plans.importing.problems import MESSAGES, ImportRefused, Problem
from plans.importing.services import plan_import, read_and_validate

__all__ = [
    "LIMITS",
    "MESSAGES",
    "ImportPreview",
    "ImportRefused",
    "Problem",
    "plan_import",
    "read_and_validate",
]
