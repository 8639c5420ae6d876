"""Dashboards that read true (issue 9): an action nobody has updated yet in an open quarter
keeps its last status (carried forward), done actions count as Complete, indicators not due
are not missing, the change since last quarter compares each item with itself, the open
quarter is provisional, "what changed" is listed, and refs that repeat across priorities
carry their priority's. Built on the known plan of ``test_reporting``."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from indicators.models import Indicator
from plans.models import Membership, Plan
from plans.reporting import quarter_report, render_report_html
from plans.services import period_close, period_open
from priorities.models import Action
from tests.conftest import MEDWAY, SWALE, member
from tests.factories import ActionFactory, PriorityFactory
from tests.plans.known_plan import TODAY, Known, build_known_plan, update
from tests.plans.test_dashboards import element, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(seeded) -> Known:
    return build_known_plan()


@pytest.fixture
def seg_client(client, seg_member):
    client.force_login(seg_member)
    return client


def report(known: Known, period=None):
    return quarter_report(plan=known.plan, period=period or known.q2, today=TODAY)


def counts(result) -> dict[str, tuple[int, int | None]]:
    """Actions by RAG: (count, previous)."""
    return {line.key: (line.count, line.previous) for line in result.action_rag_summary}


def dashboard(client, known: Known, period) -> str:
    url = reverse("plans:plan_dashboard", args=[known.plan.pk])
    return page(client, f"{url}?period={period.pk}")


# --- Counts and deltas, open and closed ------------------------------------------------------


def test_open_quarter_carries_forward_and_says_how_much_is_reported(known):
    result = report(known)
    assert result.provisional
    # 1.1 Off track, 1.2 At risk (Q1's, carried: only a draft in Q2), 2.1 At risk, 2.2 Complete.
    assert counts(result) == {
        "red": (1, 1), "amber": (2, 1), "green": (1, 1), "no_rag": (0, 0), "no_update": (0, 1)
    }  # fmt: skip
    c = result.completeness
    assert (c.actions_reported, c.actions_due, c.carried_forward) == (3, 4, 1)
    assert (c.indicators_reported, c.indicators_due, c.not_due) == (3, 4, 0)
    # The same four actions in both quarters: the changes add up to nothing.
    assert sum(line.delta for line in result.action_rag_summary) == 0
    assert sum(line.delta for line in result.indicator_summary) == 0


def test_closed_quarter_counts_what_was_reported(known):
    period_close(period=known.q2)
    result = report(known)
    assert not result.provisional
    assert counts(result) == {
        "red": (1, 1), "amber": (1, 1), "green": (1, 1), "no_rag": (0, 0), "no_update": (1, 1)
    }  # fmt: skip
    row = next(row for row in result.actions if row.ref == "1.2")
    assert (row.status, row.status_label, row.carried_forward) == (None, "No update", False)
    assert sum(line.delta for line in result.action_rag_summary) == 0


def test_a_new_open_quarter_does_not_read_as_an_improvement(known):
    """Nobody has updated Q3 yet: Red stays Red instead of "Red 0 (−1), No update +4"."""
    q3 = period_open(plan=known.plan, year=2024, quarter=3, deadline=date(2025, 1, 31))
    result = report(known, q3)
    assert counts(result) == {
        "red": (1, 1), "amber": (2, 2), "green": (1, 1), "no_rag": (0, 0), "no_update": (0, 0)
    }  # fmt: skip
    assert all(line.delta == 0 for line in result.action_rag_summary)
    assert all(line.delta == 0 for line in result.indicator_summary)
    assert result.completeness.actions_reported == 0
    # 2.2 was submitted Complete in Q2, so it is done: Complete without being asked again.
    assert all(row.carried_forward for row in result.actions if row.ref != "2.2")
    assert next(row for row in result.actions if row.ref == "2.2").done
    row = next(row for row in result.actions if row.ref == "1.1")
    assert row.status_note == "Carried forward from 2024/25 Q2, not yet updated"
    assert row.commentary == "Funding cut"  # what the status was reported with
    assert not any(result.changed.values())  # nothing has changed: nothing was updated


def test_dashboard_shows_counts_changes_and_provisional_for_an_open_quarter(seg_client, known):
    markup = dashboard(seg_client, known, known.q2)
    assert element(markup, "provisional").startswith(
        "! Warning Provisional: this quarter is still open (updates due by 31 October 2024)."
    )
    assert element(markup, "completeness-actions") == "3 of 4 actions reported"
    assert element(markup, "completeness-indicators") == "3 of 4 indicators reported"
    assert "1 action not yet updated is counted at its last submitted status" in element(
        markup, "completeness-notes"
    )
    assert element(markup, "headline-actions-red") == "Red (off track) 1 No change (was 1)"
    exception = element(markup, "exception-action-12")
    assert "Carried forward from 2024/25 Q1, not yet updated" in exception
    assert "In 2024/25 Q1: At risk (Amber)" in exception


def test_dashboard_of_a_closed_quarter_is_not_provisional(seg_client, known):
    period_close(period=known.q2)
    markup = dashboard(seg_client, known, known.q2)
    assert 'id="provisional"' not in markup and "Provisional" not in markup
    assert element(markup, "headline-actions-no_update") == "No update 1 No change (was 1)"
    assert element(markup, "completeness-actions") == "3 of 4 actions reported"


def test_rag_charts_are_labelled_svgs_with_their_counts_in_words(seg_client, known):
    markup = dashboard(seg_client, known, known.q2)
    assert markup.count('<svg class="app-rag-chart"') == 2
    assert element(markup, "chart-actions-title") == "Actions by RAG, 2024/25 Q2"
    assert element(markup, "chart-actions-desc") == (
        "Bar chart of 4 in all. Red (off track): 1; Amber (at risk): 2; "
        "Green (on track or complete): 1; Not started: 0; No update: 0. "
        "The same counts are in the table."
    )
    assert "url(#chart-indicators-hatch)" in markup  # "No value" is hatched, not a colour


# --- Done actions and indicators not due --------------------------------------------------------


def test_a_done_action_counts_as_complete_later_without_an_update(known):
    action = known.actions["2.2"]
    action.completed_in = known.q2
    action.save()
    q3 = period_open(plan=known.plan, year=2024, quarter=3, deadline=date(2025, 1, 31))
    for closed in (False, True):
        if closed:
            period_close(period=q3)
        result = report(known, q3)
        row = next(row for row in result.actions if row.ref == "2.2")
        assert (row.status, row.rag, row.done, row.due) == ("complete", "green", True, False)
        assert row.status_note == "Completed in 2024/25 Q2"
        assert row.commentary == "Campaign ran in August"
        assert "2.2" not in [r.ref for m in result.missing for r in m.actions]
        assert result.completeness.actions_due == 3 and result.completeness.done_earlier == 1
        assert row.change is None  # completed last quarter, not this one
    assert report(known, q3).action_counts["complete"] == 1


def test_an_annual_indicator_is_not_missing_before_its_quarter(known):
    indicator = known.indicators["I5"]  # never has a value
    indicator.frequency = Indicator.Frequency.ANNUALLY
    indicator.save()
    q3 = period_open(plan=known.plan, year=2024, quarter=3, deadline=date(2025, 1, 31))
    for period in (known.q1, known.q2, q3):
        result = report(known, period)
        row = next(row for row in result.indicators if row.ref == "I5")
        assert not row.due, period.label
        assert row.status_note == "Not due this quarter (annually, due in Q4)"
        assert "I5" not in [r.ref for m in result.missing for r in m.indicators]
        assert result.completeness.not_due == 1
    q4 = period_open(plan=known.plan, year=2024, quarter=4, deadline=date(2025, 4, 30))
    result = report(known, q4)
    assert "I5" in [r.ref for m in result.missing for r in m.indicators]


def test_an_annual_figure_stands_for_the_year(known):
    indicator = known.indicators["I2"]  # Q1 40 (Red), Q2 25 (Green)
    indicator.frequency = Indicator.Frequency.ANNUALLY
    indicator.due_quarter = 2
    indicator.save()
    q3 = period_open(plan=known.plan, year=2024, quarter=3, deadline=date(2025, 1, 31))
    period_close(period=q3)  # closed, yet not due: the Q2 figure still stands
    row = next(row for row in report(known, q3).indicators if row.ref == "I2")
    assert (row.rag, row.carried.display, row.due) == ("green", "25%", False)
    assert row.status_note == (
        "Not due this quarter (annually, due in Q2); latest figure 25% in 2024/25 Q2"
    )


# --- What changed ---------------------------------------------------------------------------


def changed_refs(result) -> dict[str, list[str]]:
    return {kind: [row.ref for row in rows] for kind, rows in result.changed.items()}


def test_changed_since_last_quarter_lists(known):
    # Q1 → Q2: 1.1 Green → Red; I1 Green → Amber; 2.1 Red → Amber and I2 Red → Green;
    # 2.2 Complete. 1.2 is carried forward: not updated, so not changed.
    assert changed_refs(report(known)) == {
        "new_red": ["1.1"], "new_amber": ["I1"], "improved": ["2.1", "I2"], "completed": ["2.2"]
    }  # fmt: skip
    assert changed_refs(report(known, known.q1)) == {
        "new_red": [], "new_amber": [], "improved": [], "completed": []
    }  # fmt: skip


def test_dashboard_and_report_pack_list_what_changed(seg_client, known):
    markup = dashboard(seg_client, known, known.q2)
    assert element(markup, "changed-new_red") == (
        "New Red: 1 Action 1.1 Patrols Now Off track (Red); in 2024/25 Q1: On track (Green)"
    )
    assert element(markup, "changed-improved").startswith("Improved: 2 Action 2.1 Victim support")
    assert "Indicator I2 Repeat victims Now 25% (Green); in 2024/25 Q1: Red (40%)" in element(
        markup, "changed-improved"
    )
    assert element(markup, "changed-completed").startswith("Completed: 1 Action 2.2")

    pack = page(seg_client, reverse("plans:report_pack", args=[known.q2.pk]))
    assert element(pack, "changed-new_amber") == (
        "New Amber: 1 Indicator I1 Victims satisfied Now 81% (Amber); in 2024/25 Q1: Green (90%)"
    )
    assert "Provisional: this quarter is still open" in element(pack, "report-provisional")
    assert element(pack, "summary-completeness") == (
        "3 of 4 actions and 3 of 4 indicators reported; 1 action carried forward, not yet updated"
    )
    exceptions = element(pack, "exceptions-table")
    assert "2024/25 Q1" in exceptions and "On track (Green)" in exceptions


def test_snapshot_keeps_what_changed_and_old_snapshots_still_render(known):
    data = json.loads(json.dumps(report(known).to_json()))
    assert data["provisional"] is True
    assert data["completeness"]["actions_reported"] == 3
    assert [row["ref"] for row in data["changed"]["improved"]] == ["2.1", "I2"]
    first = data["priorities"][0]["actions"][1]
    assert first["status_note"] == "Carried forward from 2024/25 Q1, not yet updated"
    assert first["previous_label"] == "At risk (Amber)"
    # A snapshot published before these keys existed renders without them.
    for key in ("provisional", "completeness", "changed"):
        del data[key]
    for row in [*data["exceptions"], *data["priorities"][0]["actions"]]:
        for key in ("status_note", "previous_label", "previous_rag", "carried_forward"):
            row.pop(key, None)
    html = render_report_html(data, published=None)
    assert "Executive summary" in html and 'id="changed"' not in html
    assert "Provisional: this quarter is still open" in html  # its quarter was open


# --- Refs with their priority ------------------------------------------------------------------


def test_refs_that_repeat_across_priorities_show_their_priority(seg_client, known):
    plan = known.plan
    third = PriorityFactory(plan=plan, ref="3", title="Safer nights")
    repeat = ActionFactory(priority=third, ref="3", title="Night marshals")
    assert Action.objects.get(pk=repeat.pk).display_ref == "3.3"
    assert known.actions["1.1"].display_ref == "1.1"  # already carries its priority's
    known.actions["3.3"] = repeat
    update(known, known.q2, "3.3", "off_track", "No volunteers")
    markup = dashboard(seg_client, known, known.q2)
    assert "Action 3.3" in element(markup, "exception-action-33")
    pack = page(seg_client, reverse("plans:report_pack", args=[known.q2.pk]))
    assert "Action 3.3 Night marshals" in element(pack, "exceptions-table")
    actions = page(seg_client, reverse("priorities:action_list") + "?q=Night+marshals")
    assert ">3.3</a>" in actions


def test_medway_seed_refs_read_with_their_priority(seeded):
    refs = [
        a.display_ref
        for a in Action.objects.filter(priority__plan__partnership__name=MEDWAY)
        .filter(ref="3", priority__ref__in=["1", "3"])
        .select_related("priority")
    ]
    assert sorted(refs) == ["1.3", "3.3"]


# --- The navigation's Dashboard ------------------------------------------------------------------


def test_dashboard_in_the_navigation_takes_each_user_to_theirs(client, known):
    nav = reverse("plans:my_dashboard")
    swale = known.plan.partnership
    Plan.objects.filter(partnership=swale).exclude(pk=known.plan.pk).update(
        status=Plan.Status.CLOSED
    )
    client.force_login(member("one-plan", SWALE, Membership.Role.SEG))
    assert 'href="/dashboard/"' in page(client, reverse("home"))
    response = client.get(nav)
    assert response["Location"] == reverse("plans:plan_dashboard", args=[known.plan.pk])
    # Two active plans in one partnership: its overview.
    Plan.objects.filter(pk=known.plan.pk).update(status=Plan.Status.ACTIVE)
    Plan.objects.create(
        partnership=swale, title="Second", kind=Plan.Kind.ACTION_PLAN, start_year=2025,
        end_year=2025, status=Plan.Status.ACTIVE,
    )  # fmt: skip
    response = client.get(nav)
    assert response["Location"] == reverse("plans:partnership_dashboard", args=[swale.pk])


@pytest.mark.parametrize("size", ["known", "large_data"])
def test_members_of_several_partnerships_choose(
    request, reader_client, known, django_assert_max_num_queries, size
):
    request.getfixturevalue(size)
    # Session, user, memberships (2), partnerships and their active plans.
    with django_assert_max_num_queries(6):
        markup = page(reader_client, reverse("plans:my_dashboard"))
    assert "Overview of Medway Community Safety Partnership" in markup
    assert "Overview of Swale Community Safety Partnership" in markup
    assert 'aria-current="true"' in markup  # "Dashboard" is the current section


def test_partnership_overview_says_provisional_and_how_much_is_reported(seg_client, known):
    url = reverse("plans:partnership_dashboard", args=[known.plan.partnership_id])
    markup = page(seg_client, url)
    plan = known.plan.pk
    assert "Provisional: this quarter is still open." in element(markup, f"plan-{plan}-provisional")
    assert element(markup, f"plan-{plan}-completeness") == (
        "3 of 4 actions and 3 of 4 indicators reported; 1 action carried forward, not yet updated."
    )
    period_close(period=known.q2)
    markup = page(seg_client, url)
    assert f"plan-{plan}-provisional" not in markup
