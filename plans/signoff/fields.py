"""What an update or a value carries for sign-off, and the one rule for what counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from plans.limits import NOTE, text_validators


class ItemState(models.TextChoices):
    """Where a quarterly update or value stands. Only SUBMITTED counts on dashboards and in
    reports: with sign-off on, an item is SUBMITTED once approved."""

    DRAFT = "draft", "Draft"
    AWAITING = "awaiting", "Awaiting sign-off"
    SUBMITTED = "submitted", "Submitted"


# The one rule for what counts on dashboards and in reports.
COUNTED = models.Q(state=ItemState.SUBMITTED)


class CountedQuerySet(models.QuerySet):
    def counted(self) -> CountedQuerySet:
        """Items that count on dashboards and in reports (submitted, signed off if needed)."""
        return self.filter(COUNTED)

    def awaiting_sign_off(self) -> CountedQuerySet:
        return self.filter(state=ItemState.AWAITING)


def _user(related_name: str = "+"):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name=related_name,
    )  # fmt: skip


class SignOffFields(models.Model):
    """The last sign-off decision on an item: who approved it, or who returned it and why."""

    return_comment = models.TextField(
        blank=True, max_length=NOTE, validators=text_validators(NOTE),
        help_text="What the signer asked to change when they returned it.",
    )  # fmt: skip
    returned_by = _user()
    returned_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = _user()
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by_author = models.BooleanField(
        default=False, help_text="Signed off by its author, the only signer."
    )

    class Meta:
        abstract = True

    @property
    def counts(self) -> bool:
        """``counted()`` for one item already loaded."""
        return self.state == ItemState.SUBMITTED

    @property
    def is_awaiting_sign_off(self) -> bool:
        return self.state == ItemState.AWAITING

    @property
    def is_returned(self) -> bool:
        return self.state == ItemState.DRAFT and bool(self.return_comment)
