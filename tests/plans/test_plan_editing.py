"""Editing a plan in the browser: a draft freely, an active plan with a reason for each
change kept in its list of changes, the import's checks, moving, removing without losing
history, and a target changed mid-year applying from that quarter only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue
from plans.editing import services
from plans.editing.kinds import KINDS
from plans.editing.models import IndicatorTarget, PlanChange
from plans.models import Agency, Plan, Risk
from plans.reporting import quarter_report
from plans.services import period_open
from priorities.models import Action, ActionUpdate, Milestone, Priority

pytestmark = pytest.mark.django_db

SWALE_PLAN = "Swale Community Safety Plan 2019/20"


def swale_plan(status: str) -> Plan:
    plan = Plan.objects.get(title=SWALE_PLAN)
    plan.status = status
    plan.save()
    return plan


@pytest.fixture
def draft(seeded) -> Plan:
    return swale_plan(Plan.Status.DRAFT)


@pytest.fixture
def active(seeded) -> Plan:
    return swale_plan(Plan.Status.ACTIVE)


@pytest.fixture
def admin_client(client, swale_admin):
    client.force_login(swale_admin)
    return client


def url(name: str, plan: Plan, *args) -> str:
    return reverse(f"plans:{name}", args=[plan.pk, *args])


def form_data(item, fields) -> dict:
    """What the change form posts when nothing but the test's own changes are made."""
    data = model_to_dict(item, fields=fields)
    return {
        k: "" if v is None else [a.pk for a in v] if isinstance(v, list) else v
        for k, v in data.items()
    }


def action_data(**changes) -> dict:
    data = {
        "ref": "2.9",
        "title": "Run a cyber-crime clinic for small businesses",
        "desired_outcome": "",
        "lead_agency": "",
        "lead_as_written": "",
        "responsible": "",
        "timescale": "By March 2020",
        "partner_priority": "",
        "footnote": "",
        "reason": "",
    }
    return data | changes


# --- A draft changes freely ------------------------------------------------------------------


def test_edit_page_shows_the_tree_with_its_controls(admin_client, draft):
    response = admin_client.get(url("plan_edit", draft))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Edit Swale Community Safety Plan 2019/20 – CSP Tracker" in html
    assert "Add a priority" in html and "Add an indicator" in html and "Add a risk" in html
    assert 'Move up<span class="govuk-visually-hidden"> action 2.2</span>' in html
    assert "activate it" in html


def test_adding_an_action_to_a_draft_needs_no_reason_and_is_not_listed(admin_client, draft):
    priority = Priority.objects.get(plan=draft, ref="2")
    csu = Agency.objects.get(name="Swale Community Safety Unit")
    add = url("plan_item_add", draft, "action") + f"?parent={priority.pk}"
    response = admin_client.post(add, action_data(lead_agency=csu.pk))
    assert response.status_code == 302
    action = Action.objects.get(priority=priority, ref="2.9")
    assert action.lead_agency == csu
    assert action.due_date == date(2020, 3, 31), "the timescale is read as the import reads it"
    assert not PlanChange.objects.filter(plan=draft).exists()
    page = admin_client.get(response["Location"]).content.decode()
    assert "Action 2.9 added." in page
    form = admin_client.get(url("plan_item_change", draft, "action", action.pk)).content.decode()
    assert 'class="govuk-checkboxes govuk-checkboxes--small"' in form  # supporting agencies


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ref": "2.2"}, "Ref 2.2 is already used in priority 2: choose another"),
        ({"ref": ""}, "This field is required."),
        ({"ref": "x" * 21}, "Ensure this value has at most 20 characters"),
        ({"title": ""}, "This field is required."),
        ({"lead_as_written": "y" * 301}, "Ensure this value has at most 300 characters"),
        ({"lead_agency": "outsider"}, "Select a valid choice."),
    ],
)
def test_bad_input_shows_an_error_summary_and_changes_nothing(
    admin_client, draft, changes, message
):
    priority = Priority.objects.get(plan=draft, ref="2")
    if changes.get("lead_agency") == "outsider":  # an agency not on the partnership
        changes = {"lead_agency": Agency.objects.create(name="Not on Swale CSP").pk}
    before = Action.objects.count()
    add = url("plan_item_add", draft, "action") + f"?parent={priority.pk}"
    response = admin_client.post(add, action_data(**changes))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert "<title>Error: Add an action – CSP Tracker</title>" in html
    assert Action.objects.count() == before


