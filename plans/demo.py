"""Demo accounts for each role and sample quarterly data, so a fresh ``make run`` has
something to sign in with and something for the dashboards to show. DEMO ONLY.

The sample quarters, updates and values live in ``fixtures/sample_updates.json`` (fixed pks
from 900001, users by username). They are loaded in a way that never overwrites anything: a
quarter that already exists is reused, and an update or value is only added where the action
or indicator has none for that quarter, so loading again (every ``make run``) adds nothing
and keeps what demo users have entered since.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import transaction

from indicators.models import IndicatorValue
from plans.models import Agency, Membership, Partnership, ReportingPeriod
from plans.seeds import FIXTURES_DIR
from priorities.cycle import completed_in_backfill
from priorities.models import ActionUpdate, ActionUpdateVersion, MilestoneProgress

DEMO_PASSWORD = "demo-password-123"
SAMPLE_FIXTURE = FIXTURES_DIR / "sample_updates.json"

MEDWAY = "Medway Community Safety Partnership"
SWALE = "Swale Community Safety Partnership"
Role = Membership.Role


@dataclass(frozen=True)
class DemoAccount:
    username: str
    partnership: str
    role: str
    agencies: tuple[str, ...] = ()

    @property
    def email(self) -> str:
        # .invalid can never be delivered (RFC 2606), so reminders to demo users go nowhere.
        return f"{self.username}@example.invalid"


DEMO_ACCOUNTS = (
    DemoAccount("kent-police-officer", MEDWAY, Role.OFFICER, ("Kent Police",)),
    DemoAccount("medway-seg", MEDWAY, Role.SEG),
    DemoAccount("medway-admin", MEDWAY, Role.ADMIN),
    DemoAccount("swale-csu-officer", SWALE, Role.OFFICER, ("Swale Community Safety Unit",)),
    DemoAccount("swale-police-officer", SWALE, Role.OFFICER, ("Kent Police",)),
    DemoAccount("swale-seg", SWALE, Role.SEG),
    DemoAccount("swale-admin", SWALE, Role.ADMIN),
)


@transaction.atomic
def demo_accounts_ensure(*, password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    """Create (or reset) every demo account: password, e-mail, one membership, its agencies."""
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _ = user_model.objects.get_or_create(username=account.username)
        user.email = account.email
        user.is_active = True
        user.set_password(password)
        user.save()
        partnership = Partnership.objects.get(name=account.partnership)
        membership, _ = Membership.objects.update_or_create(
            user=user, partnership=partnership, defaults={"role": account.role}
        )
        membership.agencies.set(Agency.objects.filter(name__in=account.agencies))
        for other in Membership.objects.filter(user=user).exclude(pk=membership.pk):
            other.delete()  # one by one, so the role groups follow (post_delete signal)
    return list(DEMO_ACCOUNTS)


@transaction.atomic
def sample_updates_load(path: Path = SAMPLE_FIXTURE) -> Counter[str]:
    """Add the sample quarters, updates, milestone progress and values that are missing,
    and a first version for every sample update that has none. Returns what was added."""
    objects: dict[type, list] = defaultdict(list)
    for item in serializers.deserialize("python", _rows_with_user_ids(path)):
        objects[type(item.object)].append(item)
    unexpected = set(objects) - {ReportingPeriod, ActionUpdate, MilestoneProgress, IndicatorValue}
    if unexpected:
        raise ValueError(f"{path.name}: unexpected {', '.join(m.__name__ for m in unexpected)}")
    added: Counter[str] = Counter()

    # Quarters: reuse one that exists (an admin may have opened it); saved one by one, raw,
    # so that ``opened_at`` keeps the fixture's date rather than today's.
    period_ids: dict[int, int] = {}  # fixture pk -> pk of the quarter in the database
    for item in objects[ReportingPeriod]:
        period = item.object
        existing = ReportingPeriod.objects.filter(
            plan_id=period.plan_id, year=period.year, quarter=period.quarter
        ).first()
        if existing is None:
            item.save()
            added["quarters"] += 1
        period_ids[period.pk] = existing.pk if existing else period.pk

    updates = _missing(objects[ActionUpdate], ActionUpdate, "action_id", period_ids)
    ActionUpdate.objects.bulk_create(updates)
    # Sample updates that say Complete complete their actions, as a real submission does.
    completed = completed_in_backfill(actions={u.action_id for u in updates})
    new_update_ids = {u.pk for u in updates}
    progress = [
        item.object
        for item in objects[MilestoneProgress]
        if item.object.update_id in new_update_ids
    ]
    MilestoneProgress.objects.bulk_create(progress)
    values = _missing(objects[IndicatorValue], IndicatorValue, "indicator_id", period_ids)
    IndicatorValue.objects.bulk_create(values)

    added["action updates"] = len(updates)
    added["milestone progress rows"] = len(progress)
    added["indicator values"] = len(values)
    added["versions"] = _first_versions_ensure()
    added["completed actions"] = completed
    return added


def _rows_with_user_ids(path: Path) -> list[dict]:
    """The fixture's rows with users (written as ``["username"]``) replaced by their pks, so
    deserialising costs no query per row."""
    with open(path, encoding="utf-8") as fixture:
        rows = json.load(fixture)
    user_model = get_user_model()
    user_refs = [
        (row["fields"], name)
        for row in rows
        for name, value in row["fields"].items()
        if isinstance(value, list)
        and apps.get_model(row["model"])._meta.get_field(name).related_model is user_model
    ]
    usernames = {fields[name][0] for fields, name in user_refs}
    user_ids = dict(user_model.objects.filter(username__in=usernames).values_list("username", "pk"))
    if missing := usernames - set(user_ids):
        raise ValueError(f"{path.name} names users that do not exist: {sorted(missing)}")
    for fields, name in user_refs:
        fields[name] = user_ids[fields[name][0]]
    return rows


def _missing(items, model, owner: str, period_ids: dict[int, int]) -> list:
    """The fixture's rows (quarters mapped to the database's) for which there is no row yet,
    by pk or by the same action or indicator and quarter."""
    rows = [item.object for item in items]
    for row in rows:
        row.period_id = period_ids[row.period_id]
    taken_pks = set(model.objects.filter(pk__in=[r.pk for r in rows]).values_list("pk", flat=True))
    taken = set(
        model.objects.filter(period_id__in=set(period_ids.values())).values_list(owner, "period_id")
    )
    return [
        r for r in rows if r.pk not in taken_pks and (getattr(r, owner), r.period_id) not in taken
    ]


def _first_versions_ensure() -> int:
    """Give every sample update without a version its version 1, so history pages show it."""
    updates = (
        ActionUpdate.objects.filter(is_sample=True, versions__isnull=True)
        .select_related("saved_by")
        .prefetch_related("milestone_progress__milestone")
    )
    versions = [
        ActionUpdateVersion(
            update=update,
            number=update.version,
            status=update.status,
            commentary=update.commentary,
            next_steps=update.next_steps,
            milestones_done=[
                {
                    "milestone": p.milestone_id,
                    "text": p.milestone.text,
                    "done": p.done,
                    "done_on": p.done_on.isoformat() if p.done and p.done_on else None,
                }
                for p in update.milestone_progress.all()
            ],
            state=update.state,
            is_late=update.is_late,
            saved_by=update.saved_by,
            saved_at=update.saved_at,
        )
        for update in updates
    ]
    ActionUpdateVersion.objects.bulk_create(versions)
    return len(versions)
