"""Importing plans as they are written: refs left out, one message per cause, other words for
the choices and other names for agencies suggested with "did you mean", people's names kept as
the lead officer, a frequency that must be given (or is kept in the plan's own words), the
real cause when a priority is not found, and the links a plan draws between its indicators
and the actions and objectives they measure. Each message comes from a workbook built here."""

from __future__ import annotations

import pytest

from indicators.models import Indicator
from plans.importing import plan_import, read_and_validate
from plans.models import Agency, Membership, Plan
from priorities.models import Action, Milestone, Objective, Priority
from tests.conftest import member
from tests.plans.import_workbooks import SWALE, TITLE, refused, valid_rows, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def swale(seeded):
    from plans.models import Partnership

    return Partnership.objects.get(name=SWALE)


def warnings(content, swale) -> list[str]:
    return [str(w) for w in read_and_validate(content, partnership=swale).warnings]


# --- Refs a plan does not give ----------------------------------------------------------------


def unnumbered_rows() -> dict:
    """A plan that numbers nothing: rows name their priority by its title."""
    rows = valid_rows()
    for priority in rows["Priorities"]:
        priority["Ref"] = None
    rows["Objectives"] = [{"Priority ref": "Tackle anti-social behaviour", "Title": "Fewer"}]
    rows["Actions"] = [
        {
            "Priority ref": "Tackle anti-social behaviour",
            "Action": "Patrol the hot spots.",
            "Objective ref": "Fewer",
        },
        {"Priority ref": "Tackle anti-social behaviour", "Action": "Review CCTV."},
        {"Priority ref": "Reducing reoffending", "Action": "Refer offenders to support."},
    ]
    rows["Milestones"] = [
        {"Priority ref": "Tackle anti-social behaviour", "Action ref": "Review CCTV.",
         "Milestone": "Cameras checked."},
        {"Priority ref": "1", "Action ref": "1.1", "Milestone": "Hot spots mapped."},
    ]  # fmt: skip
    rows["Indicators"][0]["Ref"] = None
    rows["Indicators"][0]["Priority ref"] = "Tackle anti-social behaviour"
    return rows


def test_a_plan_without_refs_is_numbered_in_sheet_order_and_marked(swale):
    content = xlsx(unnumbered_rows())

    assert warnings(content, swale) == [
        "2 rows of Priorities (rows 2–3), Ref: 2 priorities have no ref: CSP Tracker numbered "
        "them in the order of the sheet (1, 2), shown as numbered by CSP Tracker.",
        "Objectives row 2, Ref: 1 objective has no ref: CSP Tracker numbered it in the order "
        "of the sheet (1), shown as numbered by CSP Tracker.",
        "3 rows of Actions (rows 2–4), Ref: 3 actions have no ref: CSP Tracker numbered them "
        "in the order of the sheet (1.1, 1.2, 2.1), shown as numbered by CSP Tracker.",
        "Indicators row 2, Ref: 1 indicator has no ref: CSP Tracker numbered it in the order "
        "of the sheet (1), shown as numbered by CSP Tracker.",
    ]
    plan = plan_import(content=content, partnership=swale, user=None)
    priorities = list(Priority.objects.filter(plan=plan))
    assert [(p.ref, p.ref_generated) for p in priorities] == [("1", True), ("2", True)]
    actions = Action.objects.filter(priority__plan=plan)
    assert [(a.priority.ref, a.ref, a.ref_generated) for a in actions] == [
        ("1", "1.1", True), ("1", "1.2", True), ("2", "2.1", True),
    ]  # fmt: skip
    objective = Objective.objects.get(priority__plan=plan)
    assert objective.ref_generated and list(objective.actions.all()) == [actions[0]]
    assert [m.action.ref for m in Milestone.objects.filter(action__priority__plan=plan)] == [
        "1.1", "1.2",
    ]  # fmt: skip
    indicator = Indicator.objects.get(plan=plan)
    assert (indicator.ref, indicator.ref_generated, indicator.priority.ref) == ("1", True, "1")


