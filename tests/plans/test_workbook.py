"""The action-plan workbook: the template a partnership admin downloads, the export of any
plan, and the round trip of every seed plan through export and import."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest

from indicators.models import Indicator
from plans.importing import ImportRefused, plan_import, read_and_validate
from plans.models import Agency, FundingLine, Partnership, Plan, PreviousResult, Risk
from plans.workbook import EXAMPLE_MARKER, SHEETS, plan_workbook, template_workbook
from priorities.models import Action, Milestone, Objective, Priority

pytestmark = pytest.mark.django_db

SHEET_ORDER = ["Instructions", "Plan", "Priorities", "Objectives", "Actions", "Milestones",
               "Indicators", "Risks"]  # fmt: skip


def open_book(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(BytesIO(content))


def without_example_marks(content: bytes) -> bytes:
    book = open_book(content)
    for name in SHEETS:
        sheet = book[name]
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == EXAMPLE_MARKER:
                    cell.value = None
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- The template ---------------------------------------------------------------------------


def test_template_has_instructions_then_every_sheet_with_its_headers(seeded):
    book = open_book(template_workbook(agencies=["Kent Police"]))

    assert book.sheetnames[: len(SHEET_ORDER)] == SHEET_ORDER
    assert book["Lists"].sheet_state == "hidden"
    for name, columns in SHEETS.items():
        headers = [cell.value for cell in book[name][1]][: len(columns)]
        assert headers == [column.header for column in columns]
    instructions = "\n".join(str(c.value) for c in book["Instructions"]["A"] if c.value)
    assert EXAMPLE_MARKER in instructions
    assert "Lead agency: The agency that leads it, by name or short name." in instructions


def test_template_examples_are_marked_grey_and_italic(seeded):
    book = open_book(template_workbook(agencies=[]))

    for name, columns in SHEETS.items():
        sheet = book[name]
        assert sheet.max_row >= 2, name
        for row in range(2, sheet.max_row + 1):
            assert sheet.cell(row, len(columns) + 1).value == EXAMPLE_MARKER
            first = sheet.cell(row, 1)
            assert first.font.i and first.font.color.rgb.endswith("6F777B")


def test_template_has_drop_down_lists_where_the_values_are_known(seeded):
    names = ["Kent Police", "Kent, Surrey and Sussex Community Rehabilitation Company"]
    book = open_book(template_workbook(agencies=names))
    lists = book["Lists"]

    def drop_down(sheet_name: str, header: str) -> list[str]:
        sheet = book[sheet_name]
        letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[[c.value for c in sheet[1]].index(header)]
        for validation in sheet.data_validations.dataValidation:
            if f"{letter}2" in validation.sqref:
                _, cells = validation.formula1.split("!")
                column = cells.split(":")[0].replace("$", "").rstrip("0123456789")
                return [c.value for c in lists[column][1:] if c.value]
        raise AssertionError(f"no drop-down on {sheet_name} {header}")

    assert drop_down("Actions", "Lead agency") == names  # a comma in a name is fine
    assert drop_down("Indicators", "Reported to") == names
    assert drop_down("Priorities", "Cross-cutting") == ["Yes", "No"]
    assert drop_down("Indicators", "Frequency") == [
        "Monthly", "Quarterly", "Six monthly", "Annually"
    ]  # fmt: skip
    assert drop_down("Indicators", "Direction") == ["Higher is better", "Lower is better"]
    assert drop_down("Indicators", "Unit") == ["Number", "Percentage", "Rate", "Other"]
    assert drop_down("Plan", "Kind") == ["Community safety plan", "Action plan", "Refresh"]


def test_the_template_as_downloaded_imports_nothing_but_says_why(seeded):
    swale = Partnership.objects.get(name__startswith="Swale")

    with pytest.raises(ImportRefused) as refused:
        read_and_validate(template_workbook(agencies=[]), partnership=swale)

    assert [str(p) for p in refused.value.problems] == [
        "Plan row 2: the plan's row is empty: fill in its title, kind and years under the headings."
    ]


def test_the_template_examples_are_a_valid_plan_once_unmarked(seeded):
    swale = Partnership.objects.get(name__startswith="Swale")

    preview = read_and_validate(
        without_example_marks(template_workbook(agencies=[])), partnership=swale
    )

    assert preview.plan_fields["title"] == "Action Plan 2025-26"
    assert preview.plan_fields["period"] == "2025/26"
    assert preview.counts == {"priorities": 2, "objectives": 1, "actions": 1, "milestones": 2,
                              "indicators": 1, "risks": 1,
                              "updates": 2, "values": 2, "quarters": 2}  # fmt: skip
    assert preview.new_agencies == []
    action = preview.priorities[0]["actions"][0]
    assert action["supporting"] == ["Medway Council", "Kent Fire and Rescue Service"]
    assert [m["timescale"] for m in action["milestones"]] == ["By May 25", "Quarterly"]


# --- Export ---------------------------------------------------------------------------------


def test_export_writes_the_plan_in_the_template_layout_without_examples(
    seeded, django_assert_max_num_queries
):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")

    # One per table, however big the plan (with the milestones' supporting agencies, the
    # groups each indicator is reported to, the actions and objectives it measures, the
    # funding lines, the previous year's results and the funding summary, and the progress
    # sheets' updates and figures).
    with django_assert_max_num_queries(19):
        content = plan_workbook(plan)
    book = open_book(content)

    assert book.sheetnames[: len(SHEET_ORDER)] == SHEET_ORDER
    actions = book["Actions"]
    assert actions.max_row == 1 + Action.objects.filter(priority__plan=plan).count()
    assert (
        book["Milestones"].max_row
        == 1 + Milestone.objects.filter(action__priority__plan=plan).count()
    )
    assert all(c.value != EXAMPLE_MARKER for row in actions.iter_rows() for c in row)
    assert book["Plan"]["A2"].value == plan.title
    assert book["Plan"]["B2"].value == "Community safety plan"


def test_export_keeps_refs_and_formula_like_texts_as_text(seeded):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    action = Action.objects.filter(priority__plan=plan).first()
    action.title = "=SUM(A1:A9) is not a formula here"
    action.ref = "1.10"
    action.save()

    book = open_book(plan_workbook(plan))

    cells = {c.value: c for row in book["Actions"].iter_rows(min_row=2) for c in row}
    assert cells["=SUM(A1:A9) is not a formula here"].data_type == "s"
    assert cells["1.10"].data_type == "s"


# --- Round trip -----------------------------------------------------------------------------


def snapshot(plan: Plan) -> dict:
    """Everything the workbook carries, by value (agencies by name), in the plan's order."""

    def agency(obj, name):
        found = getattr(obj, name)
        return found.name if found else None

    priorities = Priority.objects.filter(plan=plan).prefetch_related("key_themes", "objectives")
    actions = (
        Action.objects.filter(priority__plan=plan)
        .select_related("priority", "objective", "lead_agency", "lead_officer")
        .prefetch_related("supporting_agencies", "milestones__supporting_agencies")
    )
    return {
        "plan": (plan.title, plan.kind, plan.start_year, plan.end_year, plan.summary,
                 plan.source, plan.parent.title if plan.parent else None),
        "priorities": [
            (p.ref, p.title, agency(p, "lead_agency"), p.lead_as_written, p.is_cross_cutting,
             p.summary, [t.text for t in p.key_themes.all()],
             [(o.ref, o.title, o.description) for o in p.objectives.all()])
            for p in priorities
        ],
        "actions": [
            (a.priority.ref, a.objective.ref if a.objective else None, a.ref, a.title,
             a.desired_outcome, agency(a, "lead_agency"), a.lead_as_written,
             sorted(s.name for s in a.supporting_agencies.all()), a.responsible, a.timescale,
             a.due_date, a.partner_priority, a.footnote, a.lead_officer,
             a.lead_officer_as_written,
             [(m.order, m.text, m.timescale, m.due_date, m.recurrence, m.lead_officer_id,
               m.lead_officer_as_written, sorted(s.name for s in m.supporting_agencies.all()))
              for m in a.milestones.all()])
            for a in actions
        ],
        "indicators": [
            (i.measure_code, i.ref, i.title, i.priority.ref if i.priority else None, i.theme,
             i.target, i.baseline, i.due_as_written, i.due_date, i.responsible, agency(i, "agency"),
             i.agency_as_written, sorted(g.name for g in i.reported_to.all()), i.frequency, i.unit,
             i.direction, i.target_comparator, i.target_value, i.target_unit,
             i.frequency_as_written,
             sorted((a.priority.ref, a.ref) for a in i.measures_actions.all()),
             sorted((o.priority.ref, o.ref) for o in i.measures_objectives.all()))
            for i in Indicator.objects.filter(plan=plan).select_related(
                "priority", "agency").prefetch_related("reported_to",
                "measures_actions__priority", "measures_objectives__priority")
        ],
        "risks": [
            (r.ref, r.risk, r.implications, r.controls, r.likelihood_before, r.impact_before,
             r.likelihood_after, r.impact_after, r.score_before, r.score_after, r.status)
            for r in Risk.objects.filter(plan=plan)
        ],
        "funding": [
            (f.action.priority.ref, f.action.ref, f.order, f.source, f.amount,
             f.financial_year, f.as_written)
            for f in FundingLine.objects.filter(action__priority__plan=plan).select_related(
                "action__priority").order_by("action__priority__sort_key", "action__sort_key",
                                             "order")
        ],
        "previous_results": [
            (r.order, r.ref, r.title, r.target, r.outturn, r.period, r.comment)
            for r in PreviousResult.objects.filter(plan=plan)
        ],
    }  # fmt: skip


