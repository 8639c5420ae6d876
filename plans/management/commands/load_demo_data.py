from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from plans.demo import DEMO_PASSWORD, demo_accounts_ensure, sample_updates_load
from plans.models import Plan


class Command(BaseCommand):
    help = (
        "DEMO ONLY: create (or reset) a demo account for each role in Medway and Swale, and "
        "add the sample quarterly updates and values of fixtures/sample_updates.json to "
        "Medway's Action Plan 2024-25 and Swale's Community Safety Plan 2019/20. Run after "
        "load_seed_plans; safe to run again (nothing already there is overwritten)."
    )

    def handle(self, *args, **options) -> None:
        if Plan.objects.filter(pk__in=[5, 6]).count() != 2:  # the plans the fixture fills
            raise CommandError("Load the seed plans first: manage.py load_seed_plans")
        with transaction.atomic():
            accounts = demo_accounts_ensure()
            added = sample_updates_load()
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
