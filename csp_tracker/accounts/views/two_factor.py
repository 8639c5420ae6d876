"""Setting up two-factor sign-in, entering a code when signing in, recovery codes."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login

from csp_tracker.accounts import audit, two_factor
from csp_tracker.accounts.forms import CodeForm

CODES_KEY = "accounts_recovery_codes_to_show"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else "/"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the key), then enter a code to prove it worked."""
    if not two_factor.is_verified(request) and two_factor.has_device(request.user):
        # Someone with only the password must not swap the owner's app for their own.
        return redirect(
            f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': _next_url(request)})}"
        )
    device = two_factor.unconfirmed_app_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if (wait := _wait_seconds(device)) is not None:
            form.add_error("code", f"You entered a wrong code: wait {wait} seconds and try again")
        elif device.verify_token(form.cleaned_data["code"]):
            request.session[CODES_KEY] = two_factor.confirm_app_device(device=device)
            otp_login(request, device)
            request.session.pop(two_factor.PENDING_KEY, None)
            audit.record(audit.TWO_FACTOR_SET_UP, user=request.user)
            return redirect(
                f"{reverse('accounts:recovery_codes')}?{urlencode({'next': _next_url(request)})}"
            )
        else:
            form.add_error("code", "The code is not right: enter the 6 digits your app shows now")
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_svg(device),
        "secret": two_factor.readable_secret(device),
        "required": two_factor.required_for(request.user),
        "replacing": two_factor.app_device(request.user) is not None,
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _wait_seconds(device) -> int | None:
    """How long django-otp's throttling (after wrong codes) still refuses this device."""
    allowed, detail = device.verify_is_allowed()
    if allowed:
        return None
    until = (detail or {}).get("locked_until")
    return max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    if two_factor.is_verified(request) or not request.session.get(two_factor.PENDING_KEY):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            request.session.pop(two_factor.PENDING_KEY, None)
            if device.name == two_factor.CODES_DEVICE:
                left = two_factor.recovery_codes_left(request.user)
                audit.record(audit.RECOVERY_CODE_USED, user=request.user, left=left)
                messages.info(request, f"You have {left} recovery codes left.")
            return redirect(_next_url(request))
        waits = [_wait_seconds(d) for d in devices_for_user(request.user, confirmed=True)]
        if waits and None not in waits:
            wait = min(waits)
            form.add_error("code", f"You entered a wrong code: wait {wait} seconds and try again")
        else:
            form.add_error(
                "code",
                "The code is not right: enter the 6 digits your app shows now, "
                "or one of your recovery codes",
            )
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Recovery codes are shown once, right after they are made. POST makes a new set."""
    if request.method == "POST":
        if not two_factor.is_verified(request) or not two_factor.has_device(request.user):
            raise PermissionDenied("Set up two-factor sign-in first.")
        request.session[CODES_KEY] = two_factor.new_recovery_codes(user=request.user)
        audit.record(audit.RECOVERY_CODES_REPLACED, user=request.user)
        return redirect("accounts:recovery_codes")
    codes = request.session.pop(CODES_KEY, None)
    if codes is None:
        return redirect("accounts:account")
    context = {"codes": codes, "next": _next_url(request)}
    return render(request, "accounts/recovery_codes.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_turn_off(request: HttpRequest) -> HttpResponse:
    if two_factor.required_for(request.user):
        raise PermissionDenied("Partnership admins must keep two-factor sign-in.")
    if not two_factor.has_device(request.user):
        return redirect("accounts:account")
    if request.method == "POST":
        two_factor.turn_off(user=request.user)
        audit.record(audit.TWO_FACTOR_TURNED_OFF, user=request.user)
        messages.success(request, "Two-factor sign-in is off")
        return redirect("accounts:account")
    return render(request, "accounts/two_factor_turn_off.html")
