"""What roll forward keeps besides the actions' own lineage: an action of last year's plan
that the admin dropped from this year's, with the reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from plans.limits import REASON, text_validators


class DroppedAction(models.Model):
    """An action carried over from last year's plan and then removed from this year's draft:
    the reason is shown on "What changed from last year". The action's ref and title are
    kept as they were, should last year's action itself go."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="dropped_actions")
    predecessor = models.ForeignKey(
        "priorities.Action",
        null=True,
        on_delete=models.SET_NULL,
        related_name="drops",
        help_text="The action of last year's plan that is not carried on.",
    )
    ref = models.CharField(max_length=50, help_text="Last year's ref, as it read.")
    title = models.TextField()
    reason = models.TextField(max_length=REASON, validators=text_validators(REASON))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["plan", "ref", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "predecessor"], name="action_dropped_once_per_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} dropped from {self.plan}"

    def get_additional_data(self) -> dict:
        return {"partnership": self.plan.partnership_id}
