"""Roll forward (issue 13): next year's draft is started from Swale's plan with what goes on
(priorities, actions not completed with their milestones not done, indicators following on,
risks) and not what stays (completed actions, updates, done milestones); deferred actions come
first in their priority; refusals; the audit trail; and lineage as the admin edits the draft."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from indicators.models import Indicator
from plans.editing import services as editing
from plans.models import Agency, Plan
from plans.rollforward import services
from plans.rollforward.models import DroppedAction
from plans.services import period_open
from priorities.models import (
    Action,
    ActionUpdate,
    FinalStatus,
    Lineage,
    Milestone,
    MilestoneProgress,
)

pytestmark = pytest.mark.django_db

SWALE_PLAN = "Swale Community Safety Plan 2019/20"
NEXT = "Swale Community Safety Plan 2020/21"


def year_end(plan: Plan, admin) -> dict:
    """Swale's year as it ended: 2.3 completed in Q2, 1.2 complete at the year end, 1.5 and
    2.7 deferred, milestone 1 of 1.1 reported done; 2.1's lead supported by Kent Police and
    measured by indicator 2.1, with a target."""
    plan.status = Plan.Status.ACTIVE
    plan.save()
    period = period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 1))
    action = {a.ref: a for a in Action.objects.filter(priority__plan=plan)}
    Action.objects.filter(pk=action["2.3"].pk).update(completed_in=period)
    Action.objects.filter(pk=action["1.2"].pk).update(final_status=FinalStatus.COMPLETE)
    Action.objects.filter(pk__in=[action["1.5"].pk, action["2.7"].pk]).update(
        final_status=FinalStatus.DEFERRED, final_status_reason="Funding came late."
    )
    first = action["1.1"].milestones.order_by("order").first()
    update = ActionUpdate.objects.create(
        action=action["1.1"], period=period, status="on_track", commentary="Going well.",
        state="submitted", saved_by=admin, saved_at=timezone.now(),
    )  # fmt: skip
    MilestoneProgress.objects.create(update=update, milestone=first, done=True)
    action["2.1"].supporting_agencies.add(Agency.objects.get(name="Kent Police"))
    indicator = Indicator.objects.get(plan=plan, ref="2.1")
    indicator.measures_actions.add(action["2.1"], action["2.3"])
    indicator.target = "At most 60 a quarter"
    indicator.save()
    return action


@pytest.fixture
def swale(seeded, swale_admin):
    plan = Plan.objects.get(title=SWALE_PLAN)
    return plan, year_end(plan, swale_admin)


def roll(plan: Plan, user, title: str = NEXT) -> Plan:
    return services.plan_roll_forward(
        plan=plan, title=title, start_year=2020, end_year=2020, user=user
    )


def texts(plan: Plan, path: str) -> list[str]:
    """Every key theme's or objective's text of the plan's priorities."""
    return sorted(t for t in plan.priorities.values_list(path, flat=True) if t is not None)


def test_next_years_draft_holds_what_goes_on(swale, swale_admin):
    plan, old = swale
    new = roll(plan, swale_admin)
    assert (new.status, new.predecessor, new.period) == ("draft", plan, "2020/21")
    assert list(new.priorities.values_list("ref", "title")) == list(
        plan.priorities.values_list("ref", "title")
    )
    assert texts(new, "key_themes__text") == texts(plan, "key_themes__text")
    assert texts(new, "objectives__title") == texts(plan, "objectives__title")

    carried = Action.objects.filter(priority__plan=new)
    assert carried.count() == 33 - 2  # all but 2.3 (completed in Q2) and 1.2 (complete)
    assert not carried.filter(predecessor__in=[old["2.3"], old["1.2"]]).exists()
    assert set(carried.values_list("lineage", flat=True)) == {Lineage.CARRIED_OVER}
    copy = carried.get(predecessor=old["2.1"])
    assert (copy.title, copy.lead_agency) == (old["2.1"].title, old["2.1"].lead_agency)
    assert [a.name for a in copy.supporting_agencies.all()] == ["Kent Police"]
    assert copy.completed_in is None and copy.final_status == "" and not copy.updates.exists()

    # Milestones not done go on, renumbered; the one reported done stays last year's.
    milestones = Milestone.objects.filter(action__predecessor=old["1.1"]).order_by("order")
    assert [m.text for m in milestones] == [m.text for m in old["1.1"].milestones.all()[1:]]
    assert [m.order for m in milestones] == list(range(1, len(milestones) + 1))

    # Every indicator follows on from last year's (trends run on), measuring what went on.
    indicators = Indicator.objects.filter(plan=new)
    assert indicators.count() == plan.indicators.count()
    assert set(indicators.values_list("predecessor__plan", flat=True)) == {plan.pk}
    follower = indicators.get(ref="2.1")
    assert follower.target == "At most 60 a quarter" and follower.target_value == 60
    assert list(follower.measures_actions.all()) == [copy]  # 2.3 was completed
    # ...and goes to the same groups (Swale's indicators all go to its Project and
    # Performance Group, some also to the CSP Executive).
    for indicator in indicators.prefetch_related("reported_to", "predecessor__reported_to"):
        assert set(indicator.reported_to.all()) == set(indicator.predecessor.reported_to.all())
    assert indicators.filter(reported_to__name="Project and Performance Group").count() == 25
    assert follower.priority.plan == new
    assert list(new.risks.values_list("ref", "risk")) == list(plan.risks.values_list("ref", "risk"))
    assert not new.periods.exists()


