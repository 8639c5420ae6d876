"""Partnership admins manage members (role and agencies) and delegations."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from plans import access
from plans.models import Agency, Membership, Partnership
from priorities.models import Action
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def swale(seeded) -> Partnership:
    return Partnership.objects.get(name__startswith="Swale")


def signed_in(client, user):
    client.force_login(user)
    return client


def test_member_list_shows_roles_and_agencies(client, swale_admin, csu_officer, swale):
    html = (
        signed_in(client, swale_admin)
        .get(reverse("plans:member_list", args=[swale.pk]))
        .content.decode()
    )
    assert "csu-officer" in html and "Partnership officer" in html and "Swale CSU" in html
    assert "swale-admin" in html and "Partnership admin" in html


def test_admin_invites_a_new_officer_who_chooses_their_own_password(
    client, swale_admin, swale, mailoutbox, django_capture_on_commit_callbacks
):
    police = Agency.objects.get(name="Kent Police")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(client, swale_admin).post(
            reverse("plans:member_add", args=[swale.pk]),
            {"full_name": "Nia Officer", "email": "New.Officer@example.invalid",
             "role": "officer", "agencies": [police.pk]},
        )  # fmt: skip
    assert response.status_code == 302
    user = get_user_model().objects.get(email="New.Officer@example.invalid")
    assert user.get_full_name() == "Nia Officer" and not user.has_usable_password()
    membership = user.memberships.get()
    assert (membership.partnership, membership.role) == (swale, "officer")
    assert list(membership.agencies.all()) == [police]
    assert user.groups.filter(name="Partnership officers").exists()
    # The invitation: one e-mail with a link where they choose their password.
    [email] = mailoutbox
    assert email.to == ["New.Officer@example.invalid"]
    link = next(line for line in email.body.splitlines() if "/invitation/" in line)
    client.logout()
    client.post(link, {"new_password1": "a-long-chosen-pass-42",
                       "new_password2": "a-long-chosen-pass-42"})  # fmt: skip
    assert client.login(username="new.officer@example.invalid", password="a-long-chosen-pass-42")
    # The new officer may now report on Kent Police's Swale indicators.
    assert access.reportable_indicators(user).filter(plan__partnership=swale).exists()


def test_admin_adds_an_existing_account_by_email_address(client, swale_admin, swale, mailoutbox):
    existing = UserFactory(username="already-here", email="here@example.invalid")
    signed_in(client, swale_admin).post(
        reverse("plans:member_add", args=[swale.pk]),
        {"full_name": "Already Here", "email": "HERE@example.invalid", "role": "seg"},
    )
    assert existing.memberships.get().role == "seg"
    assert mailoutbox == []  # no invitation: they have an account


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"full_name": "X One", "role": "seg"}, "email", "Enter their e-mail address"),
        ({"full_name": "X Two", "role": "seg", "email": "not-an-address"}, "email",
         "Enter an e-mail address in the correct format"),
        ({"email": "x3@example.invalid", "role": "seg"}, "full_name", "Enter their full name"),
        ({"full_name": "X Four", "role": "officer", "email": "x4@example.invalid"}, "agencies",
         "Choose the agencies this officer reports for"),
        ({"full_name": "Swale Admin", "email": "admin@swale.invalid", "role": "seg"}, "email",
         "already a member"),
        ({"full_name": "X Five", "email": "x5@example.invalid"}, "role",
         "This field is required"),
    ],
)  # fmt: skip
def test_add_member_refuses_bad_input_and_changes_nothing(
    client, swale_admin, swale, data, field, message, mailoutbox
):
    swale_admin.email = "admin@swale.invalid"
    swale_admin.save()
    before = (get_user_model().objects.count(), Membership.objects.count())
    response = signed_in(client, swale_admin).post(
        reverse("plans:member_add", args=[swale.pk]), data
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and f'href="#id_{field}"' in html
    assert message in html
    assert (get_user_model().objects.count(), Membership.objects.count()) == before
    assert mailoutbox == []


def test_admin_changes_role_and_agencies(client, swale_admin, csu_officer, swale):
    membership = csu_officer.memberships.get()
    police = Agency.objects.get(name="Kent Police")
    signed_in(client, swale_admin).post(
        reverse("plans:member_edit", args=[membership.pk]),
        {"role": "officer", "agencies": [police.pk]},
    )
    assert list(membership.agencies.all()) == [police]
    signed_in(client, swale_admin).post(
        reverse("plans:member_edit", args=[membership.pk]), {"role": "seg"}
    )
    membership.refresh_from_db()
    assert membership.role == "seg"
    assert list(csu_officer.groups.values_list("name", flat=True)) == ["SEG members"]


def test_the_only_admin_cannot_be_removed_or_demoted(client, swale_admin, swale):
    membership = swale_admin.memberships.get()
    client = signed_in(client, swale_admin)
    response = client.post(reverse("plans:member_remove", args=[membership.pk]))
    assert "the partnership&#x27;s only admin" in response.content.decode()
    response = client.post(reverse("plans:member_edit", args=[membership.pk]), {"role": "seg"})
    assert "only admin" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_admin_removes_a_member(client, swale_admin, seg_member):
    membership = seg_member.memberships.get()
    response = signed_in(client, swale_admin).post(
        reverse("plans:member_remove", args=[membership.pk])
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_admin_delegates_an_action_to_another_agencys_officer(
    client, swale_admin, police_officer, swale
):
    action = Action.objects.get(priority__plan__partnership=swale, ref="2.2")
    assert not access.can_report_on_action(police_officer, action)
    response = signed_in(client, swale_admin).post(
        reverse("plans:action_delegates", args=[action.pk]), {"delegates": [police_officer.pk]}
    )
    assert response.status_code == 302
    access.forget_access(police_officer)
    assert access.can_report_on_action(police_officer, action)


def test_admin_delegates_an_indicator(client, swale_admin, csu_officer, swale):
    indicator = swale.plans.get().indicators.filter(agency__name="Kent Police").first()
    signed_in(client, swale_admin).post(
        reverse("plans:indicator_delegates", args=[indicator.pk]), {"delegates": [csu_officer.pk]}
    )
    assert list(indicator.delegates.all()) == [csu_officer]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("csu_officer", 403), ("seg_member", 403), ("swale_admin", 200),
     ("outsider", 404)],
)  # fmt: skip
def test_member_and_delegation_pages_permissions(request, client, swale, role, expected):
    action = Action.objects.get(priority__plan__partnership=swale, ref="2.2")
    membership = request.getfixturevalue("swale_admin").memberships.get()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    urls = [
        reverse("plans:member_list", args=[swale.pk]),
        reverse("plans:member_add", args=[swale.pk]),
        reverse("plans:member_edit", args=[membership.pk]),
        reverse("plans:member_remove", args=[membership.pk]),
        reverse("plans:action_delegates", args=[action.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == expected, url
        if role != "swale_admin":
            assert client.post(url, {"role": "seg", "username": "zz"}).status_code == expected


@pytest.mark.parametrize("extra_members", [0, 40])
def test_member_list_query_budget(
    client, swale_admin, swale, django_assert_max_num_queries, extra_members
):
    police = Agency.objects.get(name="Kent Police")
    for n in range(extra_members):
        membership = Membership.objects.create(
            user=UserFactory(username=f"extra{n}"), partnership=swale, role="officer"
        )
        membership.agencies.add(police)
    client = signed_in(client, swale_admin)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("plans:member_list", args=[swale.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("plans:member_add", args=[swale.pk])).status_code == 200
