"""What happens when someone signs in, fails to, or is locked out."""

from __future__ import annotations

import time

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from csp_tracker.accounts import audit, two_factor
from csp_tracker.accounts.middleware import SEEN_KEY, STARTED_KEY


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[STARTED_KEY] = now
    request.session[SEEN_KEY] = now
    verified = getattr(user, "otp_device", None) is not None
    if not verified and not request.session.get(two_factor.PROVIDER_MFA_KEY):
        request.session[two_factor.PENDING_KEY] = two_factor.has_device(user)
    how = "single sign-on" if "oidc" in getattr(user, "backend", "") else "password"
    audit.record(audit.SIGNED_IN, user=user, method=how)


@receiver(user_login_failed)
def on_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    attempted = str(credentials.get("username") or "")
    if request is None or not attempted:
        return
    user = get_user_model().objects.filter(username__iexact=attempted.strip()).first()
    audit.record(audit.SIGN_IN_FAILED, user=user, actor=None, attempted=attempted)


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    user = get_user_model().objects.filter(username__iexact=username).first()
    audit.record(audit.LOCKED_OUT, user=user, actor=None, attempted=username)
