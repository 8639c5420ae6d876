"""Sign-in throttling with django-axes."""

from __future__ import annotations

import functools

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import router


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
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        user = next(iter(signed_in_user(user_id)), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        user._signs_off = bool(user._signs_off)  # SQLite gives 0 or 1 to a raw query
        user.otp_device_ids = {
            f"{model.model_label()}/{pk}"
            for model, pk in ((TOTPDevice, user._otp_totp), (StaticDevice, user._otp_static))
            if pk is not None
        }
        return user


def annotated_users():
    """Users with what every page needs of the signed-in one: the first confirmed device of
    each kind, the header's unread count and whether they sign off for an agency."""
    from django.db.models import Exists, OuterRef, Subquery
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from plans.models import Membership
    from plans.notifications.services import unread_count_subquery

    def first_confirmed(model):
        devices = model.objects.filter(user=OuterRef("pk"), confirmed=True).order_by("pk")
        return Subquery(devices.values("pk")[:1])

    signs_off = Membership.signs_off_for.through.objects.filter(
        membership__user=OuterRef("pk"),
        membership__role=Membership.Role.OFFICER,
        membership__partnership__sign_off=True,
    )
    return get_user_model()._default_manager.annotate(
        _otp_totp=first_confirmed(TOTPDevice),
        _otp_static=first_confirmed(StaticDevice),
        _unread_notifications=unread_count_subquery(),
        _signs_off=Exists(signs_off),
    )


# Marks the id's place among the compiled query's parameters: no user has it.
_PLACEHOLDER_ID = -1_735_120_811


@functools.cache
def _compiled_user_query(alias: str) -> tuple[str, tuple, int]:
    """The SQL of ``annotated_users()`` for one user, compiled once per process and
    database: compiling its four subqueries cost 2 ms of every request."""
    query = annotated_users().filter(pk=_PLACEHOLDER_ID).order_by().query
    sql, params = query.get_compiler(alias).as_sql()
    return sql, tuple(params), params.index(_PLACEHOLDER_ID)


def signed_in_user(user_id):
    """``annotated_users()`` narrowed to ``user_id``, as a raw query of the compiled SQL."""
    User = get_user_model()
    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:
        return []
    alias = router.db_for_read(User)
    sql, params, at = _compiled_user_query(alias)
    params = (*params[:at], user_id, *params[at + 1 :])
    return User._default_manager.db_manager(alias).raw(sql, params)


class AccountBackend(DeviceAwareUserMixin, ModelBackend):
    """Django's user name and password sign-in."""
