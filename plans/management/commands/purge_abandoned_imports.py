from __future__ import annotations

from django.core.management.base import BaseCommand

from plans.importing.uploads import purge_abandoned_imports
from plans.models import PlanImport


class Command(BaseCommand):
    help = (
        f"Delete uploaded workbooks that were never imported, {PlanImport.KEEP_DAYS} days after "
        "their upload. Run it daily from cron, e.g.: "
        "15 3 * * * cd /srv/csp && .venv/bin/python manage.py purge_abandoned_imports"
    )

    def handle(self, *args, **options) -> None:
        count = purge_abandoned_imports()
        self.stdout.write(f"Deleted {count} abandoned upload{'s' if count != 1 else ''}.")
