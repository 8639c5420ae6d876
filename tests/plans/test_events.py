"""News is delivered only after the change that made it commits, and a failing receiver
never undoes the change."""

from __future__ import annotations

import pytest
from django.db import transaction

from plans import events
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _collect(received):
    def receiver(sender, **kwargs):
        received.append(kwargs)

    return receiver


def test_news_waits_for_commit_and_is_dropped_on_rollback(django_capture_on_commit_callbacks):
    received: list = []
    receiver = _collect(received)
    events.news.connect(receiver)
    try:
        user = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            events.announce(
                kind=events.QUARTER_OPENED,
                recipients=[user, None],
                subject="Q1 is open",
                body="Report by 30 June.",
                url="/",
                key="k1",
            )
            assert received == []
        assert [r["recipients"] for r in received] == [[user]]
        assert received[0]["key"] == "k1"

        received.clear()
        with pytest.raises(RuntimeError), transaction.atomic():
            events.announce(
                kind=events.QUARTER_OPENED,
                recipients=[user],
                subject="s",
                body="b",
                url="/",
                key="k2",
            )
            raise RuntimeError("the change failed")
        assert received == []
    finally:
        events.news.disconnect(receiver)


def test_nobody_to_tell_sends_nothing(django_capture_on_commit_callbacks):
    received: list = []
    receiver = _collect(received)
    events.news.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            events.announce(
                kind=events.REMINDER, recipients=[], subject="s", body="b", url="/", key="k"
            )
        assert callbacks == [] and received == []
    finally:
        events.news.disconnect(receiver)


def test_a_failing_receiver_is_logged_not_raised(django_capture_on_commit_callbacks, caplog):
    def broken(sender, **kwargs):
        raise OSError("mail server down")

    events.item_counted.connect(broken)
    try:
        user = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            events.counted(user)
        assert "mail server down" in caplog.text
    finally:
        events.item_counted.disconnect(broken)
