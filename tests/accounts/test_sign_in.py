"""Signing in: throttling (django-axes), password change and reset, session timeouts, and
each of them in the audit log."""

from __future__ import annotations

import re
import time

import pytest
from django.urls import reverse

from csp_tracker.accounts import audit
from csp_tracker.accounts.middleware import SEEN_KEY, STARTED_KEY
from tests.accounts.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def events(user) -> list[str]:
    return [entry.additional_data["event"] for entry in audit.events_for(user)]


def test_sign_in_page_links_to_password_reset(client, seeded):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("accounts:password_reset")}"' in html
    assert "Sign in with" not in html  # no single sign-on unless set up


def test_sign_in_and_failures_are_audited(client, seg_member):
    response = sign_in(client, "seg-member", "wrong")
    assert "Enter a correct e-mail address or user name and password" in response.content.decode()
    assert sign_in(client, "seg-member").status_code == 302
    assert events(seg_member) == [audit.SIGNED_IN, audit.SIGN_IN_FAILED]
    failed = audit.events_for(seg_member)[1]
    assert failed.actor is None and failed.additional_data["attempted"] == "seg-member"


def test_invited_people_sign_in_with_their_e_mail_address_in_any_case(client, seg_member):
    seg_member.username = "seg@example.invalid"
    seg_member.save()
    assert sign_in(client, "SEG@Example.invalid").status_code == 302


def test_repeated_wrong_passwords_lock_the_user_name_at_that_address(client, settings, seg_member):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "seg-member", "wrong").status_code == 200
    locked = sign_in(client, "seg-member", "wrong")
    assert locked.status_code == 429
    assert "Sign-in is locked for now" in locked.content.decode()
    assert "locked for 15 minutes" in locked.content.decode()
    # The right password does not get in now, however the name is typed...
    for name in ("seg-member", "SEG-Member"):
        assert sign_in(client, name).status_code == 429
    # ...but the same user name from another address still may.
    assert sign_in(client, "seg-member", REMOTE_ADDR="10.0.0.9").status_code == 302
    assert audit.LOCKED_OUT in events(seg_member)


def test_an_admin_unlocks_a_member(client, settings, swale_admin, seg_member):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "seg-member", "wrong")
    membership = seg_member.memberships.get()
    admin = client.__class__()
    admin.force_login(swale_admin)
    page = admin.get(reverse("plans:member_edit", args=[membership.pk])).content.decode()
    assert "Sign-in locked" in page and "Unlock sign-in" in page
    assert admin.post(reverse("plans:member_unlock", args=[membership.pk])).status_code == 302
    assert (
        "Unlock sign-in"
        not in admin.get(reverse("plans:member_edit", args=[membership.pk])).content.decode()
    )
    assert sign_in(client, "seg-member").status_code == 302
    unlocked = audit.events_for(seg_member)[1]
    assert unlocked.additional_data["event"] == audit.UNLOCKED and unlocked.actor == swale_admin


def test_change_password(client, seg_member):
    client.force_login(seg_member)
    url = reverse("accounts:password_change")
    html = client.post(url, {"old_password": "wrong", "new_password1": "x",
                             "new_password2": "x"}).content.decode()  # fmt: skip
    assert "There is a problem" in html
    response = client.post(url, {"old_password": PASSWORD, "new_password1": "a-new-long-pass-77",
                                 "new_password2": "a-new-long-pass-77"})  # fmt: skip
    assert response["Location"] == reverse("accounts:password_change_done")
    assert client.get(reverse("accounts:account")).status_code == 200  # still signed in
    seg_member.refresh_from_db()
    assert seg_member.check_password("a-new-long-pass-77")
    assert audit.PASSWORD_CHANGED in events(seg_member)


@pytest.mark.parametrize("known", [True, False])
def test_reset_answer_is_the_same_whether_or_not_the_account_exists(
    client, seg_member, mailoutbox, known
):
    seg_member.email = "seg@example.invalid"
    seg_member.save()
    address = "seg@example.invalid" if known else "nobody@example.invalid"
    response = client.post(reverse("accounts:password_reset"), {"email": address}, follow=True)
    assert response.redirect_chain == [(reverse("accounts:password_reset_done"), 302)]
    assert "If an account uses that address" in response.content.decode()
    assert len(mailoutbox) == (1 if known else 0)


def test_reset_link_sets_a_new_password_once_and_lifts_a_lock(
    client, settings, seg_member, mailoutbox
):
    settings.SITE_URL = "https://csp.example.invalid"
    seg_member.email = "seg@example.invalid"
    seg_member.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "seg-member", "wrong")
    client.post(reverse("accounts:password_reset"), {"email": "SEG@example.invalid"})
    [email] = mailoutbox
    link = re.search(r"https://csp\.example\.invalid(/\S+)", email.body)[1]
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    new = {"new_password1": "a-new-long-pass-77", "new_password2": "a-new-long-pass-77"}
    done = client.post(form.redirect_chain[-1][0], new)
    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert "This link does not work" in client.get(link, follow=True).content.decode()
    assert sign_in(client, "seg-member", "a-new-long-pass-77").status_code == 302
    assert audit.PASSWORD_RESET in events(seg_member)


def _age_session(client, *, started: int, seen: int) -> None:
    session = client.session
    session[STARTED_KEY], session[SEEN_KEY] = started, seen
    session.save()


def test_idle_session_ends_with_a_message(client, settings, seg_member):
    client.force_login(seg_member)
    now = int(time.time())
    _age_session(client, started=now - 3600, seen=now - settings.SESSION_IDLE_TIMEOUT - 1)
    response = client.get(reverse("plans:my_updates"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "signed out because you did nothing for 30 minutes" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_active_session_ends_after_the_absolute_timeout(client, settings, seg_member):
    client.force_login(seg_member)
    now = int(time.time())
    _age_session(client, started=now - settings.SESSION_ABSOLUTE_TIMEOUT - 1, seen=now - 5)
    response = client.get(reverse("plans:my_updates"), follow=True)
    assert "signed in more than 12 hours ago" in response.content.decode()


def test_activity_keeps_a_session_alive(client, settings, seg_member):
    client.force_login(seg_member)
    now = int(time.time())
    _age_session(client, started=now - 3600, seen=now - settings.SESSION_IDLE_TIMEOUT + 60)
    assert client.get(reverse("plans:my_updates")).status_code == 200
    assert client.session[SEEN_KEY] >= now
