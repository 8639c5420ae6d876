from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections


class Command(BaseCommand):
    help = (
        "Copy the SQLite database to PATH while the service keeps running (SQLite's online\n"
        "backup API: a consistent snapshot, unlike copying the file). Restore by stopping the\n"
        "service and putting the copy where DATABASE_URL points. For PostgreSQL use pg_dump -Fc."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Where to write the copy (overwritten).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path: Path, database: str, **options) -> None:
        connection = connections[database]
        if connection.vendor != "sqlite":
            raise CommandError(
                f"The database is {connection.vendor}, not SQLite: back it up with pg_dump -Fc."
            )
        path = path.resolve()
        if not path.parent.is_dir():
            raise CommandError(f"Folder {path.parent} does not exist.")
        # Write beside the target, then rename: a failed backup never leaves half a file.
        partial = path.with_name(f".{path.name}.partial")
        connection.ensure_connection()
        with sqlite3.connect(partial) as target:
            connection.connection.backup(target)
        target.close()
        os.replace(partial, path)
        with sqlite3.connect(path) as check:
            tables = check.execute("SELECT count(*) FROM sqlite_master WHERE type='table'")
            count = tables.fetchone()[0]
        check.close()
        size = path.stat().st_size
        summary = f"Backed up {count} tables ({size:,} bytes) to {path}"
        self.stdout.write(self.style.SUCCESS(summary))
