"""Roll forward's pages in the role × URL matrix (as tests/test_permissions.py, whose cast,
Swale fixture and client it uses): starting next year's plan is for the partnership's admins;
"What changed from last year" for everyone who sees the plan."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from plans.models import Plan
from plans.rollforward.services import plan_roll_forward
from tests.test_permissions import ALLOWED, ROLES, client_for, swale  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

ROLL_FORWARD_EXPECTED = {
    #                          csu  police seg  admin  outsider superuser no membership
    "plan_roll_forward GET":   (403, 403, 403, "ok", 404, "ok", 404),
    "plan_roll_forward POST":  (403, 403, 403, "ok", 404, "ok", 404),
    "plan_comparison GET":     ("ok", "ok", "ok", "ok", 404, "ok", 404),
}  # fmt: skip


def roll_forward_views(swale) -> dict[str, tuple[str, str, dict]]:  # noqa: F811
    """Swale's 2020/21 plan, started from 2019/20 and made active: it is compared with last
    year's, and next year's may be started from it."""
    owner = get_user_model().objects.create(username="plan-owner", is_superuser=True)
    new = plan_roll_forward(plan=swale["plan"], title="Swale Community Safety Plan 2020/21",
                            start_year=2020, end_year=2020, user=owner)  # fmt: skip
    new.status = Plan.Status.ACTIVE
    new.save()
    roll = reverse("plans:plan_roll_forward", args=[new.pk])
    data = {"title": "Swale Community Safety Plan 2021/22", "start_year": "2021",
            "end_year": "2021"}  # fmt: skip
    return {
        "plan_roll_forward GET": ("get", roll, {}),
        "plan_roll_forward POST": ("post", roll, data),
        "plan_comparison GET": ("get", reverse("plans:plan_comparison", args=[new.pk]), {}),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", ROLL_FORWARD_EXPECTED)
def test_roll_forward_role_by_view_matrix(request, client, swale, role, view):  # noqa: F811
    method, url, data = roll_forward_views(swale)[view]
    response = getattr(client_for(role, request, client), method)(url, data)
    started = Plan.objects.filter(title="Swale Community Safety Plan 2021/22").exists()
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert not started
        return
    expected = ROLL_FORWARD_EXPECTED[view][ROLES.index(role) - 1]
    if expected == "ok":
        assert response.status_code in ALLOWED, (view, role, response.status_code)
        if method == "post":
            assert response.status_code == 302, "a valid POST redirects after saving"
            assert started
    else:
        assert response.status_code == expected, (view, role, response.status_code)
        assert not started
