from __future__ import annotations

from django.core.management.base import BaseCommand

from plans.models import Partnership
from plans.report_cache import data_changed
from plans.synthetic import make_synthetic_plans
from plans.synthetic_service import make_synthetic_partnerships


class Command(BaseCommand):
    help = (
        "Create synthetic plans (made-up texts) to try the app at a larger size; with "
        "--partnerships, that many partnerships with members and years of quarterly reports."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--partnership", default="Synthetic Community Safety Partnership")
        parser.add_argument(
            "--partnerships",
            type=int,
            default=0,
            help="make this many synthetic partnerships (members, quarters, updates, values)",
        )
        parser.add_argument("--years", type=int, default=5, help="of quarters, per plan")
        parser.add_argument("--plans", type=int, default=3)
        parser.add_argument("--priorities", type=int, default=5)
        parser.add_argument("--actions", type=int, default=20, help="per priority")
        parser.add_argument("--indicators", type=int, default=8, help="per priority")

    def handle(self, *args, **options) -> None:
        try:
            self._make(**options)
        finally:
            data_changed(everything=True)  # bulk_create sends no change signal

    def _make(self, **options) -> None:
        if options["partnerships"]:
            first = Partnership.objects.filter(name__startswith="Synthetic CSP ").count() + 1
            made = make_synthetic_partnerships(
                count=options["partnerships"],
                first=first,
                plans=options["plans"],
                priorities=options["priorities"],
                actions=options["actions"],
                indicators=options["indicators"],
                years=options["years"],
            )
            self.stdout.write(self.style.SUCCESS(f"Created {len(made)} synthetic partnerships."))
            return
        partnership, _ = Partnership.objects.get_or_create(
            name=options["partnership"], defaults={"area": "Synthetic"}
        )
        first_year = 2030 + 10 * partnership.plans.count()
        plans = make_synthetic_plans(
            partnership=partnership,
            plans=options["plans"],
            priorities=options["priorities"],
            actions=options["actions"],
            indicators=options["indicators"],
            first_year=first_year,
        )
        self.stdout.write(self.style.SUCCESS(f"Created {len(plans)} synthetic plans."))
