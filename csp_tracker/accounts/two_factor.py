"""Two-factor sign-in with django-otp: an authenticator app (TOTP) and ten recovery codes
(django-otp's static tokens), each usable once.

Who must use it: partnership admins and superusers. Everyone else may. A session counts as
verified once a code was accepted (django-otp keeps the device in the session), or when single
sign-on's provider says it asked for a second factor and ``OIDC_TRUST_PROVIDER_MFA`` is set.
"""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from plans import access

RECOVERY_CODES = 10
APP_DEVICE = "Authenticator app"
CODES_DEVICE = "Recovery codes"
# Session keys: a code is still to be entered; the provider's MFA counted as ours.
PENDING_KEY = "accounts_two_factor_pending"
PROVIDER_MFA_KEY = "accounts_provider_mfa"
DEMO_USERNAMES = {"demo-admin"}


def is_demo_exempt(user) -> bool:
    """DEMO ONLY: `make run` lets the demo accounts skip two-factor sign-in."""
    if not settings.DEMO_ACCOUNTS_SKIP_TWO_FACTOR:
        return False
    from plans.demo import DEMO_ACCOUNTS

    names = DEMO_USERNAMES | {account.username for account in DEMO_ACCOUNTS}
    return user.get_username() in names


def required_for(user) -> bool:
    """Partnership admins and superusers must sign in with a second factor."""
    if not user.is_authenticated or is_demo_exempt(user):
        return False
    user_access = access.access_for(user)
    return user_access.superuser or access.Role.ADMIN in user_access.roles.values()


def has_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def is_verified(request: HttpRequest) -> bool:
    return request.user.is_verified() or bool(request.session.get(PROVIDER_MFA_KEY))


def app_device(user, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user, name=APP_DEVICE)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.first()


def unconfirmed_app_device(user) -> TOTPDevice:
    """The device being set up: kept until confirmed, so reloading the page keeps the QR code
    the person may already have scanned."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG QR code (no image request, no script)."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    svg = image.to_string(encoding="unicode")
    return svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1
    )


def readable_secret(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm_app_device(*, device: TOTPDevice) -> list[str]:
    """Make the app the user's second factor (replacing any earlier one) and return a fresh
    set of recovery codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(user=device.user)


@transaction.atomic
def new_recovery_codes(*, user) -> list[str]:
    """Ten new one-use codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=CODES_DEVICE)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=CODES_DEVICE).count()


@transaction.atomic
def turn_off(*, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
