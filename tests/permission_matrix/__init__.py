"""Who may do what: the role × URL tables that tests/test_permissions.py runs, one runner for all.

Each ``Matrix`` has a table (view name → one expectation per signed-in role, in ``ROLES``
order after "anonymous") and a builder of its views (view name → method, URL, POST data).
Anonymous visitors are always sent to sign in. The expectations:

- "ok": allowed: 200 or 302, and a POST redirects after saving;
- 403: may see but not change; 404: another partnership's data (or nothing to see);
  405: the method is not allowed for anyone;
- "form": the page answers 200 with the form's error (a wrong two-factor code);
- "away": a redirect elsewhere, because there is nothing to do here for this user (no code
  is due, no recovery codes to show, no two-factor sign-in to turn off);
- "shown": 200, with a new API token shown on this response, once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse
from django.urls import reverse

from tests.factories import UserFactory

ROLES = ["anonymous", "csu_officer", "police_officer", "seg_member", "swale_admin", "outsider",
         "superuser", "no_membership"]  # fmt: skip
ALLOWED = {200, 302}

Views = dict[str, tuple[str, str, dict]]


@dataclass(frozen=True)
class Matrix:
    """A table of expectations and the views it names.

    ``views(swale, **fixtures)`` builds the views on the Swale quarter of tests/test_permissions.py
    (``fixtures`` names the cast members it also needs). ``sign_in_first``: build them after the
    user is signed in (their membership is changed). ``after(swale, view, expected, response)``
    asserts what the request left behind; ``expected`` is "login" for an anonymous visitor."""

    expected: dict[str, tuple]
    views: Callable[..., Views]
    fixtures: tuple[str, ...] = ()
    sign_in_first: bool = False
    after: Callable[[dict, str, object, HttpResponse], None] | None = None


def client_for(role: str, request, client):
    if role == "anonymous":
        return client
    if role == "superuser":
        user = UserFactory(username="root", is_superuser=True, is_staff=True)
    elif role == "no_membership":
        user = UserFactory(username="signed-in-nobody")
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)
    return client


def assert_answer(response: HttpResponse, expected, view: str, role: str) -> None:
    """The response is what the table expects of this role for this view."""
    code, method = response.status_code, response.request["REQUEST_METHOD"]
    if expected == "login":
        assert code == 302
        assert response["Location"].startswith(reverse("login"))
    elif expected == "form":
        assert code == 200 and "There is a problem" in response.content.decode()
    elif expected == "shown":  # the new token is shown on this response, once
        assert code == 200 and "Your new token" in response.content.decode()
    elif expected == "away":
        assert code == 302, (view, role, code)
    elif expected == "ok":
        assert code in ALLOWED, (view, role, code)
        if method == "POST":
            assert code == 302, "a valid POST redirects after saving"
    else:
        assert code == expected, (view, role, code)