def test_refs_given_are_kept_and_numbering_steps_over_them(swale):
    rows = valid_rows()
    rows["Priorities"][0]["Ref"] = None  # first row: 1 is free
    rows["Priorities"][1]["Ref"] = "1"  # ... no, the second row says 1: the first becomes 2
    rows["Objectives"][0]["Priority ref"] = "1"
    rows["Actions"] = [{"Priority ref": "1", "Ref": "1.1", "Action": "Given."},
                       {"Priority ref": "1", "Action": "Not given."}]  # fmt: skip
    rows["Milestones"] = []
    rows["Indicators"][0]["Priority ref"] = None

    plan = plan_import(content=xlsx(rows), partnership=swale, user=None)

    assert [(p.ref, p.title, p.ref_generated) for p in Priority.objects.filter(plan=plan)] == [
        ("1", "Reducing reoffending", False), ("2", "Tackle anti-social behaviour", True),
    ]  # fmt: skip
    assert [(a.ref, a.ref_generated) for a in Action.objects.filter(priority__plan=plan)] == [
        ("1.1", False), ("1.2", True),
    ]  # fmt: skip


def test_one_cause_gives_one_message_for_all_its_rows(swale):
    rows = valid_rows()
    rows["Actions"] = [
        {"Priority ref": "9", "Ref": f"9.{n}", "Action": f"Action {n}"} for n in range(57)
    ]
    rows["Milestones"] = []

    assert refused(xlsx(rows), swale) == [
        "57 rows of Actions (rows 2–58), Priority ref: there is no priority '9' on the "
        "Priorities sheet. Use one of the priorities' refs (1, 2), or add it there."
    ]


def test_no_priority_names_the_real_cause_when_priorities_have_no_ref(swale):
    rows = valid_rows()
    rows["Priorities"][0]["Ref"] = None  # numbered 1
    rows["Priorities"][1]["Ref"] = "3"
    rows["Objectives"] = []
    rows["Actions"] = [{"Priority ref": "2", "Ref": "2.1", "Action": "Meant for the first."}]
    rows["Milestones"] = []
    rows["Indicators"][0]["Priority ref"] = None

    assert refused(xlsx(rows), swale) == [
        "Actions row 2, Priority ref: there is no priority '2' on the Priorities sheet: 1 "
        "priority has no ref there, so CSP Tracker numbered it in order (1). Write that number "
        "or the priority's title here, or give the priority the ref '2' on the Priorities "
        "sheet."
    ]


# --- Other words for the choices ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "header", "value", "message"),
    [
        ("Indicators", "Unit", "%", "'%' is not one of the choices — did you mean 'Percentage'? "
         "Write one of Number, Percentage, Rate, Other."),
        ("Indicators", "Direction", "Increase", "'Increase' is not one of the choices — did "
         "you mean 'Higher is better'? Write one of Higher is better, Lower is better."),
        ("Indicators", "Direction", "Reduce", "'Reduce' is not one of the choices — did you "
         "mean 'Lower is better'? Write one of Higher is better, Lower is better."),
        ("Plan", "Kind", "Delivery plan", "'Delivery plan' is not one of the choices — did you "
         "mean 'Action plan'? Write one of Community safety plan, Action plan, Refresh."),
        ("Indicators", "Unit", "Percentag", "'Percentag' is not one of the choices — did you "
         "mean 'Percentage'? Write one of Number, Percentage, Rate, Other."),
    ],
)  # fmt: skip
def test_other_words_for_a_choice_are_suggested(swale, sheet, header, value, message):
    rows = valid_rows()
    rows[sheet][0][header] = value
    assert refused(xlsx(rows), swale) == [f"{sheet} row 2, {header}: {message}"]


# --- Agencies by other names, and people ----------------------------------------------------------


