from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.models import Plan
from plans.workbook import plan_workbook


class Command(BaseCommand):
    help = "Export a plan to the Excel import template (import_plan reads it back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="The plan's id, or its exact title.")
        parser.add_argument("path", help="Where to write the .xlsx workbook.")

    def handle(self, *args, **options) -> None:
        plan = _find_plan(options["plan"])
        content = plan_workbook(plan)
        path = Path(options["path"])
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror or error}.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported '{plan.title}' ({plan.partnership}) to {path} "
                f"({len(content) // 1024} KB)."
            )
        )


def _find_plan(key: str) -> Plan:
    plans = Plan.objects.select_related("partnership")
    found = list(plans.filter(pk=int(key))) if key.isdigit() else []
    found = found or list(plans.filter(title=key))
    if not found:
        raise CommandError(f"There is no plan with the id or title '{key}'.")
    if len(found) > 1:
        which = "; ".join(f"{plan.pk}: {plan.partnership}" for plan in found)
        raise CommandError(f"Several plans are called '{key}' ({which}): give the id.")
    return found[0]
