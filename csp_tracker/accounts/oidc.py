"""Single sign-on with OpenID Connect (mozilla-django-oidc), as an option by settings.

Only people who already have an account get in: the provider's e-mail address must be
verified and belong to exactly one active account (the one they were invited to). Nobody is
created here.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from csp_tracker.accounts import services, two_factor
from csp_tracker.accounts.backends import DeviceAwareUserMixin

logger = logging.getLogger(__name__)


class SingleSignOnBackend(DeviceAwareUserMixin, OIDCAuthenticationBackend):
    """Matches the provider's verified e-mail address to an invited account."""

    def __init__(self, *args, **kwargs) -> None:
        if settings.OIDC_ENABLED:  # the library insists on its settings when made
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or request is None or "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException) as error:
            # A refused token or an unreachable provider: the person is told on the sign-in
            # page, never shown an error page.
            logger.warning("Single sign-on refused: %s", error)
            return None

    def verify_claims(self, claims: dict) -> bool:
        verified = claims.get("email_verified") is True or settings.OIDC_TRUST_EMAIL
        return bool(claims.get("email")) and verified

    def filter_users_by_claims(self, claims: dict):
        return self.UserModel.objects.filter(email__iexact=claims["email"].strip(), is_active=True)

    def update_user(self, user, claims: dict):
        services.invitation_accept_by_sign_on(user=user)
        return user

    def verify_token(self, token: str, **kwargs) -> dict:
        payload = super().verify_token(token, **kwargs)
        # The library checks the signature and nonce; the audience and issuer are ours to.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        issuer = settings.OIDC_OP_ISSUER
        if self.OIDC_RP_CLIENT_ID not in audiences or (issuer and payload.get("iss") != issuer):
            raise SuspiciousOperation("The ID token is not for this service.")
        mfa = "mfa" in (payload.get("amr") or [])
        self.request.session[two_factor.PROVIDER_MFA_KEY] = mfa and settings.OIDC_TRUST_PROVIDER_MFA
        return payload


class _Enabled:
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not set up.")
        return super().dispatch(request, *args, **kwargs)


class SignOnStart(_Enabled, OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs) -> None:
        if settings.OIDC_ENABLED:
            super().__init__(*args, **kwargs)


class SignOnCallback(_Enabled, OIDCAuthenticationCallbackView):
    @property
    def failure_url(self) -> str:
        return reverse("accounts:oidc_failed")


def sign_on_failed(request: HttpRequest) -> HttpResponse:
    messages.error(
        request,
        "We could not sign you in with your organisation's account. Only people invited to "
        "CSP Tracker can sign in, with the e-mail address they were invited at. Ask your "
        "partnership admin, or sign in with your password.",
    )
    return redirect("login")
