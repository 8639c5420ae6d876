"""Roll forward's pages (issue 13): the form (suggested title and years, refusals, errors),
what admins, the SEG, officers and other partnerships' admins may do, the edit page's drop
with a reason, and "What changed from last year" with each kind of change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from indicators.models import Indicator
from plans.models import Plan
from plans.rollforward.models import DroppedAction
from priorities.models import Action, Lineage
from tests.plans.test_roll_forward import NEXT, SWALE_PLAN, roll, year_end

pytestmark = pytest.mark.django_db


@pytest.fixture
def swale(seeded, swale_admin):
    plan = Plan.objects.get(title=SWALE_PLAN)
    return plan, year_end(plan, swale_admin)


@pytest.fixture
def admin_client(client, swale_admin):
    client.force_login(swale_admin)
    return client


def url(name: str, plan: Plan, *args) -> str:
    return reverse(f"plans:{name}", args=[plan.pk, *args])


def test_the_form_suggests_next_years_title_and_years(admin_client, swale):
    plan, _ = swale
    page = admin_client.get(plan.get_absolute_url()).content.decode()
    assert "Start next year's plan from this one" in page
    assert "What changed from last year" not in page  # no predecessor
    html = admin_client.get(url("plan_roll_forward", plan)).content.decode()
    assert f'value="{NEXT}"' in html
    assert 'name="start_year" value="2020"' in html and 'name="end_year" value="2020"' in html
    assert "the 31 actions not completed, the 2 deferred to next year first" in html
    assert "the 25 indicators" in html


def test_starting_next_years_plan_opens_its_draft_for_editing(admin_client, swale):
    plan, _ = swale
    data = {"title": NEXT, "start_year": "2020", "end_year": "2020"}
    response = admin_client.post(url("plan_roll_forward", plan), data, follow=True)
    new = Plan.objects.get(title=NEXT)
    assert response.redirect_chain[-1][0] == url("plan_edit", new)
    html = response.content.decode()
    assert f"{NEXT} started from {SWALE_PLAN}, as a draft" in html
    assert "Carried over</strong>" in html  # each action's lineage on the edit page
    plan_page = admin_client.get(new.get_absolute_url()).content.decode()
    assert url("plan_comparison", new) in plan_page
    assert url("plan_roll_forward", new) not in plan_page  # a draft is not rolled forward


@pytest.mark.parametrize(
    "data, error",
    [
        ({"title": "", "start_year": "2020", "end_year": "2020"}, "Enter the title of next year"),
        ({"title": SWALE_PLAN, "start_year": "2020", "end_year": "2020"},
         "There is already a plan called"),
        ({"title": NEXT, "start_year": "2019", "end_year": "2019"},
         "Next year&#x27;s plan starts after this one ends: 2020 or later"),
        ({"title": NEXT, "start_year": "2021", "end_year": "2020"},
         "The last financial year must be the first or later"),
        ({"title": NEXT, "start_year": "twenty", "end_year": "2020"}, "Enter a whole number"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_an_error_summary(admin_client, swale, data, error):
    plan, _ = swale
    response = admin_client.post(url("plan_roll_forward", plan), data)
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and error in html
    assert "<title>Error:" in html
    assert not Plan.objects.filter(predecessor=plan).exists()


def test_a_second_roll_forward_is_refused_with_a_link_to_next_years_plan(
    admin_client, swale, swale_admin
):
    plan, _ = swale
    new = roll(plan, swale_admin)
    html = admin_client.get(url("plan_roll_forward", plan)).content.decode()
    assert "Next year&#x27;s plan has already been started from this plan." in html
    assert new.get_absolute_url() in html and url("plan_comparison", new) in html
    assert "<form" not in html.split("<main")[1]
    data = {"title": "Swale plan again", "start_year": "2020", "end_year": "2020"}
    response = admin_client.post(url("plan_roll_forward", plan), data)
    assert response.status_code == 200 and Plan.objects.filter(predecessor=plan).count() == 1
    draft = admin_client.get(url("plan_roll_forward", new)).content.decode()
    assert "This plan is a draft: activate it before" in draft


@pytest.mark.parametrize("role, code", [("seg_member", 403), ("csu_officer", 403),
                                        ("outsider", 404)])  # fmt: skip
def test_only_the_partnerships_admins_roll_forward(client, request, swale, role, code):
    plan, _ = swale
    client.force_login(request.getfixturevalue(role))
    assert client.get(url("plan_roll_forward", plan)).status_code == code
    data = {"title": NEXT, "start_year": "2020", "end_year": "2020"}
    assert client.post(url("plan_roll_forward", plan), data).status_code == code
    assert not Plan.objects.filter(predecessor=plan).exists()
    page = client.get(plan.get_absolute_url())
    assert "Start next year" not in page.content.decode()


def test_removing_a_carried_over_action_in_the_browser_asks_why(admin_client, swale, swale_admin):
    plan, old = swale
    new = roll(plan, swale_admin)
    copy = Action.objects.get(predecessor=old["2.4"])
    remove = url("plan_item_remove", new, "action", copy.pk)
    html = admin_client.get(remove).content.decode()
    assert "Why is it dropped from this year&#x27;s plan?" in html
    response = admin_client.post(remove, {"reason": " "})
    assert "Enter why it is dropped from this year&#x27;s plan" in response.content.decode()
    assert Action.objects.filter(pk=copy.pk).exists()
    response = admin_client.post(remove, {"reason": "Kent Police lead it now"})
    assert response.status_code == 302 and not Action.objects.filter(pk=copy.pk).exists()
    assert DroppedAction.objects.get().reason == "Kent Police lead it now"
    # A new action of the draft is removed without a reason, as before.
    added = Action.objects.create(priority=copy.priority, ref="2.9", title="New", lineage="new")
    html = admin_client.get(url("plan_item_remove", new, "action", added.pk)).content.decode()
    assert "Why is it dropped" not in html


def test_what_changed_from_last_year_shows_each_kind_of_change(
    client, swale, swale_admin, seg_member
):
    plan, old = swale
    new = roll(plan, swale_admin)
    changed = Action.objects.get(predecessor=old["2.1"])
    changed.title, changed.lineage = "Tackle serious organised crime with Kent", Lineage.CHANGED
    changed.save()
    Action.objects.create(priority=changed.priority, ref="2.9", title="Cyber clinic", lineage="new")
    dropped = Action.objects.get(predecessor=old["2.4"])
    from plans.editing.services import plan_item_remove

    plan_item_remove(plan=new, item=dropped, user=swale_admin, reason="Kent Police lead it now")
    new.priorities.filter(ref="7").update(title="Engaging communities")
    indicator = Indicator.objects.get(plan=new, ref="2.1")
    indicator.target = "At most 50 a quarter"
    indicator.save()

    client.force_login(seg_member)
    response = client.get(url("plan_comparison", new))
    assert response.status_code == 200
    html = response.content.decode()
    comparison = response.context["comparison"]
    assert [len(getattr(comparison, k)) for k in
            ("carried", "changed", "new", "dropped", "completed")] == [29, 1, 1, 1, 2]  # fmt: skip
    assert "Carried over (29)" in html and "Completed last year (2)" in html
    assert old["2.1"].title in html and "Tackle serious organised crime with Kent" in html
    assert "Kent Police lead it now" in html and "Completed in 2019/20 Q2" in html
    assert "Complete at the year end" in html  # 1.2, complete at the year end
    assert "Deferred to next year" in html
    assert "Renamed" in html and "Engaging communities" in html
    assert "At most 60 a quarter" in html and "At most 50 a quarter" in html
    assert "1 with a changed target" in html
    assert "Target changed" in html
    plan_page = client.get(new.get_absolute_url()).content.decode()
    assert "What changed from last year" in plan_page


def test_a_plan_started_from_nothing_has_no_comparison(client, swale, seg_member, outsider,
                                                      swale_admin):  # fmt: skip
    plan, _ = swale
    client.force_login(seg_member)
    assert client.get(url("plan_comparison", plan)).status_code == 404
    new = roll(plan, swale_admin)
    client.force_login(outsider)
    assert client.get(url("plan_comparison", new)).status_code == 404


# --- Query budgets: the same for Swale's plan and a synthetic plan ten times bigger --------

BUDGETS = {"plan_roll_forward": 11, "plan_comparison": 13}


def _plans(size: str, request):
    from plans.models import Membership
    from tests.conftest import member

    if size == "small":
        plan = Plan.objects.get(title=SWALE_PLAN)
    else:
        plan = request.getfixturevalue("large_data").plans.order_by("-pk").first()
    plan.status = Plan.Status.ACTIVE
    plan.save()
    admin = member(f"budget-admin-{size}", plan.partnership.name, Membership.Role.ADMIN)
    return plan, admin


def _every_kind_of_change(new: Plan, admin) -> None:
    """Some actions changed, dropped and new, and some targets changed, in the new plan."""
    from plans.editing.services import plan_item_remove

    actions = list(Action.objects.filter(priority__plan=new).order_by("pk"))
    for action in actions[::5]:
        Action.objects.filter(pk=action.pk).update(title="Changed", lineage=Lineage.CHANGED)
    for action in actions[1::7]:
        plan_item_remove(plan=new, item=action, user=admin, reason="Dropped for the budget")
    Indicator.objects.filter(plan=new, pk__in=[i.pk for i in new.indicators.all()[::3]]).update(
        target="At most 1"
    )
    priority = new.priorities.first()
    Action.objects.create(priority=priority, ref="99", title="New", lineage=Lineage.NEW)


@pytest.mark.parametrize("size", ["small", "large"])
def test_query_budgets_hold_at_two_sizes(
    client, request, seeded, django_assert_max_num_queries, size
):
    plan, admin = _plans(size, request)
    client.force_login(admin)
    with django_assert_max_num_queries(BUDGETS["plan_roll_forward"]):
        response = client.get(url("plan_roll_forward", plan))
    assert response.status_code == 200 and "<form" in response.content.decode()
    new = roll(plan, admin, title=f"{plan.title} next year")
    _every_kind_of_change(new, admin)
    with django_assert_max_num_queries(BUDGETS["plan_comparison"]):
        response = client.get(url("plan_comparison", new))
    assert response.status_code == 200
    assert "Dropped for the budget" in response.content.decode()
