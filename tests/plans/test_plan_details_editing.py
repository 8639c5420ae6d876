"""Editing a plan's own details (title, kind, years, summary, source, the plan it is read
with) and its priorities' key themes in the browser: the Plan sheet's checks, and on an
active plan a reason kept in "Changes to this plan"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.editing.models import PlanChange
from plans.models import Plan

pytestmark = pytest.mark.django_db

SWALE_PLAN = "Swale Community Safety Plan 2019/20"


@pytest.fixture
def admin_client(client, swale_admin):
    client.force_login(swale_admin)
    return client


def plan_with(status: str) -> Plan:
    plan = Plan.objects.get(title=SWALE_PLAN)
    plan.status = status
    plan.save()
    return plan


def details(plan: Plan, **changes) -> dict:
    return {
        "title": plan.title, "kind": plan.kind, "start_year": str(plan.start_year),
        "end_year": str(plan.end_year), "summary": plan.summary, "source": plan.source,
        "parent": plan.parent_id or "", "reason": "",
    } | changes  # fmt: skip


def url(plan: Plan) -> str:
    return reverse("plans:plan_details_change", args=[plan.pk])


def test_a_draft_plans_details_change_freely(admin_client, seeded):
    plan = plan_with(Plan.Status.DRAFT)
    edit_page = admin_client.get(reverse("plans:plan_edit", args=[plan.pk])).content.decode()
    assert "Change the plan's details" in edit_page

    form = admin_client.get(url(plan)).content.decode()
    assert "First financial year: 2025 or 2025/26." in form  # the Plan sheet's help
    response = admin_client.post(
        url(plan), details(plan, title="Swale Community Safety Plan 2019-20", end_year="2020/21")
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.end_year) == ("Swale Community Safety Plan 2019-20", 2020)
    assert not PlanChange.objects.exists()  # a draft keeps no list


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start_year": "next year"}, "&#x27;next year&#x27; is not a financial year"),
        ({"start_year": "2020", "end_year": "2019"},
         "The plan cannot end (2019) before it starts (2020)"),
        ({"title": "Action Plan 2024-25"}, None),  # Medway's: another partnership may use it
        ({"title": ""}, "This field is required"),
    ],
)  # fmt: skip
def test_bad_details_are_refused_with_an_error_summary(admin_client, seeded, changes, message):
    plan = plan_with(Plan.Status.DRAFT)
    response = admin_client.post(url(plan), details(plan, **changes))
    if message is None:
        assert response.status_code == 302
        return
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and message in page
    assert Plan.objects.get(pk=plan.pk).title == SWALE_PLAN


def test_a_title_the_partnership_already_uses_is_refused(admin_client, seeded):
    plan = plan_with(Plan.Status.DRAFT)
    other = Plan.objects.create(partnership=plan.partnership, title="Swale Plan 2020/21",
                                kind="action_plan", start_year=2020, end_year=2020)  # fmt: skip
    page = admin_client.post(url(plan), details(plan, title=other.title)).content.decode()
    assert "The partnership already has a plan called &#x27;Swale Plan 2020/21&#x27;" in page


def test_an_active_plans_details_need_a_reason_and_are_listed(admin_client, seeded):
    plan = plan_with(Plan.Status.ACTIVE)
    refused = admin_client.post(url(plan), details(plan, summary="A safer Swale for all."))
    assert "Enter the reason for this change" in refused.content.decode()

    response = admin_client.post(
        url(plan), details(plan, summary="A safer Swale for all.", reason="Agreed by the SEG")
    )
    assert response.status_code == 302
    change = PlanChange.objects.get(plan=plan)
    assert change.what == "Plan details"
    assert [label for label, _, _ in change.fields] == ["Summary"]
    assert change.fields[0][2] == "A safer Swale for all."
    listed = admin_client.get(reverse("plans:plan_changes", args=[plan.pk])).content.decode()
    assert "Plan details" in listed and "Agreed by the SEG" in listed


def test_key_themes_are_added_moved_and_removed(admin_client, seeded):
    plan = plan_with(Plan.Status.ACTIVE)
    priority = plan.priorities.order_by("sort_key").first()
    before = list(priority.key_themes.values_list("text", flat=True))
    add = reverse("plans:plan_item_add", args=[plan.pk, "theme"]) + f"?parent={priority.pk}"

    assert "Key theme" in admin_client.get(add).content.decode()
    response = admin_client.post(add, {"text": "Cyber crime.", "reason": "New in the year"})
    assert response.status_code == 302
    theme = priority.key_themes.get(text="Cyber crime.")
    assert theme.order == len(before) + 1
    assert PlanChange.objects.get().what == f"Key theme {theme.order} of priority {priority.ref}"

    edit_page = admin_client.get(reverse("plans:plan_edit", args=[plan.pk])).content.decode()
    assert f'id="keytheme-{theme.pk}"' in edit_page
    if before:
        move = reverse("plans:plan_item_move", args=[plan.pk, "theme", theme.pk])
        admin_client.post(move, {"direction": "up", "reason": "Reordered"})
        texts = list(priority.key_themes.order_by("order").values_list("text", flat=True))
        assert texts[-2] == "Cyber crime."
    remove = reverse("plans:plan_item_remove", args=[plan.pk, "theme", theme.pk])
    assert admin_client.post(remove, {"reason": "Dropped"}).status_code == 302
    assert list(priority.key_themes.values_list("text", flat=True)) == before
