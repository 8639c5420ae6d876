"""Reading, validating, previewing and importing an action-plan workbook (plans.importing).
Each rule is tested with the message an admin reads (what an import writes, and the commands:
test_import_writing.py).

Workbooks are built with openpyxl from ``valid_rows()`` (tests/plans/import_workbooks.py), a
small plan for Swale, changed one cell at a time. Data rows start at row 2 (row 1 holds the
headings).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from io import BytesIO

import openpyxl
import pytest

from plans.importing import ImportRefused, Problem, plan_import, read_and_validate
from plans.models import Partnership, Plan
from plans.workbook import SHEETS
from priorities.models import Action
from tests.plans.import_workbooks import (
    SWALE,
    TITLE,
    counts,
    refused,
    valid_rows,
    with_change,
    xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def swale(seeded) -> Partnership:
    return Partnership.objects.get(name=SWALE)


# --- The preview ----------------------------------------------------------------------------


def test_preview_shows_the_tree_and_writes_nothing(swale, django_assert_max_num_queries):
    before = counts()
    content = xlsx(valid_rows())

    with django_assert_max_num_queries(6):
        preview = read_and_validate(content, partnership=swale)

    assert counts() == before
    assert preview.plan_fields["title"] == TITLE
    assert preview.plan_fields["period"] == "2020/21"
    assert preview.counts == {"priorities": 2, "objectives": 1, "actions": 3, "milestones": 2,
                              "indicators": 1, "risks": 1}  # fmt: skip
    first, second = preview.priorities
    assert first["key_themes"] == ["Visible patrols.", "Support for victims."]
    assert first["lead"] == "Swale Borough Council"
    assert second["is_cross_cutting"] is True
    action = first["actions"][0]
    assert action["objective_ref"] == "1"
    assert action["supporting"] == ["Swale Borough Council", "Kent Fire and Rescue Service"]
    assert [m["text"] for m in action["milestones"]] == ["Map hot spots.", "Report to the SEG."]
    assert first["indicators"][0]["ref"] == "ASB1"
    assert preview.risks == [{"ref": "R1", "risk": "Data arrives late.", "score_before": 12,
                              "score_after": 4, "status": ""}]  # fmt: skip
    assert preview.warnings == []
    assert preview.new_agencies == []
    assert preview.existing_plan is None


def test_import_creates_the_plan_as_a_draft_with_everything_in_it(swale):
    plan = plan_import(content=xlsx(valid_rows()), partnership=swale, user=None)

    assert plan.status == Plan.Status.DRAFT
    assert plan.partnership == swale
    assert (plan.start_year, plan.end_year) == (2020, 2020)
    priority = plan.priorities.get(ref="1")
    assert priority.lead_agency.name == "Swale Borough Council"
    assert [t.text for t in priority.key_themes.all()] == ["Visible patrols.",
                                                          "Support for victims."]  # fmt: skip
    action = priority.actions.get(ref="1.1")
    assert action.objective.title == "Fewer repeat victims"
    assert action.due_date == dt.date(2020, 6, 30)  # derived from "By June 20"
    assert sorted(a.name for a in action.supporting_agencies.all()) == [
        "Kent Fire and Rescue Service", "Swale Borough Council"
    ]  # fmt: skip
    milestones = [(m.order, m.recurrence) for m in action.milestones.all()]
    assert milestones == [(1, ""), (2, "quarterly")]
    assert priority.actions.get(ref="1.2").lead_agency.short_name == "KFRS"
    assert [a.ref for a in Action.objects.filter(priority__plan=plan)] == ["1.1", "1.2", "1.1"]
    indicator = plan.indicators.get()
    assert [group.name for group in indicator.reported_to.all()] == ["Swale CSP Executive"]
    assert indicator.direction == "down"
    assert indicator.target_comparator == "reduce_by"  # the target is parsed, as on save
    assert plan.risks.get().score_before == 12


# --- Each rule and its message --------------------------------------------------------------


def test_unknown_agency_suggests_the_nearest_and_is_only_created_when_ticked(swale):
    content = with_change("Actions", 0, "Lead agency", "Kent Polce")
    message = (
        "Actions row 2, Lead agency: 'Kent Polce' is not a known agency — did you mean "
        "'Kent Police'?"
    )

    preview = read_and_validate(content, partnership=swale)
    assert preview.new_agencies == ["Kent Polce"]
    assert [str(w) for w in preview.warnings] == [message]

    with pytest.raises(ImportRefused) as caught:
        plan_import(content=content, partnership=swale, user=None)
    assert [str(p) for p in caught.value.problems] == [message]
    assert not Plan.objects.filter(title=TITLE).exists()

    plan = plan_import(
        content=content, partnership=swale, user=None, create_agencies={"Kent Polce"}
    )
    assert plan.priorities.get(ref="1").actions.get(ref="1.1").lead_agency.name == "Kent Polce"


def test_an_unknown_agency_unlike_any_other_says_how_to_fix_it(swale):
    content = with_change("Actions", 1, "Supporting agencies", "Sheppey Youth Trust")

    preview = read_and_validate(content, partnership=swale)

    assert [str(w) for w in preview.warnings] == [
        "Actions row 3, Supporting agencies: 'Sheppey Youth Trust' is not a known agency: "
        "correct the name, or create it as a new agency."
    ]


def test_duplicate_refs_are_refused_within_their_parent_only(swale):
    rows = valid_rows()
    rows["Priorities"].append({"Ref": "2", "Title": "Again"})
    rows["Actions"].append({"Priority ref": "1", "Ref": "1.2", "Action": "Twice."})
    rows["Indicators"].append({"Ref": "ASB1", "Indicator": "Twice", "Frequency": "Annually"})

    assert refused(xlsx(rows), swale) == [
        "Priorities row 4, Ref: '2' is used twice in the plan (rows 3 and 4): give each row "
        "its own ref.",
        "Actions row 5, Ref: '1.2' is used twice in priority '1' (rows 3 and 5): give each "
        "row its own ref.",
        "Indicators row 3, Ref: 'ASB1' is used twice in the plan (rows 2 and 3): give each "
        "row its own ref.",
    ]


def test_rows_whose_parent_does_not_exist_are_refused(swale):
    rows = valid_rows()
    rows["Objectives"][0]["Priority ref"] = "9"
    rows["Actions"][1]["Objective ref"] = "4"
    rows["Milestones"][1]["Action ref"] = "1.7"

    assert refused(xlsx(rows), swale) == [
        "Objectives row 2, Priority ref: there is no priority '9' on the Priorities sheet. "
        "Use one of the priorities' refs (1, 2), or add it there.",
        "Actions row 2, Objective ref: priority '1' has no objective '1' on the Objectives "
        "sheet. Add it there first.",
        "Actions row 3, Objective ref: priority '1' has no objective '4' on the Objectives "
        "sheet. Add it there first.",
        "Milestones row 3, Action ref: priority '1' has no action '1.7' on the Actions sheet. "
        "Use one of its actions' refs (1.1, 1.2), or add it there.",
    ]


def test_required_cells_that_are_empty_are_refused(swale):
    rows = valid_rows()
    rows["Actions"][2]["Action"] = "   "
    rows["Risks"][0]["Risk"] = None

    assert refused(xlsx(rows), swale) == [
        "Actions row 4, Action: this cell is empty, but it is required: fill it in.",
        "Risks row 2, Risk: this cell is empty, but it is required: fill it in.",
    ]


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        ("Due date", "soon", "'soon' cannot be read as a date: write a date such as 31 March "
         "2026, or leave the cell empty."),
        ("Timescale", "31/02/2020", "'31/02/2020' cannot be read as a date: write it as 31 "
         "March 2026, or as the plan writes it (\"By June 26\", \"Quarterly\")."),
    ],
)  # fmt: skip
def test_a_date_that_cannot_be_read_is_refused(swale, header, value, message):
    content = with_change("Actions", 0, header, value)

    assert refused(content, swale) == [f"Actions row 2, {header}: {message}"]


def test_dates_are_read_as_excel_dates_or_as_the_plans_write_them(swale):
    rows = valid_rows()
    rows["Actions"][0]["Timescale"] = dt.datetime(2016, 3, 31)
    rows["Actions"][1]["Timescale"] = "30/09/2020"
    rows["Actions"][2]["Due date"] = "31 March 2021"
    rows["Milestones"][0]["Timescale"] = "As required"
    rows["Indicators"][0]["Due"] = "31 Dec 2020"

    plan = plan_import(content=xlsx(rows), partnership=swale, user=None)

    one, two, three = Action.objects.filter(priority__plan=plan)
    assert (one.timescale, one.due_date) == ("31 March 2016", dt.date(2016, 3, 31))
    assert (two.timescale, two.due_date) == ("30/09/2020", dt.date(2020, 9, 30))
    assert (three.timescale, three.due_date) == ("Quarterly", dt.date(2021, 3, 31))
    milestone = one.milestones.first()
    assert (milestone.timescale, milestone.recurrence) == ("As required", "as_required")
    assert plan.indicators.get().due_date == dt.date(2020, 12, 31)


def test_text_too_long_for_its_column_is_refused(swale):
    content = with_change("Priorities", 0, "Title", "x" * 301)

    assert refused(content, swale) == [
        "Priorities row 2, Title: the text is 301 characters long; at most 300 fit here. "
        "Shorten it."
    ]


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        ("Cross-cutting", "Maybe", "'Maybe' is not yes or no: write Yes or No."),
        ("Title", None, "this cell is empty, but it is required: fill it in."),
    ],
)
def test_cells_of_the_wrong_kind_are_refused(swale, header, value, message):
    content = with_change("Priorities", 1, header, value)

    assert refused(content, swale) == [f"Priorities row 3, {header}: {message}"]


def test_choices_scores_and_years_are_checked(swale):
    rows = valid_rows()
    rows["Indicators"][0]["Unit"] = "Tonnes"
    rows["Risks"][0]["Impact after"] = 7
    rows["Plan"][0]["First year"] = "next year"

    assert refused(xlsx(rows), swale) == [
        "Plan row 2, First year: 'next year' is not a financial year: write its first year, "
        "e.g. 2025 or 2025/26.",
        "Indicators row 2, Unit: 'Tonnes' is not one of the choices: write one of "
        "Number, Percentage, Rate, Other.",
        "Risks row 2, Impact after: '7' is not a score: a whole number from 1 (lowest) to 5 "
        "(highest).",
    ]


def test_a_missing_sheet_and_a_renamed_header_are_refused(swale):
    rows = valid_rows()
    del rows["Risks"]
    heads = [c.header for c in SHEETS["Actions"]]
    heads[heads.index("Lead agency")] = "Lead agncy"

    assert refused(xlsx(rows, headers={"Actions": heads}), swale) == [
        "Actions row 1: there is no 'Lead agency' column — is it the column headed 'Lead "
        "agncy'? Rename it. Every column of the template is needed, even if it stays empty; "
        "headings may be in any order.",
        "Risks: the workbook has no 'Risks' sheet. Add it, with its header row, even if it "
        "stays empty (the template has every sheet).",
    ]


def test_columns_may_be_shuffled_and_headings_differ_in_case_and_spaces(swale):
    heads = [c.header for c in SHEETS["Actions"]][::-1]
    rows = valid_rows()
    rows["Actions"] = [{h: r.get(h) for h in heads} for r in rows["Actions"]]
    shouting = [h.upper().replace(" ", "  ") + " " for h in heads]
    rows["Actions"] = [dict(zip(shouting, r.values(), strict=True)) for r in rows["Actions"]]

    preview = read_and_validate(xlsx(rows, headers={"Actions": shouting}), partnership=swale)

    assert preview.priorities[0]["actions"][0]["title"] == "Patrol the hot spots."


def test_extra_columns_and_sheets_are_ignored_with_a_warning(swale):
    heads = [c.header for c in SHEETS["Risks"]] + ["Notes"]
    rows = valid_rows()
    rows["Risks"][0]["Notes"] = "Just a note"
    content = xlsx(rows, headers={"Risks": heads})
    book = openpyxl.load_workbook(BytesIO(content))
    book.create_sheet("Scratch")["A1"] = "workings"
    buffer = BytesIO()
    book.save(buffer)

    preview = read_and_validate(buffer.getvalue(), partnership=swale)

    assert [str(w) for w in preview.warnings] == [
        "Risks row 1, Notes: this column is not part of the template and is ignored.",
        "Scratch: this sheet is not part of the template and is ignored.",
    ]


def test_empty_rows_in_between_merged_cells_and_unicode_are_fine(swale):
    rows = valid_rows()
    rows["Actions"][1]["Action"] = "Café patrols — “Sheerness” 🚓"
    rows["Actions"][1]["Priority ref"] = None  # merged with the cell above, below
    content = xlsx(rows)
    book = openpyxl.load_workbook(BytesIO(content))
    actions = book["Actions"]
    actions.insert_rows(3, amount=2)  # two empty rows between the first and second action
    actions.merge_cells("A2:A5")
    actions["A6"] = "2"
    buffer = BytesIO()
    book.save(buffer)

    preview = read_and_validate(buffer.getvalue(), partnership=swale)

    assert [a["title"] for a in preview.priorities[0]["actions"]] == [
        "Patrol the hot spots.", "Café patrols — “Sheerness” 🚓"
    ]  # fmt: skip


def test_every_problem_is_reported_at_once(swale):
    rows = valid_rows()
    rows["Plan"][0]["Kind"] = "Wish list"
    rows["Priorities"][0]["Title"] = None
    rows["Actions"][0]["Due date"] = "tomorrow"
    rows["Milestones"][0]["Priority ref"] = "7"
    rows["Risks"][0]["Likelihood before"] = "high"

    problems = refused(xlsx(rows), swale)

    assert [p.split(",")[0].split(":")[0] for p in problems] == [
        "Plan row 2", "Priorities row 2", "Actions row 2", "Milestones row 2", "Risks row 2",
    ]  # fmt: skip


def test_only_one_plan_per_workbook(swale):
    rows = valid_rows()
    rows["Plan"].append({"Title": "Another", "Kind": "Action plan", "First year": 2020,
                         "Last year": 2020})  # fmt: skip
    rows["Plan"][0]["Last year"] = 2019

    assert refused(xlsx(rows), swale) == [
        "Plan row 2, Last year: the plan cannot end (2019) before it starts (2020).",
        "Plan row 3: a workbook holds one plan: delete this row, or import it as a separate "
        "workbook.",
    ]


def test_formulas_are_never_worked_out(swale):
    rows = valid_rows()
    rows["Actions"][0]["Responsible"] = '=CONCAT("CSU ", "Inspector")'
    rows["Actions"][1]["Responsible"] = "=1/0"
    content = xlsx(rows)
    # Excel saves a formula's value with it; openpyxl does not: give the first one a value.
    content = rewrite_sheet(
        content,
        "xl/worksheets/sheet4.xml",
        lambda xml: re.sub(
            r'<c r="I2"><f>(.*?)</f><v ?/>', r'<c r="I2" t="str"><f>\1</f><v>Saved value</v>', xml
        ),
    )

    assert refused(content, swale) == [
        "Actions row 3, Responsible: the cell holds a formula (=1/0) whose value was never "
        "saved. Formulas are not worked out here: type the value in instead."
    ]
    content = rewrite_sheet(
        content, "xl/worksheets/sheet4.xml", lambda xml: xml.replace("<f>1/0</f><v />", "")
    )
    preview = read_and_validate(content, partnership=swale)
    assert preview.priorities[0]["actions"][0]["responsible"] == "Saved value"


def test_excel_error_values_are_refused(swale):
    content = with_change("Actions", 0, "Responsible", "#REF!")

    assert refused(content, swale) == [
        "Actions row 2, Responsible: the cell shows the Excel error #REF!: correct the formula "
        "or type the value in."
    ]


def rewrite_sheet(content: bytes, member: str, change) -> bytes:
    source = zipfile.ZipFile(BytesIO(content))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                data = change(data.decode()).encode()
            target.writestr(info.filename, data)
    return buffer.getvalue()


def test_problem_text_names_what_is_known():
    assert str(Problem("Actions", 14, "Lead agency", "bad.")) == "Actions row 14, Lead agency: bad."
    assert str(Problem("Actions", None, "Lead agency", "bad.")) == "Actions, Lead agency: bad."
    assert str(Problem("Actions", 3, None, "bad.")) == "Actions row 3: bad."
    assert str(Problem("", None, None, "The file is empty.")) == "The file is empty."
