"""Back up, restore into a new database, and find every table as it was: row counts and rows
from each end of every table, the audit trail and published snapshots included."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.conftest import SWALE, member
from tests.operations.backup_data import assert_same, live_snapshot, make_history, snapshot

BASE_DIR = Path(__file__).resolve().parents[2]
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.fixture
def history(seeded):
    admin = member("backup-admin", SWALE, "admin")
    return make_history(admin)


def run_manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"DATABASE_URL": database_url, "SECRET_KEY": "x"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_every_table(history, tmp_path):
    out = StringIO()
    call_command("backup_sqlite", str(tmp_path / "backup.sqlite3"), stdout=out)
    assert "Backed up" in out.getvalue()
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(tmp_path / "backup.sqlite3", restored)  # restoring is putting the file back

    tables, live = live_snapshot()
    # Django's SQLite connection turns dates into Python values; read the copy the same way.
    with sqlite3.connect(restored, detect_types=sqlite3.PARSE_DECLTYPES) as db:
        assert_same(snapshot(db.cursor(), tables), live)
    db.close()
    # The app runs on the restored copy: no migration missing, the audit trail readable.
    url = f"sqlite:///{restored}"
    assert run_manage(url, "migrate", "--check").returncode == 0
    shell = run_manage(
        url, "shell", "-c",
        "from plans.models import PublishedReport; print(PublishedReport.objects.get().html)",
    )  # fmt: skip
    assert shell.stdout.strip().splitlines()[-1] == "<h1>Q2 report</h1>", shell.stderr


@on_postgresql
def test_backup_sqlite_refuses_postgresql(tmp_path):
    with pytest.raises(CommandError, match="pg_dump -Fc"):
        call_command("backup_sqlite", str(tmp_path / "backup.sqlite3"))


def pg_binaries() -> None:
    missing = [name for name in ("pg_dump", "pg_restore") if not shutil.which(name)]
    if missing and os.environ.get("CI") != "true":
        pytest.skip(f"{' and '.join(missing)} not installed (CI installs them)")
    assert not missing, f"{missing} must be installed under CI"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_postgresql_pg_dump_restores_every_table(history, tmp_path):
    import psycopg2
    import psycopg2.extras

    pg_binaries()
    params = connection.get_connection_params()
    where = ["-h", params.get("host") or "127.0.0.1", "-p", str(params.get("port") or 5432),
             "-U", params.get("user") or "postgres"]  # fmt: skip
    env = os.environ | ({"PGPASSWORD": params["password"]} if params.get("password") else {})
    source, target = params["dbname"], f"{params['dbname']}_restored"
    dump = tmp_path / "csp.dump"
    run = {"env": env, "check": True, "capture_output": True, "timeout": 120}
    subprocess.run(["pg_dump", "-Fc", *where, "-f", str(dump), source], **run)
    subprocess.run(["dropdb", "--if-exists", *where, target], **run)
    subprocess.run(["createdb", *where, target], **run)
    try:
        subprocess.run(["pg_restore", "--no-owner", *where, "-d", target, str(dump)], **run)
        tables, live = live_snapshot()
        restored = psycopg2.connect(**(params | {"dbname": target}))
        # Read JSON as text, as Django's own connection does, so the two compare.
        psycopg2.extras.register_default_jsonb(conn_or_curs=restored, loads=lambda text: text)
        try:
            with restored.cursor() as cursor:
                assert_same(snapshot(cursor, tables), live)
        finally:
            restored.close()
    finally:
        subprocess.run(["dropdb", "--if-exists", *where, target], **run)
