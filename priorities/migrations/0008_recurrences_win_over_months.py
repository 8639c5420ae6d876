"""Milestones written "Annually in April" or "Quarterly from June 2019" were read as one-off
dates; read them again so the recurrence is kept, with the month as its anchor."""

from django.db import migrations


def reread_recurrences(apps, schema_editor):
    from plans.timescales import PERIODIC, parse_timescale

    Milestone = apps.get_model("priorities", "Milestone")
    milestones = Milestone.objects.exclude(timescale="").select_related("action__priority__plan")
    for milestone in milestones.iterator():
        plan = milestone.action.priority.plan
        parsed = parse_timescale(milestone.timescale, plan_start_year=plan.start_year)
        if parsed.recurrence in PERIODIC and parsed.recurrence != milestone.recurrence:
            milestone.recurrence = parsed.recurrence
            milestone.due_date = parsed.due_date or milestone.due_date
            milestone.save(update_fields=["recurrence", "due_date"])


class Migration(migrations.Migration):
    dependencies = [
        ("priorities", "0007_lead_officers_and_measures"),
    ]

    operations = [migrations.RunPython(reread_recurrences, migrations.RunPython.noop)]
