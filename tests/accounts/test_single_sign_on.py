"""Single sign-on with OpenID Connect, end to end against a provider on loopback."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse

from csp_tracker.accounts import audit, two_factor
from csp_tracker.accounts.models import Invitation
from tests.accounts.oidc_provider import Provider, serve

pytestmark = pytest.mark.django_db
START = reverse("accounts:oidc_start")


@pytest.fixture(scope="module")
def provider():
    provider = Provider()
    server = serve(provider)
    yield provider
    server.shutdown()


@pytest.fixture
def sso(settings, provider) -> Provider:
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    return provider


def through_the_provider(client, next_url: str = "/my-updates/"):
    """Start at the app, let the provider answer over HTTP, come back to the callback."""
    start = client.get(START, {"next": next_url})
    assert start.status_code == 302 and start["Location"].startswith(
        f"{client_provider_url(start)}/authorize"
    )
    answer = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["Location"])
    assert callback.path == reverse("accounts:oidc_callback")
    return client.get(f"{callback.path}?{callback.query}")


def client_provider_url(response) -> str:
    parts = urlsplit(response["Location"])
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def invited(seeded):
    from django.utils import timezone

    user = get_user_model().objects.create(
        username="kim@council.invalid", email="Kim@Council.invalid", first_name="Kim Example"
    )
    user.set_unusable_password()
    user.save()
    Invitation.objects.create(user=user, sent_at=timezone.now())
    from plans.models import Membership, Partnership

    Membership.objects.create(
        user=user, partnership=Partnership.objects.get(name__startswith="Swale"), role="seg"
    )
    return user


def test_sign_in_page_offers_single_sign_on_when_set_up(client, sso, seeded):
    html = client.get(reverse("login")).content.decode()
    assert "Sign in with Test Council account" in html


def test_an_invited_person_signs_in_by_verified_e_mail(client, sso, invited):
    sso.sign_in_as("kim@council.invalid")
    response = through_the_provider(client)
    assert response.status_code == 302 and response["Location"] == "/my-updates/"
    page = client.get("/my-updates/")
    assert page.status_code == 200 and "Kim Example" in page.content.decode()
    assert not Invitation.objects.get(user=invited).is_pending
    entry = audit.events_for(invited)[0]
    assert entry.additional_data == {"event": audit.SIGNED_IN, "method": "single sign-on"}


@pytest.mark.parametrize(
    ("email", "verified"),
    [("stranger@council.invalid", True), ("kim@council.invalid", False)],
)
def test_nobody_else_gets_in_and_no_account_is_made(client, sso, invited, email, verified):
    sso.sign_in_as(email, verified=verified)
    before = get_user_model().objects.count()
    response = through_the_provider(client)
    assert response["Location"] == reverse("accounts:oidc_failed")
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Only people invited to CSP Tracker can sign in" in page
    assert get_user_model().objects.count() == before
    assert not client.get("/my-updates/").wsgi_request.user.is_authenticated


def test_a_provider_that_only_issues_its_own_addresses_may_be_trusted(
    client, settings, sso, invited
):
    settings.OIDC_TRUST_EMAIL = True
    sso.sign_in_as("kim@council.invalid", verified=False)
    assert through_the_provider(client)["Location"] == "/my-updates/"


def test_a_closed_account_cannot_sign_in(client, sso, invited):
    invited.is_active = False
    invited.save()
    sso.sign_in_as("kim@council.invalid")
    assert through_the_provider(client)["Location"] == reverse("accounts:oidc_failed")


def test_an_admin_still_sets_up_two_factor_unless_the_provider_did_mfa(
    client, settings, sso, invited
):
    invited.memberships.update(role="admin")
    sso.sign_in_as("kim@council.invalid", amr=["pwd", "mfa"])
    through_the_provider(client)
    assert client.get("/my-updates/")["Location"].startswith(reverse("accounts:two_factor_setup"))
    client.logout()
    settings.OIDC_TRUST_PROVIDER_MFA = True
    through_the_provider(client)
    assert client.get("/my-updates/").status_code == 200
    assert client.session[two_factor.PROVIDER_MFA_KEY] is True


def test_a_token_for_another_service_is_refused(client, settings, sso, invited):
    settings.OIDC_OP_ISSUER = "https://somewhere-else.invalid"
    sso.sign_in_as("kim@council.invalid")
    assert through_the_provider(client)["Location"] == reverse("accounts:oidc_failed")


def test_single_sign_on_is_off_unless_set_up(client, seeded):
    assert client.get(START).status_code == 404
    assert client.get(reverse("accounts:oidc_callback")).status_code == 404
    assert "Sign in with" not in client.get(reverse("login")).content.decode()
