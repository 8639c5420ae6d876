"""Who may do what: every page and download, GET and POST, for every role, as the tables in
tests/permission_matrix/ say (one runner for them all), and what an outsider never sees.

Expected codes: 200 (or 302 after a successful POST) allowed; 403 may see but not change;
404 another partnership's data; anonymous visitors are sent to sign in.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from csp_tracker.accounts.models import Invitation
from indicators.models import Indicator
from plans.models import Membership, Plan, PublishedReport
from plans.services import period_open
from priorities.models import Action
from tests.factories import UserFactory
from tests.permission_matrix import ROLES, assert_answer, client_for, partnership, quarterly, year

pytestmark = pytest.mark.django_db

MATRICES = quarterly.MATRICES | partnership.MATRICES | year.MATRICES
CASES = [
    pytest.param(name, view, role, id=f"{name}-{view}-{role}")
    for name, matrix in MATRICES.items()
    for view in matrix.expected
    for role in ROLES
]


@pytest.fixture
def swale(seeded):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    period = period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 1))
    completed = Action.objects.get(priority__plan=plan, ref="2.3")  # led by the Swale CSU
    completed.completed_in = period
    completed.save()
    return {
        "completed": completed,
        "plan": plan,
        "period": period,
        "published": PublishedReport.objects.create(
            plan=plan,
            period=period,
            version=1,
            data={},
            html="",
            workbook=b"",
            pdf=b"%PDF-1.7",
            published_at=period.opened_at,
        ),
        # 2.2 is led by the Swale CSU; the hate crime indicator by Kent Police.
        "action": Action.objects.get(priority__plan=plan, ref="2.2"),
        "indicator": Indicator.objects.get(plan=plan, title="Number of incidents of Hate Crime"),
        "invited": _invited_member(plan.partnership),
    }


def _invited_member(partnership):
    user = UserFactory(username="invited@example.invalid", email="invited@example.invalid")
    Invitation.objects.create(user=user, partnership=partnership, sent_at=timezone.now())
    return Membership.objects.create(user=user, partnership=partnership, role="seg")


@pytest.mark.parametrize(("matrix", "view", "role"), CASES)
def test_role_by_view_matrix(request, client, settings, tmp_path, swale, matrix, view, role):
    settings.MEDIA_ROOT = tmp_path / "media"  # uploaded evidence goes nowhere lasting
    table = MATRICES[matrix]
    fixtures = {name: request.getfixturevalue(name) for name in table.fixtures}
    if table.sign_in_first:
        client = client_for(role, request, client)
    method, url, data = table.views(swale, **fixtures)[view]
    if not table.sign_in_first:
        client = client_for(role, request, client)
    response = getattr(client, method)(url, data)
    expected = "login" if role == "anonymous" else table.expected[view][ROLES.index(role) - 1]
    assert_answer(response, expected, view, role)
    if table.after is not None:
        table.after(swale, view, expected, response)


def test_outsider_sees_no_swale_milestones(client, outsider, swale):
    client.force_login(outsider)
    response = client.get(reverse("priorities:milestone_list"), {"export": "csv"})
    assert "Swale" not in response.getvalue().decode("utf-8-sig")


def test_outsider_sees_nothing_of_swale_in_lists(client, outsider, swale):
    client.force_login(outsider)
    response = client.get(reverse("priorities:action_list"))
    assert "Swale Community Safety Plan" not in response.content.decode()
    medway = Action.objects.filter(priority__plan__partnership__name__startswith="Medway")
    assert f"of {medway.count()} actions" in response.content.decode()  # Medway's alone
    html = client.get(reverse("home")).content.decode()
    assert "Swale Community Safety Plan" not in html
    assert client.get(swale["plan"].get_absolute_url()).status_code == 404
    assert client.get(swale["action"].get_absolute_url()).status_code == 404
