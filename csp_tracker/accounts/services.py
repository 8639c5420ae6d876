"""Write operations on accounts: invitations, accepting them, unlocking sign-in."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from csp_tracker.accounts import audit
from csp_tracker.accounts.models import Invitation

INVITATION_SALT = "accounts.invitation"


def user_by_email(email: str):
    """The account with this e-mail address, whatever its case, or None."""
    return get_user_model().objects.filter(email__iexact=email.strip()).first()


@transaction.atomic
def account_invite(*, full_name: str, email: str, invited_by, partnership=None):
    """A new account for someone invited by e-mail. It has no password until they follow
    the link; the e-mail is sent once the transaction commits."""
    email = email.strip()
    if user_by_email(email) is not None:
        raise ValidationError({"email": f"An account already uses {email}"})
    user = get_user_model()(
        username=email.lower(), email=email, first_name=full_name.strip(), last_name=""
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    invitation = Invitation.objects.create(
        user=user, partnership=partnership, invited_by=invited_by, sent_at=timezone.now()
    )
    audit.record(audit.INVITED, user=user, actor=invited_by)
    _send_on_commit(invitation)
    return user


@transaction.atomic
def invitation_resend(*, invitation: Invitation, sent_by) -> Invitation:
    """Send the invitation again with a new link; earlier links stop working."""
    if not invitation.is_pending:
        raise ValidationError(f"{invitation.user.email} has already accepted the invitation")
    invitation.sent_at = timezone.now()
    invitation.invited_by = sent_by
    invitation.save(update_fields=["sent_at", "invited_by"])
    audit.record(audit.INVITATION_RESENT, user=invitation.user, actor=sent_by)
    _send_on_commit(invitation)
    return invitation


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(
        [invitation.pk, invitation.sent_at.timestamp()], salt=INVITATION_SALT, compress=True
    )


def invitation_from_token(token: str) -> Invitation | None:
    """The pending invitation a link is for, or None if the link is wrong, too old, used,
    or replaced by a newer one."""
    try:
        pk, sent = signing.loads(token, salt=INVITATION_SALT, max_age=settings.INVITATION_TIMEOUT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    invitation = Invitation.objects.select_related("user").filter(pk=pk).first()
    if invitation is None or not invitation.is_pending or not invitation.user.is_active:
        return None
    if invitation.sent_at.timestamp() != sent:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str):
    """The invited person chose their password: the link is used up."""
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit.record(audit.INVITATION_ACCEPTED, user=user)
    return user


def invitation_accept_by_sign_on(*, user) -> None:
    """Signing in through single sign-on also accepts a pending invitation."""
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )


def _send_on_commit(invitation: Invitation) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse(
        "accounts:invitation_accept", args=[invitation_token(invitation)]
    )
    context = {
        "invitation": invitation,
        "link": link,
        "days": settings.INVITATION_TIMEOUT // 86400,
        "sso": settings.OIDC_ENABLED,
    }
    subject = "You have been invited to CSP Tracker"
    body = render_to_string("email/invitation.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, None, [invitation.user.email], fail_silently=False)
    )


def sign_in_unlock(*, user, unlocked_by) -> int:
    """Lift django-axes' lock-out of this user name (from every address)."""
    count = axes_reset(username=user.get_username().lower())
    audit.record(audit.UNLOCKED, user=user, actor=unlocked_by)
    return count


def sign_in_locked(*, user) -> bool:
    """Whether django-axes is refusing this user name's sign-ins from some address now."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(
        username=user.get_username().lower(),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
    )
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.exists()
