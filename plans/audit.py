"""The audit trail: what it records, and how an object's trail is read back for people.

django-auditlog records every create, change and delete of the registered models with who made
it (its middleware sets the actor) and each field before and after, as JSON in one table.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    Field,
    Model,
    Q,
)
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime

VERBS = {LogEntry.Action.CREATE: "Created", LogEntry.Action.UPDATE: "Changed",
         LogEntry.Action.DELETE: "Deleted"}  # fmt: skip


def register_audited_models() -> None:
    from indicators.models import Indicator, IndicatorValue
    from plans.models import (
        Agency,
        Membership,
        Partnership,
        Plan,
        PlanImport,
        PublishedReport,
        ReportingPeriod,
        Risk,
    )
    from priorities.models import Action, ActionReopening, ActionUpdate, Milestone, Priority

    for model in (Plan, Risk, ReportingPeriod, Priority, Milestone):
        auditlog.register(model, exclude_fields=["sort_key"])
    # Delegations are the delegates of actions and indicators.
    auditlog.register(Action, exclude_fields=["sort_key"], m2m_fields={"delegates"})
    auditlog.register(
        Indicator, exclude_fields=["sort_key"], m2m_fields={"delegates", "reported_to"}
    )
    auditlog.register(Membership, m2m_fields={"agencies", "signs_off_for"})
    auditlog.register(ActionReopening)
    auditlog.register(Partnership, m2m_fields={"agencies"}, exclude_fields=["data_version"])
    auditlog.register(Agency)  # agencies created by an import or an admin
    # Who published or uploaded what, not the bytes.
    auditlog.register(PublishedReport, exclude_fields=["data", "html", "workbook", "pdf"])
    auditlog.register(PlanImport, exclude_fields=["content", "preview", "sha256"])
    # When it was saved is the entry's own timestamp; the version counter is plumbing.
    auditlog.register(ActionUpdate, exclude_fields=["version", "saved_at"])
    auditlog.register(IndicatorValue, exclude_fields=["version", "entered_at"])
    # Plan editing (plans.editing): an active plan's list of changes and its earlier targets.
    from plans.editing.models import IndicatorTarget, PlanChange

    auditlog.register(PlanChange)
    auditlog.register(IndicatorTarget)
    # Year end (plans.yearend): who closed a plan, who published its report (not the bytes).
    from plans.yearend.models import PlanClosing, YearEndReport

    auditlog.register(PlanClosing)
    auditlog.register(YearEndReport, exclude_fields=["data", "html", "workbook"])
    from plans.models_content import FundingLine, PreviousResult

    auditlog.register(FundingLine)
    auditlog.register(PreviousResult)


def audit_trail(objects: list[Model]) -> list[dict]:
    """Every recorded change of these objects, newest first, ready to show: the entry (who,
    when), a verb, and each field's (label, before, after) as people read them.

    One query for the entries and one per kind of related object named in them, however long
    the trail.
    """
    if not objects:
        return []
    types = ContentType.objects.get_for_models(*{type(obj) for obj in objects})
    rule = Q()
    for model, content_type in types.items():
        pks = [str(obj.pk) for obj in objects if type(obj) is model]
        rule |= Q(content_type=content_type, object_pk__in=pks)
    entries = list(
        LogEntry.objects.filter(rule).select_related("actor").order_by("-timestamp", "-pk")
    )
    models = {content_type.pk: model for model, content_type in types.items()}
    changes = [(models[entry.content_type_id], entry.changes_dict) for entry in entries]
    names = _related_names(changes)
    return [
        {
            "entry": entry,
            "verb": VERBS.get(entry.action, "Recorded"),
            "changes": _changes(model, changed, names),
        }
        for entry, (model, changed) in zip(entries, changes, strict=True)
    ]


def _audited_fields(model: type[Model], changed: dict) -> list[tuple[Field, list]]:
    """The model's own columns among the recorded changes (not its id or reverse relations)."""
    fields = []
    for name, values in changed.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # removed since it was recorded
            continue
        if field.concrete and not field.primary_key and isinstance(values, list):
            fields.append((field, (values + [None, None])[:2]))
    return fields


def _related_names(changes: list[tuple[type[Model], dict]]) -> dict[tuple, str]:
    """{(related model, pk as recorded): name} for every foreign key in the changes."""
    wanted: dict[type[Model], set[str]] = {}
    for model, changed in changes:
        for field, values in _audited_fields(model, changed):
            if field.is_relation:
                wanted.setdefault(field.related_model, set()).update(
                    str(v) for v in values if v not in (None, "", "None")
                )
    names = {}
    for related, pks in wanted.items():
        for obj in related._default_manager.filter(pk__in=[p for p in pks if p.isdigit()]):
            names[(related, str(obj.pk))] = getattr(obj, "label", None) or str(obj)
    return names


def _changes(model: type[Model], changed: dict, names: dict) -> list[tuple[str, str, str]]:
    rows = []
    for field, values in _audited_fields(model, changed):
        label = str(field.verbose_name)
        before, after = (_shown(field, value, names) for value in values)
        if before != after:
            rows.append((label[:1].upper() + label[1:], before, after))
    return rows


def _shown(field: Field, value: object, names: dict) -> str:
    """A recorded value as people read it: choice labels, names, dates, yes or no."""
    if value in (None, "", "None"):
        return "(empty)"
    value = str(value)
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value} (deleted)")
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(field, BooleanField):
        return {"True": "Yes", "False": "No"}.get(value, value)
    if isinstance(field, DecimalField):
        try:
            return format(Decimal(value).normalize(), "f")
        except InvalidOperation:
            return value
    if isinstance(field, DateTimeField) and (moment := parse_datetime(value)):
        aware = moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)
        return formats.date_format(timezone.localtime(aware), "DATETIME_FORMAT")
    if isinstance(field, DateField) and (day := parse_date(value)):
        return formats.date_format(day, "DATE_FORMAT")
    return value
