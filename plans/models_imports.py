"""Uploaded plan workbooks (moved out of ``plans/models.py`` to keep it short)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PlanImport(models.Model):
    """An uploaded action-plan workbook on its way in: validated and previewed, then
    imported on the admin's confirmation (or abandoned)."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed validation"

    partnership = models.ForeignKey(
        "plans.Partnership", on_delete=models.CASCADE, related_name="imports"
    )
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices)
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    preview = models.JSONField(
        null=True, blank=True, help_text="What importing it would create, as first checked."
    )

    # Uploads neither imported nor refreshed in this many days are deleted.
    KEEP_DAYS = 7

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}
