"""Making, revoking and checking personal API tokens; each first use in a day is audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from csp_tracker.accounts import audit
from plans.api.models import ApiToken

TOKEN_CREATED = "API token created"
TOKEN_REVOKED = "API token revoked"
TOKEN_USED = "API token used (first time today)"
# The start of every token: it tells a leaked secret for what it is in logs and scanners.
MARK = "csp_"
PREFIX_LENGTH = 10
EXPIRY_CHOICES = {30: "30 days", 90: "90 days", 365: "1 year"}


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, days: int | None = 365) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with the secret, which is never kept."""
    key = MARK + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip() or "API token",
        prefix=key[:PREFIX_LENGTH],
        digest=digest_of(key),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    token.full_clean()
    token.save()
    audit.record(TOKEN_CREATED, user=user, token=token.prefix, name=token.name)
    return token, key


@transaction.atomic
def api_token_revoke(*, user, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(TOKEN_REVOKED, user=token.user, actor=user, token=token.prefix)


def token_user(key: str):
    """The user a presented token reads as, or None (unknown, revoked, expired, inactive).
    One query; the first use of the day also writes its audit entry."""
    if not key.startswith(MARK) or len(key) > 200:
        return None
    token = ApiToken.objects.usable().select_related("user").filter(digest=digest_of(key)).first()
    if token is None:
        return None
    today = timezone.localdate()
    if token.last_used_on != today:
        # Only the request that moves the date records the day's use, however many race.
        moved = ApiToken.objects.filter(pk=token.pk).exclude(last_used_on=today)
        if moved.update(last_used_on=today):
            audit.record(TOKEN_USED, user=token.user, token=token.prefix, name=token.name)
    return token.user
