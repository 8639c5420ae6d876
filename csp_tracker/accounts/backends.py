"""Sign-in throttling with django-axes."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ThrottledSignInBackend(AxesStandaloneBackend):
    """django-axes' lock-out check for sign-ins from the web.

    Code that authenticates without a request (the test client's ``login()``, a shell) is no
    sign-in attempt anyone could repeat from outside, so it is not throttled: axes would
    otherwise refuse it outright.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or password is None:  # no request, or single sign-on's callback
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def attempted_username(request, credentials: dict | None) -> str:
    """The user name as typed, folded to lower case, so 'Swale-Admin' and 'swale-admin'
    count towards one lock-out."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()


class DeviceAwareUserMixin:
    """Loads the signed-in user with the ids of their confirmed two-factor devices, in the
    same query, so checking a session's second factor on every request costs nothing more
    (see ``accounts.middleware.OTPMiddleware``)."""

    def get_user(self, user_id):
        from django.db.models import Exists, OuterRef, Subquery
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        def first_confirmed(model):
            devices = model.objects.filter(user=OuterRef("pk"), confirmed=True).order_by("pk")
            return Subquery(devices.values("pk")[:1])

        from plans.models import Membership
        from plans.notifications.services import unread_count_subquery

        signs_off = Membership.signs_off_for.through.objects.filter(
            membership__user=OuterRef("pk"),
            membership__role=Membership.Role.OFFICER,
            membership__partnership__sign_off=True,
        )

        user = (
            get_user_model()
            ._default_manager.annotate(
                _otp_totp=first_confirmed(TOTPDevice),
                _otp_static=first_confirmed(StaticDevice),
                _unread_notifications=unread_count_subquery(),  # the header's count, free
                _signs_off=Exists(signs_off),  # the Sign-off link in the menu, free
            )
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        user.otp_device_ids = {
            f"{model.model_label()}/{pk}"
            for model, pk in ((TOTPDevice, user._otp_totp), (StaticDevice, user._otp_static))
            if pk is not None
        }
        return user


class AccountBackend(DeviceAwareUserMixin, ModelBackend):
    """Django's user name and password sign-in."""
