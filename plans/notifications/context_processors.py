"""The unread count in the header: read from the signed-in user's row where the sign-in
backend loaded it with the user (``csp_tracker.accounts.backends``), else one query, at most
once per request and only when a page shows it."""

from __future__ import annotations

from django.http import HttpRequest

from plans.notifications.services import unread_count


def unread_notifications(request: HttpRequest) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {}

    def count() -> int:
        if getattr(user, "_unread_notifications", None) is None:
            user._unread_notifications = unread_count(user)
        return user._unread_notifications

    # Templates call it: a page that does not show the count costs nothing.
    return {"unread_notifications": count}
