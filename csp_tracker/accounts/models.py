"""Invitations to new accounts.

A person's full name is kept in Django's ``User.first_name`` (``last_name`` stays empty), so
every page that already loads a user shows the name without another query; ``get_full_name()``
returns it. Their e-mail address is ``User.email`` and, for invited accounts, also their user
name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Invitation(models.Model):
    """The e-mail a partnership admin sent to someone new: a link, good for
    ``INVITATION_TIMEOUT`` seconds and for one use, to set their own password."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitation"
    )
    partnership = models.ForeignKey(
        "plans.Partnership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField("last sent")
    accepted_at = models.DateTimeField("accepted", null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.user.email}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None
