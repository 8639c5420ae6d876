"""Mark actions whose submitted updates already say Complete as completed in that quarter."""

from django.db import migrations


def backfill(apps, schema_editor):
    from priorities.cycle import completed_in_backfill

    completed_in_backfill(apps.get_model("priorities", "ActionUpdate"), apps.get_model("priorities", "Action"))


class Migration(migrations.Migration):
    dependencies = [("priorities", "0003_quarterly_cycle")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
