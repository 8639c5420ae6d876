"""Django's loaddata, with the audit trail switched off while it runs.

Loading saves many-to-many fields (a membership's agencies), and django-auditlog records such
changes even when loading (its raw-save switch covers saves, not m2m signals). Those new audit
entries took ids the fixture's own audit entries then needed: on PostgreSQL, "duplicate key
value violates unique constraint auditlog_logentry_pkey". A fixture is history as it was, so
loading it records nothing.
"""

from __future__ import annotations

from auditlog.context import disable_auditlog
from django.core.management.commands.loaddata import Command as LoadDataCommand

from plans.report_cache import data_changed


class Command(LoadDataCommand):
    help = LoadDataCommand.help + " The audit trail records nothing while loading."

    def handle(self, *fixture_labels, **options) -> None:
        with disable_auditlog():
            super().handle(*fixture_labels, **options)
        # Raw fixture rows send no change signal: every cached report may be stale.
        data_changed(everything=True)