@pytest.mark.parametrize(
    ("known", "written"),
    [
        ("Cambridgeshire Constabulary", "Cambs Police"),
        ("Cambs Police", "Cambridgeshire Constabulary"),
        ("Greater Manchester Police", "GMP"),
        ("Greater Manchester Police", "Greater Manchester Polce"),
        ("Greater Manchester Police", "Manchester Police"),
    ],
)
def test_an_agencys_other_name_is_suggested(swale, known, written):
    Agency.objects.create(name=known)
    rows = valid_rows()
    rows["Actions"][0]["Lead agency"] = written

    assert warnings(xlsx(rows), swale) == [
        f"Actions row 2, Lead agency: '{written}' is not a known agency — did you mean '{known}'?"
    ]


def test_the_partnerships_own_agencies_are_matched_more_loosely(swale):
    own = Agency.objects.create(name="Swale Community Safety Unit Team")
    swale.agencies.add(own)
    rows = valid_rows()
    rows["Actions"][0]["Lead agency"] = "Swale Safety Unit Team"

    assert warnings(xlsx(rows), swale) == [
        "Actions row 2, Lead agency: 'Swale Safety Unit Team' is not a known agency — did you "
        "mean 'Swale Community Safety Unit Team'?"
    ]


@pytest.mark.parametrize("lead", ["Chief Inspector Smith", "Jane Doe", "CSU Manager"])
def test_a_lead_that_reads_as_a_person_is_kept_as_the_lead_officer(swale, lead):
    rows = valid_rows()
    rows["Actions"][0]["Lead agency"] = lead
    content = xlsx(rows)

    preview = read_and_validate(content, partnership=swale)
    assert preview.new_agencies == []
    assert preview.priorities[0]["actions"][0]["lead_officer"] == lead
    assert [str(w) for w in preview.warnings] == [
        f"Actions row 2, Lead agency: '{lead}' looks like a person or a role, not an agency: "
        "it is kept as the lead officer. Put the agency in 'Lead agency' if it has one."
    ]
    agencies = Agency.objects.count()
    plan = plan_import(content=content, partnership=swale, user=None)
    action = Action.objects.get(priority__plan=plan, ref="1.1", priority__ref="1")
    assert (action.lead_agency, action.lead_officer_as_written) == (None, lead)
    assert Agency.objects.count() == agencies


def test_an_indicators_agency_that_reads_as_a_person_is_who_is_responsible(swale):
    rows = valid_rows()
    rows["Indicators"][0]["Agency"] = "DCI Jones"
    plan = plan_import(content=xlsx(rows), partnership=swale, user=None)
    indicator = Indicator.objects.get(plan=plan)
    assert (indicator.agency, indicator.responsible) == (None, "DCI Jones")


def test_lead_officers_are_users_of_the_partnership_or_names_as_written(swale):
    officer = member("lead-officer", SWALE, Membership.Role.OFFICER)
    officer.email, officer.first_name, officer.last_name = "lo@example.org", "Lee", "Officer"
    officer.save()
    rows = valid_rows()
    rows["Actions"][0]["Lead officer"] = "LO@example.org"
    rows["Actions"][1]["Lead officer"] = "Inspector Patel"
    rows["Milestones"][0]["Lead officer"] = "Lee Officer"
    rows["Milestones"][0]["Supporting agencies"] = "Kent Police; KFRS"

    plan = plan_import(content=xlsx(rows), partnership=swale, user=None)

    first, second = Action.objects.filter(priority__plan=plan, priority__ref="1")
    assert (first.lead_officer, second.lead_officer_as_written) == (officer, "Inspector Patel")
    milestone = Milestone.objects.get(action=first, order=1)
    assert milestone.lead_officer == officer
    assert sorted(a.name for a in milestone.supporting_agencies.all()) == [
        "Kent Fire and Rescue Service", "Kent Police",
    ]  # fmt: skip


# --- Frequency ----------------------------------------------------------------------------------


def test_a_blank_frequency_is_refused_with_the_choices(swale):
    rows = valid_rows()
    rows["Indicators"][0]["Frequency"] = None
    assert refused(xlsx(rows), swale) == [
        "Indicators row 2, Frequency: the frequency is empty: write how often a figure is "
        "reported, one of Monthly, Quarterly, Six monthly, Annually (keep a plan's own words, "
        "such as \"3 year rolling programme\", in 'Frequency as written')."
    ]


