"""What year end records: who closed a plan and when (``PlanClosing``), and the published,
frozen year-end reports (``YearEndReport``). Imported by ``plans/models.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from plans.limits import NOTE, text_validators


class PlanClosing(models.Model):
    """A plan closed at year end by a partnership admin, once every action had its final
    status. Its quarters are not opened or corrected again afterwards (a plan loaded as
    closed from a seed or an import has no closing, and keeps taking history)."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="closing")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField()
    quarters_closed = models.CharField(
        max_length=200, blank=True, help_text="The quarters still open that closing closed."
    )

    def __str__(self) -> str:
        return f"{self.plan} closed"

    def get_additional_data(self) -> dict:
        return {"partnership": self.plan.partnership_id}


class YearEndReport(models.Model):
    """A plan's year-end report as an admin published it: the JSON it was built from, its
    page and its workbook, unchanged however the plan changes later. Republishing makes a
    new version, with a reason."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="year_end_reports"
    )
    version = models.PositiveIntegerField()
    reason = models.TextField(
        blank=True, max_length=NOTE, validators=text_validators(NOTE),
        help_text="Why it was republished.",
    )  # fmt: skip
    data = models.JSONField(help_text="Everything the report showed, as published.")
    html = models.TextField(help_text="The report page as published.")
    workbook = models.BinaryField(help_text="The Excel workbook as published.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "version"], name="year_end_report_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} – year-end report v{self.version}"

    def get_additional_data(self) -> dict:
        return {"partnership": self.plan.partnership_id}
