"""Reading, validating, previewing and importing an action-plan workbook (plans.importing), and
the import_plan / export_plan commands. Each rule is tested with the message an admin reads.

Workbooks are built here with openpyxl from ``valid_rows()``, a small plan for Swale, changed
one cell at a time. Data rows start at row 2 (row 1 holds the headings).
"""

from __future__ import annotations

import datetime as dt
import re
import time
import zipfile
from io import BytesIO

import openpyxl
import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import IntegrityError, connections

from indicators.models import Indicator
from plans.importing import ImportRefused, Problem, plan_import, read_and_validate, writer
from plans.models import Agency, Partnership, Plan, Risk
from plans.workbook import SHEETS
from priorities.models import Action, KeyTheme, Milestone, Objective, Priority

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def swale(seeded) -> Partnership:
    return Partnership.objects.get(name=SWALE)


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


# --- Duplicates, predecessors, atomicity ----------------------------------------------------


def test_a_plan_with_the_same_title_is_refused_naming_it(swale):
    content = with_change("Plan", 0, "Title", "Swale Community Safety Plan 2019/20")

    preview = read_and_validate(content, partnership=swale)
    assert preview.existing_plan.title == "Swale Community Safety Plan 2019/20"
    assert preview.existing_is_draft is False
    with pytest.raises(ImportRefused) as caught:
        plan_import(content=content, partnership=swale, user=None, replace_draft=True)

    assert [str(p) for p in caught.value.problems] == [
        "Plan, Title: Swale Community Safety Partnership already has a plan 'Swale Community "
        "Safety Plan 2019/20' (2019/20). It is closed, so it cannot be replaced: change the "
        "title on the Plan sheet if this is a new plan."
    ]


def test_importing_twice_refuses_then_replaces_the_draft_when_confirmed(swale):
    content = xlsx(valid_rows())
    first = plan_import(content=content, partnership=swale, user=None)
    before = counts()

    with pytest.raises(ImportRefused) as caught:
        plan_import(content=content, partnership=swale, user=None)
    assert "Confirm that it should be replaced" in str(caught.value)
    assert counts() == before
    assert read_and_validate(content, partnership=swale).existing_is_draft is True

    second = plan_import(content=content, partnership=swale, user=None, replace_draft=True)

    assert second.pk != first.pk
    assert not Plan.objects.filter(pk=first.pk).exists()
    assert counts() == before


def test_indicators_are_linked_to_the_same_measure_in_the_previous_plan(swale):
    earlier = list(Indicator.objects.filter(plan__partnership=swale).order_by("sort_key"))
    same_title, same_code = earlier[0], earlier[1]
    rows = valid_rows()
    rows["Indicators"] = [
        {"Ref": "N1", "Indicator": same_title.title.upper(), "Frequency": "Quarterly"},
        {"Ref": same_code.ref, "Indicator": same_code.title + " (all)", "Frequency": "Annually"},
        {"Ref": earlier[2].ref, "Indicator": "Something else entirely", "Frequency": "Monthly"},
    ]
    content = xlsx(rows)

    preview = read_and_validate(content, partnership=swale)
    plan = plan_import(content=content, partnership=swale, user=None)

    plan_title = "Swale Community Safety Plan 2019/20"
    assert preview.predecessor_links == [
        (f"N1 {same_title.title.upper()}", f"{plan_title}: {same_title.ref} {same_title.title}"),
        (f"{same_code.ref} {same_code.title} (all)",
         f"{plan_title}: {same_code.ref} {same_code.title}"),
    ]  # fmt: skip
    linked = {i.ref: i.predecessor for i in plan.indicators.all()}
    assert linked == {"N1": same_title, same_code.ref: same_code, earlier[2].ref: None}


def test_a_failed_import_writes_nothing(swale, monkeypatch):
    before = counts()
    real_insert = writer._insert

    def failing_insert(model, objects):
        if model is Risk:
            raise IntegrityError("the disk is full")
        real_insert(model, objects)

    monkeypatch.setattr(writer, "_insert", failing_insert)
    with pytest.raises(IntegrityError):
        plan_import(
            content=with_change("Actions", 0, "Lead agency", "Brand new agency"),
            partnership=swale,
            user=None,
            create_agencies={"brand new agency"},
        )

    assert counts() == before


# --- Commands -------------------------------------------------------------------------------


def test_import_plan_command_imports_and_summarises(swale, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx(valid_rows()))
    call_command("import_plan", str(path), partnership=SWALE, stdout=(text := _Text()))

    assert Plan.objects.get(title=TITLE).status == Plan.Status.DRAFT
    assert "as a draft of Swale Community Safety Partnership" in text.value
    assert "2 priorities, 1 objectives, 3 actions, 2 milestones, 1 indicators, 1 risks" in (
        text.value
    )


