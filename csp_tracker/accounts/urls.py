from django.contrib.auth import views as auth_views
from django.urls import path

from csp_tracker.accounts import oidc
from csp_tracker.accounts.views import account, invitations, passwords, two_factor

app_name = "accounts"
urlpatterns = [
    path("account/", account.account, name="account"),
    path("account/password/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path(
        "account/password/changed/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("account/two-factor/set-up/", two_factor.two_factor_setup, name="two_factor_setup"),
    path(
        "account/two-factor/turn-off/", two_factor.two_factor_turn_off, name="two_factor_turn_off"
    ),
    path("account/two-factor/recovery-codes/", two_factor.recovery_codes, name="recovery_codes"),
    path("sign-in/code/", two_factor.two_factor_verify, name="two_factor_verify"),
    path(
        "sign-in/forgotten-password/", passwords.PasswordResetView.as_view(), name="password_reset"
    ),
    path(
        "sign-in/forgotten-password/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "sign-in/reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "sign-in/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("sign-in/sso/", oidc.SignOnStart.as_view(), name="oidc_start"),
    path("sign-in/sso/callback/", oidc.SignOnCallback.as_view(), name="oidc_callback"),
    path("sign-in/sso/failed/", oidc.sign_on_failed, name="oidc_failed"),
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
]
