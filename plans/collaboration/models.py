"""Questions and answers on an action or an indicator in a quarter, and evidence files.

Both belong to an *item in a quarter*: an action or an indicator (exactly one) and a
``ReportingPeriod``. That is the update (or value) the officer gives for that quarter, whether
or not it has been saved yet, so an officer may attach evidence before writing the update.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from plans.limits import text_validators

COMMENT = 2000  # characters in a question or an answer

ONE_ITEM = Q(action__isnull=False, indicator__isnull=True) | Q(
    action__isnull=True, indicator__isnull=False
)


class ItemQuarter(models.Model):
    """An action or an indicator (exactly one) in a reporting quarter."""

    action = models.ForeignKey(
        "priorities.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(
        "indicators.Indicator", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey("plans.ReportingPeriod", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    @property
    def item(self):
        return self.action if self.action_id else self.indicator

    def get_additional_data(self) -> dict:
        """The partnership, recorded with each audit entry so the partnership's audit log
        keeps a removed file or comment (the views load the quarter with its plan)."""
        return {"partnership": self.period.plan.partnership_id}


class CommentQuerySet(models.QuerySet["Comment"]):
    def questions(self) -> CommentQuerySet:
        return self.filter(parent__isnull=True)

    def open_questions(self) -> CommentQuerySet:
        """Questions still standing (not removed) that no standing answer replies to."""
        answered = Comment.objects.filter(parent=OuterRef("pk"), removed_at__isnull=True)
        return self.filter(parent__isnull=True, removed_at__isnull=True).exclude(Exists(answered))

    def answered_questions(self) -> CommentQuerySet:
        answered = Comment.objects.filter(parent=OuterRef("pk"), removed_at__isnull=True)
        return self.filter(parent__isnull=True, removed_at__isnull=True).filter(Exists(answered))


class Comment(ItemQuarter):
    """A question on an item's quarter (asked by an SEG member or an admin), or an answer to one
    (``parent`` set; given by the lead's officers). Plain text. Every edit is kept as a
    ``CommentVersion``; removing one clears its words and leaves "Comment removed"."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField(max_length=COMMENT, validators=text_validators(COMMENT))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=ONE_ITEM, name="comment_one_item")]
        indexes = [models.Index(fields=["period", "parent"])]

    def __str__(self) -> str:
        kind = "Answer" if self.parent_id else "Question"
        return f"{kind} #{self.pk} on {self.period_id}"

    @property
    def is_question(self) -> bool:
        return self.parent_id is None

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class CommentVersion(models.Model):
    """The words of a question or answer as they stood before an edit (the current words are
    on the comment itself)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField(max_length=COMMENT)
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "number"], name="one_comment_version")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of comment #{self.comment_id}"


def evidence_path(instance: Evidence, filename: str) -> str:
    """A name nobody can guess or choose: the person's file name is kept in ``name``."""
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"evidence/{instance.period_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(ItemQuarter):
    """A file behind an item's update or value for a quarter (a PDF, an office document or a
    picture), checked by content when uploaded. Optionally attached to an answer."""

    file = models.FileField(upload_to=evidence_path, max_length=200)
    name = models.CharField(max_length=200, help_text="The file's name as uploaded.")
    kind = models.CharField(max_length=10, help_text="What the content was found to be.")
    size = models.PositiveBigIntegerField()
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"
        constraints = [models.CheckConstraint(condition=ONE_ITEM, name="evidence_one_item")]

    def __str__(self) -> str:
        return self.name


__all__ = ["COMMENT", "Comment", "CommentVersion", "Evidence"]
