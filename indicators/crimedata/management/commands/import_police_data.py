"""manage.py import_police_data FILE... : load police.uk street-level crime CSVs or zips."""

from __future__ import annotations

from contextlib import ExitStack

from django.core.management.base import BaseCommand, CommandError

from indicators.crimedata.reading import FileRefused
from indicators.crimedata.services import police_data_import


class Command(BaseCommand):
    help = (
        "Load police.uk street-level crime files (CSV, or a zip of them) as counts by district, "
        "month and crime type. A force's month loaded again replaces its counts; a malformed "
        "file loads nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, files: list[str], **options) -> None:
        with ExitStack() as stack:
            try:
                handles = [(name, stack.enter_context(open(name, "rb"))) for name in files]
                result = police_data_import(files=handles)
            except OSError as error:
                raise CommandError(f"{error.filename}: {error.strerror}") from None
            except FileRefused as refused:
                raise CommandError(f"Nothing was loaded. {refused}") from None
        record = result.record
        self.stdout.write(
            f"Loaded {record.rows} rows from {len(result.counts.files)} files "
            f"({record.months}): {record.no_location} with no location, "
            f"{record.unmatched} in no known district."
        )
        for name in result.counts.skipped:
            self.stdout.write(f"Left out (not street-level crimes): {name}")
        for filled in result.filled:
            if filled.conflicts:
                self.stdout.write(
                    f"{filled.indicator.ref}: {len(filled.conflicts)} figures typed by hand "
                    "left as they are (an admin confirms replacing them on the indicator's "
                    "crime data page)."
                )
