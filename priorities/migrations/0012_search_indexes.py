"""Trigram indexes for the actions table's search (PostgreSQL only; SQLite has no use for
them): one per column the search compares, on the expression Django's ``icontains`` and
``iexact`` compare, so PostgreSQL reads them instead of every action (plans/search.py)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TABLE = "priorities_action"
CONTAINS = ["title", "desired_outcome", "lead_as_written", "partner_priority"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in CONTAINS:
        schema_editor.execute(
            f'CREATE INDEX "action_search_{column}" ON "{TABLE}" '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )
    schema_editor.execute(f'CREATE INDEX "action_search_ref" ON "{TABLE}" (UPPER("ref"::text))')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in [*CONTAINS, "ref"]:
        schema_editor.execute(f'DROP INDEX IF EXISTS "action_search_{column}"')


class Migration(migrations.Migration):
    dependencies = [("priorities", "0011_actionupdate_imported_at")]

    operations = [
        TrigramExtension(),  # does nothing on SQLite
        migrations.RunPython(create, drop, elidable=False),
    ]
