from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from plans.demo import DEMO_PASSWORD, demo_accounts_ensure
from plans.demo_data import SAMPLE_PLANS, sample_data_load
from plans.models import Plan
from plans.report_cache import data_changed


class Command(BaseCommand):
    help = (
        "DEMO ONLY: create (or reset) a demo account for each role in Medway and Swale, and "
        "add four quarters of sample updates and values (plans/demo_data.py) to Medway's "
        "Action Plan 2024-25 and Swale's Community Safety Plan 2019/20, the fourth open until "
        "three weeks from the day it is first loaded. Run after load_seed_plans; safe to run "
        "again (nothing already there is overwritten)."
    )

    def handle(self, *args, **options) -> None:
        if Plan.objects.filter(title__in=SAMPLE_PLANS).count() != len(SAMPLE_PLANS):
            raise CommandError("Load the seed plans first: manage.py load_seed_plans")
        with transaction.atomic():
            accounts = demo_accounts_ensure()
            added = sample_data_load()
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
