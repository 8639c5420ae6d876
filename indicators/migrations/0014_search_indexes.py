"""Trigram indexes for the indicators table's search (PostgreSQL only), as priorities 0012
gives the actions table (plans/search.py); that migration adds the pg_trgm extension."""

from django.db import migrations

TABLE = "indicators_indicator"
CONTAINS = ["title", "target", "theme", "responsible", "agency_as_written"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in CONTAINS:
        schema_editor.execute(
            f'CREATE INDEX "indicator_search_{column}" ON "{TABLE}" '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )
    schema_editor.execute(f'CREATE INDEX "indicator_search_ref" ON "{TABLE}" (UPPER("ref"::text))')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in [*CONTAINS, "ref"]:
        schema_editor.execute(f'DROP INDEX IF EXISTS "indicator_search_{column}"')


class Migration(migrations.Migration):
    dependencies = [("indicators", "0013_reported_to"), ("priorities", "0012_search_indexes")]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
