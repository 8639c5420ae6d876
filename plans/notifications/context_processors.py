"""The unread count in the header: one query, at most once per request, only when a page
shows it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from plans.notifications.services import unread_count


def unread_notifications(request: HttpRequest) -> dict:
    if not request.user.is_authenticated:
        return {}

    def count() -> int:
        if not hasattr(request, "_unread_notifications"):
            request._unread_notifications = unread_count(request.user)
        return request._unread_notifications

    return {"unread_notifications": SimpleLazyObject(count)}
