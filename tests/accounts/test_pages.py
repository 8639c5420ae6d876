"""The accounts pages: who may open them, and their query budgets at two data sizes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from csp_tracker.accounts import services, two_factor
from csp_tracker.accounts.models import Invitation
from plans.models import Agency, Membership, Partnership
from tests.accounts.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def swale(seeded) -> Partnership:
    return Partnership.objects.get(name__startswith="Swale")


def invited_member(partnership, name="invited") -> Membership:
    user = UserFactory(username=f"{name}@example.invalid", email=f"{name}@example.invalid")
    user.set_unusable_password()
    user.save()
    Invitation.objects.create(user=user, partnership=partnership, sent_at=timezone.now())
    return Membership.objects.create(user=user, partnership=partnership, role="seg")


PUBLIC = [
    ("login", [], 200),
    ("accounts:password_reset", [], 200),
    ("accounts:password_reset_done", [], 200),
    ("accounts:password_reset_complete", [], 200),
    ("accounts:password_reset_confirm", ["MQ", "not-a-token"], 200),  # "This link does not work"
    ("accounts:invitation_accept", ["not-a-token"], 404),
    ("accounts:oidc_start", [], 404),  # single sign-on is off
]


@pytest.mark.parametrize(("name", "args", "status"), PUBLIC)
def test_public_pages_answer_anyone(client, seeded, name, args, status):
    assert client.get(reverse(name, args=args)).status_code == status


def test_the_invitation_page_is_for_the_invited_person_only(client, swale, seg_member):
    membership = invited_member(swale)
    url = reverse("accounts:invitation_accept", args=[
        services.invitation_token(membership.user.invitation)])  # fmt: skip
    client.force_login(seg_member)  # someone else on a shared computer
    response = client.get(url)
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated  # signed out first


@pytest.mark.parametrize("size", [0, 40])
def test_account_pages_query_budgets(client, swale, swale_admin, size,
                                     django_assert_max_num_queries):  # fmt: skip
    police = Agency.objects.get(name="Kent Police")
    for n in range(size):
        extra = invited_member(swale, f"extra{n}")
        extra.agencies.add(police)
    for _ in range(size):  # a long audit trail of the admin's own account
        sign_in(client, "swale-admin", "wrong")
        client.cookies.clear()
    from axes.utils import reset

    reset()
    two_factor.new_recovery_codes(user=swale_admin)
    membership = invited_member(swale, "target")
    client.force_login(swale_admin)
    pages = {
        reverse("accounts:account"): 6,
        reverse("accounts:password_change"): 4,
        reverse("accounts:two_factor_setup"): 7,
        reverse("plans:member_edit", args=[membership.pk]): 13,  # + delegations, sign-off agencies
        reverse("plans:member_list", args=[swale.pk]): 7,
    }
    for url, budget in pages.items():
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("size", [0, 40])
def test_sign_in_and_invitation_pages_query_budgets(
    client, swale, size, django_assert_max_num_queries
):
    for n in range(size):
        invited_member(swale, f"extra{n}")
    invitation = invited_member(swale, "target").user.invitation
    with django_assert_max_num_queries(1):
        assert client.get(reverse("login")).status_code == 200
    with django_assert_max_num_queries(2):
        url = reverse("accounts:invitation_accept", args=[services.invitation_token(invitation)])
        assert client.get(url).status_code == 200
