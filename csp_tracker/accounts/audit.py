"""Account events in the audit log: sign-ins, failed sign-ins, lock-outs, invitations, new
accounts, password and two-factor changes.

They are django-auditlog entries (the one audit table) about the user account, with the
action ``ACCESS`` and the event named in ``additional_data["event"]``, so the audit log shows
them beside every other change. New accounts and changes to names, e-mail addresses and
admin flags are recorded by registering the user model itself.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from csp_tracker.accounts.templatetags.people import person_name

SIGNED_IN = "Signed in"
SIGN_IN_FAILED = "Sign-in failed"
LOCKED_OUT = "Sign-in locked after repeated failures"
UNLOCKED = "Sign-in unlocked"
INVITED = "Invited"
INVITATION_RESENT = "Invitation sent again"
INVITATION_ACCEPTED = "Invitation accepted and password set"
PASSWORD_CHANGED = "Password changed"
PASSWORD_RESET = "Password reset by e-mail link"
TWO_FACTOR_SET_UP = "Two-factor sign-in set up"
TWO_FACTOR_TURNED_OFF = "Two-factor sign-in turned off"
RECOVERY_CODES_REPLACED = "New recovery codes made"
RECOVERY_CODE_USED = "Signed in with a recovery code"


def register_user_model() -> None:
    """New accounts and changes to who they are; never the password hash."""
    auditlog.register(
        get_user_model(),
        include_fields=["username", "first_name", "email", "is_active", "is_staff",
                        "is_superuser"],
    )  # fmt: skip


_SELF = object()


def record(event: str, *, user=None, actor=_SELF, attempted: str = "", **detail) -> LogEntry:
    """One account event. ``user`` is the account it concerns (None for a failed sign-in
    with an unknown user name, when ``attempted`` says what was typed); ``actor`` who did it
    (the user themselves unless an admin did; None for nobody signed in)."""
    model = get_user_model()
    data = {"event": event, **detail}
    if attempted:
        data["attempted"] = attempted[:150]
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=str(user.pk) if user else "",
        object_id=user.pk if user else None,
        object_repr=person_name(user) if user else attempted[:150],
        action=LogEntry.Action.ACCESS,
        changes_text=event,
        actor=user if actor is _SELF else actor,
        additional_data=data,
    )


def events_for(user) -> list[LogEntry]:
    """A user's account events, newest first."""
    model = get_user_model()
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_pk=str(user.pk),
            action=LogEntry.Action.ACCESS,
        ).order_by("-timestamp", "-pk")
    )
