"""The seed plans shipped in ``fixtures/``: their files, in the order they must load."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

# Parents before the plans read with them (plan 3's parent is plan 1).
SEED_FIXTURES = [
    "partnerships.json",
    "medway_2013_16.json",
    "medway_2015_16.json",
    "medway_2016_20_refresh.json",
    "medway_2024_25.json",
    "swale_2019_20.json",
]


def load_seed_plans(*, verbosity: int = 0) -> None:
    """Load (or re-load: pks are fixed, so rows are updated, not duplicated) every seed plan."""
    paths = [str(FIXTURES_DIR / name) for name in SEED_FIXTURES]
    call_command("loaddata", *paths, verbosity=verbosity)
    from plans.models import Partnership

    for partnership in Partnership.objects.all():
        partnership.add_named_agencies()
