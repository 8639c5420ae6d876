"""Signing in, changing a password and resetting a forgotten one: Django's own views with
GOV.UK templates, each change written to the audit log."""

from __future__ import annotations

from urllib.parse import urlsplit

from axes.helpers import get_cool_off
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from csp_tracker.accounts import audit
from csp_tracker.accounts.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = False

    def get_success_url(self) -> str:
        """Where the visitor was heading; with nowhere in particular to go (or only the home
        page), an officer with something due lands on My updates."""
        from plans import worklist

        wanted = self.get_redirect_url()  # "" unless a safe ?next=
        if wanted and wanted != reverse("home"):
            return wanted
        if worklist.has_work_due(self.request.user, today=timezone.localdate()):
            return reverse("plans:my_updates")
        return wanted or resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["sso"] = settings.OIDC_ENABLED
        context["sso_name"] = settings.OIDC_PROVIDER_NAME
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session signed in
        audit.record(audit.PASSWORD_CHANGED, user=form.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Always answers "check your e-mail", whether or not an account has that address."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "email/password_reset.txt"
    subject_template_name = "email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Links point at SITE_URL, never at whatever Host header the request came with.
        site = urlsplit(settings.SITE_URL)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            extra_email_context={"hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
        )
        return super(auth_views.PasswordResetView, self).form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(audit.PASSWORD_RESET, user=form.user)
        axes_reset(username=form.user.get_username().lower())  # a new password lifts a lock-out
        return response


def locked_out(request, original_response, credentials) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: a GOV.UK page saying for how long."""
    minutes = int(get_cool_off(request).total_seconds() // 60) if get_cool_off(request) else 0
    context = {"minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
