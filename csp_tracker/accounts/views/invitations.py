"""The page an invitation e-mail links to: the invited person chooses a password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from csp_tracker.accounts import services
from csp_tracker.accounts.forms import ChoosePasswordForm


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.user.is_authenticated and request.user != invitation.user:
        logout(request)  # someone else's session on a shared computer
    form = ChoosePasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_accept(
            invitation=invitation, password=form.cleaned_data["new_password1"]
        )
        messages.success(request, "Your password is set. Sign in to carry on.")
        return redirect("login")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )
