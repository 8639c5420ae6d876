"""New members are invited by e-mail and choose their own password through a one-use link."""

from __future__ import annotations

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse

from csp_tracker.accounts import audit
from csp_tracker.accounts.models import Invitation
from plans.models import Partnership

pytestmark = pytest.mark.django_db
NEW = {"full_name": "Ada Example", "email": "ada@example.invalid", "role": "seg"}
CHOSEN = {"new_password1": "a-long-chosen-pass-42", "new_password2": "a-long-chosen-pass-42"}


@pytest.fixture
def swale(seeded) -> Partnership:
    return Partnership.objects.get(name__startswith="Swale")


def invite(client, admin, swale, capture, data=NEW) -> str:
    client.force_login(admin)
    with capture(execute=True):
        response = client.post(reverse("plans:member_add", args=[swale.pk]), data)
    assert response.status_code == 302
    client.logout()


def link_in(email) -> str:
    return re.search(r"http\S+/invitation/\S+/", email.body)[0]


def test_invitation_e_mail_names_who_invited_and_where(
    client, swale_admin, swale, mailoutbox, django_capture_on_commit_callbacks
):
    swale_admin.first_name = "Sam Admin"
    swale_admin.save()
    invite(client, swale_admin, swale, django_capture_on_commit_callbacks)
    [email] = mailoutbox
    assert email.subject == "You have been invited to CSP Tracker"
    assert "Hello Ada Example" in email.body
    assert "Sam Admin has invited you to CSP Tracker for Swale" in email.body
    assert "The link works once, for 7 days" in email.body


def test_the_link_works_once(client, swale_admin, swale, mailoutbox,
                             django_capture_on_commit_callbacks):  # fmt: skip
    invite(client, swale_admin, swale, django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])
    page = client.get(link)
    assert "Choose your password" in page.content.decode()
    assert "ada@example.invalid" in page.content.decode()
    response = client.post(link, CHOSEN)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert not Invitation.objects.get().is_pending
    again = client.get(link)
    assert again.status_code == 404
    assert "This invitation link does not work" in again.content.decode()
    assert client.post(link, {**CHOSEN, "new_password1": "x"}).status_code == 404


def test_a_weak_or_mismatched_password_is_refused(
    client, swale_admin, swale, mailoutbox, django_capture_on_commit_callbacks
):
    invite(client, swale_admin, swale, django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])
    html = client.post(link, {"new_password1": "123", "new_password2": "123"}).content.decode()
    assert "There is a problem" in html and "This password is too short" in html
    html = client.post(link, {**CHOSEN, "new_password2": "different-pass-99"}).content.decode()
    assert "There is a problem" in html
    assert not get_user_model().objects.get(email="ada@example.invalid").has_usable_password()


def test_resending_replaces_the_link(
    client, swale_admin, swale, mailoutbox, django_capture_on_commit_callbacks
):
    invite(client, swale_admin, swale, django_capture_on_commit_callbacks)
    first = link_in(mailoutbox[0])
    membership = get_user_model().objects.get(email="ada@example.invalid").memberships.get()
    client.force_login(swale_admin)
    page = client.get(reverse("plans:member_edit", args=[membership.pk])).content.decode()
    assert "not accepted yet" in page and "Send the invitation again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plans:member_invitation_resend", args=[membership.pk]))
    assert response.status_code == 302
    second = link_in(mailoutbox[1])
    assert second != first
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_an_old_link_has_run_out(client, settings, swale_admin, swale, mailoutbox,
                                 django_capture_on_commit_callbacks):  # fmt: skip
    invite(client, swale_admin, swale, django_capture_on_commit_callbacks)
    settings.INVITATION_TIMEOUT = -1
    assert client.get(link_in(mailoutbox[0])).status_code == 404


def test_a_made_up_link_does_not_work(client, seeded):
    assert (
        client.get(reverse("accounts:invitation_accept", args=["not-a-token"])).status_code == 404
    )


def test_the_new_account_and_its_invitation_are_audited(
    client, swale_admin, swale, mailoutbox, django_capture_on_commit_callbacks
):
    invite(client, swale_admin, swale, django_capture_on_commit_callbacks)
    client.post(link_in(mailoutbox[0]), CHOSEN)
    user = get_user_model().objects.get(email="ada@example.invalid")
    created = LogEntry.objects.get_for_object(user).get(action=LogEntry.Action.CREATE)
    assert created.actor == swale_admin
    events = [e.additional_data["event"] for e in audit.events_for(user)]
    assert events == [audit.INVITATION_ACCEPTED, audit.INVITED]


def test_an_address_already_used_is_added_not_invited_again(
    client, swale_admin, swale, mailoutbox, django_capture_on_commit_callbacks
):
    invite(client, swale_admin, swale, django_capture_on_commit_callbacks)
    medway = Partnership.objects.get(name__startswith="Medway")
    from plans.models import Membership

    medway_admin = Membership.objects.create(
        user=get_user_model().objects.create(username="m-admin"), partnership=medway, role="admin"
    ).user
    invite(client, medway_admin, medway, django_capture_on_commit_callbacks,
           {**NEW, "email": "ADA@example.invalid"})  # fmt: skip
    assert len(mailoutbox) == 1
    assert get_user_model().objects.filter(email__iexact="ada@example.invalid").count() == 1