def test_changing_a_target_on_a_draft_parses_it_and_keeps_no_history(admin_client, draft):
    indicator = Indicator.objects.get(plan=draft, ref="2.1")
    data = {
        f: getattr(indicator, f) or ""
        for f in (
            "ref",
            "title",
            "theme",
            "baseline",
            "due_as_written",
            "responsible",
            "agency_as_written",
            "frequency",
            "unit",
            "direction",
        )
    }
    data |= {
        "priority": indicator.priority_id,
        "agency": indicator.agency_id or "",
        "reported_to": [group.pk for group in indicator.reported_to.all()],
        "target": "At most 120",
    }
    response = admin_client.post(url("plan_item_change", draft, "indicator", indicator.pk), data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.target_comparator, indicator.target_value) == ("at_most", Decimal("120"))
    assert not IndicatorTarget.objects.exists()


def test_moving_an_action_up_swaps_refs_and_keeps_the_order(admin_client, draft):
    action = Action.objects.get(priority__plan=draft, ref="2.3")
    response = admin_client.post(
        url("plan_item_move", draft, "action", action.pk), {"direction": "up"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.ref == "2.2"
    assert Action.objects.get(pk=6008).ref == "2.3"
    refs = list(
        Action.objects.filter(priority__plan=draft, priority__ref="2").values_list("ref", flat=True)
    )
    assert refs == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.7", "2.8"]
    first = Action.objects.get(priority__plan=draft, ref="2.1")
    admin_client.post(url("plan_item_move", draft, "action", first.pk), {"direction": "up"})
    first.refresh_from_db()
    assert first.ref == "2.1", "the first stays first"


def test_moving_a_milestone_down_swaps_places(admin_client, draft):
    action = Action.objects.filter(priority__plan=draft, milestones__order=2).first()
    one, two = action.milestones.order_by("order")[:2]
    admin_client.post(url("plan_item_move", draft, "milestone", one.pk), {"direction": "down"})
    assert list(action.milestones.order_by("order").values_list("pk", flat=True))[:2] == [
        two.pk,
        one.pk,
    ]


def test_removing_an_unreported_risk_from_a_draft(admin_client, draft):
    risk = Risk.objects.filter(plan=draft).first()
    page = admin_client.get(url("plan_item_remove", draft, "risk", risk.pk)).content.decode()
    assert f"Remove risk {risk.ref.lower()}" in page
    response = admin_client.post(url("plan_item_remove", draft, "risk", risk.pk), {})
    assert response.status_code == 302
    assert not Risk.objects.filter(pk=risk.pk).exists()


def test_an_item_of_another_plan_is_not_found(admin_client, draft):
    medway_action = Action.objects.exclude(priority__plan=draft).first()
    assert (
        admin_client.get(url("plan_item_change", draft, "action", medway_action.pk)).status_code
        == 404
    )
    assert admin_client.get(url("plan_item_add", draft, "action")).status_code == 404, "no parent"
    assert admin_client.get(url("plan_item_add", draft, "nonsense")).status_code == 404


def test_a_closed_plan_is_not_edited(admin_client, seeded):
    plan = swale_plan(Plan.Status.CLOSED)
    assert admin_client.get(url("plan_edit", plan)).status_code == 403


# --- An active plan: a reason for each change, kept in its list -----------------------------


def test_active_plan_change_needs_a_reason(admin_client, active):
    risk = Risk.objects.filter(plan=active).first()
    data = form_data(risk, KINDS["risk"].fields) | {"risk": "Changed wording"}
    change = url("plan_item_change", active, "risk", risk.pk)
    response = admin_client.post(change, data)
    assert "Enter the reason for this change" in response.content.decode()
    risk.refresh_from_db()
    assert risk.risk != "Changed wording"
    response = admin_client.post(change, data | {"reason": "Agreed at the March SEG"})
    assert response.status_code == 302
    kept = PlanChange.objects.get(plan=active)
    assert (kept.kind, kept.what, kept.reason) == (
        "changed",
        f"Risk {risk.ref}",
        "Agreed at the March SEG",
    )
    assert kept.after == {"Risk": "Changed wording"}
    assert LogEntry.objects.get_for_object(kept).exists(), "the change is audited"
    page = admin_client.get(url("plan_changes", active)).content.decode()
    assert "Agreed at the March SEG" in page and "Changed wording" in page
    assert "Changes to Swale Community Safety Plan 2019/20 – CSP Tracker" in page


def test_active_plan_move_asks_for_a_reason_on_its_own_page(admin_client, active):
    action = Action.objects.get(priority__plan=active, ref="2.3")
    move = url("plan_item_move", active, "action", action.pk)
    page = admin_client.get(move + "?direction=up").content.decode()
    assert "Reason for the change" in page
    response = admin_client.post(move, {"direction": "up", "reason": ""})
    assert "There is a problem" in response.content.decode()
    action.refresh_from_db()
    assert action.ref == "2.3"
    admin_client.post(move, {"direction": "up", "reason": "Renumbered by the SEG"})
    action.refresh_from_db()
    assert action.ref == "2.2"
    assert PlanChange.objects.get(plan=active).kind == "moved"


def test_an_action_with_updates_cannot_be_removed(admin_client, active):
    action = Action.objects.get(priority__plan=active, ref="2.2")
    period = period_open(plan=active, year=2019, quarter=1, deadline=date(2099, 1, 1))
    ActionUpdate.objects.create(
        action=action, period=period, status="on_track", state="submitted", saved_at=timezone.now()
    )
    remove = url("plan_item_remove", active, "action", action.pk)
    page = admin_client.get(remove).content.decode()
    assert "cannot be removed: it has 1 quarterly update, which would be lost" in page
    admin_client.post(remove, {"reason": "Not needed"})
    assert Action.objects.filter(pk=action.pk).exists()
    priority = action.priority
    admin_client.post(url("plan_item_remove", active, "priority", priority.pk), {"reason": "x"})
    assert Priority.objects.filter(pk=priority.pk).exists(), "nor the priority above it"
    assert not PlanChange.objects.exists()


def test_removing_from_an_active_plan_is_listed_with_what_was_removed(admin_client, active):
    milestone = Milestone.objects.filter(action__priority__plan=active).first()
    remove = url("plan_item_remove", active, "milestone", milestone.pk)
    assert "There is a problem" in admin_client.post(remove, {}).content.decode()
    admin_client.post(remove, {"reason": "Done by another group"})
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    kept = PlanChange.objects.get(plan=active)
    assert kept.kind == "removed" and kept.before["Milestone"] == milestone.text


# --- A target changed mid-year applies from that quarter ------------------------------------


@pytest.fixture
def measured(active):
    """An indicator of the active plan ("At least 100") with figures for Q1 to Q3."""
    indicator = Indicator.objects.get(plan=active, ref="2.1")
    indicator.target = "At least 100"
    indicator.save()
    periods = [
        period_open(plan=active, year=2019, quarter=q, deadline=date(2099, 1, 1)) for q in (1, 2, 3)
    ]
    for period, figure in zip(periods, ("98", "110", "120"), strict=True):
        IndicatorValue.objects.create(
            indicator=indicator, period=period, value=Decimal(figure), entered_at=timezone.now()
        )
    return indicator, periods


def indicator_rag(plan: Plan, period, indicator) -> str | None:
    report = quarter_report(plan=plan, period=period)
    return next(row.rag for row in report.indicators if row.indicator.pk == indicator.pk)


def test_target_changed_in_q3_leaves_q1_and_q2_rag(active, measured, swale_admin, client):
    indicator, (q1, q2, q3) = measured
    assert [indicator_rag(active, p, indicator) for p in (q1, q2, q3)] == [
        "amber",
        "green",
        "green",
    ]
    indicator.target = "At least 150"
    services.plan_item_save(
        plan=active,
        item=indicator,
        fields=("target",),
        user=swale_admin,
        reason="The PCC raised the target",
        today=date(2019, 10, 20),
    )
    kept = IndicatorTarget.objects.get(indicator=indicator)
    assert (kept.until, kept.target) == ((2019, 3), "At least 100")
    assert [indicator_rag(active, p, indicator) for p in (q1, q2, q3)] == ["amber", "green", "red"]
    # The dashboard and the report pack say the same.
    client.force_login(swale_admin)
    dashboard = reverse("plans:plan_dashboard", args=[active.pk])
    for period, rag in ((q2, "green"), (q3, "red")):
        report = client.get(dashboard, {"period": period.pk}).context["report"]
        assert next(r.rag for r in report.indicators if r.indicator.pk == indicator.pk) == rag
        pack = client.get(reverse("plans:report_pack", args=[period.pk])).context["report"]
        rows = [row for p in pack["priorities"] for row in p["indicators"]]
        assert next(r["rag"] for r in rows if r["title"] == indicator.title) == rag
    # A second change in the same quarter keeps the target the earlier quarters had.
    indicator.target = "At least 160"
    services.plan_item_save(
        plan=active,
        item=indicator,
        fields=("target",),
        user=swale_admin,
        reason="Typo",
        today=date(2019, 11, 1),
    )
    assert list(IndicatorTarget.objects.values_list("target", flat=True)) == ["At least 100"]
    assert PlanChange.objects.filter(plan=active).count() == 2


def test_indicator_page_rag_uses_the_target_of_each_quarter(active, measured, swale_admin, client):
    indicator, _ = measured
    indicator.target = "At least 150"
    services.plan_item_save(
        plan=active,
        item=indicator,
        fields=("target",),
        user=swale_admin,
        reason="Raised",
        today=date(2019, 10, 20),
    )
    client.force_login(swale_admin)
    values = client.get(indicator.get_absolute_url()).context["values"]
    assert [v.rag for v in values] == ["amber", "green", "red"]


def test_financial_quarter():
    assert services.financial_quarter(date(2026, 12, 2)) == (2026, 3)
    assert services.financial_quarter(date(2027, 3, 31)) == (2026, 4)
    assert services.financial_quarter(date(2026, 4, 1)) == (2026, 1)


def test_value_page_checks_a_figure_against_the_target_of_its_quarter(
    active, measured, swale_admin, client
):
    indicator, (q1, _, q3) = measured
    indicator.target = "At least 150"
    services.plan_item_save(
        plan=active, item=indicator, fields=("target",), user=swale_admin,
        reason="Raised", today=date(2019, 10, 20),
    )  # fmt: skip
    client.force_login(swale_admin)
    for period, rag in ((q1, "amber"), (q3, "red")):
        page = reverse("indicators:indicator_value", args=[indicator.pk, period.pk])
        assert client.get(page).context["saved_rag"] == rag


def test_a_refused_change_keeps_the_page_named_for_the_item_as_it_is(admin_client, draft):
    action = Action.objects.get(priority__plan=draft, ref="2.2")
    data = form_data(action, KINDS["action"].fields) | {"ref": "2.10", "title": ""}
    response = admin_client.post(url("plan_item_change", draft, "action", action.pk), data)
    assert "<title>Error: Change action 2.2 – CSP Tracker</title>" in response.content.decode()
    action.refresh_from_db()
    assert action.ref == "2.2"
