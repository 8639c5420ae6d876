"""The API: who reads what (a token of each role), what counts, pages and the schema."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from plans.api.models import ApiToken
from plans.models import Membership, Partnership
from plans.reporting import pack_pdf
from tests.api.conftest import bearer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["csu_officer", "police_officer", "seg_member", "swale_admin", "outsider", "superuser",
         "no_membership"]  # fmt: skip


def user_for(role: str, request):
    if role == "superuser":
        return UserFactory(username="root", is_superuser=True, is_staff=True)
    if role == "no_membership":
        return UserFactory(username="nobody")
    return request.getfixturevalue(role)


def urls(swale) -> dict[str, str]:
    plan, q1 = swale["plan"], swale["q1"]
    return {
        "partnership": f"/api/v1/partnerships/{plan.partnership_id}",
        "plan": f"/api/v1/plans/{plan.pk}",
        "action": f"/api/v1/actions/{swale['action'].pk}",
        "indicator": f"/api/v1/indicators/{swale['indicator'].pk}",
        "quarter": f"/api/v1/quarters/{q1.pk}",
        "report": f"/api/v1/reports/{swale['report'].pk}",
    }


# Every Swale member reads every Swale object (the pages' rule: SEG members read everything,
# officers and admins too); another partnership's admin and a user with no membership get 404.
EXPECTED = {"csu_officer": 200, "police_officer": 200, "seg_member": 200, "swale_admin": 200,
            "outsider": 404, "superuser": 200, "no_membership": 404}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["partnership", "plan", "action", "indicator", "quarter",
                                  "report"])  # fmt: skip
def test_each_role_reads_with_its_token_what_its_pages_show(request, client, swale, role, name):
    response = client.get(urls(swale)[name], **bearer(user_for(role, request)))
    assert response.status_code == EXPECTED[role], (role, name, response.content[:200])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["partnerships", "plans", "actions", "indicators", "quarters",
                                  "reports"])  # fmt: skip
def test_lists_hold_only_the_users_partnerships(request, client, swale, role, name):
    user = user_for(role, request)
    items = client.get(f"/api/v1/{name}?page_size=500", **bearer(user)).json()["items"]
    swale_id = swale["plan"].partnership_id
    medway_id = Partnership.objects.get(name__startswith="Medway").pk
    partnership_of = {
        "partnerships": lambda i: i["id"],
        "plans": lambda i: i["partnership_id"],
    }.get(name)
    if name in ("partnerships", "plans"):
        seen = {partnership_of(i) for i in items}
    else:  # actions, indicators, quarters, reports: by their plan
        from plans.models import Plan

        seen = set(
            Plan.objects.filter(pk__in={i["plan_id"] for i in items}).values_list(
                "partnership_id", flat=True
            )
        )
    expected = {
        "outsider": {medway_id},
        "superuser": {swale_id, medway_id},
        "no_membership": set(),
    }.get(role, {swale_id})
    if name in ("quarters", "reports"):  # only Swale has quarters and reports here
        expected &= {swale_id}
    assert seen == expected, (role, name)


@pytest.mark.parametrize("name", ["partnerships", "plans/6", "actions", "openapi-less"])
def test_no_token_or_a_bad_one_is_401(client, swale, name):
    url = f"/api/v1/{name}" if name != "openapi-less" else "/api/v1/indicators"
    assert client.get(url).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="Bearer csp_not-a-real-token").status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz").status_code == 401


def test_revoked_expired_and_inactive_users_tokens_are_401(client, swale, seg_member):
    headers = bearer(seg_member)
    assert client.get("/api/v1/plans", **headers).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now())
    assert client.get("/api/v1/plans", **headers).status_code == 401
    ApiToken.objects.update(expires_at=None, revoked_at=timezone.now())
    assert client.get("/api/v1/plans", **headers).status_code == 401
    ApiToken.objects.update(revoked_at=None)
    seg_member.is_active = False
    seg_member.save()
    assert client.get("/api/v1/plans", **headers).status_code == 401


def test_a_removed_membership_closes_the_partnership_at_once(client, swale, seg_member):
    headers = bearer(seg_member)
    url = f"/api/v1/plans/{swale['plan'].pk}"
    assert client.get(url, **headers).status_code == 200
    Membership.objects.filter(user=seg_member).delete()
    assert client.get(url, **headers).status_code == 404


def test_the_signed_in_session_reads_but_writes_nothing(client, swale, seg_member):
    client.force_login(seg_member)
    assert client.get("/api/v1/plans").status_code == 200
    # Nothing but GET: a forged POST finds no endpoint (and no sign-in is accepted for it).
    assert client.post("/api/v1/plans", {}).status_code in (401, 405)
    # A token presented alongside decides alone: a bad one is refused even when signed in.
    assert client.get("/api/v1/plans", HTTP_AUTHORIZATION="Bearer csp_bad").status_code == 401


def test_action_shows_its_latest_counted_status_not_a_draft_or_one_awaiting_sign_off(
    client, swale, seg_member
):
    data = client.get(f"/api/v1/actions/{swale['action'].pk}", **bearer(seg_member)).json()
    status = data["latest_status"]
    assert (status["quarter"], status["status"], status["commentary"]) == (
        "2019/20 Q1", "at_risk", "Slipping.",
    )  # fmt: skip
    assert status["status_label"] == "At risk (Amber)"
    other = client.get("/api/v1/actions?plan=6&page_size=500", **bearer(seg_member)).json()
    by_ref = {a["ref"]: a for a in other["items"]}
    assert by_ref["2.3"]["latest_status"] is None  # only a draft


def test_indicator_values_are_the_counted_ones_by_quarter(client, swale, seg_member):
    data = client.get(f"/api/v1/indicators/{swale['indicator'].pk}", **bearer(seg_member)).json()
    assert [(v["quarter"], v["value"]) for v in data["values"]] == [("2019/20 Q1", "41.000")]


def test_plan_tree_holds_priorities_objectives_actions_and_indicators(client, seg_member, swale):
    from plans.models import Plan

    refresh = Plan.objects.get(title__startswith="Community Safety Partnership Action Plan 2016")
    Membership.objects.create(user=seg_member, partnership=refresh.partnership, role="seg")
    data = client.get(f"/api/v1/plans/{refresh.pk}", **bearer(seg_member)).json()
    objectives = [o for p in data["priorities"] for o in p["objectives"]]
    assert any(o["title"] == "Tackling ASB" for o in objectives)
    under_objectives = sum(len(o["actions"]) for o in objectives)
    loose = sum(len(p["actions"]) for p in data["priorities"])
    assert (
        under_objectives + loose
        == refresh.priorities.model.objects.filter(plan=refresh)
        .values("actions")
        .exclude(actions=None)
        .count()
    )
    swale_tree = client.get(f"/api/v1/plans/{swale['plan'].pk}", **bearer(seg_member)).json()
    titles = [i["title"] for p in swale_tree["priorities"] for i in p["indicators"]]
    assert "Number of incidents of Hate Crime" in titles + [
        i["title"] for i in swale_tree["indicators"]
    ]


def test_published_report_links_to_its_page_and_workbook_and_says_when_no_pdf(
    client, swale, seg_member, monkeypatch
):
    url = f"/api/v1/reports/{swale['report'].pk}"
    data = client.get(url, **bearer(seg_member)).json()
    assert data["quarter"] == "2019/20 Q1" and data["version"] == 1
    assert data["links"]["html"] == f"http://testserver/reports/{swale['report'].pk}/"
    assert data["links"]["workbook"].endswith("report.xlsx")
    # Not made yet: its first download makes it.
    assert data["links"]["pdf"] == f"http://testserver/reports/{swale['report'].pk}/report.pdf"
    monkeypatch.setattr(pack_pdf, "pdf_available", lambda: False)  # a server without Pango
    assert client.get(url, **bearer(seg_member)).json()["links"]["pdf"] is None


def test_links_to_pages_are_full_urls(client, swale, seg_member):
    headers = bearer(seg_member)
    plan = client.get(f"/api/v1/plans/{swale['plan'].pk}", **headers).json()
    assert plan["url"] == f"http://testserver/plans/{swale['plan'].pk}/"
    action = plan["priorities"][0]["actions"][0]
    assert action["url"].startswith("http://testserver/actions/")
    listed = client.get("/api/v1/indicators?plan=6", **headers).json()["items"][0]
    assert listed["url"].startswith("http://testserver/indicators/")


def test_lists_come_in_pages_with_links(client, swale, seg_member):
    headers = bearer(seg_member)
    first = client.get("/api/v1/actions?plan=6&page_size=10", **headers).json()
    assert first["count"] == 33 and len(first["items"]) == 10 and first["previous"] is None
    assert first["next"].endswith("/api/v1/actions?plan=6&page_size=10&page=2")
    last = client.get("/api/v1/actions?plan=6&page_size=10&page=4", **headers).json()
    assert len(last["items"]) == 3 and last["next"] is None and "page=3" in last["previous"]
    refs = [a["ref"] for page in (1, 2, 3, 4) for a in client.get(
        f"/api/v1/actions?plan=6&page_size=10&page={page}", **headers).json()["items"]]  # fmt: skip
    assert len(refs) == len(set(refs)) == 33
    assert client.get("/api/v1/actions?page_size=501", **headers).status_code == 422
    assert client.get("/api/v1/actions?page=0", **headers).status_code == 422


def test_filters_narrow_lists(client, swale, seg_member):
    headers = bearer(seg_member)
    police = client.get("/api/v1/indicators?plan=6&page_size=500", **headers).json()["count"]
    assert police == 25
    assert client.get("/api/v1/indicators?plan=1", **headers).json()["count"] == 0  # Medway's
    assert client.get("/api/v1/quarters?status=open", **headers).json()["count"] == 2


def test_schema_is_served_as_json_with_every_endpoint(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for path in ["partnerships", "plans", "actions", "indicators", "quarters", "reports"]:
        assert f"/api/v1/{path}" in paths and f"/api/v1/{path}/{{pk}}" in paths
    assert all(set(ops) == {"get"} for ops in schema["paths"].values())
    schemes = schema["components"]["securitySchemes"]
    assert schemes["PersonalToken"] == {"type": "http", "scheme": "bearer"}


def test_responses_are_never_cached(client, swale, seg_member):
    response = client.get("/api/v1/plans", **bearer(seg_member))
    assert "no-store" in response["Cache-Control"]
