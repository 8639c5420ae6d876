"""Read every existing indicator's target text into the structured target fields."""

from django.db import migrations

FIELDS = [
    "target_comparator",
    "target_value",
    "target_unit",
    "target_per",
    "target_baseline",
    "target_baseline_period",
    "target_parsed_from",
]


def parse_targets(apps, schema_editor):
    # The parser only reads and sets fields, so it works on the historical model.
    from indicators.targets import fill_structured_target

    Indicator = apps.get_model("indicators", "Indicator")
    indicators = list(Indicator.objects.all())
    for indicator in indicators:
        fill_structured_target(indicator)
    Indicator.objects.bulk_update(indicators, FIELDS, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_indicator_amber_tolerance_indicator_predecessor_and_more"),
    ]

    operations = [
        migrations.RunPython(parse_targets, migrations.RunPython.noop),
    ]