@pytest.mark.parametrize("pk", [1, 2, 3, 4, 5, 6])
def test_each_seed_plan_round_trips_through_export_and_import(seeded, pk):
    """Export, delete the plan, import the file: the same tree, texts and links."""
    plan = Plan.objects.get(pk=pk)
    before = snapshot(plan)
    content = plan_workbook(plan)
    partnership = plan.partnership
    plan.delete()

    imported = plan_import(content=content, partnership=partnership, user=None)

    assert imported.status == Plan.Status.DRAFT
    assert snapshot(imported) == before
    assert sum(map(len, before.values())) > 1


def test_all_six_seed_plans_round_trip_into_an_empty_database(seeded):
    """Every plan and agency gone: the six files bring the plans back, agencies and all."""
    plans = list(Plan.objects.order_by("pk"))
    before = [snapshot(plan) for plan in plans]
    files = [(plan.partnership, plan_workbook(plan)) for plan in plans]
    Plan.objects.all().delete()
    Agency.objects.all().delete()

    imported = []
    for partnership, content in files:
        preview = read_and_validate(content, partnership=partnership)
        imported.append(
            plan_import(
                content=content,
                partnership=partnership,
                user=None,
                create_agencies=set(preview.new_agencies),
            )
        )

    assert [snapshot(plan) for plan in imported] == before
    assert Agency.objects.count() > 20


