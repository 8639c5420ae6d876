"""The signed-in user is read on every request from SQL compiled once per process: it must
give what the ORM query gives, for every kind of user, and see changes at once."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from csp_tracker.accounts.backends import AccountBackend, annotated_users
from plans.models import Membership
from plans.notifications.models import Notification
from tests.factories import AgencyFactory, PartnershipFactory, UserFactory
from tests.two_factor import app_for

pytestmark = pytest.mark.django_db

FIELDS = ("username", "is_active", "_otp_totp", "_otp_static", "_unread_notifications")


def orm_view(user_id: int) -> dict:
    user = annotated_users().get(pk=user_id)
    return {name: getattr(user, name) for name in FIELDS} | {"_signs_off": user._signs_off}


def loaded(user_id) -> dict | None:
    user = AccountBackend().get_user(user_id)
    if user is None:
        return None
    return {name: getattr(user, name) for name in FIELDS} | {"_signs_off": user._signs_off}


def test_a_plain_user_is_read_as_the_orm_reads_them():
    user = UserFactory()
    assert loaded(user.pk) == orm_view(user.pk)
    assert loaded(str(user.pk)) == orm_view(user.pk)  # as the session keeps it
    assert loaded(user.pk)["_signs_off"] is False


def test_devices_unread_notices_and_sign_off_come_with_the_user():
    partnership = PartnershipFactory(sign_off=True)
    agency = AgencyFactory()
    user = UserFactory()
    membership = Membership.objects.create(
        user=user, partnership=partnership, role=Membership.Role.OFFICER
    )
    membership.signs_off_for.add(agency)
    app_for(user)
    StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    for n in range(3):
        Notification.objects.create(user=user, kind="reminder", subject=f"Notice {n}")
    Notification.objects.create(user=user, kind="reminder", subject="Read", read_at=timezone.now())

    found = loaded(user.pk)
    assert found == orm_view(user.pk)
    assert found["_unread_notifications"] == 3
    assert found["_signs_off"] is True
    assert found["_otp_totp"] is not None and found["_otp_static"] is not None
    assert AccountBackend().get_user(user.pk).otp_device_ids == {
        f"otp_totp.totpdevice/{found['_otp_totp']}",
        f"otp_static.staticdevice/{found['_otp_static']}",
    }


def test_changes_show_on_the_next_request():
    user = UserFactory()
    assert loaded(user.pk)["_unread_notifications"] == 0
    Notification.objects.create(user=user, kind="reminder", subject="New")
    assert loaded(user.pk)["_unread_notifications"] == 1
    user.is_active = False
    user.save()
    assert loaded(user.pk) is None  # a deactivated account is signed out


def test_unknown_or_malformed_ids_find_nobody():
    assert loaded(987654) is None
    assert loaded("not-an-id") is None
