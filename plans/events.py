"""What happened, for whoever wants to know: the seam between the features that make news
(sign-off, questions, quarters, publishing) and the notifications app that delivers it.

Senders call ``announce`` or ``item_counted.send`` inside their transaction; receivers run only
after it commits, so a failure to deliver never loses the user's change.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)

# Kinds of news, as users choose them on their notification settings page.
QUARTER_OPENED = "quarter_opened"
UPDATE_RETURNED = "update_returned"
QUESTION_ASKED = "question_asked"
QUESTION_ANSWERED = "question_answered"
REPORT_PUBLISHED = "report_published"
TURNED_RED = "turned_red"
REMINDER = "reminder"
AWAITING_SIGN_OFF = "awaiting_sign_off"

# kwargs: kind, recipients (iterable of users), subject, body (plain text), url (a path),
# key (unique per piece of news and recipient set: the same key is never delivered twice).
news = Signal()

# kwargs: item (an ActionUpdate or IndicatorValue that has just started to count on dashboards:
# submitted with sign-off off, or approved). Receivers compare it with the quarter before.
item_counted = Signal()


def announce(*, kind: str, recipients, subject: str, body: str, url: str, key: str) -> None:
    """Deliver news to ``recipients`` once the current transaction commits."""
    users = [user for user in recipients if user is not None]
    if not users:
        return

    def send() -> None:
        for _receiver, error in news.send_robust(
            sender=kind,
            kind=kind,
            recipients=users,
            subject=subject,
            body=body,
            url=url,
            key=key,
        ):
            if isinstance(error, Exception):
                log.error("Could not deliver %s news %s: %s", kind, key, error)

    transaction.on_commit(send, robust=True)


def counted(item) -> None:
    """Tell receivers, after commit, that ``item`` now counts on dashboards and reports."""

    def send() -> None:
        for _receiver, error in item_counted.send_robust(sender=type(item), item=item):
            if isinstance(error, Exception):
                log.error("item_counted receiver failed for %r: %s", item, error)

    transaction.on_commit(send, robust=True)
