from __future__ import annotations

from django.core.management.base import BaseCommand

from indicators.uploads import purge_value_uploads


class Command(BaseCommand):
    help = (
        "Forget uploaded sheets of figures that were previewed but never confirmed, a day "
        "after their upload (uploading another sheet does it too). Run it daily from cron, e.g.: "
        "20 3 * * * cd /srv/csp && .venv/bin/python manage.py purge_value_uploads"
    )

    def handle(self, *args, **options) -> None:
        count = purge_value_uploads()
        self.stdout.write(f"Deleted {count} unconfirmed upload{'s' if count != 1 else ''}.")
