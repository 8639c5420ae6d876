"""Two-factor sign-in: required for partnership admins and superusers, optional for others."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from csp_tracker.accounts import audit, two_factor
from tests.accounts.conftest import sign_in
from tests.two_factor import app_for, code_for, code_for_key

pytestmark = pytest.mark.django_db
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")


def events(user) -> list[str]:
    return [entry.additional_data["event"] for entry in audit.events_for(user)]


def set_up_through_the_page(client) -> list[str]:
    """Read the key off the set-up page, send the app's code, return the recovery codes."""
    html = client.get(SETUP).content.decode()
    assert "<svg" in html and "QR code for your authenticator app" in html
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', html)[1].replace(" ", "")
    from base64 import b32decode

    key = b32decode(secret + "=" * (-len(secret) % 8))
    response = client.post(SETUP, {"code": code_for_key(key), "next": "/my-updates/"})
    assert response.status_code == 302
    codes_page = client.get(response["Location"]).content.decode()
    assert "We will not show these codes again" in codes_page
    return re.findall(r"<li><code>(\w+)</code></li>", codes_page)


def test_an_admin_is_sent_to_set_up_two_factor_before_anything_else(client, swale_admin):
    response = sign_in(client, "swale-admin")
    assert client.get(response["Location"])["Location"].startswith(SETUP)
    for url in (reverse("plans:my_updates"), reverse("priorities:action_list"), "/admin/"):
        assert client.get(url)["Location"].startswith(SETUP), url
    # Until the app is confirmed, the recovery codes page shows nothing and sign-out works.
    assert client.get(reverse("accounts:recovery_codes")).status_code == 302
    codes = set_up_through_the_page(client)
    assert len(codes) == two_factor.RECOVERY_CODES
    assert client.get(reverse("plans:my_updates")).status_code == 200
    # Shown once only.
    assert client.get(reverse("accounts:recovery_codes"))["Location"] == reverse("accounts:account")
    assert events(swale_admin)[0] == audit.TWO_FACTOR_SET_UP


def test_a_wrong_set_up_code_is_refused(client, swale_admin):
    sign_in(client, "swale-admin")
    html = client.post(SETUP, {"code": "000000"}).content.decode()
    assert "There is a problem" in html and "The code is not right" in html
    assert not TOTPDevice.objects.filter(user=swale_admin, confirmed=True).exists()


def test_next_sign_in_asks_for_a_code_and_a_recovery_code_works_once(client, settings, swale_admin):
    # django-otp slows down guessing after a wrong code; this test does not wait for it.
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    sign_in(client, "swale-admin")
    codes = set_up_through_the_page(client)
    client.logout()
    response = sign_in(client, "swale-admin")
    assert client.get(response["Location"])["Location"].startswith(VERIFY)
    html = client.post(VERIFY, {"code": "123456"}).content.decode()
    assert "The code is not right" in html
    assert client.post(VERIFY, {"code": codes[0], "next": "/my-updates/"})["Location"] == (
        "/my-updates/"
    )
    assert client.get(reverse("plans:my_updates")).status_code == 200
    assert audit.RECOVERY_CODE_USED in events(swale_admin)
    client.logout()
    sign_in(client, "swale-admin")
    assert "The code is not right" in client.post(VERIFY, {"code": codes[0]}).content.decode()
    device = app_for(swale_admin)
    assert client.post(VERIFY, {"code": code_for(device), "next": "/"})["Location"] == "/"


def test_someone_with_only_the_password_cannot_replace_the_app(client, swale_admin):
    app_for(swale_admin)
    sign_in(client, "swale-admin")
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=swale_admin).count() == 1


def test_officers_may_choose_two_factor_and_turn_it_off(client, csu_officer):
    sign_in(client, "csu-officer")
    assert client.get(reverse("plans:my_updates")).status_code == 200  # not required
    account = client.get(reverse("accounts:account")).content.decode()
    assert "Two-factor sign-in" in account and "Off" in account
    set_up_through_the_page(client)
    client.logout()
    sign_in(client, "csu-officer")
    assert client.get(reverse("plans:my_updates"))["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": code_for(app_for(csu_officer))})
    assert client.post(reverse("accounts:two_factor_turn_off")).status_code == 302
    assert not two_factor.has_device(csu_officer)
    assert events(csu_officer)[0] == audit.TWO_FACTOR_TURNED_OFF


def test_admins_cannot_turn_two_factor_off(client, swale_admin):
    client.force_login(swale_admin)
    assert client.post(reverse("accounts:two_factor_turn_off")).status_code == 403
    assert two_factor.has_device(swale_admin)


def test_new_recovery_codes_replace_the_old(client, swale_admin):
    client.force_login(swale_admin)
    old = two_factor.new_recovery_codes(user=swale_admin)
    response = client.post(reverse("accounts:recovery_codes"))
    page = client.get(response["Location"]).content.decode()
    new = re.findall(r"<li><code>(\w+)</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert audit.RECOVERY_CODES_REPLACED in events(swale_admin)


def test_removing_the_app_ends_a_sessions_verification(client, swale_admin):
    client.force_login(swale_admin)
    assert client.get(reverse("plans:my_updates")).status_code == 200
    two_factor.turn_off(user=swale_admin)
    assert client.get(reverse("plans:my_updates"))["Location"].startswith(SETUP)


def test_demo_accounts_skip_two_factor_only_when_the_demo_setting_is_on(client, settings, seeded):
    from plans.demo import demo_accounts_ensure

    demo_accounts_ensure()
    settings.DEMO_ACCOUNTS_SKIP_TWO_FACTOR = True
    sign_in(client, "swale-admin", "demo-password-123")
    assert client.get(reverse("plans:my_updates")).status_code == 200
    client.logout()
    settings.DEMO_ACCOUNTS_SKIP_TWO_FACTOR = False
    sign_in(client, "swale-admin", "demo-password-123")
    assert client.get(reverse("plans:my_updates"))["Location"].startswith(SETUP)
