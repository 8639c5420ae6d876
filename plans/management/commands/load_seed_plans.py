from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from indicators.models import Indicator
from plans.models import Agency, Plan
from plans.seeds import load_seed_plans
from priorities.models import Action


class Command(BaseCommand):
    help = "Load the Medway and Swale seed plans from fixtures/ (safe to run again)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            load_seed_plans()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seed plans loaded: {Plan.objects.count()} plans, "
                f"{Action.objects.count()} actions, {Indicator.objects.count()} indicators, "
                f"{Agency.objects.count()} agencies."
            )
        )
