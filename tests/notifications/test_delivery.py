"""Each piece of news goes once, in the app and (by the user's choice) by e-mail; a broken mail
server is logged and recorded, never raised."""

from __future__ import annotations

import pytest

from plans import events
from plans.notifications import services
from plans.notifications.models import Delivery, Notification
from tests.notifications.conftest import SITE, to

pytestmark = pytest.mark.django_db


def news(recipients, key="k1", kind=events.REPORT_PUBLISHED):
    events.announce(
        kind=kind,
        recipients=recipients,
        subject="Q2 report published",
        body="The SEG report for Q2 is out.",
        url="/reports/1/",
        key=key,
    )


def test_news_reaches_each_recipient_in_the_app_and_by_email(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        news([cast["seg"], cast["admin"]])
    assert len(mailoutbox) == 2
    (mail,) = to(mailoutbox, cast["seg"])
    assert mail.subject == "CSP Tracker: Q2 report published"
    assert mail.from_email == "csp@example.test"
    assert "The SEG report for Q2 is out." in mail.body
    assert f"{SITE}/reports/1/" in mail.body
    assert f"{SITE}/notifications/settings/" in mail.body
    assert len(to(mailoutbox, cast["admin"])) == 1
    assert Notification.objects.filter(user=cast["seg"], read_at__isnull=True).count() == 1
    assert Delivery.objects.get(user=cast["seg"], key="k1").email == Delivery.Email.SENT


def test_nothing_is_delivered_before_commit_or_after_a_rollback(cast, mailoutbox):
    news([cast["seg"]])  # the test's transaction never commits
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_the_same_key_is_delivered_once(cast, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        news([cast["seg"]])
        news([cast["seg"], cast["admin"]])
    assert len(to(mailoutbox, cast["seg"])) == 1
    assert len(to(mailoutbox, cast["admin"])) == 1
    assert Notification.objects.filter(user=cast["seg"]).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        news([cast["seg"]], key="k2")  # other news: delivered
    assert len(to(mailoutbox, cast["seg"])) == 2


def test_settings_are_respected(cast, mailoutbox, django_capture_on_commit_callbacks):
    services.preferences_save(user=cast["seg"], email_kinds=[events.QUARTER_OPENED])
    with django_capture_on_commit_callbacks(execute=True):
        news([cast["seg"]])
    assert to(mailoutbox, cast["seg"]) == []
    assert Notification.objects.filter(user=cast["seg"]).count() == 1  # still in the app
    assert Delivery.objects.get(user=cast["seg"]).email == Delivery.Email.NOT_WANTED


def test_sign_off_digest_is_off_by_default(cast, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        news([cast["admin"]], kind=events.AWAITING_SIGN_OFF)
    assert mailoutbox == []
    assert Notification.objects.filter(user=cast["admin"]).count() == 1


def test_no_email_address_means_in_the_app_only(
    csu_officer, mailoutbox, django_capture_on_commit_callbacks
):
    assert not csu_officer.email
    with django_capture_on_commit_callbacks(execute=True):
        news([csu_officer])
    assert mailoutbox == []
    assert Delivery.objects.get(user=csu_officer).email == Delivery.Email.NO_ADDRESS


def test_a_broken_mail_server_is_logged_not_raised(
    cast, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notifications.conftest.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        news([cast["seg"], cast["admin"]])
    for user in (cast["seg"], cast["admin"]):  # both tried, both still told in the app
        delivery = Delivery.objects.get(user=user)
        assert delivery.email == Delivery.Email.FAILED
        assert "mail server is down" in delivery.error
        assert Notification.objects.filter(user=user).count() == 1
    assert "Could not e-mail report_published news k1" in caplog.text


def test_a_failing_receiver_does_not_stop_delivery_to_others(
    cast, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    real = services.deliver

    def flaky(**kwargs):
        if kwargs["user"] == cast["seg"]:
            raise RuntimeError("boom")
        return real(**kwargs)

    monkeypatch.setattr(services, "deliver", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        news([cast["seg"], cast["admin"]])
    assert len(to(mailoutbox, cast["admin"])) == 1
