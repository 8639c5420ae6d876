"""Indicators whose ref is a national indicator code ("NI111", as the Medway seed plans write
it) get it as their shared measure code ("NI 111"), so their benchmark page compares them."""

import re

from django.db import migrations

NATIONAL = re.compile(r"^NI\s*0*(\d{1,3})$", re.IGNORECASE)


def national_codes(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for indicator in Indicator.objects.filter(measure_code="", ref__istartswith="NI"):
        match = NATIONAL.match(indicator.ref.strip())
        if match:
            indicator.measure_code = f"NI {int(match.group(1))}"
            indicator.save(update_fields=["measure_code"])


class Migration(migrations.Migration):
    dependencies = [("indicators", "0011_benchmarks")]

    operations = [migrations.RunPython(national_codes, migrations.RunPython.noop)]