def test_deferred_actions_come_first_in_their_priority(swale, swale_admin):
    plan, old = swale
    new = roll(plan, swale_admin)
    order = lambda ref: [  # noqa: E731
        (a.ref, a.predecessor.ref)
        for a in Action.objects.filter(priority__plan=new, priority__ref=ref).order_by("sort_key")
    ]
    assert order("1") == [("1.1", "1.5"), ("1.2", "1.1"), ("1.3", "1.3"), ("1.4", "1.4"),
                          ("1.5", "1.6")]  # fmt: skip
    assert order("2") == [("2.1", "2.7"), ("2.2", "2.1"), ("2.3", "2.2"), ("2.4", "2.4"),
                          ("2.5", "2.5"), ("2.6", "2.8")]  # fmt: skip


def test_titles_and_years_suggested_from_the_plan():
    def plan(title, start, end):
        return Plan(title=title, start_year=start, end_year=end)

    assert services.suggested_title(plan(SWALE_PLAN, 2019, 2019)) == NEXT
    assert (
        services.suggested_title(plan("Action Plan 2024-25", 2024, 2024)) == "Action Plan 2025-26"
    )
    assert services.suggested_title(plan("Action Plan 2013 – 2016", 2013, 2015)) == (
        "Action Plan 2016 – 2019"
    )
    assert services.suggested_title(plan("Our plan", 2019, 2019)) == "Our plan 2020/21"
    assert services.next_period(plan("x", 2013, 2015)) == (2016, 2018)


def test_refused_for_a_second_roll_forward_a_used_title_and_a_draft(swale, swale_admin):
    plan, _ = swale
    with pytest.raises(ValidationError, match="There is already a plan called"):
        roll(plan, swale_admin, title=SWALE_PLAN.upper())
    assert not Plan.objects.filter(predecessor=plan).exists()
    roll(plan, swale_admin)
    with pytest.raises(services.RollForwardRefused, match="already been started"):
        roll(plan, swale_admin, title="Another plan")
    draft = Plan.objects.get(title=NEXT)
    with pytest.raises(services.RollForwardRefused, match="is a draft"):
        services.plan_roll_forward(plan=draft, title="X", start_year=2021, end_year=2021,
                                   user=swale_admin)  # fmt: skip
    assert Plan.objects.filter(partnership=plan.partnership).count() == 2


def test_rolling_forward_is_audited_as_the_admins_work(swale, swale_admin):
    plan, _ = swale
    new = roll(plan, swale_admin)
    created = LogEntry.objects.get_for_object(new).get()
    assert created.actor == swale_admin and created.action == LogEntry.Action.CREATE
    action = Action.objects.filter(priority__plan=new).first()
    assert LogEntry.objects.get_for_object(action).get().actor == swale_admin


