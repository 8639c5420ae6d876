"""What an active plan's editing keeps: every change with its reason, and the targets an
indicator had before a change, with the quarters they still apply to."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from plans.limits import REASON, text_validators


class PlanChange(models.Model):
    """A change made to an active plan in the browser, with who made it, when and why: the
    "Changes to this plan" list. ``before`` and ``after`` hold the changed fields, by label,
    as people read them."""

    class Kind(models.TextChoices):
        ADDED = "added", "Added"
        CHANGED = "changed", "Changed"
        MOVED = "moved", "Moved"
        REMOVED = "removed", "Removed"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    when = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    what = models.CharField(max_length=400, help_text='The item, e.g. "Action 1.2".')
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(max_length=REASON, validators=text_validators(REASON))

    class Meta:
        ordering = ["-when", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.what}"

    def get_additional_data(self) -> dict:
        return {"partnership": self.plan.partnership_id}

    @property
    def fields(self) -> list[tuple[str, str, str]]:
        """(label, before, after) for each field the change touched."""
        labels = list(dict.fromkeys([*self.before, *self.after]))
        return [(label, self.before.get(label, ""), self.after.get(label, "")) for label in labels]


class IndicatorTarget(models.Model):
    """A target an indicator had before it was changed on an active plan: it still applies
    to the quarters before ``until`` (the quarter of the change), so their RAG stays as it
    was. The indicator's own target applies from then on."""

    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.CASCADE, related_name="target_history"
    )
    until_year = models.PositiveSmallIntegerField(help_text="Financial year of the change.")
    until_quarter = models.PositiveSmallIntegerField(help_text="Quarter of the change (1-4).")
    target = models.TextField(blank=True)
    target_comparator = models.CharField(max_length=20, blank=True)
    target_value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    target_unit = models.CharField(max_length=10, blank=True)
    target_per = models.CharField(max_length=20, blank=True)
    target_baseline = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    target_baseline_period = models.CharField(max_length=50, blank=True)
    amber_tolerance = models.DecimalField(max_digits=5, decimal_places=2, default=5)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["indicator", "until_year", "until_quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "until_year", "until_quarter"],
                name="one_superseded_target_per_quarter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} (before Q{self.until_quarter} {self.until_year})"

    @property
    def until(self) -> tuple[int, int]:
        return (self.until_year, self.until_quarter)
