"""Funding lines on actions and a plan's previous-year results: the optional Funding and
Previous results sheets (import, export, the messages for bad cells), the funding summary by
source and year on the plan page, in the plan's Excel export and in the report pack's Excel,
the action page's lines, and editing both in the browser."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from plans.editing.models import PlanChange
from plans.importing import ImportRefused, plan_import, read_and_validate
from plans.models import FundingLine, Plan, PreviousResult
from plans.models_content import funding_summary
from plans.reporting import quarter_report
from plans.reporting.pack_workbook import report_workbook
from plans.services import period_open
from plans.workbook import plan_rows, plan_workbook
from tests.plans.import_workbooks import valid_rows, xlsx

pytestmark = pytest.mark.django_db

SWALE_PLAN = "Swale Community Safety Plan 2019/20"


def funded_rows() -> dict:
    rows = valid_rows()
    rows["Funding"] = [
        {
            "Priority ref": "1",
            "Action ref": "1.1",
            "Source": "PCC grant",
            "Amount (£)": "£118,369",
            "Financial year": "2020/21",
            "As written": "PCC grant £118,369",
        },
        {
            "Priority ref": "1",
            "Action ref": "1.1",
            "Source": "CHS directorate",
            "Amount (£)": 1000,
            "Financial year": 2020,
            "As written": "CHS directorate £1,000",
        },
        {
            "Priority ref": "Tackle anti-social behaviour",
            "Action ref": "Review CCTV.",
            "Source": "pcc grant",
            "Amount (£)": "2,500.50",
            "Financial year": "2021/22",
        },
        {
            "Priority ref": "2",
            "Action ref": "1.1",
            "Source": "Officer time",
            "As written": "Within existing resources",
        },
    ]
    rows["Previous results"] = [
        {
            "Ref": "1",
            "Item": "Reduce anti-social behaviour",
            "Target": "Reduce by 5%",
            "Outturn": "Reduced by 7.2%",
            "Period": "2019/20",
            "Comment": "Target met.",
        },
        {"Item": "Run two weeks of action"},
    ]
    return rows


@pytest.fixture
def swale(seeded):
    return Plan.objects.get(title=SWALE_PLAN).partnership


@pytest.fixture
def imported(swale) -> Plan:
    return plan_import(content=xlsx(funded_rows()), partnership=swale)


def refused(rows: dict, partnership) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        read_and_validate(xlsx(rows), partnership=partnership)
    return [str(problem) for problem in caught.value.problems]


# --- Import and export ----------------------------------------------------------------------


def test_funding_lines_and_previous_results_are_imported(imported):
    lines = FundingLine.objects.filter(action__priority__plan=imported).order_by("pk")
    assert [(ln.action.ref, ln.order, ln.source, ln.amount, ln.financial_year, ln.as_written)
            for ln in lines] == [
        ("1.1", 1, "PCC grant", Decimal("118369"), 2020, "PCC grant £118,369"),
        ("1.1", 2, "CHS directorate", Decimal("1000"), 2020, "CHS directorate £1,000"),
        ("1.2", 1, "pcc grant", Decimal("2500.50"), 2021, ""),
        ("1.1", 1, "Officer time", None, None, "Within existing resources"),
    ]  # fmt: skip
    assert lines[3].action.priority.ref == "2"
    results = list(imported.previous_results.all())
    assert [(r.ref, r.title, r.target, r.outturn, r.period, r.comment) for r in results] == [
        ("1", "Reduce anti-social behaviour", "Reduce by 5%", "Reduced by 7.2%", "2019/20",
         "Target met."),
        ("", "Run two weeks of action", "", "", "", ""),
    ]  # fmt: skip


def test_the_export_reads_back_the_same_lines_and_results(imported, swale):
    rows = plan_rows(imported)
    assert rows["Funding"][0] | {} == {
        "priority_ref": "1", "action_ref": "1.1", "source": "PCC grant",
        "amount": Decimal("118369.00"), "financial_year": 2020,
        "as_written": "PCC grant £118,369",
    }  # fmt: skip
    assert len(rows["Previous results"]) == 2

    content = plan_workbook(imported)
    book = openpyxl.load_workbook(BytesIO(content))
    assert book["Funding"]["D2"].value == 118369
    summary = [[c.value for c in row] for row in book["Funding summary"].iter_rows()]
    assert summary[0] == ["Source", "Financial year", "Lines", "Amount (£)"]
    assert ["PCC grant", "All years", 2, 120869.5] in summary
    assert ["Total", None, None, 121869.5] in summary

    imported.title = "Renamed"
    imported.save()
    preview = read_and_validate(content, partnership=swale)
    assert not [w for w in preview.warnings if "Funding summary" in str(w)]
    again = plan_import(content=content, partnership=swale, replace_draft=True)
    assert plan_rows(again)["Funding"] == plan_rows(imported)["Funding"]
    assert plan_rows(again)["Previous results"] == plan_rows(imported)["Previous results"]


def test_a_workbook_without_the_optional_sheets_still_imports(swale):
    plan = plan_import(content=xlsx(valid_rows()), partnership=swale)
    assert not FundingLine.objects.filter(action__priority__plan=plan).exists()
    assert not plan.previous_results.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("£1k", "Funding row 2, Amount (£): '£1k' is not an amount in pounds: write it as "
         "118369 or £118,369 (at most two decimals), or leave it empty and keep the plan's "
         "words in 'As written'."),
        ("about 5000", "Funding row 2, Amount (£): 'about 5000' is not an amount in pounds"),
        ("12.345", "Funding row 2, Amount (£): '12.345' is not an amount in pounds"),
        ("-50", "Funding row 2, Amount (£): '-50' is below zero: write the amount the action "
         "receives, in pounds."),
        ("1,00", "Funding row 2, Amount (£): '1,00' has a decimal comma."),
        ("1,2,3", "Funding row 2, Amount (£): '1,2,3' has commas in the wrong places."),
    ],
)  # fmt: skip
def test_bad_amounts_are_refused_saying_how_to_write_them(swale, amount, message):
    rows = funded_rows()
    rows["Funding"][0]["Amount (£)"] = amount
    problems = refused(rows, swale)
    assert len(problems) == 1 and problems[0].startswith(message)


def test_funding_of_an_action_or_priority_not_in_the_plan_is_refused(swale):
    rows = funded_rows()
    rows["Funding"][0]["Action ref"] = "1.9"
    rows["Funding"][1]["Priority ref"] = "7"
    rows["Funding"][2]["Financial year"] = "next year"
    rows["Funding"][3]["Source"] = ""

    assert refused(rows, swale) == [
        "Funding row 2, Action ref: priority '1' has no action '1.9' on the Actions sheet. "
        "Use one of its actions' refs (1.1, 1.2), or add it there.",
        "Funding row 3, Priority ref: there is no priority '7' on the Priorities sheet. Use "
        "one of the priorities' refs (1, 2), or add it there.",
        "Funding row 4, Financial year: 'next year' is not a financial year: write its first "
        "year, e.g. 2025 or 2025/26.",
        "Funding row 5, Source: this cell is empty, but it is required: fill it in.",
    ]


def test_a_previous_result_without_its_words_is_refused(swale):
    rows = funded_rows()
    rows["Previous results"][0]["Item"] = None
    assert refused(rows, swale) == [
        "Previous results row 2, Item: this cell is empty, but it is required: fill it in."
    ]


# --- The summary and the pages --------------------------------------------------------------


def test_funding_summary_adds_up_by_source_and_year(imported):
    summary = funding_summary(imported)
    assert [(s["source"], s["lines"], s["unstated"], s["total_display"])
            for s in summary["sources"]] == [
        ("PCC grant", 2, 0, "£120,869.50"),
        ("CHS directorate", 1, 0, "£1,000"),
        ("Officer time", 1, 1, ""),
    ]  # fmt: skip
    assert [(y["source"], y["year"], y["total_display"]) for y in summary["by_year"]] == [
        ("CHS directorate", "2020/21", "£1,000"),
        ("PCC grant", "2020/21", "£118,369"),
        ("PCC grant", "2021/22", "£2,500.50"),
    ]
    assert summary["total_display"] == "£121,869.50"


@pytest.fixture
def shown(imported, client, swale_admin):
    client.force_login(swale_admin)
    return client


def test_plan_page_shows_the_funding_summary_and_previous_results(shown, imported):
    page = shown.get(imported.get_absolute_url()).content.decode()

    assert '<a class="govuk-link" href="#funding">Funding</a>' in page
    assert "£121,869.50 in all" in page
    assert 'data-label="Source">PCC grant</th>' in page
    assert 'data-label="Amount">£120,869.50</td>' in page
    assert 'data-label="Amount">No amount given</td>' in page  # officer time
    assert 'data-label="Financial year">2021/22</td>' in page
    assert '<h2 class="govuk-heading-l" id="previous-results-heading">Results of the ' in page
    assert 'data-label="Outturn">Reduced by 7.2%</td>' in page
    assert 'data-label="Target">None given</td>' in page


def test_a_plan_without_funding_or_results_shows_neither(reader_client, seeded):
    page = reader_client.get(Plan.objects.get(title="Action Plan 2024-25").get_absolute_url())
    assert 'id="funding"' not in page.content.decode()
    assert 'id="previous-results"' not in page.content.decode()


def test_swales_plan_shows_its_key_activities_of_2018_19(reader_client, seeded):
    plan = Plan.objects.get(title=SWALE_PLAN)
    assert plan.previous_results.count() == 9
    page = reader_client.get(plan.get_absolute_url()).content.decode()
    assert 'data-label="Item">Swale Fusion Festival</td>' in page
    assert "Over 1000 people attended the event" in page
    assert page.count('data-label="Period">2018/19</td>') == 9
    assert 'data-label="Outturn"' not in page  # a column no activity fills is left out


def test_action_page_lists_its_funding_lines_as_written(shown, imported):
    action = imported.priorities.get(ref="1").actions.get(ref="1.1")
    page = shown.get(action.get_absolute_url()).content.decode()
    assert '<h2 class="govuk-heading-m" id="funding">Funding</h2>' in page
    assert 'data-label="Amount">£118,369</td>' in page
    assert 'data-label="As written">CHS directorate £1,000</td>' in page


def test_the_report_pack_workbook_has_a_funding_sheet(imported):
    imported.status = Plan.Status.ACTIVE
    imported.save()
    period = period_open(plan=imported, year=2020, quarter=1, deadline=date(2099, 1, 1))
    book = openpyxl.load_workbook(
        BytesIO(report_workbook(quarter_report(plan=imported, period=period)))
    )
    rows = [[c.value for c in row] for row in book["Funding"].iter_rows()]
    assert rows[0] == ["Source", "Financial year", "Lines", "Amount (£)"]
    assert ["PCC grant", "2021/22", None, 2500.5] in rows
    assert rows[-1] == ["Total", None, None, 121869.5]


# --- Editing --------------------------------------------------------------------------------


def edit(plan: Plan, name: str, kind: str, *args) -> str:
    return reverse(f"plans:plan_item_{name}", args=[plan.pk, kind, *args])


def test_an_admin_adds_a_funding_line_read_as_the_import_reads_it(shown, imported):
    action = imported.priorities.get(ref="1").actions.get(ref="1.2")
    url = edit(imported, "add", "funding") + f"?parent={action.pk}"

    form = shown.get(url).content.decode()
    assert "Add a funding line" in form and "In pounds: 118369 or £118,369" in form
    response = shown.post(url, {"source": "PCC grant", "amount": "£1k", "financial_year": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "&#x27;£1k&#x27; is not an amount in pounds" in page
    assert action.funding_lines.count() == 1

    response = shown.post(url, {"source": "Council", "amount": "£2,000", "financial_year":
                                "2020/21", "as_written": "SBC £2,000"})  # fmt: skip
    assert response.status_code == 302
    line = action.funding_lines.get(source="Council")
    assert (line.order, line.amount, line.financial_year) == (2, Decimal("2000"), 2020)
    edit_page = shown.get(reverse("plans:plan_edit", args=[imported.pk])).content.decode()
    assert "Funding: Council £2,000 (2020/21)" in edit_page


def test_on_an_active_plan_results_and_funding_change_with_a_reason(shown, imported):
    imported.status = Plan.Status.ACTIVE
    imported.save()
    result = imported.previous_results.first()
    url = edit(imported, "change", "result", result.pk)
    data = {"ref": "1", "title": result.title, "target": result.target, "period": "2019/20",
            "outturn": "Reduced by 7.3%", "comment": result.comment}  # fmt: skip

    refused = shown.post(url, data)
    assert "Enter the reason for this change" in refused.content.decode()
    assert shown.post(url, data | {"reason": "Final figure"}).status_code == 302

    change = PlanChange.objects.get(plan=imported)
    assert change.what == "Previous-year result 1"
    assert change.fields == [("Outturn", "Reduced by 7.2%", "Reduced by 7.3%")]
    assert change.reason == "Final figure"
    line = FundingLine.objects.filter(action__priority__plan=imported).first()
    removed = shown.post(edit(imported, "remove", "funding", line.pk), {"reason": "Withdrawn"})
    assert removed.status_code == 302
    assert PlanChange.objects.filter(what="Funding line 1 of action 1.1").exists()


def test_a_result_added_in_the_browser_goes_last(shown, imported):
    response = shown.post(edit(imported, "add", "result"), {"title": "Held a week of action"})
    assert response.status_code == 302
    added = PreviousResult.objects.get(title="Held a week of action")
    assert added.order == 3 and added.ref == ""


# --- "Numbered by CSP Tracker" survives an export and an import ------------------------------


def test_items_numbered_by_csp_tracker_stay_so_through_export_and_import(swale):
    rows = valid_rows()
    rows["Actions"][1]["Ref"] = None
    rows["Indicators"][0]["Ref"] = None
    plan = plan_import(content=xlsx(rows), partnership=swale)
    action = plan.priorities.get(ref="1").actions.get(title="Review CCTV.")
    assert action.ref_generated and plan.indicators.get().ref_generated

    content = plan_workbook(plan)
    book = openpyxl.load_workbook(BytesIO(content))
    sheet = book["Actions"]
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("Numbered by CSP Tracker")
    assert [row[column].value for row in sheet.iter_rows(min_row=2)] == [None, "Yes", None]

    preview = read_and_validate(content, partnership=swale)
    assert not [w for w in preview.warnings if "numbered" in str(w)]  # nothing new to number
    again = plan_import(content=content, partnership=swale, replace_draft=True)
    refs = {(a.ref, a.ref_generated) for a in again.priorities.get(ref="1").actions.all()}
    assert refs == {("1.1", False), (action.ref, True)}
    assert again.indicators.get().ref_generated
    assert not again.priorities.get(ref="1").ref_generated
