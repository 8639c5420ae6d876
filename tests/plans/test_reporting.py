"""The quarter report behind the dashboards, report pack and workbook, against data whose
every status, figure and milestone is known."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from indicators.models import Indicator, IndicatorValue
from plans.models import Plan, ReportingPeriod
from plans.reporting import (
    TrendChart,
    indicator_trend,
    quarter_report,
    quarter_reports,
    quarters_of,
)
from plans.services import period_open
from tests.conftest import SWALE
from tests.factories import PriorityFactory
from tests.plans.known_plan import TODAY, Known, build_known_plan, grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(seeded) -> Known:
    return build_known_plan()


def report(known: Known, period=None, **filters):
    return quarter_report(plan=known.plan, period=period or known.q2, today=TODAY, **filters)


def refs(rows) -> list[str]:
    return [row.ref for row in rows]


# --- Counts ------------------------------------------------------------------------------------


def test_quarters_of_a_plan_are_its_financial_years_quarters():
    plan = Plan(start_year=2019, end_year=2020)
    assert quarters_of(plan) == [(2019, 1), (2019, 2), (2019, 3), (2019, 4)] + [
        (2020, 1), (2020, 2), (2020, 3), (2020, 4)
    ]  # fmt: skip


def test_action_counts_use_submitted_updates_only(known):
    result = report(known)
    assert result.previous_period == known.q1
    # 1.2 has only a draft (On track) in the open Q2: it stands at Q1's At risk, carried forward.
    assert result.action_counts == {
        "not_started": 0, "on_track": 0, "at_risk": 2, "off_track": 1, "complete": 1,
        "no_update": 0,
    }  # fmt: skip
    assert result.action_rag_counts == {
        "red": 1, "amber": 2, "green": 1, "no_rag": 0, "no_update": 0
    }  # fmt: skip


def test_indicator_counts_by_rag(known):
    result = report(known)
    # I1 81 is Amber, I2 25 is Green; I3 "not available" and I5 (nothing) have no value.
    assert result.indicator_counts == {
        "red": 0, "amber": 1, "green": 1, "no_rag": 0, "no_value": 2
    }  # fmt: skip


def test_changes_since_last_quarter_count_the_previous_quarter(known):
    result = report(known)
    assert result.changes["actions"] == {
        "not_started": 0, "on_track": 1, "at_risk": 1, "off_track": 1, "complete": 0,
        "no_update": 1,
    }  # fmt: skip
    # Q1: I1 90 Green, I2 40 Red, I3 5 (no target: no RAG), I5 nothing.
    assert result.changes["indicators"] == {
        "red": 1, "amber": 0, "green": 1, "no_rag": 1, "no_value": 1
    }  # fmt: skip
    lines = {line.key: line for line in result.action_rag_summary}
    assert (lines["red"].count, lines["red"].previous, lines["red"].delta) == (1, 1, 0)
    assert (lines["green"].count, lines["green"].previous, lines["green"].delta) == (1, 1, 0)
    lines = {line.key: line for line in result.indicator_summary}
    assert (lines["red"].delta, lines["amber"].delta, lines["no_rag"].delta) == (-1, 1, -1)


def test_first_quarter_has_nothing_to_compare(known):
    result = report(known, known.q1)
    assert result.previous_period is None
    assert result.changes == {}
    assert all(line.delta is None for line in result.action_rag_summary)


# --- Rows --------------------------------------------------------------------------------------


def test_priorities_hold_their_rows_in_plan_order(known):
    result = report(known)
    assert [p.priority.ref if p.priority else None for p in result.priorities] == ["1", "2", None]
    first, second, loose = result.priorities
    assert refs(first.actions) == ["1.1", "1.2"] and refs(first.indicators) == ["I1", "I2"]
    assert refs(second.actions) == ["2.1", "2.2"] and refs(second.indicators) == ["I3"]
    assert refs(loose.indicators) == ["I5"] and loose.actions == []
    # 1.2 (a draft only in Q2) stands at Q1's At risk, carried forward.
    assert first.action_rags == {"red": 1, "amber": 1, "green": 0, "no_rag": 0, "no_update": 0}


def test_action_rows_map_status_to_rag_and_name_the_lead(known):
    rows = {row.ref: row for row in report(known).actions}
    assert (rows["1.1"].status, rows["1.1"].rag, rows["1.1"].commentary) == (
        "off_track", "red", "Funding cut"
    )  # fmt: skip
    assert rows["2.2"].rag == "green" and rows["2.2"].status_label == "Complete"
    # A draft is not reported: the open quarter shows Q1's status, carried forward, and the
    # draft is noted.
    assert (rows["1.2"].update, rows["1.2"].status, rows["1.2"].has_draft) == (
        None, "at_risk", True
    )  # fmt: skip
    assert rows["1.2"].status_label == "At risk (Amber)"
    assert rows["1.2"].status_note == "Carried forward from 2024/25 Q1, not yet updated"
    # An action without its own lead falls to its priority's lead.
    assert rows["1.2"].agency == known.agencies["csu"] and rows["1.2"].lead == "Swale CSU"


def test_indicator_rows_show_value_target_rag_direction_and_last_four(known):
    rows = {row.ref: row for row in report(known).indicators}
    i1 = rows["I1"]
    assert (i1.display, i1.rag, i1.target_text) == ("81%", "amber", "85%")
    assert i1.target_summary == "At least 85%"
    assert i1.direction == "worsening" and i1.direction_label.startswith("Worsening")
    assert i1.direction_year is None and i1.direction_year_label == "Not known"
    assert i1.last_four == [
        ("2023/24 Q3", "No value"), ("2023/24 Q4", "No value"),
        ("2024/25 Q1", "90%"), ("2024/25 Q2", "81%"),
    ]  # fmt: skip
    assert i1.commentary == "Two surveys were late"
    i2 = rows["I2"]  # lower is better: 40 → 25 improves
    assert (i2.rag, i2.direction) == ("green", "improving")
    assert rows["I3"].display == "Not available" and rows["I3"].rag is None
    assert rows["I3"].commentary == "Not available: Survey not run"
    assert (rows["I5"].value, rows["I5"].display) == (None, "No value")


def test_a_leads_rag_override_wins_and_its_reason_is_shown(known):
    IndicatorValue.objects.filter(indicator=known.indicators["I2"], period=known.q2).update(
        rag_override="red", rag_override_reason="Figures incomplete"
    )
    row = next(row for row in report(known).indicators if row.ref == "I2")
    assert row.rag == "red"
    assert "RAG set to Red: Figures incomplete" in row.commentary


def test_exceptions_are_red_then_amber_in_plan_order_with_commentary_and_lead(known):
    exceptions = report(known).exceptions
    assert [(row.kind, row.ref, row.rag) for row in exceptions] == [
        ("action", "1.1", "red"),
        ("action", "1.2", "amber"),  # carried forward from Q1
        ("indicator", "I1", "amber"),
        ("action", "2.1", "amber"),
    ]
    assert [row.commentary for row in exceptions] == [
        "Funding cut", "Contractor slipping", "Two surveys were late", "Recovering"
    ]  # fmt: skip
    assert [row.lead for row in exceptions] == [
        "Swale CSU", "Swale CSU", "Kent Police", "Kent Police"
    ]  # fmt: skip


def test_overdue_milestones_and_flagged_actions(known):
    result = report(known)
    # m1 was done in Q1; m2 falls due after Q2; m4 (1.2) and m3 (2.1) are overdue.
    assert [(m.action.ref, m.milestone.text, m.due_date) for m in result.overdue_milestones] == [
        ("1.2", "Survey done", date(2024, 6, 30)),
        ("2.1", "Referral pathway", date(2024, 8, 31)),
    ]
    assert [m.lead for m in result.overdue_milestones] == ["Swale CSU", "Kent Police"]
    # 1.2 has an overdue milestone and no submitted update this quarter: flagged.
    assert refs(result.flagged_actions) == ["1.2"]
    assert result.cutoff == date(2024, 9, 30)


def test_overdue_counts_to_today_while_the_quarter_runs(known):
    result = report(known, known.q2)
    assert len(result.overdue_milestones) == 2
    early = quarter_report(plan=known.plan, period=known.q2, today=date(2024, 7, 15))
    assert [m.milestone.text for m in early.overdue_milestones] == ["Survey done"]
    assert early.cutoff == date(2024, 7, 15)


def test_missing_updates_by_agency(known):
    missing = report(known).missing
    assert [(m.label, refs(m.actions), refs(m.indicators)) for m in missing] == [
        ("Kent Police", [], ["I5"]),
        ("Swale CSU", ["1.2"], []),
    ]
    q1_missing = report(known, known.q1).missing
    assert [(m.label, refs(m.actions), refs(m.indicators)) for m in q1_missing] == [
        ("Kent Police", [], ["I5"]),
        ("Test agency", ["2.2"], []),
    ]


# --- Filters -----------------------------------------------------------------------------------


def test_filter_by_priority(known):
    priority = known.actions["2.1"].priority
    result = report(known, priority=priority)
    assert [p.priority for p in result.priorities] == [priority]
    assert refs(result.actions) == ["2.1", "2.2"] and refs(result.indicators) == ["I3"]
    assert result.action_counts["at_risk"] == 1 and result.action_counts["complete"] == 1
    assert refs(result.exceptions) == ["2.1"]
    assert result.changes["actions"]["off_track"] == 1  # 2.1 in Q1


def test_filter_by_agency_keeps_only_what_it_leads(known):
    result = report(known, agency=known.agencies["police"])
    assert refs(result.actions) == ["2.1"]
    assert refs(result.indicators) == ["I1", "I2", "I5"]
    assert [p.priority.ref if p.priority else None for p in result.priorities] == ["1", "2", None]
    csu = report(known, agency=known.agencies["csu"])
    # 1.2 has no lead of its own: its theme's lead (Swale CSU) answers for it.
    assert refs(csu.actions) == ["1.1", "1.2"] and csu.indicators == []


# --- Predecessors and trends ---------------------------------------------------------------


def test_last_four_and_direction_run_through_the_predecessor(known, with_predecessor):
    row = next(row for row in report(known).indicators if row.ref == "I1")
    assert row.last_four == [
        ("2023/24 Q3", "No value"), ("2023/24 Q4", "88%"),
        ("2024/25 Q1", "90%"), ("2024/25 Q2", "81%"),
    ]  # fmt: skip
    assert row.direction_year == "improving"  # 70% in 2023/24 Q2
    q1 = next(row for row in report(known, known.q1).indicators if row.ref == "I1")
    assert q1.direction == "improving"  # 88% in 2023/24 Q4, the predecessor's


def test_indicator_trend_gives_eight_quarters_with_predecessors(
    known, with_predecessor, django_assert_max_num_queries
):
    indicator = Indicator.objects.select_related("plan").get(pk=known.indicators["I1"].pk)
    with django_assert_max_num_queries(3):
        points = indicator_trend(indicator)
    assert [(p.label, p.display) for p in points] == [
        ("2022/23 Q3", "No value"), ("2022/23 Q4", "No value"),
        ("2023/24 Q1", "No value"), ("2023/24 Q2", "70%"),
        ("2023/24 Q3", "No value"), ("2023/24 Q4", "88%"),
        ("2024/25 Q1", "90%"), ("2024/25 Q2", "81%"),
    ]  # fmt: skip
    sources = {p.label: p.source.ref for p in points if p.source}
    assert sources == {"2023/24 Q2": "V1", "2023/24 Q4": "V1", "2024/25 Q1": "I1",
                       "2024/25 Q2": "I1"}  # fmt: skip
    latest = points[-1]
    assert (latest.rag, latest.direction_label.split()[0]) == ("amber", "Worsening")


def test_trend_chart_places_points_and_target_inside_the_frame(known):
    indicator = Indicator.objects.select_related("plan").get(pk=known.indicators["I1"].pk)
    chart = TrendChart(indicator_trend(indicator), Decimal(85))
    assert chart.low == 0 and chart.high >= 90
    ys = [y for _, y, _ in chart.dots]
    assert len(ys) == 2 and all(chart.top <= y <= chart.baseline_y for y in ys)
    assert chart.target_y is not None and chart.top <= chart.target_y <= chart.baseline_y
    assert ys[0] < chart.target_y < ys[1]  # 90 above the target line, 81 below it
    assert len(chart.lines) == 1  # two neighbouring quarters make one line


# --- Snapshot and size -------------------------------------------------------------------------


def test_to_json_is_a_serialisable_snapshot_of_everything_shown(known):
    data = json.loads(json.dumps(report(known).to_json()))
    assert data["period"]["label"] == "2024/25 Q2"
    assert data["previous_period"]["label"] == "2024/25 Q1"
    assert data["plan"]["partnership"] == SWALE
    assert data["action_counts"]["off_track"] == 1
    assert data["indicator_counts"]["amber"] == 1
    assert data["changes"]["indicators"]["red"] == 1
    assert [e["ref"] for e in data["exceptions"]] == ["1.1", "1.2", "I1", "2.1"]
    i1 = data["priorities"][0]["indicators"][0]
    assert (i1["value"], i1["display"], i1["rag"], i1["target"]) == (81, "81%", "amber", "85%")
    assert i1["last_four"][-1] == {"quarter": "2024/25 Q2", "display": "81%"}
    assert data["overdue_milestones"][0]["due_date"] == "2024-06-30"
    assert data["flagged_actions"] == ["1.2"]
    assert data["missing"][1] == {
        "agency": "Swale CSU",
        "actions": [{"ref": "1.2", "title": "Street lighting"}],
        "indicators": [],
    }
    assert datetime.fromisoformat(data["generated_at"])


def test_report_costs_the_same_queries_whatever_the_plan_size(known, django_assert_num_queries):
    plan = Plan.objects.select_related("partnership").get(pk=known.plan.pk)
    # 8, 1 for the quarter's answered questions in the snapshot (plans.collaboration) and 1
    # for the plan's funding summary.
    with django_assert_num_queries(10):
        small = quarter_report(plan=plan, period=known.q2, today=TODAY)
        small.to_json()
    grow(plan, [known.q1, known.q2])
    with django_assert_num_queries(10):
        big = quarter_report(plan=plan, period=known.q2, today=TODAY)
        big.to_json()
    assert len(big.actions) == len(small.actions) + 40
    assert len(big.indicators) == len(small.indicators) + 80


def test_reports_of_several_plans_cost_the_same_queries_as_one(known, django_assert_num_queries):
    plans = []
    for year in (2030, 2031, 2032):
        plan = Plan.objects.create(
            partnership=known.plan.partnership, title=f"Extra {year}", kind=Plan.Kind.ACTION_PLAN,
            start_year=year, end_year=year, status=Plan.Status.ACTIVE,
        )  # fmt: skip
        PriorityFactory(plan=plan)
        periods = [period_open(plan=plan, year=year, quarter=q, deadline=date(year, 12, 1))
                   for q in (1, 2)]  # fmt: skip
        grow(plan, periods, size=5)
        plans.append(periods[-1])
    periods = list(ReportingPeriod.objects.filter(pk__in=[p.pk for p in plans + [known.q2]])
                   .select_related("plan__partnership"))  # fmt: skip
    with django_assert_num_queries(8):
        reports = quarter_reports(periods, today=TODAY)
    assert len(reports) == 4
    assert {len(r.actions) for r in reports if r.plan.title.startswith("Extra")} == {5}
