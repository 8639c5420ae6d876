"""The news that existing features make, written for the people it concerns: a quarter opens
(officers with items due), "Send a reminder now", a report is published (SEG members), an
action or indicator turns Red (the partnership's admins)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format

from plans import events
from plans.models import Membership, ReportingPeriod


@dataclass
class Owed:
    """What one officer (or delegate) has still to report for a quarter."""

    user: object
    actions: list
    indicators: list

    def lines(self) -> str:
        parts = []
        if self.actions:
            parts.append("Action updates:")
            parts += [_item(a) for a in self.actions]
        if self.indicators:
            parts.append("Indicator values:")
            parts += [_item(i) for i in self.indicators]
        return "\n".join(parts)

    @property
    def count(self) -> int:
        return len(self.actions) + len(self.indicators)

    @property
    def items(self) -> str:
        return f"{self.count} item{'s' if self.count != 1 else ''}"


def _item(item) -> str:
    return "- " + " ".join(part for part in (item.ref, item.title[:100]) if part)


def owed_in(period: ReportingPeriod) -> list[Owed]:
    """Everyone who still owes the quarter something, with what they owe."""
    from plans.reminders import _recipients, actions_due, indicators_due

    recipients = _recipients(period)
    users = get_user_model().objects.filter(is_active=True).in_bulk(list(recipients))
    owed = []
    for user_id, officer in recipients.items():
        user = users.get(user_id)
        if user is None:
            continue
        due = Owed(
            user,
            list(actions_due(user, period, officer=officer)),
            list(indicators_due(user, period, officer=officer)),
        )
        if due.count:
            owed.append(due)
    return owed


def _where(period: ReportingPeriod) -> str:
    return f"{period.plan.partnership}: {period.plan}, {period.label}"


def after_commit(work):
    """Run ``work`` once the transaction commits: working out who to tell never holds the
    writer's locks, and a failure in it is logged (``robust``), never undoing the change."""

    def later(**kwargs) -> None:
        transaction.on_commit(lambda: work(**kwargs), robust=True)

    return later


@after_commit
def quarter_opened(*, period: ReportingPeriod, reopened: bool = False) -> None:
    """Tell each officer with items due that the quarter is open, listing them."""
    verb = "re-opened" if reopened else "open"
    deadline = date_format(period.deadline)
    for due in owed_in(period):
        events.announce(
            kind=events.QUARTER_OPENED,
            recipients=[due.user],
            subject=f"{period.label} is {verb} for updates, due by {deadline}",
            body=(
                f"{_where(period)} is {verb} for updates. Please report by {deadline}.\n\n"
                f"You have {due.items} to report:\n{due.lines()}"
            ),
            url=reverse("plans:my_updates"),
            key=f"quarter_opened:{period.pk}:{period.deadline}:{verb}",
        )


def quarter_reminders(*, period: ReportingPeriod, today: date) -> int:
    """An admin's "Send a reminder now": each person with items missing gets one; how many."""
    owed = owed_in(period)
    deadline = date_format(period.deadline)
    when = "was" if today > period.deadline else "is"
    for due in owed:
        events.announce(
            kind=events.REMINDER,
            recipients=[due.user],
            subject=f"Reminder: {period.label} updates still missing",
            body=(
                f"{_where(period)}: the deadline {when} {deadline}.\n\n"
                f"You still have {due.items} to report:\n{due.lines()}"
            ),
            url=reverse("plans:my_updates"),
            key=f"reminder-now:{period.pk}:{today}",
        )
    return len(owed)


@after_commit
def report_published(*, report) -> None:
    """Tell the partnership's SEG members, with the link."""
    period = report.period
    seg = Membership.objects.filter(
        partnership_id=report.plan.partnership_id,
        role=Membership.Role.SEG,
        user__is_active=True,
    ).select_related("user")
    again = f" (version {report.version})" if report.version > 1 else ""
    events.announce(
        kind=events.REPORT_PUBLISHED,
        recipients=[m.user for m in seg],
        subject=f"{period.label} report published{again}: {report.plan}",
        body=(
            f"The SEG report for {_where(period)} has been published{again}."
            + (f"\n\nWhy it was republished: {report.reason}" if report.reason else "")
        ),
        url=reverse("plans:published_report", args=[report.pk]),
        key=f"report_published:{report.pk}",
    )
