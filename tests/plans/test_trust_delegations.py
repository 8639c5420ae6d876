"""Finding 1: a delegation gives write access only while the user is an officer there, and it
ends with the membership (changed away from officer, or removed)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from indicators.models import Indicator
from plans import access
from plans.models import Membership, Partnership, Plan
from plans.services import delegates_set, membership_remove, membership_save, period_open
from priorities.models import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def swale(seeded):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    return {
        "partnership": Partnership.objects.get(name__startswith="Swale"),
        "period": period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 1)),
        "action": Action.objects.get(priority__plan=plan, ref="2.2"),
        "indicator": Indicator.objects.filter(plan=plan, agency__name="Kent Police").first(),
    }


def _update(client, swale):
    url = reverse("priorities:action_update", args=[swale["action"].pk, swale["period"].pk])
    data = {"status": "on_track", "commentary": "On course.", "next_steps": "",
            "action": "submit", "version": ""}  # fmt: skip
    return client.post(url, data)


def test_stale_delegation_does_not_let_a_seg_member_write(client, police_officer, swale):
    delegates_set(obj=swale["action"], users=[police_officer])
    membership = police_officer.memberships.get()
    # The role is changed behind the service's back (admin site, another path): the rule
    # itself must ask for the current role.
    Membership.objects.filter(pk=membership.pk).update(role=Membership.Role.SEG)
    access.forget_access(police_officer)
    assert not access.can_report_on_action(police_officer, swale["action"])
    client.force_login(police_officer)
    assert _update(client, swale).status_code == 403


def test_role_change_ends_delegations(client, police_officer, swale):
    delegates_set(obj=swale["action"], users=[police_officer])
    delegates_set(obj=swale["indicator"], users=[police_officer])
    membership = police_officer.memberships.get()
    membership_save(
        partnership=swale["partnership"], user=police_officer, role=Membership.Role.SEG,
        agencies=[], membership=membership,
    )  # fmt: skip
    assert not swale["action"].delegates.exists()
    assert not police_officer.delegated_indicators.exists()
    client.force_login(police_officer)
    assert _update(client, swale).status_code == 403
    url = reverse("indicators:indicator_value", args=[swale["indicator"].pk, swale["period"].pk])
    assert client.post(url, {"value": "12", "note": "", "version": ""}).status_code == 403


def test_removal_ends_delegations_so_re_adding_does_not_restore_them(police_officer, swale):
    delegates_set(obj=swale["action"], users=[police_officer])
    membership_remove(membership=police_officer.memberships.get())
    assert not swale["action"].delegates.exists()
    membership_save(
        partnership=swale["partnership"], user=police_officer, role=Membership.Role.OFFICER,
        agencies=[swale["indicator"].agency],
    )  # fmt: skip
    access.forget_access(police_officer)
    assert not access.can_report_on_action(police_officer, swale["action"])


def test_member_page_shows_delegations(client, swale_admin, police_officer, swale):
    delegates_set(obj=swale["action"], users=[police_officer])
    client.force_login(swale_admin)
    membership = police_officer.memberships.get()
    html = client.get(reverse("plans:member_edit", args=[membership.pk])).content.decode()
    assert "Delegated to them" in html
    assert swale["action"].get_absolute_url() in html


def test_the_admin_site_path_ends_delegations_too(police_officer, swale):
    delegates_set(obj=swale["action"], users=[police_officer])
    membership = police_officer.memberships.get()
    membership.role = Membership.Role.SEG
    membership.save()  # as the admin site saves it
    assert not swale["action"].delegates.exists()
    delegates_set(obj=swale["action"], users=[police_officer])
    membership.delete()
    assert not swale["action"].delegates.exists()
