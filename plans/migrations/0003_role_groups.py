from django.db import migrations


def create_role_groups(apps, schema_editor):
    from plans.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_membership_reportingperiod"),
        ("priorities", "0002_action_delegates_actionupdate_actionupdateversion_and_more"),
        ("indicators", "0002_indicator_delegates_indicatorvalue"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
