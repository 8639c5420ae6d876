"""What the app told whom: in-app notifications, each user's e-mail choices, the record of
each piece of news delivered (once per user, by a unique key) and the admins' "Send a reminder
now" for a quarter (once a day)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from plans import events


class Kind(models.TextChoices):
    """The kinds of news, as users choose them on their notification settings page."""

    QUARTER_OPENED = events.QUARTER_OPENED, "A quarter opens for updates"
    REMINDER = events.REMINDER, "Reminders of updates you still owe"
    UPDATE_RETURNED = events.UPDATE_RETURNED, "An update of yours is returned for changes"
    AWAITING_SIGN_OFF = events.AWAITING_SIGN_OFF, "Updates awaiting your sign-off"
    QUESTION_ASKED = events.QUESTION_ASKED, "A question is asked about something you report on"
    QUESTION_ANSWERED = events.QUESTION_ANSWERED, "A question you asked is answered"
    REPORT_PUBLISHED = events.REPORT_PUBLISHED, "A quarter's report is published"
    TURNED_RED = events.TURNED_RED, "An action or indicator turns Red"


# Every kind comes by e-mail unless the user turns it off, except the sign-off digest: sign-off
# news is frequent and already counted on the dashboard, so it is in the app only by default.
EMAIL_BY_DEFAULT = frozenset(Kind.values) - {Kind.AWAITING_SIGN_OFF}


class Notification(models.Model):
    """One piece of news on a user's Notifications page, unread until they mark it read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="A path inside the app.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return f"{self.user}: {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    """Which kinds of news a user receives by e-mail (no row: ``EMAIL_BY_DEFAULT``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_kinds = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}: {', '.join(self.email_kinds) or 'no e-mail'}"


class Delivery(models.Model):
    """A piece of news delivered to a user. Its (key, user) is unique, so the same news is
    never delivered twice, however many servers or runs try at once."""

    class Email(models.TextChoices):
        PENDING = "pending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be sent"
        NOT_WANTED = "not_wanted", "Not wanted by e-mail"
        NO_ADDRESS = "no_address", "No e-mail address"

    key = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    email = models.CharField(max_length=20, choices=Email.choices, default=Email.PENDING)
    emailed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["key", "user"], name="one_delivery_per_key_and_user")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.user}"


class QuarterReminder(models.Model):
    """An admin's "Send a reminder now" for a quarter: at most one a day per quarter."""

    period = models.ForeignKey(
        "plans.ReportingPeriod", on_delete=models.CASCADE, related_name="manual_reminders"
    )
    sent_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "sent_on"], name="one_manual_reminder_per_quarter_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} – {self.sent_on}"
