"""Dropped actions in the Django admin: read only, as they are history."""

from __future__ import annotations

from django.contrib import admin

from plans.editing.admin import ReadOnly
from plans.rollforward.models import DroppedAction


@admin.register(DroppedAction)
class DroppedActionAdmin(ReadOnly):
    list_display = ["plan", "ref", "title", "by", "at"]
    list_filter = ["plan__partnership"]
    search_fields = ["title", "reason", "plan__title"]
    list_select_related = ["plan", "by"]
