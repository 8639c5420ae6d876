"""manage.py load_demo_crime_data: DEMO ONLY synthetic crime counts (crimedata/demo.py)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from indicators.crimedata.demo import sample_crime_data_load


class Command(BaseCommand):
    help = (
        "DEMO ONLY: give Medway and Swale their districts, a sample population and nine months "
        "of SYNTHETIC crime counts (not police.uk data) for the Crime data pages. Run after "
        "load_seed_plans; adds nothing the second time."
    )

    def handle(self, *args, **options) -> None:
        added = sample_crime_data_load()
        self.stdout.write(
            self.style.SUCCESS(f"Synthetic crime counts (marked as synthetic): {added} added.")
        )