@pytest.mark.parametrize(
    ("written", "frequency", "warned"),
    [
        ("3 year rolling programme", "annually", True),
        ("Every quarter", "quarterly", False),
        ("Bi-annual", "six_monthly", False),
        ("Fortnightly", "monthly", False),
    ],
)
def test_a_frequency_in_the_plans_own_words_is_kept_as_written(swale, written, frequency, warned):
    rows = valid_rows()
    rows["Indicators"][0]["Frequency"] = written
    content = xlsx(rows)
    expected = (
        [
            f"Indicators row 2, Frequency: '{written}' is kept as written; a figure is asked "
            "for once a year (Annually). Change Frequency if it is reported more often."
        ]
        if warned
        else []
    )
    assert warnings(content, swale) == expected
    plan = plan_import(content=content, partnership=swale, user=None)
    indicator = Indicator.objects.get(plan=plan)
    assert (indicator.frequency, indicator.frequency_as_written) == (frequency, written)


# --- What indicators measure --------------------------------------------------------------------


def test_indicators_name_the_actions_and_objectives_they_measure(swale):
    rows = valid_rows()
    rows["Indicators"][0]["Measures (action refs)"] = "1.2; 2/1.1"
    rows["Indicators"][0]["Measures (objective refs)"] = "1/1"

    plan = plan_import(content=xlsx(rows), partnership=swale, user=None)

    indicator = Indicator.objects.get(plan=plan)
    assert sorted(
        (a.priority.ref, a.ref) for a in indicator.measures_actions.select_related("priority")
    ) == [("1", "1.2"), ("2", "1.1")]
    assert [o.ref for o in indicator.measures_objectives.all()] == ["1"]
    action = Action.objects.get(priority__plan=plan, priority__ref="1", ref="1.2")
    assert list(action.measured_by.all()) == [indicator]


def test_a_measure_of_an_action_not_in_the_plan_is_refused(swale):
    rows = valid_rows()
    rows["Indicators"][0]["Measures (action refs)"] = "1.1; 7.7"
    assert refused(xlsx(rows), swale) == [
        "Indicators row 2, Measures (action refs): there is no action '7.7' in the plan. Use "
        "one of the actions' refs (1/1.1, 1.2, 2/1.1), or add it there."
    ]


def test_a_workbook_made_before_the_new_columns_still_imports(swale):
    from plans.workbook import SHEETS

    headers = {
        name: [c.header for c in columns if not c.optional] for name, columns in SHEETS.items()
    }
    plan = plan_import(content=xlsx(valid_rows(), headers), partnership=swale, user=None)
    assert plan.title == TITLE
    assert not Plan.objects.filter(title=TITLE).exclude(pk=plan.pk).exists()


# --- One message per cause ------------------------------------------------------------------------


def test_problems_of_one_cause_are_grouped_with_their_rows():
    from plans.importing.problems import Problem, grouped, row_ranges

    same = [Problem("Actions", row, "Ref", "this cell is empty") for row in (2, 3, 4, 7)]
    other = Problem("Actions", 5, "Title", "this cell is empty")
    result = grouped([*same, other])
    assert [str(p) for p in result] == [
        "4 rows of Actions (rows 2–4 and 7), Ref: this cell is empty",
        "Actions row 5, Title: this cell is empty",
    ]
    assert row_ranges([9]) == "9" and row_ranges([1, 3, 4, 6]) == "1, 3–4 and 6"


def test_an_unticked_agency_used_on_many_rows_is_one_problem(swale):
    rows = valid_rows()
    for action in rows["Actions"]:
        action["Lead agency"] = "Sheppey Youth Trust"
    with pytest.raises(Exception) as caught:
        plan_import(content=xlsx(rows), partnership=swale, user=None)
    assert [str(p) for p in caught.value.problems] == [
        "3 rows of Actions (rows 2–4), Lead agency: 'Sheppey Youth Trust' is not a known "
        "agency: correct the name, or create it as a new agency."
    ]
