"""Your account: name, e-mail address, password and two-factor sign-in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from csp_tracker.accounts import two_factor


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "has_two_factor": two_factor.has_device(user),
        "required": two_factor.required_for(user),
        "codes_left": two_factor.recovery_codes_left(user),
        "has_password": user.has_usable_password(),
    }
    return render(request, "accounts/account.html", context)