def test_lineage_follows_the_admins_edits(swale, swale_admin):
    plan, old = swale
    new = roll(plan, swale_admin)
    fields = ("title", "timescale")
    copy = Action.objects.get(predecessor=old["2.1"])

    copy.timescale = "By March 2021"
    editing.plan_item_save(plan=new, item=copy, fields=fields, user=swale_admin)
    assert Action.objects.get(pk=copy.pk).lineage == Lineage.CHANGED
    copy.timescale = old["2.1"].timescale  # changed back: carried over as it was
    editing.plan_item_save(plan=new, item=copy, fields=fields, user=swale_admin)
    assert Action.objects.get(pk=copy.pk).lineage == Lineage.CARRIED_OVER

    added = Action(priority=copy.priority, ref="2.9", title="Run a cyber-crime clinic")
    editing.plan_item_save(plan=new, item=added, fields=fields + ("ref",), user=swale_admin)
    assert Action.objects.get(pk=added.pk).lineage == Lineage.NEW

    # An action added to a plan started from nothing has no lineage.
    fresh = Action(priority=old["2.1"].priority, ref="2.9", title="Not from last year")
    editing.plan_item_save(plan=plan, item=fresh, fields=fields + ("ref",), user=swale_admin,
                           reason="Agreed")  # fmt: skip
    assert Action.objects.get(pk=fresh.pk).lineage == ""


def test_dropping_a_carried_over_action_needs_a_reason_and_is_recorded(swale, swale_admin):
    plan, old = swale
    new = roll(plan, swale_admin)
    copy = Action.objects.get(predecessor=old["2.4"])
    with pytest.raises(ValidationError, match="why it is dropped"):
        editing.plan_item_remove(plan=new, item=copy, user=swale_admin)
    assert Action.objects.filter(pk=copy.pk).exists()
    editing.plan_item_remove(plan=new, item=copy, user=swale_admin, reason="Now led by Kent")
    drop = DroppedAction.objects.get()
    assert (drop.plan, drop.predecessor, drop.ref, drop.reason, drop.by) == (
        new,
        old["2.4"],
        "2.4",
        "Now led by Kent",
        swale_admin,
    )
    assert LogEntry.objects.get_for_object(drop).exists()

    # A priority removed takes its carried-over actions with it: each recorded as dropped.
    priority = new.priorities.get(ref="7")
    editing.plan_item_remove(plan=new, item=priority, user=swale_admin, reason="Merged into 4")
    dropped = DroppedAction.objects.filter(reason="Merged into 4")
    assert sorted(dropped.values_list("ref", flat=True)) == ["7.1", "7.2", "7.3", "7.4"]

    # A new action removed from the draft is not "dropped": it was never last year's.
    added = Action(priority=new.priorities.get(ref="2"), ref="2.9", title="Tried and removed")
    editing.plan_item_save(plan=new, item=added, fields=("ref", "title"), user=swale_admin)
    editing.plan_item_remove(plan=new, item=added, user=swale_admin)
    assert DroppedAction.objects.count() == 5


def test_the_comparison_names_what_changed_and_what_was_added_or_removed(swale, swale_admin):
    from plans.rollforward.comparison import compare

    plan, old = swale
    new = roll(plan, swale_admin)
    copy = Action.objects.get(predecessor=old["3.1"])
    copy.lead_agency = Agency.objects.get(name="Kent Police")
    copy.lead_as_written, copy.timescale = "", "By March 2021"
    editing.plan_item_save(plan=new, item=copy, fields=("lead_agency", "lead_as_written",
                           "timescale"), user=swale_admin)  # fmt: skip
    removed = new.priorities.get(ref="6")
    editing.plan_item_remove(plan=new, item=removed, user=swale_admin, reason="Now the IOM board's")
    added = new.priorities.create(ref="8", title="Serious violence")
    Indicator.objects.filter(plan=new, ref="1.2").delete()
    fresh = Indicator.objects.create(plan=new, ref="8.1", title="Knife crime offences")

    result = compare(new, plan)
    (changed,) = result.changed
    assert changed.after == copy and changed.before == old["3.1"]
    assert changed.changes == [
        ("Lead", "Swale CSU", "Kent Police"),
        ("Timescale", old["3.1"].timescale, "By March 2021"),
    ]
    assert Action.objects.get(pk=copy.pk).lineage == Lineage.CHANGED
    assert [(p.before, p.after) for p in result.priorities if not (p.before and p.after)] == [
        (None, added),
        (plan.priorities.get(ref="6"), None),
    ]
    assert (result.priorities_added, result.priorities_removed) == (1, 1)
    assert {p.before.ref for p in result.dropped} == {"6.1", "6.2", "6.3"}
    assert {p.note for p in result.dropped} == {"Now the IOM board's"}
    edges = [(p.before and p.before.ref, p.after) for p in result.indicators
             if not (p.before and p.after)]  # fmt: skip
    assert edges == [(None, fresh), ("1.2", None)]