def test_import_plan_dry_run_writes_nothing(swale, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(with_change("Actions", 0, "Lead agency", "Brand new agency"))
    before = counts()

    call_command(
        "import_plan", str(path), partnership=SWALE, dry_run=True, create_agencies=True,
        stdout=(text := _Text()), stderr=_Text(),
    )  # fmt: skip

    assert counts() == before
    assert "it can be imported; nothing written" in text.value
    assert "New agencies: Brand new agency" in text.value


def test_import_plan_command_fails_with_every_problem_and_a_non_zero_exit(
    swale, tmp_path, capsys, monkeypatch
):
    # Run from the command line, a command closes the database connections on its way out;
    # here that connection holds the test's transaction (PostgreSQL would lose it).
    monkeypatch.setattr(connections, "close_all", lambda: None)
    rows = valid_rows()
    rows["Actions"][0]["Lead agency"] = "Kent Polce"
    rows["Risks"][0]["Risk"] = None
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx(rows))

    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "import_plan", str(path), "--partnership", SWALE])

    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "plan.xlsx cannot be imported (1 problem):" in err
    assert "- Risks row 2, Risk: this cell is empty, but it is required: fill it in." in err
    assert not Plan.objects.filter(title=TITLE).exists()

    rows["Risks"][0]["Risk"] = "Data arrives late."
    path.write_bytes(xlsx(rows))
    with pytest.raises(CommandError) as caught:
        call_command("import_plan", str(path), partnership=SWALE, stderr=_Text())
    assert "Actions row 2, Lead agency: 'Kent Polce' is not a known agency — did you mean " in (
        str(caught.value)
    )
    assert "Add --create-agencies" in str(caught.value)

    call_command(
        "import_plan", str(path), partnership=SWALE, create_agencies=True,
        stdout=_Text(), stderr=_Text(),
    )  # fmt: skip
    assert Agency.objects.filter(name="Kent Polce").exists()
    call_command(
        "import_plan", str(path), partnership=SWALE, replace_draft=True,
        stdout=_Text(), stderr=_Text(),
    )  # fmt: skip
    assert Plan.objects.filter(title=TITLE).count() == 1


def test_import_plan_command_refuses_unknown_partnerships_and_files(swale, tmp_path):
    with pytest.raises(CommandError, match="There is no partnership 'Nowhere CSP'"):
        call_command("import_plan", str(tmp_path / "x.xlsx"), partnership="Nowhere CSP")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_plan", str(tmp_path / "missing.xlsx"), partnership=SWALE)
    (tmp_path / "notes.xlsx").write_text("a,b,c\n1,2,3\n")
    with pytest.raises(CommandError, match="This is not an Excel workbook"):
        call_command("import_plan", str(tmp_path / "notes.xlsx"), partnership=SWALE)


def test_export_plan_command_by_id_or_title(seeded, tmp_path):
    plan = Plan.objects.get(title="Action Plan 2024-25")

    call_command("export_plan", str(plan.pk), str(tmp_path / "a.xlsx"), stdout=_Text())
    call_command("export_plan", plan.title, str(tmp_path / "b.xlsx"), stdout=(text := _Text()))

    assert (tmp_path / "a.xlsx").read_bytes()[:2] == b"PK"
    assert "Exported 'Action Plan 2024-25' (Medway Community Safety Partnership)" in text.value
    book = openpyxl.load_workbook(tmp_path / "b.xlsx", read_only=True)
    assert book["Plan"]["A2"].value == "Action Plan 2024-25"
    with pytest.raises(CommandError, match="There is no plan with the id or title 'Nope'"):
        call_command("export_plan", "Nope", str(tmp_path / "c.xlsx"))


class _Text:
    """A stdout/stderr stand-in that keeps what was written."""

    def __init__(self) -> None:
        self.value = ""

    def write(self, text: str) -> None:
        self.value += text

    def flush(self) -> None:
        pass


# --- Performance ----------------------------------------------------------------------------


@pytest.mark.performance
def test_a_thousand_action_workbook_validates_and_imports_in_a_few_seconds(swale):
    rows = valid_rows()
    rows["Priorities"] = [{"Ref": str(p), "Title": f"Priority {p}", "Lead agency": "Kent Police"}
                          for p in range(1, 11)]  # fmt: skip
    rows["Objectives"] = [{"Priority ref": str(p), "Ref": "1", "Title": f"Objective of {p}"}
                          for p in range(1, 11)]  # fmt: skip
    rows["Actions"] = [
        {"Priority ref": str(p), "Objective ref": "1", "Ref": f"{p}.{a}",
         "Action": f"Action {a} of priority {p}: patrol, engage and report back.",
         "Lead agency": "KFRS", "Supporting agencies": "Kent Police; SBC",
         "Timescale": "By June 20"}
        for p in range(1, 11) for a in range(1, 101)
    ]  # fmt: skip
    rows["Milestones"] = [
        {"Priority ref": r["Priority ref"], "Action ref": r["Ref"], "Milestone": f"Step {m}",
         "Timescale": "Quarterly"}
        for r in rows["Actions"] for m in (1, 2)
    ]  # fmt: skip
    rows["Indicators"] = [{"Ref": f"I{i}", "Indicator": f"Measure {i}", "Target": "At least 50%",
                           "Frequency": "Quarterly"}
                          for i in range(100)]  # fmt: skip
    content = xlsx(rows)

    started = time.perf_counter()
    preview = read_and_validate(content, partnership=swale)
    validated = time.perf_counter() - started
    plan = plan_import(content=content, partnership=swale, user=None)
    total = time.perf_counter() - started

    print(f"\n1,000 actions: validated in {validated:.2f} s, validated + imported {total:.2f} s")
    assert preview.counts["actions"] == 1000
    assert Action.objects.filter(priority__plan=plan).count() == 1000
    assert Milestone.objects.filter(action__priority__plan=plan).count() == 2000
    assert total < 20
