"""Importing a plan with the progress it has already made (issue 13): the optional Action
progress and Indicator values sheets create closed quarters, submitted updates and figures
marked as imported, which the action page, the dashboard and the trend chart then show. Each
message comes from a workbook built here (``test_importer``'s small Swale plan, 2020/21)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from plans.importing import ImportRefused, plan_import, read_and_validate
from plans.models import Partnership, Plan, ReportingPeriod
from plans.reporting import indicator_trend
from plans.workbook import plan_rows, plan_workbook
from priorities.models import Action, ActionUpdate, ActionUpdateVersion
from tests.plans.import_workbooks import SWALE, TITLE, refused, valid_rows, xlsx

pytestmark = pytest.mark.django_db

PROGRESS = [
    {"Action ref": "1.2", "Quarter": "2020/21 Q1", "Status": "Green",
     "Commentary": "Cameras checked in the town centre.", "Next steps": "Review the rest."},
    {"Action ref": "1.2", "Quarter": "Q2 2020/21", "Status": "Completed",
     "Commentary": "All cameras reviewed."},
    {"Action ref": "2/1.1", "Quarter": "2020-21 Q1", "Status": "Amber",
     "Commentary": "Referral pathway delayed."},
]  # fmt: skip
VALUES = [
    {"Indicator ref": "ASB1", "Quarter": "2020/21 Q1", "Value": 120},
    {"Indicator ref": "asb1", "Quarter": "Q2 2020/21", "Value": "110", "Note": "Provisional."},
]
WRITTEN = (ReportingPeriod, ActionUpdate, ActionUpdateVersion, IndicatorValue, Plan, Action)


@pytest.fixture
def swale(seeded) -> Partnership:
    return Partnership.objects.get(name=SWALE)


def with_progress(progress=None, values=None, **plan) -> bytes:
    rows = valid_rows()
    rows["Plan"][0].update(plan)
    rows["Action progress"] = PROGRESS if progress is None else progress
    rows["Indicator values"] = VALUES if values is None else values
    return xlsx(rows)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def imported(swale, content=None, **kwargs) -> Plan:
    return plan_import(content=content or with_progress(), partnership=swale, **kwargs)


# --- The template -------------------------------------------------------------------------------


def test_template_has_the_progress_sheets_with_help_and_examples(seeded):
    from io import BytesIO

    import openpyxl

    from plans.workbook import template_workbook

    book = openpyxl.load_workbook(BytesIO(template_workbook(agencies=[])))

    assert [c.value for c in book["Action progress"][1]][:5] == [
        "Action ref", "Quarter", "Status", "Commentary", "Next steps"
    ]  # fmt: skip
    assert [c.value for c in book["Indicator values"][1]][:4] == [
        "Indicator ref", "Quarter", "Value", "Note"
    ]  # fmt: skip
    assert "2019/20 Q1" in book["Action progress"]["B1"].comment.text
    instructions = "\n".join(str(c.value) for c in book["Instructions"]["A"] if c.value)
    assert "A plan already under way may bring its progress" in instructions
    assert 'Quarter (required): The quarter, as "2019/20 Q1"' in instructions
    assert "Status (required): Not started, On track (Green)" in instructions


# --- What is created --------------------------------------------------------------------------


def test_preview_counts_the_updates_values_and_quarters_and_writes_nothing(swale):
    before = counts()

    preview = read_and_validate(with_progress(), partnership=swale)

    assert counts() == before
    assert preview.counts["updates"] == 3
    assert preview.counts["values"] == 2
    assert preview.counts["quarters"] == 2


def test_a_workbook_without_progress_shows_no_progress_counts(swale):
    preview = read_and_validate(xlsx(valid_rows()), partnership=swale)
    assert "updates" not in preview.counts


def test_progress_imports_submitted_updates_values_and_closed_quarters(swale, swale_admin):
    plan = imported(swale, user=swale_admin)

    periods = list(plan.periods.all())
    assert [p.label for p in periods] == ["2020/21 Q1", "2020/21 Q2"]
    assert {p.status for p in periods} == {ReportingPeriod.Status.CLOSED}
    updates = {
        (u.action.priority.ref, u.action.ref, u.period.label): u
        for u in ActionUpdate.objects.filter(action__priority__plan=plan).select_related(
            "action__priority", "period"
        )
    }
    assert {key: u.status for key, u in updates.items()} == {
        ("1", "1.2", "2020/21 Q1"): "on_track",
        ("1", "1.2", "2020/21 Q2"): "complete",
        ("2", "1.1", "2020/21 Q1"): "at_risk",
    }
    first = updates[("1", "1.2", "2020/21 Q1")]
    assert first.commentary == "Cameras checked in the town centre."
    assert first.next_steps == "Review the rest."
    assert all(u.counts and u.imported_at and u.submitted_by == swale_admin
               for u in updates.values())  # fmt: skip
    assert ActionUpdateVersion.objects.filter(update__in=updates.values()).count() == 3
    # Complete sets the quarter that completed the action, as the update service does.
    review = Action.objects.get(priority__plan=plan, ref="1.2")
    assert review.completed_in.label == "2020/21 Q2"
    values = list(IndicatorValue.objects.filter(indicator__plan=plan).select_related("period"))
    assert [(v.period.label, v.display, v.note) for v in values] == [
        ("2020/21 Q1", "120", ""),
        ("2020/21 Q2", "110", "Provisional."),
    ]
    assert all(v.counts and v.imported_at and v.source == "the plan workbook" for v in values)


def test_imported_progress_counts_where_sign_off_is_asked_for(swale, swale_admin):
    swale.sign_off = True
    swale.save()

    plan = imported(swale, user=swale_admin)

    assert ActionUpdate.objects.filter(action__priority__plan=plan).counted().count() == 3
    assert IndicatorValue.objects.filter(indicator__plan=plan).counted().count() == 2


def test_the_earliest_complete_quarter_completes_the_action(swale):
    progress = [
        {"Action ref": "1.2", "Quarter": "2020/21 Q3", "Status": "Complete"},
        {"Action ref": "1.2", "Quarter": "2020/21 Q2", "Status": "complete"},
    ]
    plan = imported(swale, with_progress(progress, []))
    assert Action.objects.get(priority__plan=plan, ref="1.2").completed_in.label == "2020/21 Q2"


# --- What the pages show ----------------------------------------------------------------------


def test_action_page_shows_the_imported_history(client, swale, swale_admin):
    plan = imported(swale, user=swale_admin)
    action = Action.objects.get(priority__plan=plan, ref="1.2")
    client.force_login(swale_admin)

    page = client.get(action.get_absolute_url()).content.decode()

    q1 = page[page.index("2020/21 Q1") :]
    assert "Cameras checked in the town centre." in q1
    assert re.search(r"Imported with the plan on \d{1,2} \w+ 20\d\d", page)
    assert "All cameras reviewed." in page
    assert "No quarter of this plan has been opened" not in page


def test_dashboard_shows_the_imported_quarter(client, swale, swale_admin):
    plan = imported(swale, user=swale_admin)
    q1 = plan.periods.get(quarter=1)
    client.force_login(swale_admin)

    response = client.get(reverse("plans:plan_dashboard", args=[plan.pk]), {"period": q1.pk})

    assert response.status_code == 200
    report = response.context["report"]
    assert response.context["period"] == q1
    page = response.content.decode()
    assert "2020/21 Q1" in page
    statuses = {
        (row.action.priority.ref, row.action.ref): row.update.status
        for priority in report.priorities
        for row in priority.actions
        if row.update is not None
    }
    assert statuses == {("1", "1.2"): "on_track", ("2", "1.1"): "at_risk"}
    assert report.action_counts["on_track"] == 1 and report.action_counts["at_risk"] == 1
    q2 = client.get(
        reverse("plans:plan_dashboard", args=[plan.pk]), {"period": plan.periods.get(quarter=2).pk}
    )
    assert q2.context["report"].action_counts["complete"] == 1


def test_trend_chart_shows_the_imported_values(client, swale, swale_admin):
    plan = imported(swale, user=swale_admin)
    indicator = Indicator.objects.get(plan=plan, ref="ASB1")

    points = {(p.year, p.quarter): p.figure for p in indicator_trend(indicator) if p.figure}
    assert points == {(2020, 1): 120, (2020, 2): 110}
    client.force_login(swale_admin)
    page = client.get(reverse("indicators:indicator_trend", args=[indicator.pk])).content.decode()
    assert "2020/21 Q1" in page and "120" in page and "110" in page
    assert "imported from the plan workbook" in page
    detail = client.get(indicator.get_absolute_url()).content.decode()
    assert re.search(r"Imported from the plan workbook on \d{1,2} \w+ 20\d\d", detail)


# --- Errors: each one named by sheet and row, nothing created -----------------------------------


def refused_import(swale, content: bytes) -> list[str]:
    before = counts()
    with pytest.raises(ImportRefused):
        plan_import(content=content, partnership=swale)
    assert counts() == before
    return refused(content, swale)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"Action ref": "9.9"},
         "Action progress row 2, Action ref: there is no action '9.9' on the Actions sheet"),
        ({"Action ref": "1.1"},
         "Action progress row 2, Action ref: '1.1' is an action under priorities 1, 2: write it "
         "as 'priority ref/action ref', e.g. '1/1.1'"),
        ({"Quarter": "2019/20 Q4"},
         "Action progress row 2, Quarter: 2019/20 Q4 is outside the plan's years (2020/21): "
         "give quarters from 2020/21 Q1 to 2020/21 Q4"),
        ({"Quarter": "Spring 2020"},
         "Action progress row 2, Quarter: 'Spring 2020' is not a quarter: write it like "
         "2019/20 Q1"),
        ({"Status": "Compelte"},
         "Action progress row 2, Status: 'Compelte' is not a status — did you mean "
         "'Complete'? Write one of Not started, On track (Green), At risk (Amber), "
         "Off track (Red), Complete."),
        ({"Status": "Purple"},
         "Action progress row 2, Status: 'Purple' is not a status: Write one of"),
    ],
)  # fmt: skip
def test_bad_action_progress_rows_are_refused(swale, row, message):
    progress = [{"Action ref": "1.2", "Quarter": "2020/21 Q1", "Status": "Green"} | row]
    problems = refused_import(swale, with_progress(progress, []))
    assert len(problems) == 1
    assert problems[0].startswith(message), problems


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"Indicator ref": "DV9"},
         "Indicator values row 2, Indicator ref: there is no indicator 'DV9' on the "
         "Indicators sheet. Use one of the indicators' refs (ASB1), or add it there."),
        ({"Value": "lots"},
         "Indicator values row 2, Value: 'lots': Enter the value as a number, like 42 or 12.5"),
        ({"Value": -3}, "Indicator values row 2, Value: '-3': Enter a number of 0 or more"),
        ({"Quarter": "2021/22 Q1"},
         "Indicator values row 2, Quarter: 2021/22 Q1 is outside the plan's years"),
    ],
)  # fmt: skip
def test_bad_indicator_value_rows_are_refused(swale, row, message):
    values = [{"Indicator ref": "ASB1", "Quarter": "2020/21 Q1", "Value": 5} | row]
    problems = refused_import(swale, with_progress([], values))
    assert len(problems) == 1
    assert problems[0].startswith(message), problems


def test_a_quarter_not_ended_yet_is_refused(swale):
    progress = [{"Action ref": "1.2", "Quarter": "2040/41 Q1", "Status": "Green"}]
    content = with_progress(progress, [], **{"First year": 2040, "Last year": 2040})
    assert refused_import(swale, content) == [
        "Action progress row 2, Quarter: 2040/41 Q1 has not ended yet: only past quarters are "
        "imported; report on it in CSP Tracker once it is opened"
    ]


def test_duplicate_rows_for_an_item_and_quarter_are_refused(swale):
    progress = [
        {"Action ref": "1.2", "Quarter": "2020/21 Q1", "Status": "Green"},
        {"Action ref": "1/1.2", "Quarter": "Q1 2020/21", "Status": "Red", "Commentary": "x"},
    ]
    values = [
        {"Indicator ref": "ASB1", "Quarter": "2020/21 Q2", "Value": 1},
        {"Indicator ref": "ASB1", "Quarter": "2020-21 Q2", "Value": 2},
    ]
    assert refused_import(swale, with_progress(progress, values)) == [
        "Action progress row 3: this action has a row for 2020/21 Q1 already (row 2): keep one "
        "row per action and quarter",
        "Indicator values row 3: this indicator has a row for 2020/21 Q2 already (row 2): keep "
        "one row per indicator and quarter",
    ]


def test_one_cause_on_many_rows_is_one_message_and_required_cells_are_named(swale):
    progress = [
        {"Action ref": "1.2", "Quarter": "2019/20 Q1", "Status": "Green"},
        {"Action ref": "1.2", "Quarter": "2019/20 Q2", "Status": "Green"},
        {"Action ref": "1.2", "Quarter": "2019/20 Q3", "Status": ""},
    ]
    problems = refused_import(swale, with_progress(progress, []))
    assert problems[0].startswith("Action progress row 2, Quarter: 2019/20 Q1 is outside")
    assert any(p.startswith("Action progress row 4, Status:") for p in problems), problems
    assert len(problems) == 4


def test_progress_errors_are_listed_with_the_plans_other_errors(swale):
    rows = valid_rows()
    rows["Actions"][1]["Action"] = None
    rows["Action progress"] = [{"Action ref": "1.2", "Quarter": "2020/21", "Status": "Green"}]
    problems = refused(xlsx(rows), swale)
    assert problems[0].startswith("Actions row 3, Action:")
    assert problems[-1].startswith("Action progress row 2, Quarter: '2020/21' is not a quarter")


# --- Re-import and the round trip -------------------------------------------------------------


def history(plan: Plan) -> dict:
    return {
        "updates": sorted(
            (u.action.priority.ref, u.action.ref, u.period.label, u.status, u.commentary,
             u.next_steps, u.state)
            for u in ActionUpdate.objects.filter(action__priority__plan=plan).select_related(
                "action__priority", "period")
        ),
        "values": sorted(
            (v.indicator.ref, v.period.label, str(v.value.normalize()), v.note, v.state)
            for v in IndicatorValue.objects.filter(indicator__plan=plan).select_related(
                "indicator", "period")
        ),
        "periods": sorted((p.label, p.status) for p in plan.periods.all()),
        "completed": sorted(
            (a.ref, a.completed_in.label) for a in Action.objects.filter(
                priority__plan=plan, completed_in__isnull=False).select_related("completed_in")
        ),
    }  # fmt: skip


def test_progress_round_trips_through_export_and_import(swale):
    plan = imported(swale)
    before = history(plan)
    content = plan_workbook(plan)
    plan.delete()

    again = plan_import(content=content, partnership=swale)

    assert history(again) == before
    assert len(before["updates"]) == 3 and len(before["values"]) == 2


def test_importing_again_over_the_draft_replaces_its_progress(swale):
    imported(swale)
    fewer = with_progress(PROGRESS[:1], VALUES[:1])

    plan = plan_import(content=fewer, partnership=swale, replace_draft=True)

    assert Plan.objects.filter(title=TITLE).count() == 1
    assert len(history(plan)["updates"]) == 1
    assert [p.label for p in plan.periods.all()] == ["2020/21 Q1"]
    assert IndicatorValue.objects.filter(indicator__plan=plan).count() == 1


def test_a_quarter_not_ended_is_left_out_of_the_export(swale):
    plan = imported(swale)
    ReportingPeriod.objects.filter(plan=plan, quarter=2).update(year=2099)  # not ended yet
    rows = plan_rows(plan)

    assert [r["quarter"] for r in rows["Action progress"]] == ["2020/21 Q1", "2020/21 Q1"]
    assert [r["quarter"] for r in rows["Indicator values"]] == ["2020/21 Q1"]
    assert rows["Action progress"][0]["status"] == "On track (Green)"
    assert {r["action_ref"] for r in rows["Action progress"]} == {"1.2", "2/1.1"}


# --- Query budgets ------------------------------------------------------------------------------


def every_quarter() -> tuple[list, list]:
    """Each action's and the indicator's progress in all four quarters (12 updates, 4 values)."""
    actions = ["1.2", "1/1.1", "2/1.1"]
    progress = [{"Action ref": ref, "Quarter": f"2020/21 Q{q}", "Status": "On track"}
                for ref in actions for q in range(1, 5)]  # fmt: skip
    values = [
        {"Indicator ref": "ASB1", "Quarter": f"2020/21 Q{q}", "Value": q} for q in (1, 2, 3, 4)
    ]
    return progress, values


@pytest.mark.parametrize("page", ["export", "action", "preview"])
def test_pages_showing_progress_make_as_many_queries_at_two_sizes(client, swale, swale_admin, page):
    """The export, the action page and the import preview: the same queries for a plan with a
    little progress and one with four times as much."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.plans.import_pages.workbooks import stored

    client.force_login(swale_admin)
    used = []
    for progress, values in ((PROGRESS[:1], VALUES[:1]), every_quarter()):
        content = with_progress(progress, values)
        plan = plan_import(content=content, partnership=swale, replace_draft=True)
        if page == "export":
            url = reverse("plans:plan_export", args=[plan.pk])
        elif page == "action":
            url = Action.objects.get(priority__plan=plan, ref="1.2").get_absolute_url()
        else:
            upload = stored(swale, swale_admin, content)
            url = reverse("plans:plan_import_preview", args=[upload.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        used.append(len(queries))
    assert used[0] == used[1], used
