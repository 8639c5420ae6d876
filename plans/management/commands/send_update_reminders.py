from __future__ import annotations

from argparse import RawDescriptionHelpFormatter
from datetime import date

from django.core.management.base import BaseCommand, CommandParser, DjangoHelpFormatter
from django.utils import timezone

from csp_tracker.cronlock import AlreadyRun, once_a_day
from plans.reminders import DEFAULT_DAYS_BEFORE, reminders_send


class HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Keep the help's line breaks, so the cron line reads as one line."""


class Command(BaseCommand):
    help = (
        "E-mail each partnership officer (and delegate) the action updates and indicator\n"
        "values they still owe for open quarters: once when a deadline is --days-before days\n"
        "away, and every day after it until they are in or the quarter is closed. One e-mail\n"
        "per officer, listing everything they owe. Run it once a day from cron, e.g.\n\n"
        "  0 7 * * * cd /srv/csp && .venv/bin/python manage.py send_update_reminders\n\n"
        "Links start with the SITE_URL setting; e-mail goes through EMAIL_BACKEND (the\n"
        "console in development) from DEFAULT_FROM_EMAIL.\n\n"
        "Safe to run from cron on every app server: the first run of a day sends; later runs\n"
        "that day (on any server) say so and send nothing, unless --force. Each reminder is\n"
        "recorded (with its notification in the app) under a unique key, so no one is sent\n"
        "the same day's reminder twice, even by runs at the same moment. Users who turned\n"
        "reminders off on their notification settings page get them in the app only."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        return super().create_parser(prog_name, subcommand, formatter_class=HelpFormatter)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days-before",
            type=int,
            default=DEFAULT_DAYS_BEFORE,
            help=f"Remind this many days before the deadline (default {DEFAULT_DAYS_BEFORE}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would be e-mailed; send nothing."
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="Act as if today were this date (default: today).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Send even if today's reminders have already been sent (by any server).",
        )

    def handle(self, *args, **options) -> None:
        today = options["today"] or timezone.localdate()
        if options["dry_run"] or options["force"]:
            self.send(today, options)
            return
        try:
            with once_a_day("send_update_reminders", today) as claim:
                claim.summary = self.send(today, options)
        except AlreadyRun as already:
            self.stdout.write(f"{already}: nothing sent (--force sends again).")

    def send(self, today: date, options: dict) -> str:
        run = reminders_send(
            today=today,
            days_before=options["days_before"],
            dry_run=options["dry_run"],
            force=options["force"],
        )
        for reminder in run.reminders:
            name, count = reminder.user.get_username(), reminder.item_count
            self.stdout.write(f"  {name}: {count} item(s), {reminder.subject}")
        self.stdout.write(self.style.SUCCESS(run.summary))
        return run.summary
