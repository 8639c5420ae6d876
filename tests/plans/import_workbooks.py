"""An action-plan workbook for the import tests: ``valid_rows()``, a small plan for Swale,
written with openpyxl by ``xlsx()`` (data rows start at row 2), changed one cell at a time."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest

from indicators.models import Indicator
from plans.importing import ImportRefused, read_and_validate
from plans.models import Agency, Partnership, Plan, Risk
from plans.workbook import SHEETS
from priorities.models import Action, KeyTheme, Milestone, Objective, Priority

SWALE = "Swale Community Safety Partnership"
TITLE = "Swale Community Safety Plan 2020/21"
WRITTEN = (Plan, Priority, KeyTheme, Objective, Action, Milestone, Indicator, Risk, Agency)


def valid_rows() -> dict[str, list[dict[str, object]]]:
    """A small, valid plan: {sheet: [{header: value}]}."""
    return {
        "Plan": [{"Title": TITLE, "Kind": "Community safety plan", "First year": "2020/21",
                  "Last year": 2020, "Summary": "A safer Swale.", "Source": "Test workbook"}],
        "Priorities": [
            {"Ref": "1", "Title": "Tackle anti-social behaviour",
             "Lead agency": "Swale Borough Council", "Cross-cutting": "No",
             "Key themes": "Visible patrols.\nSupport for victims."},
            {"Ref": "2", "Title": "Reducing reoffending", "Cross-cutting": "Yes"},
        ],
        "Objectives": [{"Priority ref": "1", "Ref": "1", "Title": "Fewer repeat victims"}],
        "Actions": [
            {"Priority ref": "1", "Objective ref": "1", "Ref": "1.1",
             "Action": "Patrol the hot spots.", "Lead agency": "Kent Police",
             "Supporting agencies": "SBC; Kent Fire and Rescue Service",
             "Responsible": "CSU Inspector", "Timescale": "By June 20"},
            {"Priority ref": "1", "Ref": "1.2", "Action": "Review CCTV.",
             "Lead agency": "KFRS", "Timescale": "Ongoing"},
            {"Priority ref": "2", "Ref": "1.1", "Action": "Refer offenders to support.",
             "Timescale": "Quarterly"},
        ],
        "Milestones": [
            {"Priority ref": "1", "Action ref": "1.1", "Milestone": "Map hot spots.",
             "Timescale": "May 20"},
            {"Priority ref": "1", "Action ref": "1.1", "Milestone": "Report to the SEG.",
             "Timescale": "Quarterly"},
        ],
        "Indicators": [
            {"Ref": "ASB1", "Indicator": "Reports of anti-social behaviour",
             "Priority ref": "1", "Target": "Reduce by 5%", "Agency": "Kent Police",
             "Reported to": "Swale CSP Executive", "Frequency": "Quarterly",
             "Unit": "Number", "Direction": "Lower is better"},
        ],
        "Risks": [
            {"Ref": "R1", "Risk": "Data arrives late.", "Likelihood before": 3,
             "Impact before": 4, "Likelihood after": 2, "Impact after": 2},
        ],
    }  # fmt: skip


def xlsx(rows: dict[str, list[dict[str, object]]], headers: dict | None = None) -> bytes:
    """The rows as a workbook; ``headers`` may replace a sheet's header row."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, sheet_rows in rows.items():
        sheet = book.create_sheet(name)
        heads = (headers or {}).get(name) or [column.header for column in SHEETS[name]]
        sheet.append(heads)
        for row in sheet_rows:
            sheet.append([row.get(head) for head in heads])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def refused(content: bytes, partnership: Partnership) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        read_and_validate(content, partnership=partnership)
    return [str(problem) for problem in caught.value.problems]


def with_change(sheet: str, index: int, header: str, value) -> bytes:
    rows = valid_rows()
    rows[sheet][index][header] = value
    return xlsx(rows)
