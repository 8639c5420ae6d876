"""Test helpers for two-factor sign-in: an authenticator app for a user, and its codes."""

from __future__ import annotations

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from csp_tracker.accounts import two_factor
from plans.models import Membership


def must_use_two_factor(user) -> bool:
    """As ``two_factor.required_for``, without caching memberships on the user object."""
    return (
        user.is_superuser
        or Membership.objects.filter(user=user, role=Membership.Role.ADMIN).exists()
    )


def app_for(user) -> TOTPDevice:
    """The user's authenticator app, set up if need be."""
    device = two_factor.app_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=two_factor.APP_DEVICE, confirmed=True)
    return device


def code_for_key(key: bytes, *, after_step: int = -1) -> str:
    """The app's code now, or the next one if this step was used already (a code works once)."""
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    if totp.t() <= after_step:
        totp.time += 30
    return f"{totp.token():06d}"


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return code_for_key(device.bin_key, after_step=device.last_t)


def verify_session(client, user) -> None:
    """Mark a test client's session as having passed two-factor sign-in, as entering a code
    would."""
    device = app_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.pop(two_factor.PENDING_KEY, None)
    session.save()
