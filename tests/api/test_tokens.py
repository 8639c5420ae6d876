"""Personal API tokens: made on a page and shown once, kept hashed, revoked, printed by the
command, and audited on their first use each day."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from plans.api import tokens
from plans.api.models import ApiToken
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db
URL = "/account/api-tokens/"


def test_a_new_token_is_shown_once_and_kept_only_as_its_hash(client, seg_member):
    client.force_login(seg_member)
    response = client.post(URL, {"name": "Power BI report", "days": "90"})
    html = response.content.decode()
    assert response.status_code == 200 and "Your new token" in html
    key = response.context["new_key"]
    assert key.startswith("csp_") and key in html
    token = ApiToken.objects.get(user=seg_member)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in (token.prefix, token.digest) and key.startswith(token.prefix)
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    again = client.get(URL).content.decode()
    assert key not in again and "Power BI report" in again and f"{token.prefix}…" in again
    assert client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_a_token_without_a_name_is_refused_with_an_error_summary(client, seg_member):
    client.force_login(seg_member)
    html = client.post(URL, {"name": "", "days": "90"}).content.decode()
    assert "There is a problem" in html and "Enter what the token is for" in html
    assert "<title>Error: API tokens" in html
    assert client.post(URL, {"name": "x", "days": "7"}).context["form"].errors["days"]
    assert not ApiToken.objects.exists()


def test_revoking_a_token_closes_the_api_to_it(client, seg_member):
    headers = bearer(seg_member)
    token = ApiToken.objects.get()
    client.force_login(seg_member)
    response = client.post(reverse("api_pages:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    html = client.get(URL).content.decode()
    assert "Revoked “test”" in html and "Revoked</td>" in html
    client.logout()
    assert client.get("/api/v1/plans", **headers).status_code == 401
    events = LogEntry.objects.filter(additional_data__event=tokens.TOKEN_REVOKED)
    assert events.get().actor == seg_member


def test_nobody_revokes_anyone_elses_token(client, seg_member, swale_admin):
    headers = bearer(seg_member)
    token = ApiToken.objects.get()
    client.force_login(swale_admin)
    assert client.post(reverse("api_pages:token_revoke", args=[token.pk])).status_code == 404
    assert "test" not in client.get(URL).content.decode().split("Your tokens")[1]
    client.logout()
    assert client.get("/api/v1/plans", **headers).status_code == 200


def test_the_command_prints_a_working_token(client, seg_member):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "seg-member", "--days", "0", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert key.startswith("csp_") and "seg-member" in err.getvalue()
    assert ApiToken.objects.get().expires_at is None
    assert client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    with pytest.raises(CommandError, match="No active user"):
        call_command("create_api_token", "no-such-user", stdout=StringIO())


def test_first_use_each_day_is_audited_once(client, seg_member, monkeypatch):
    headers = bearer(seg_member)
    used = LogEntry.objects.filter(additional_data__event=tokens.TOKEN_USED)
    assert LogEntry.objects.filter(additional_data__event=tokens.TOKEN_CREATED).count() == 1
    assert not used.exists()
    for _ in range(3):
        client.get("/api/v1/plans", **headers)
    assert used.count() == 1 and used.get().actor == seg_member
    assert ApiToken.objects.get().last_used_on == timezone.localdate()
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    client.get("/api/v1/plans", **headers)
    client.get("/api/v1/plans", **headers)
    assert used.count() == 2


def test_token_page_query_budget_at_two_sizes(client, seg_member, django_assert_max_num_queries):
    client.force_login(seg_member)
    for size in (1, 20):
        while ApiToken.objects.count() < size:
            tokens.api_token_create(user=seg_member, name=f"t{ApiToken.objects.count()}")
        with django_assert_max_num_queries(6):
            assert client.get(URL).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for url in (URL, "/api/v1/docs/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_docs_page_lists_every_endpoint_without_javascript(client, seg_member):
    client.force_login(seg_member)
    html = client.get("/api/v1/docs/").content.decode()
    for path in ["partnerships", "plans", "actions", "indicators", "quarters", "reports"]:
        assert f"GET /api/v1/{path}</code>" in html
    assert "Actions with their latest status" in html and "<code>measure_code</code>" in html
    assert "Web.Contents" in html and 'href="/api/v1/openapi.json"' in html


def test_interactive_docs_load_their_script_from_this_server(client, db):
    html = client.get("/api/v1/docs/try/").content.decode()
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in html
    assert "cdn" not in html.lower()


def test_your_account_links_to_the_api_tokens_page(client, seg_member):
    client.force_login(seg_member)
    html = client.get(reverse("accounts:account")).content.decode()
    assert f'href="{URL}"' in html and "API tokens" in html
