"""An indicator may be reported to several groups: ``reporting_group`` (one) becomes
``reported_to`` (many), keeping each indicator's group."""

from django.db import migrations, models


def copy_groups(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    through = Indicator.reported_to.through
    through.objects.bulk_create(
        through(indicator_id=pk, agency_id=group)
        for pk, group in Indicator.objects.filter(reporting_group__isnull=False).values_list(
            "pk", "reporting_group"
        )
    )


def copy_back(apps, schema_editor):
    """Back to one group: the first by name."""
    Indicator = apps.get_model("indicators", "Indicator")
    for indicator in Indicator.objects.prefetch_related("reported_to"):
        groups = sorted(indicator.reported_to.all(), key=lambda group: group.name)
        if groups:
            Indicator.objects.filter(pk=indicator.pk).update(reporting_group=groups[0])


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0012_national_measure_codes"),
        ("plans", "0011_benchmarks"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="reported_to",
            field=models.ManyToManyField(
                blank=True,
                help_text='The groups it is reported to, e.g. "CSP Executive" and "Project and '
                'Performance Group".',
                related_name="reported_indicators",
                to="plans.agency",
            ),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="reporting_group",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=models.PROTECT,
                related_name="+",
                to="plans.agency",
            ),
        ),
        migrations.RunPython(copy_groups, copy_back),
        migrations.RemoveField(model_name="indicator", name="reporting_group"),
    ]
