"""Reminders to officers of the quarterly updates they still owe.

Every open quarter is checked each day (the command runs from cron). When a quarter's
deadline is exactly ``days_before`` days away, or has passed, each officer who still owes
something for it gets one e-mail listing everything they still owe across all open quarters:
actions with no submitted update and indicators with no value. Actions completed in an
earlier quarter and indicators not due in the quarter (``Indicator.is_due_in``) are not owed.

Who is reminded: partnership officers (for what their agencies lead) and delegates (for what
was delegated to them). Admins and SEG members are not reminded for their role alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue
from plans import access, events
from plans.models import Membership, ReportingPeriod
from priorities.cycle import done_before
from priorities.models import Action, ActionUpdate, UpdateState

DEFAULT_SITE_URL = "http://127.0.0.1:8000"
DEFAULT_DAYS_BEFORE = 7


@dataclass(frozen=True)
class DueItem:
    """An action or indicator still owed for a quarter, with the link to its form."""

    ref: str
    title: str
    url: str


@dataclass
class PeriodDue:
    """What one officer still owes for one open quarter."""

    period: ReportingPeriod
    timing: str  # "overdue", "due_soon" or "" (open, but not today's reason to write)
    days_left: int
    actions: list[DueItem] = field(default_factory=list)
    indicators: list[DueItem] = field(default_factory=list)

    @property
    def is_overdue(self) -> bool:
        return self.timing == "overdue"


@dataclass
class Reminder:
    """One e-mail to one officer."""

    user: object
    periods: list[PeriodDue]
    days_before: int

    @property
    def is_overdue(self) -> bool:
        return any(p.is_overdue for p in self.periods)

    @property
    def item_count(self) -> int:
        return sum(len(p.actions) + len(p.indicators) for p in self.periods)

    @property
    def subject(self) -> str:
        if self.is_overdue:
            return "Quarterly updates overdue"
        days = f"{self.days_before} day{'s' if self.days_before != 1 else ''}"
        return f"Quarterly updates due in {days}"

    def body(self) -> str:
        return render_to_string(
            "email/update_reminder.txt",
            {
                "user": self.user,
                "reminder": self,
                "site_url": site_url(),
                "my_updates_url": _page_url("plans:my_updates", "home"),
            },
        )

    def message(self, connection=None) -> EmailMessage:
        return EmailMessage(
            subject=f"CSP Tracker: {self.subject}",
            body=self.body(),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.user.email],
            connection=connection,
        )


@dataclass
class ReminderRun:
    """What a run sent (or, in a dry run, would send), and whom it could not reach."""

    reminders: list[Reminder]
    without_email: list[object]
    dry_run: bool = False

    @property
    def summary(self) -> str:
        n = len(self.reminders)
        verb = "Would send" if self.dry_run else "Sent"
        text = f"{verb} {n} reminder{'s' if n != 1 else ''}"
        if self.without_email:
            m = len(self.without_email)
            names = ", ".join(sorted(u.get_username() for u in self.without_email))
            text += f"; {m} officer{' has' if m == 1 else 's have'} no e-mail address ({names})"
        return text + (" (dry run: nothing sent)" if self.dry_run else "")


def site_url() -> str:
    return getattr(settings, "SITE_URL", DEFAULT_SITE_URL)


def absolute(path: str) -> str:
    return urljoin(site_url().rstrip("/") + "/", path.lstrip("/"))


def _page_url(name: str, fallback_name: str, *args: int) -> str:
    """The named page, or the fallback (the object's own page, or home) where the named page
    does not exist."""
    try:
        return absolute(reverse(name, args=args))
    except NoReverseMatch:
        return absolute(reverse(fallback_name, args=args[:1]))


def period_timing(period: ReportingPeriod, *, today: date, days_before: int) -> str:
    """Why an open quarter calls for reminders today: "overdue", "due_soon", or ""."""
    if today > period.deadline:
        return "overdue"
    if (period.deadline - today).days == days_before:
        return "due_soon"
    return ""


def actions_due(user, period: ReportingPeriod, *, officer: bool) -> QuerySet[Action]:
    """Actions of the quarter's plan the user reports on and has not submitted an update for.
    Someone who is not an officer there (a delegate) owes only what was delegated to them."""
    submitted = ActionUpdate.objects.filter(
        action=OuterRef("pk"),
        period=period,
        state__in=[UpdateState.SUBMITTED, UpdateState.AWAITING],
    )  # awaiting sign-off: the officer has done their part
    actions = access.reportable_actions(user).filter(priority__plan_id=period.plan_id)
    if not officer:
        actions = actions.filter(delegates=user)
    actions = actions.exclude(done_before(period))  # completed: not asked for again
    return actions.exclude(Exists(submitted)).order_by("priority__sort_key", "sort_key")


def indicators_due(user, period: ReportingPeriod, *, officer: bool) -> QuerySet[Indicator]:
    entered = IndicatorValue.objects.filter(indicator=OuterRef("pk"), period=period).exclude(
        state=UpdateState.DRAFT
    )  # a value returned by its signer is owed again
    indicators = access.reportable_indicators(user).filter(
        Indicator.due_in_rule(period.quarter), plan_id=period.plan_id
    )
    if not officer:
        indicators = indicators.filter(delegates=user)
    return indicators.exclude(Exists(entered)).order_by("sort_key")


def _recipients(period: ReportingPeriod) -> dict[int, bool]:
    """{user id: is an officer of the partnership} for everyone who may owe this quarter
    something: the partnership's officers and the delegates of the plan's actions and
    indicators."""
    officers = Membership.objects.filter(
        partnership_id=period.plan.partnership_id, role=Membership.Role.OFFICER
    ).values_list("user_id", flat=True)
    users = dict.fromkeys(officers, True)
    delegates = (
        Action.delegates.through.objects.filter(action__priority__plan_id=period.plan_id)
        .values_list("user_id", flat=True)
        .union(
            Indicator.delegates.through.objects.filter(
                indicator__plan_id=period.plan_id
            ).values_list("user_id", flat=True)
        )
    )
    for user_id in delegates:
        users.setdefault(user_id, False)
    return users


def period_due(user, period: ReportingPeriod, *, officer: bool, today: date, days_before: int):
    """What the user still owes for the quarter, with a link to each form."""
    return PeriodDue(
        period=period,
        timing=period_timing(period, today=today, days_before=days_before),
        days_left=(period.deadline - today).days,
        actions=[
            DueItem(
                a.ref,
                a.title,
                _page_url("priorities:action_update", "priorities:action_detail", a.pk, period.pk),
            )
            for a in actions_due(user, period, officer=officer)
        ],
        indicators=[
            DueItem(
                i.ref,
                i.title,
                _page_url(
                    "indicators:indicator_value", "indicators:indicator_detail", i.pk, period.pk
                ),
            )
            for i in indicators_due(user, period, officer=officer)
        ],
    )


def reminders_due(*, today: date, days_before: int = DEFAULT_DAYS_BEFORE) -> ReminderRun:
    """Work out today's reminders without sending anything."""
    periods = list(
        ReportingPeriod.objects.filter(status=ReportingPeriod.Status.OPEN)
        .select_related("plan__partnership")
        .order_by("deadline", "plan__title", "year", "quarter")
    )
    if not any(period_timing(p, today=today, days_before=days_before) for p in periods):
        return ReminderRun(reminders=[], without_email=[])  # not a reminder day

    owed: dict[int, list[PeriodDue]] = {}
    users: dict[int, object] = {}  # one object per user, so access rules are read once
    for period in periods:
        recipients = _recipients(period)
        missing = [pk for pk in recipients if pk not in users]
        users.update(get_user_model().objects.filter(is_active=True).in_bulk(missing))
        for user_id, officer in recipients.items():
            if user_id not in users:
                continue  # inactive
            due = period_due(
                users[user_id], period, officer=officer, today=today, days_before=days_before
            )
            if due.actions or due.indicators:
                owed.setdefault(user_id, []).append(due)

    reminders: list[Reminder] = []
    without_email: list[object] = []
    for user_id, dues in owed.items():
        if not any(d.timing for d in dues):
            continue  # what they owe is neither due in N days nor overdue
        user = users[user_id]
        if user.email:
            reminders.append(Reminder(user=user, periods=dues, days_before=days_before))
        else:
            without_email.append(user)
    reminders.sort(key=lambda r: r.user.get_username())
    return ReminderRun(reminders=reminders, without_email=without_email)


def reminder_key(reminder: Reminder, *, today: date) -> str:
    """One daily reminder per person: the same day's run on another server, or a second run,
    finds it delivered and sends nothing."""
    return f"reminder:{today.isoformat()}:{reminder.user.pk}"


def reminders_send(
    *, today: date, days_before: int = DEFAULT_DAYS_BEFORE, dry_run: bool = False,
    force: bool = False,
) -> ReminderRun:  # fmt: skip
    """E-mail each officer what they still owe (one message each, once a day, recorded as a
    delivery with its notification in the app), unless ``dry_run``. ``force`` sends again
    what was already sent today. Those already reminded today are left out of the run."""
    from plans.notifications.services import deliver

    run = reminders_due(today=today, days_before=days_before)
    run.dry_run = dry_run
    if dry_run or not run.reminders:
        return run
    connection = get_connection()  # no mail server: the run fails, and can be run again
    suffix = f":forced:{timezone.now().isoformat()}" if force else ""
    sent = []
    for reminder in run.reminders:
        delivery = deliver(
            kind=events.REMINDER,
            user=reminder.user,
            subject=reminder.subject,
            body=f"You have {reminder.item_count} quarterly update"
            f"{'s' if reminder.item_count != 1 else ''} still to report.",
            url=reverse("plans:my_updates"),
            key=reminder_key(reminder, today=today) + suffix,
            message=lambda user, reminder=reminder: reminder.message(),
            connection=connection,
        )
        if delivery is not None:
            sent.append(reminder)
    run.reminders = sent
    return run