def test_lead_officers_supporting_agencies_and_measures_round_trip(seeded):
    """What the new columns carry comes back: lead officers (a user, or a name as written),
    a milestone's supporting agencies, a frequency in the plan's own words, and the actions
    and objectives each indicator measures (refs used under two priorities included)."""
    from plans.models import Membership
    from tests.conftest import member

    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    officer = member("round-trip-officer", plan.partnership.name, Membership.Role.OFFICER)
    officer.email = "officer@example.org"
    officer.save()
    actions = list(Action.objects.filter(priority__plan=plan))
    actions[0].lead_officer = officer
    actions[0].save()
    actions[1].lead_officer_as_written = "Chief Inspector Smith"
    actions[1].save()
    milestone = Milestone.objects.filter(action__priority__plan=plan).first()
    milestone.lead_officer_as_written = "CSU Manager"
    milestone.save()
    milestone.supporting_agencies.set(Agency.objects.filter(name="Kent Police"))
    objective = Objective.objects.filter(priority__plan=plan).first()
    for indicator in plan.indicators.all()[:3]:
        indicator.frequency_as_written = "3 year rolling programme"
        indicator.save()
        indicator.measures_actions.set(actions[:2] + actions[-1:])
        if objective:
            indicator.measures_objectives.set([objective])
    before = snapshot(plan)
    content = plan_workbook(plan)
    partnership = plan.partnership
    plan.delete()

    imported = plan_import(content=content, partnership=partnership, user=None)

    assert snapshot(imported) == before
    first = before["indicators"][0]
    assert first[-3] == "3 year rolling programme" and len(first[-2]) == 3


def test_measure_codes_round_trip_and_the_seeds_carry_ni_111(seeded):
    """The national code of the Medway plans' NI111 indicator comes back from its workbook."""
    plan = Plan.objects.get(title="Action Plan 2013 – 2016")
    assert plan.indicators.get(ref="NI111").measure_code == "NI 111"
    content = plan_workbook(plan)
    headers = [c.value for c in open_book(content)["Indicators"][1]]
    assert "Measure code" in headers
    partnership = plan.partnership
    plan.delete()
    imported = plan_import(content=content, partnership=partnership, user=None)
    assert imported.indicators.get(ref="NI111").measure_code == "NI 111"
