"""Sign-in throttling with django-axes."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class ThrottledSignInBackend(AxesStandaloneBackend):
    """django-axes' lock-out check for sign-ins from the web.

    Code that authenticates without a request (the test client's ``login()``, a shell) is no
    sign-in attempt anyone could repeat from outside, so it is not throttled: axes would
    otherwise refuse it outright.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or password is None:  # no request, or single sign-on's callback
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def attempted_username(request, credentials: dict | None) -> str:
    """The user name as typed, folded to lower case, so 'Swale-Admin' and 'swale-admin'
    count towards one lock-out."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()
