"""Back up, restore into a new database, and find every table as it was: row counts and rows
from each end of every table, the audit trail and published snapshots included."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from plans.roles import sync_role_groups
from tests.conftest import SWALE, member
from tests.operations.backup_data import (
    assert_same,
    live_snapshot,
    make_history,
    natural_snapshot,
    snapshot,
)

BASE_DIR = Path(__file__).resolve().parents[2]
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.fixture
def history(seeded):
    sync_role_groups()  # made by a migration, so gone after a transactional test's flush
    # An agency on the membership: loading it fires the m2m signal the audit log listens to.
    admin = member("backup-admin", SWALE, "admin", ["Kent Police"])
    return make_history(admin)


def run_manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"DATABASE_URL": database_url, "SECRET_KEY": "x"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def sqlite_copy(path: Path):
    # Django's SQLite connection turns dates into Python values; read the copy the same way.
    return sqlite3.connect(path, detect_types=sqlite3.PARSE_DECLTYPES)


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_every_table(history, tmp_path):
    out = StringIO()
    call_command("backup_sqlite", str(tmp_path / "backup.sqlite3"), stdout=out)
    assert "Backed up" in out.getvalue()
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(tmp_path / "backup.sqlite3", restored)  # restoring is putting the file back

    tables, live = live_snapshot()
    with sqlite_copy(restored) as db:
        assert_same(snapshot(db.cursor(), tables), live)
    db.close()
    # The app runs on the restored copy: no migration missing, the snapshot readable.
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


class Postgres:
    """The test database's server, driven with the PostgreSQL client programs."""

    def __init__(self) -> None:
        missing = [name for name in ("pg_dump", "pg_restore") if not shutil.which(name)]
        if missing and os.environ.get("CI") != "true":
            pytest.skip(f"{' and '.join(missing)} not installed (CI installs them)")
        assert not missing, f"{missing} must be installed under CI"
        self.params = connection.get_connection_params()
        self.source = self.params["dbname"]
        host, port = self.params.get("host") or "127.0.0.1", self.params.get("port") or 5432
        self.user = self.params.get("user") or "postgres"
        self.where = ["-h", host, "-p", str(port), "-U", self.user]
        self.env = os.environ | (
            {"PGPASSWORD": self.params["password"]} if self.params.get("password") else {}
        )
        self.url = f"postgres://{self.user}@{host}:{port}/"

    def run(self, *args: str) -> None:
        subprocess.run(
            [args[0], *self.where, *args[1:]],
            env=self.env, check=True, capture_output=True, timeout=300,
        )  # fmt: skip

    @contextmanager
    def new_database(self) -> Iterator[str]:
        name = f"{self.source}_restored"
        self.run("dropdb", "--if-exists", name)
        self.run("createdb", name)
        try:
            yield name
        finally:
            self.run("dropdb", "--if-exists", name)

    def snapshot(self, name: str, tables: list[str], take=snapshot) -> dict:
        import psycopg2
        import psycopg2.extras

        copy = psycopg2.connect(**(self.params | {"dbname": name}))
        # Read JSON as text, as Django's own connection does, so the two compare.
        psycopg2.extras.register_default_jsonb(conn_or_curs=copy, loads=lambda text: text)
        try:
            with copy.cursor() as cursor:
                return take(cursor, tables)
        finally:
            copy.close()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_postgresql_pg_dump_restores_every_table(history, tmp_path):
    pg = Postgres()
    dump = tmp_path / "csp.dump"
    pg.run("pg_dump", "-Fc", "-f", str(dump), pg.source)
    with pg.new_database() as restored:
        pg.run("pg_restore", "--no-owner", "-d", restored, str(dump))
        tables, live = live_snapshot()
        assert_same(pg.snapshot(restored, tables), live)


# dumpdata/loaddata: content types and permissions come from migrate in the new database and
# are referred to by natural key; pks of everything else are kept, so the audit trail's links hold.
# The JSON it writes keeps times to the millisecond.
DUMPDATA = ["--natural-foreign", "--exclude=contenttypes", "--exclude=auth.permission",
            "--exclude=sessions"]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_dumpdata_and_loaddata_round_trip(history, tmp_path):
    dump = tmp_path / "csp.json"
    call_command("dumpdata", *DUMPDATA, output=str(dump), verbosity=0)
    tables = sorted(connection.introspection.table_names())
    with connection.cursor() as cursor:
        live = natural_snapshot(cursor, tables)
    on_postgresql = connection.vendor == "postgresql"
    pg = Postgres() if on_postgresql else None
    with pg.new_database() if pg else _sqlite_name(tmp_path) as name:
        url = pg.url + name if pg else f"sqlite:///{name}"
        # flush empties what migrations put in (the role groups), so the dump's own rows fit.
        for step in (["migrate", "--noinput"], ["flush", "--noinput"], ["loaddata", str(dump)]):
            result = run_manage(url, *step)
            assert result.returncode == 0, result.stderr
        if pg:
            restored = pg.snapshot(name, tables, take=natural_snapshot)
        else:
            with sqlite_copy(Path(name)) as db:
                restored = natural_snapshot(db.cursor(), tables)
            db.close()
    assert restored.keys() == live.keys()
    for table in live:
        assert restored[table] == live[table], _first_difference(restored[table], live[table])
    assert live["auditlog_logentry"] and live["plans_publishedreport"]


@contextmanager
def _sqlite_name(tmp_path: Path) -> Iterator[str]:
    yield str(tmp_path / "loaded.sqlite3")


def _first_difference(restored: list[tuple], live: list[tuple]) -> str:
    for mine, theirs in zip(restored, live, strict=False):
        if mine != theirs:
            return str(set(mine) ^ set(theirs))
    return f"{len(restored)} rows restored, {len(live)} live"
