"""Session timeouts, and two-factor sign-in before anything else."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware
from django_otp.models import Device


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's middleware, checking the session's device against the ids loaded with the
    user (``accounts.backends.DeviceAwareUserMixin``) instead of querying it on every request;
    the device itself is loaded only if something asks for it."""

    def _verify_user_sync(self, request, user):
        known = getattr(user, "otp_device_ids", None)
        if known is None or not user.is_authenticated:
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        if persistent_id in known:
            user.otp_device = SimpleLazyObject(lambda: Device.from_persistent_id(persistent_id))
        elif persistent_id:  # the device was removed or replaced: verify again
            del request.session[DEVICE_ID_SESSION_KEY]
        return user


STARTED_KEY = "accounts_signed_in_at"
SEEN_KEY = "accounts_last_seen_at"
# Record activity at most once a minute: a session write on every request would cost a query.
SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Sign people out after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and
    ``SESSION_ABSOLUTE_TIMEOUT`` seconds after they signed in. (A few lines of our own: the
    packages that do this either rely on JavaScript or write the session on every request.)"""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started, seen = session.get(STARTED_KEY), session.get(SEEN_KEY)
            if started is None or seen is None:  # signed in before timeouts were kept
                session[STARTED_KEY] = session[SEEN_KEY] = started = seen = now
            idle = now - seen > settings.SESSION_IDLE_TIMEOUT
            if idle or now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                return self._signed_out(request, idle=idle)
            if now - seen >= SEEN_RESOLUTION:
                session[SEEN_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _signed_out(request: HttpRequest, *, idle: bool) -> HttpResponse:
        logout(request)
        if idle:
            minutes = settings.SESSION_IDLE_TIMEOUT // 60
            text = f"You were signed out because you did nothing for {minutes} minutes."
        else:
            hours = settings.SESSION_ABSOLUTE_TIMEOUT // 3600
            text = f"You were signed out because you signed in more than {hours} hours ago."
        messages.info(request, f"{text} Sign in again to carry on.")
        return redirect(_with_next("login", request))


def _with_next(url_name: str, request: HttpRequest) -> str:
    url = reverse(url_name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return url


# Pages a signed-in person may reach before their second factor.
TWO_FACTOR_PAGES = {
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "accounts:recovery_codes",
    "logout",
}


class TwoFactorMiddleware:
    """Someone who has set up two-factor sign-in enters a code before anything else; a
    partnership admin or superuser without it sets it up first."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from csp_tracker.accounts import two_factor

        user = request.user
        if user.is_authenticated and not two_factor.is_verified(request):
            # Which page this is (a URL resolve) only matters once a redirect is due.
            if request.session.get(two_factor.PENDING_KEY):
                to = "accounts:two_factor_verify"
            elif two_factor.required_for(user):
                to = "accounts:two_factor_setup"
            else:
                to = None
            if to and not self._allowed_before_verifying(request):
                return redirect(_with_next(to, request))
        return self.get_response(request)

    @staticmethod
    def _allowed_before_verifying(request: HttpRequest) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            return resolve(request.path_info).view_name in TWO_FACTOR_PAGES
        except Resolver404:
            return True  # the 404 page gives nothing away
