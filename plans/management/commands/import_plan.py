from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from plans.importing import LIMITS, ImportRefused, plan_import, read_and_validate
from plans.models import Partnership


class Command(BaseCommand):
    help = (
        "Import an action plan from the Excel template as a draft of a partnership, with the "
        "same checks and messages as the import page. Exits non-zero with every problem found."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The .xlsx workbook.")
        parser.add_argument("--partnership", required=True, help="The partnership's exact name.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and summarise; write nothing."
        )
        parser.add_argument(
            "--create-agencies",
            action="store_true",
            help="Create the agencies the workbook names that are not known yet.",
        )
        parser.add_argument(
            "--replace-draft",
            action="store_true",
            help="Replace a draft plan of the same title (never an active or closed one).",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["path"])
        try:
            partnership = Partnership.objects.get(name=options["partnership"])
        except Partnership.DoesNotExist:
            names = ", ".join(Partnership.objects.values_list("name", flat=True))
            raise CommandError(
                f"There is no partnership '{options['partnership']}'. Known: {names}."
            ) from None
        try:
            with path.open("rb") as handle:
                content = handle.read(LIMITS["max_bytes"] + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from None
        preview = None
        try:
            preview = read_and_validate(content, partnership=partnership)
            for warning in preview.warnings:
                self.stderr.write(f"Warning: {warning}")
            create = set(preview.new_agencies) if options["create_agencies"] else set()
            with transaction.atomic():
                plan = plan_import(
                    content=content,
                    partnership=partnership,
                    user=None,
                    create_agencies=create,
                    replace_draft=options["replace_draft"],
                )
                # A dry run goes through the very same import, then undoes it.
                transaction.set_rollback(options["dry_run"])
        except ImportRefused as refused:
            lines = "\n".join(f"- {problem}" for problem in refused.problems)
            count = len(refused.problems)
            hint = ""
            if preview and preview.new_agencies and not options["create_agencies"]:
                hint = "\nAdd --create-agencies to create the agencies that are not known yet."
            raise CommandError(
                f"{path.name} cannot be imported ({count} problem{'s' * (count != 1)}):\n"
                f"{lines}{hint}"
            ) from None
        if options["dry_run"]:
            self.stdout.write(
                f"Checked {path.name}: it can be imported; nothing written. {_summary(preview)}"
            )
            if preview.new_agencies:
                self.stdout.write("New agencies: " + ", ".join(preview.new_agencies))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported '{plan.title}' (pk {plan.pk}) as a draft of {partnership}. "
                f"{_summary(preview)}"
            )
        )


def _summary(preview) -> str:
    counts = ", ".join(f"{number} {name}" for name, number in preview.counts.items())
    links = len(preview.predecessor_links)
    return f"{counts}; {links} indicators linked to the previous plan."
