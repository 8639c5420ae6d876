from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from plans.demo import DEMO_PASSWORD, demo_accounts_ensure
from plans.demo_collaboration import collaboration_sample_load
from plans.demo_data import SAMPLE_PLANS, sample_data_load
from plans.models import Plan
from plans.report_cache import data_changed


class Command(BaseCommand):
    help = (
        "DEMO ONLY: create (or reset) a demo account for each role in Medway and Swale, and "
        "add four quarters of sample updates and values (plans/demo_data.py) to Medway's "
        "Action Plan 2024-25 and Swale's Community Safety Plan 2019/20, the fourth open until "
        "three weeks from the day it is first loaded, with sample sign-off, questions and "
        "notifications (plans/demo_collaboration.py). Run after load_seed_plans; safe to run "
        "again (nothing already there is overwritten)."
    )

    def handle(self, *args, **options) -> None:
        if Plan.objects.filter(title__in=SAMPLE_PLANS).count() != len(SAMPLE_PLANS):
            raise CommandError("Load the seed plans first: manage.py load_seed_plans")
        # The sample news is in the app; e-mailing it to the demo's undeliverable addresses
        # would only fill the console (or a real server's mail log).
        quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
        with quiet, transaction.atomic():
            accounts = demo_accounts_ensure()
            added = sample_data_load()
            collaboration_sample_load(added)
            data_changed(everything=True)  # bulk_create sends no change signal
        self.stdout.write(
            self.style.WARNING(
                "DEMO ONLY – never create these accounts on a real server.\n"
                f"  Demo accounts (password for all: {DEMO_PASSWORD}):"
            )
        )
        for account in accounts:
            agencies = f" ({', '.join(account.agencies)})" if account.agencies else ""
            partnership = account.partnership.removesuffix(" Community Safety Partnership")
            self.stdout.write(
                f"    {account.username:<22} {account.role.label}, {partnership}{agencies}"
            )
        what = ", ".join(f"{n} {name}" for name, n in added.items() if n) or "nothing new"
        self.stdout.write(self.style.SUCCESS(f"Sample quarterly data (marked as sample): {what}."))
