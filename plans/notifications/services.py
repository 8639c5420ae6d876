"""Delivering news once to each user (in the app and, by their choice, by e-mail), their
e-mail choices, marking notifications read, and an admin's "Send a reminder now"."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from plans.notifications.models import (
    EMAIL_BY_DEFAULT,
    Delivery,
    Kind,
    Notification,
    Preference,
    QuarterReminder,
)

log = logging.getLogger(__name__)

MessageBuilder = Callable[[object], EmailMessage]


# --- Delivery ---------------------------------------------------------------------------------


def delivery_claim(*, key: str, user, kind: str) -> Delivery | None:
    """Record that ``key`` goes to ``user``, or None when it already has (on any server): the
    unique (key, user) makes a second insert fail, and on PostgreSQL a concurrent one waits
    for the first to commit and then fails."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(key=key[:200], user=user, kind=kind)
    except IntegrityError:
        return None


def email_kinds(user) -> frozenset[str]:
    """The kinds of news the user wants by e-mail."""
    preference = Preference.objects.filter(user=user).first()
    return EMAIL_BY_DEFAULT if preference is None else frozenset(preference.email_kinds)


def notification_email(user, *, subject: str, body: str, url: str) -> EmailMessage:
    return EmailMessage(
        subject=f"CSP Tracker: {subject}",
        body=render_to_string(
            "email/notification.txt",
            {
                "user": user,
                "body": body,
                "link": absolute(url) if url else "",
                "settings_link": absolute(reverse("notifications:settings")),
            },
        ),  # fmt: skip
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def deliver(
    *, kind: str, user, subject: str, body: str, url: str, key: str,
    message: MessageBuilder | None = None, connection=None,
) -> Delivery | None:  # fmt: skip
    """Deliver one piece of news to one user, once: a notification in the app and, if they
    want this kind by e-mail and have an address, an e-mail (``message(user)``, or the
    standard one). A failure to send is logged and recorded on the delivery, never raised.
    None when this key had already been delivered to them."""
    delivery = delivery_claim(key=key, user=user, kind=kind)
    if delivery is None:
        return None
    Notification.objects.create(user=user, kind=kind, subject=subject[:200], body=body, url=url)
    if kind not in email_kinds(user):
        delivery.email = Delivery.Email.NOT_WANTED
    elif not user.email:
        delivery.email = Delivery.Email.NO_ADDRESS
    else:
        email = (
            message(user)
            if message
            else notification_email(user, subject=subject, body=body, url=url)
        )
        email.connection = connection
        try:
            email.send()
        except Exception as error:  # noqa: BLE001 - whatever the mail server says, carry on
            log.error("Could not e-mail %s news %s to user %s: %s", kind, key, user.pk, error)
            delivery.email, delivery.error = Delivery.Email.FAILED, str(error)[:300]
        else:
            delivery.email, delivery.emailed_at = Delivery.Email.SENT, timezone.now()
    delivery.save(update_fields=["email", "emailed_at", "error"])
    return delivery


def deliver_all(*, kind: str, recipients: Iterable, subject: str, body: str, url: str, key: str):
    """``deliver`` to each recipient; one recipient's failure does not stop the others."""
    delivered = []
    for user in recipients:
        try:
            delivered.append(
                deliver(kind=kind, user=user, subject=subject, body=body, url=url, key=key)
            )
        except Exception:  # noqa: BLE001 - the rest still get their news
            log.exception("Could not deliver %s news %s to user %s", kind, key, user.pk)
    return [d for d in delivered if d is not None]


def absolute(path: str) -> str:
    from plans.reminders import absolute as absolute_url

    return absolute_url(path)


# --- A user's notifications and choices ---------------------------------------------------------


@transaction.atomic
def preferences_save(*, user, email_kinds: Iterable[str]) -> Preference:
    chosen = sorted(set(email_kinds))
    unknown = set(chosen) - set(Kind.values)
    if unknown:
        raise ValidationError({"email_kinds": f"Unknown kinds: {', '.join(sorted(unknown))}"})
    preference, _ = Preference.objects.get_or_create(user=user)
    preference.email_kinds = chosen
    preference.full_clean()
    preference.save()
    return preference


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def unread_count_subquery() -> Coalesce:
    """The user's unread count as an annotation on the user's own row, so the header's count
    comes with the query that loads the signed-in user on every request."""
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


# --- "Send a reminder now" -------------------------------------------------------------------


def already_sent_message(sent: QuarterReminder) -> str:
    local = timezone.localtime(sent.sent_at)
    return (
        f"A reminder for {sent.period.label} was already sent today at {local:%H:%M}. "
        "You can send another tomorrow."
    )


def last_quarter_reminder(period) -> QuarterReminder | None:
    return QuarterReminder.objects.filter(period=period).order_by("-sent_at").first()


@transaction.atomic
def period_remind(*, period, user, today: date | None = None) -> QuarterReminder:
    """Remind everyone with updates still missing for the quarter, now: at most once a day per
    quarter (a second try that day raises ``ValidationError`` saying when it was sent)."""
    from plans.notifications import news

    today = today or timezone.localdate()
    if not period.is_open:
        raise ValidationError(f"{period.label} is closed: there is nothing to remind about.")
    try:
        with transaction.atomic():
            sent = QuarterReminder.objects.create(period=period, sent_on=today, sent_by=user)
    except IntegrityError:
        earlier = QuarterReminder.objects.select_related("period").get(period=period, sent_on=today)
        raise ValidationError(already_sent_message(earlier)) from None
    sent.recipients = news.quarter_reminders(period=period, today=today)
    sent.save(update_fields=["recipients"])
    return sent
