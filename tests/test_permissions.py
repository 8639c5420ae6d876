"""Who may do what: every view of quarterly progress, GET and POST, for every role.

Expected codes: 200 (or 302 after a successful POST) allowed; 403 may see but not change;
404 another partnership's data; anonymous visitors are sent to sign in.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from indicators.models import Indicator
from plans.models import Plan
from plans.services import period_open
from priorities.models import Action
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "csu_officer", "police_officer", "seg_member", "swale_admin", "outsider",
         "superuser"]  # fmt: skip


@pytest.fixture
def swale(seeded):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    period = period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 1))
    return {
        "plan": plan,
        "period": period,
        # 2.2 is led by the Swale CSU; the hate crime indicator by Kent Police.
        "action": Action.objects.get(priority__plan=plan, ref="2.2"),
        "indicator": Indicator.objects.get(plan=plan, title="Number of incidents of Hate Crime"),
    }


def client_for(role: str, request, client):
    if role == "anonymous":
        return client
    user = (
        UserFactory(username="root", is_superuser=True, is_staff=True)
        if role == "superuser"
        else request.getfixturevalue(role)
    )
    client.force_login(user)
    return client


def views(swale) -> dict[str, tuple[str, str, dict]]:
    """name -> (method, url, POST data)."""
    action, indicator, period, plan = (
        swale["action"], swale["indicator"], swale["period"], swale["plan"],
    )  # fmt: skip
    update_url = reverse("priorities:action_update", args=[action.pk, period.pk])
    value_url = reverse("indicators:indicator_value", args=[indicator.pk, period.pk])
    bulk_url = reverse(
        "indicators:bulk_values", kwargs={"plan_pk": plan.pk, "period_pk": period.pk}
    )
    open_url = reverse("plans:period_open", args=[plan.pk]) + "?year=2019&quarter=3"
    return {
        "action_update GET": ("get", update_url, {}),
        "action_update POST": (
            "post",
            update_url,
            {"status": "on_track", "commentary": "On course.", "next_steps": "", "action": "submit",
             "version": ""},
        ),
        "indicator_value GET": ("get", value_url, {}),
        "indicator_value POST": ("post", value_url, {"value": "12", "note": "", "version": ""}),
        "bulk_values GET": ("get", bulk_url, {}),
        "my_updates GET": ("get", reverse("plans:my_updates"), {}),
        "period_list GET": ("get", reverse("plans:period_list", args=[plan.pk]), {}),
        "period_detail GET": ("get", reverse("plans:period_detail", args=[period.pk]), {}),
        "period_open GET": ("get", open_url, {}),
        "period_open POST": (
            "post",
            open_url,
            {"year": "2019", "quarter": "3", "deadline-day": "15", "deadline-month": "1",
             "deadline-year": "2020"},
        ),
        "period_close POST": ("post", reverse("plans:period_close", args=[period.pk]), {}),
    }  # fmt: skip


ALLOWED = {200, 302}
EXPECTED = {
    #                       csu     police  seg  admin  outsider  superuser
    "action_update GET":    ("ok", 403, 403, "ok", 404, "ok"),
    "action_update POST":   ("ok", 403, 403, "ok", 404, "ok"),
    "indicator_value GET":  (403, "ok", 403, "ok", 404, "ok"),
    "indicator_value POST": (403, "ok", 403, "ok", 404, "ok"),
    "bulk_values GET":      (403, "ok", 403, "ok", 404, "ok"),
    "my_updates GET":       ("ok", "ok", "ok", "ok", "ok", "ok"),
    "period_list GET":      ("ok", "ok", "ok", "ok", 404, "ok"),
    "period_detail GET":    ("ok", "ok", "ok", "ok", 404, "ok"),
    "period_open GET":      (403, 403, 403, "ok", 404, "ok"),
    "period_open POST":     (403, 403, 403, "ok", 404, "ok"),
    "period_close POST":    (403, 403, 403, "ok", 404, "ok"),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", EXPECTED)
def test_role_by_view_matrix(request, client, swale, role, view):
    method, url, data = views(swale)[view]
    response = getattr(client_for(role, request, client), method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    expected = EXPECTED[view][ROLES.index(role) - 1]
    if expected == "ok":
        assert response.status_code in ALLOWED, (view, role, response.status_code)
        if method == "post":
            assert response.status_code == 302, "a valid POST redirects after saving"
    else:
        assert response.status_code == expected, (view, role, response.status_code)


def test_outsider_sees_nothing_of_swale_in_lists(client, outsider, swale):
    client.force_login(outsider)
    response = client.get(reverse("priorities:action_list"))
    assert "Swale Community Safety Plan" not in response.content.decode()
    assert all(
        row.record.priority.plan.partnership.name.startswith("Medway")
        for row in response.context["table"].page.object_list
    )
    html = client.get(reverse("home")).content.decode()
    assert "Swale Community Safety Plan" not in html
    assert client.get(swale["plan"].get_absolute_url()).status_code == 404
    assert client.get(swale["action"].get_absolute_url()).status_code == 404


# --- Trust: the partnership's agencies and audit log, for every role and for a signed-in user
# with no membership at all ("nobody") ------------------------------------------------------

TRUST_ROLES = [*ROLES, "nobody"]
TRUST_EXPECTED = {
    #                          csu  police seg  admin  outsider superuser nobody
    "agencies GET":            (403, 403, 403, "ok", 404, "ok", 404),
    "agencies POST":           (403, 403, 403, "ok", 404, "ok", 404),
    "agency_remove POST":      (403, 403, 403, "ok", 404, "ok", 404),
    "audit_log GET":           (403, 403, 403, "ok", 404, "ok", 404),
    "audit_log POST":          (405, 405, 405, 405, 405, 405, 405),  # read only, for all
    "audit_log_csv GET":       (403, 403, 403, "ok", 404, "ok", 404),
    "agency_list GET":         ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
}  # fmt: skip


def trust_views(swale) -> dict[str, tuple[str, str, dict]]:
    from plans.models import Agency

    partnership = swale["plan"].partnership
    spare = Agency.objects.create(name="Spare agency")
    partnership.agencies.add(spare)
    agencies = reverse("plans:partnership_agencies", args=[partnership.pk])
    audit_log = reverse("plans:audit_log", args=[partnership.pk])
    return {
        "agencies GET": ("get", agencies, {}),
        "agencies POST": ("post", agencies, {"name": "New agency", "kind": "partner_organisation"}),
        "agency_remove POST": (
            "post", reverse("plans:partnership_agency_remove", args=[partnership.pk, spare.pk]), {}
        ),
        "audit_log GET": ("get", audit_log, {}),
        "audit_log POST": ("post", audit_log, {}),
        "audit_log_csv GET": ("get", audit_log, {"export": "csv"}),
        "agency_list GET": ("get", reverse("plans:agency_list"), {}),
    }  # fmt: skip


@pytest.mark.parametrize("role", TRUST_ROLES)
@pytest.mark.parametrize("view", TRUST_EXPECTED)
def test_trust_role_by_view_matrix(request, client, swale, role, view):
    method, url, data = trust_views(swale)[view]
    if role == "nobody":
        client.force_login(UserFactory(username="nobody"))
    else:
        client = client_for(role, request, client)
    response = getattr(client, method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    expected = TRUST_EXPECTED[view][TRUST_ROLES.index(role) - 1]
    if expected == "ok":
        assert response.status_code in ALLOWED, (view, role, response.status_code)
        if method == "post":
            assert response.status_code == 302, "a valid POST redirects after saving"
    else:
        assert response.status_code == expected, (view, role, response.status_code)
