"""Uploaded workbooks on their way in: checked once when uploaded, the preview kept on the
``PlanImport`` row, refused files kept without their bytes, and uploads that were never
imported deleted after ``PlanImport.KEEP_DAYS`` days."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.utils import timezone

from plans.importing.preview import ImportPreview, preview_from_json, preview_to_json
from plans.importing.problems import ImportRefused, Problem
from plans.importing.services import read_and_validate
from plans.models import Partnership, PlanImport


def import_upload(
    *, partnership: Partnership, user, file_name: str, content: bytes
) -> tuple[PlanImport, list[Problem]]:
    """Record the upload and check it once. A valid workbook is kept with its preview; a
    refused one is kept (name, checksum, who, when) without its bytes, which are of no use."""
    purge_abandoned_imports()  # opportunistic: the cron job may not be set up
    plan_import = PlanImport(
        partnership=partnership,
        file_name=file_name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        status=PlanImport.Status.PREVIEWED,
        uploaded_by=user,
    )
    problems: list[Problem] = []
    try:
        plan_import.preview = preview_to_json(read_and_validate(content, partnership=partnership))
    except ImportRefused as refused:
        problems = refused.problems
        plan_import.status = PlanImport.Status.FAILED
        plan_import.content = b""
    plan_import.save()
    return plan_import, problems


def import_preview_of(plan_import: PlanImport) -> ImportPreview:
    """The upload's preview as checked when it was uploaded (checked now, and kept, for
    uploads made before previews were kept). Raises ``ImportRefused``."""
    if plan_import.preview is not None:
        return preview_from_json(plan_import.preview)
    preview = read_and_validate(bytes(plan_import.content), partnership=plan_import.partnership)
    plan_import.preview = preview_to_json(preview)
    PlanImport.objects.filter(pk=plan_import.pk).update(preview=plan_import.preview)
    return preview


def purge_abandoned_imports(*, now: datetime | None = None) -> int:
    """Delete uploads older than ``PlanImport.KEEP_DAYS`` that were never imported; return
    how many."""
    cutoff = (now or timezone.now()) - timedelta(days=PlanImport.KEEP_DAYS)
    deleted, _ = (
        PlanImport.objects.exclude(status=PlanImport.Status.IMPORTED)
        .filter(uploaded_at__lt=cutoff)
        .delete()
    )
    return deleted
