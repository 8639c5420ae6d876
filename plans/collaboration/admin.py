"""The Django admin for questions and evidence (read mostly), and their audit registration."""

from __future__ import annotations

from django.contrib import admin

from plans.collaboration.models import Comment, Evidence


def register_audited() -> None:
    """The audit trail records who asked, answered, edited, removed, uploaded and removed a
    file: the words themselves are in ``CommentVersion``, the bytes in storage."""
    from auditlog.registry import auditlog

    auditlog.register(Comment, exclude_fields=["text", "version"])
    auditlog.register(Evidence, exclude_fields=["file"])


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "period", "action", "indicator", "parent", "author", "created_at"]
    list_select_related = ["period__plan", "action", "indicator", "author"]
    raw_id_fields = ["action", "indicator", "period", "parent", "author", "removed_by"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "size", "period", "uploaded_by", "uploaded_at"]
    list_select_related = ["period__plan", "uploaded_by"]
    raw_id_fields = ["action", "indicator", "period", "comment", "uploaded_by"]
