"""Cached reports: a quarter's report data and rendered fragments, kept in Django's cache
(Redis when ``REDIS_URL`` is set, else each process's memory) under the partnership's
``data_version``.

The version lives in the database, not in the cache, so every server process sees a change at
once even with a per-process cache. Any save or delete of a row a report reads (a plan, its
quarters, priorities, actions, milestones, updates, indicators, values, targets, the
partnership itself, an agency) gives the partnership a new random version in the same
transaction: keys made with the old one are never read again and expire. Random, not
a counter, so a database restored or rebuilt (tests) never meets keys of another data set.
Writes that skip signals (``bulk_create``, ``QuerySet.update``) call ``data_changed``.

Only data every reader of the plan may see is cached; who is asking is never part of it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import date

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

# Part of every key: change it when what is cached changes shape (templates, snapshot).
FORMAT = "2"
# Seconds. A changed version already stops old keys being read; this bounds what no
# version follows (a user's renamed display name beside an answer).
TIMEOUT = 3600
WATCHED_APPS = {"plans", "priorities", "indicators", "collaboration"}  # answered questions
# Rows no report reads: their writes leave the cached reports alone.
IGNORED = {
    "plans.membership",
    "plans.publishedreport",
    "plans.scheduledrun",
    "plans.planimport",
    "priorities.actionupdateversion",
    "indicators.valueupload",
    "indicators.population",
    "collaboration.commentversion",  # its comment is saved too
}
# How a row leads to its partnership: the first attribute it has, and the model it names.
ANCHORS = (
    ("partnership_id", "plans.Partnership", "pk"),
    ("plan_id", "plans.Plan", "partnership"),
    ("period_id", "plans.ReportingPeriod", "plan__partnership"),
    ("priority_id", "priorities.Priority", "plan__partnership"),
    ("action_id", "priorities.Action", "priority__plan__partnership"),
    ("indicator_id", "indicators.Indicator", "plan__partnership"),
    ("update_id", "priorities.ActionUpdate", "period__plan__partnership"),
    ("milestone_id", "priorities.Milestone", "action__priority__plan__partnership"),
)
EVERY = "every"


def new_version() -> int:
    return secrets.randbits(62)


def data_changed(*, partnership_ids=(), plan_ids=(), everything: bool = False) -> None:
    """Mark reports stale after a write that sends no signals."""
    for pk in partnership_ids:
        _note(("plans.Partnership", "pk"), pk)
    for pk in plan_ids:
        _note(("plans.Plan", "partnership"), pk)
    if everything:
        _note(EVERY, None)


def _note(anchor, pk) -> None:
    """A new version at once, inside the writer's transaction: it commits with the data, so
    a reader that sees the new version sees the new data (views read the version first).
    Not on commit: tests run inside one transaction that never commits."""
    from django.apps import apps

    from plans.models import Partnership

    partnerships = Partnership.objects.all()
    if anchor is not EVERY:
        label, path = anchor
        if path == "pk":
            partnerships = partnerships.filter(pk=pk)
        else:
            model = apps.get_model(label)
            partnerships = partnerships.filter(pk__in=model.objects.filter(pk=pk).values(path))
    partnerships.update(data_version=new_version())


def _anchor_of(instance):
    label = instance._meta.label_lower
    if label == "plans.partnership":
        return ("plans.Partnership", "pk"), instance.pk
    if label == "plans.plan":
        return ("plans.Partnership", "pk"), instance.partnership_id
    for attribute, model, path in ANCHORS:
        if getattr(instance, attribute, None) is not None:
            return (model, path), getattr(instance, attribute)
    return EVERY, None  # an agency, or a row of unknown reach: every partnership


def _watched(sender) -> bool:
    meta = sender._meta
    return meta.app_label in WATCHED_APPS and meta.label_lower not in IGNORED


def connect_receivers() -> None:
    """Per watched model (a receiver for every sender would stop Django's fast deletes)."""
    from django.apps import apps

    for model in apps.get_models():
        if _watched(model):
            post_save.connect(_row_changed, sender=model, dispatch_uid=f"report-cache-{model}")
            post_delete.connect(_row_changed, sender=model, dispatch_uid=f"report-cache-d-{model}")


def _row_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw or not _watched(sender):
        return
    anchor, pk = _anchor_of(instance)
    if anchor is EVERY or pk is not None:
        _note(anchor, pk)


@receiver(m2m_changed)
def _links_changed(sender, instance, action: str, **kwargs) -> None:
    if action.startswith("post_") and _watched(type(instance)):
        _row_changed(type(instance), instance)


def report_key(kind: str, period, *parts, today: date | None = None) -> str:
    """The key of one cached thing about ``period`` (its plan's partnership loaded): the
    partnership's data version and today's date (overdue milestones follow the calendar)."""
    partnership = period.plan.partnership
    today = today or timezone.localdate()
    extra = ":".join(str(part) for part in parts)
    return (
        f"report:{FORMAT}:{kind}:{partnership.pk}:{partnership.data_version}:{period.pk}:"
        f"{today.isoformat()}:{extra}"
    )


def plan_key(kind: str, plan) -> str:
    """The key of one cached thing about ``plan`` (its partnership loaded)."""
    partnership = plan.partnership
    today = timezone.localdate().isoformat()
    return f"plan:{FORMAT}:{kind}:{partnership.pk}:{partnership.data_version}:{plan.pk}:{today}"


def page_key(kind: str, request, *, personal: bool = False) -> str | None:
    """The key of a page's content as this user asks for it: the query string, and which
    partnerships they can see at which data version (one query); ``personal``: the user and
    their roles and agencies too. None for a free-text search (keys without bound are not
    kept) or a user who sees no partnership."""
    from plans import access

    if request.GET.get("q"):
        return None
    user = request.user
    versions = list(
        access.visible_partnerships(user).order_by("pk").values_list("pk", "data_version")
    )
    if not versions:  # nothing to show: cheap, and no version would follow an agency's change
        return None
    asked = [request.path, sorted(request.GET.lists()), user.is_superuser, versions]
    if personal:
        asked += [user.pk, access.access_for(user)]
    digest = hashlib.sha256(repr(asked).encode()).hexdigest()[:40]
    return f"page:{FORMAT}:{kind}:{timezone.localdate().isoformat()}:{digest}"


def cached(key: str, compute: Callable[[], object]) -> object:
    """The cached value under ``key``, computed and kept when missing."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
