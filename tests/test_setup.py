"""Settings from the environment, and the set-up commands behind `make run`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import Client

from plans.models import Partnership, Plan
from priorities.models import Action


def settings_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings;"
         "print(settings.DATABASES['default']['ENGINE'], settings.TIME_ZONE)"],
        env=clean | {"DJANGO_SETTINGS_MODULE": "csp_tracker.settings"} | env,
        capture_output=True,
        text=True,
    )  # fmt: skip


def test_secret_key_is_required_when_debug_is_off():
    result = settings_check({"DEBUG": "false"})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_debug_runs_without_a_secret_key_on_sqlite_by_default():
    result = settings_check({"DEBUG": "true", "DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "Europe/London"]


def test_database_url_selects_postgresql():
    result = settings_check(
        {"SECRET_KEY": "x", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/whatever"}
    )
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_demo_admin_can_sign_in_and_the_command_is_repeatable(capsys):
    call_command("ensure_demo_admin")
    call_command("ensure_demo_admin")
    out = capsys.readouterr().out
    assert "DEMO ONLY" in out and "demo-admin" in out
    client = Client()
    assert client.login(username="demo-admin", password="demo-admin-password")


@pytest.mark.django_db
def test_load_seed_plans_command_reports_what_it_loaded(capsys):
    call_command("load_seed_plans")
    assert "6 plans, 123 actions, 95 indicators" in capsys.readouterr().out


@pytest.mark.django_db
def test_make_synthetic_plans_command(capsys):
    before = Action.objects.count()
    call_command("make_synthetic_plans", "--plans", "2", "--priorities", "3", "--actions", "4")
    partnership = Partnership.objects.get(name="Synthetic Community Safety Partnership")
    assert Plan.objects.filter(partnership=partnership).count() == 2
    assert Action.objects.count() - before == 2 * 3 * 4
    assert "Created 2 synthetic plans." in capsys.readouterr().out
