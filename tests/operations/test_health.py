"""The health check, the 503 page when the database is unreachable, and no caching of
signed-in pages and downloads."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from plans.models import Plan
from tests.permission_matrix import ROLES, client_for

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_with_one_query_and_no_session(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies, "a poll must not start a session or set a CSRF cookie"


def test_healthz_says_503_when_the_database_does_not_answer(client):
    with mock.patch("csp_tracker.health.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable"}


def test_healthz_still_checks_the_host(client):
    assert client.get("/healthz", HTTP_HOST="evil.example").status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_healthz_is_the_same_for_every_role(request, client, seeded, role):
    response = client_for(role, request, client).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


def test_healthz_is_exempt_from_the_https_redirect(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("login")).status_code == 301


def test_a_database_error_in_a_view_shows_the_unavailable_page(reader):
    client = Client(raise_request_exception=False)
    client.force_login(reader)
    with mock.patch(
        "plans.views.pages.access.visible_partnerships", side_effect=OperationalError("refused")
    ):
        response = client.get(reverse("home"))
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()
    assert response["Retry-After"] == "30"


def test_other_errors_are_still_a_500(reader):
    client = Client(raise_request_exception=False)
    client.force_login(reader)
    with mock.patch("plans.views.pages.access.visible_partnerships", side_effect=ValueError("bug")):
        response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "there is a problem with the service" in response.content.decode()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the socket is


UNREACHABLE_SCRIPT = """
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False, HTTP_HOST="localhost")
client.cookies["sessionid"] = "a-signed-in-users-session"
page = client.get("/")
health = client.get("/healthz")
print(page.status_code, health.status_code, health.content.decode())
print("unavailable" if "Sorry, the service is unavailable" in page.content.decode() else "?")
"""


@pytest.mark.parametrize("scheme", ["postgres", "sqlite"])
def test_unreachable_database_gives_503_pages_quickly(tmp_path, scheme):
    if scheme == "postgres":
        url = f"postgres://postgres@127.0.0.1:{closed_port()}/nothing"
    else:  # a SQLite file in a folder that does not exist cannot be opened
        url = f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"} | {
        "DJANGO_SETTINGS_MODULE": "csp_tracker.settings",
        "DATABASE_URL": url,
        "SECRET_KEY": "x",
        "SECURE_SSL_REDIRECT": "false",
    }
    result = subprocess.run(
        [sys.executable, "-c", UNREACHABLE_SCRIPT],
        env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()[-2:]
    assert first == '503 503 {"database": "unavailable"}'
    assert second == "unavailable"


def test_database_timeouts_are_set_for_postgresql():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "o = settings.DATABASES['default']['OPTIONS']; print(o['connect_timeout'], o['options'])"
    )
    env = os.environ | {
        "SECRET_KEY": "x",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/whatever",
        "DB_CONNECT_TIMEOUT": "3",
        "DJANGO_SETTINGS_MODULE": "csp_tracker.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=BASE_DIR, capture_output=True, text=True
    )
    assert result.stdout.split() == ["3", "-c", "statement_timeout=30000"], result.stderr


def test_signed_in_pages_and_downloads_are_not_stored(reader_client):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    for url in [
        reverse("home"),
        plan.get_absolute_url(),
        reverse("priorities:action_list") + "?export=csv",
        reverse("plans:plan_export", args=[plan.pk]),
    ]:
        response = reader_client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    # Not DEBUG, nor what the browser tests set for Playwright (a deploy warning of its own).
    dropped = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_SSL_REDIRECT"}
    production = {k: v for k, v in os.environ.items() if k not in dropped} | {
        "SECRET_KEY": "a-long-random-looking-production-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "csp.example.gov.uk",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=production | env, cwd=BASE_DIR, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_settings_pass_the_deploy_check():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_turning_off_hsts_or_the_redirect_fails_the_deploy_check():
    result = deploy_check(SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr
