"""A partnership's audit log: every recorded change of its objects (``LogEntry`` rows of
django-auditlog), to filter by person, kind of object and date, and to download.

An entry belongs to a partnership when its object still belongs to it (looked up through
each model's path to its partnership), or when it was recorded with the partnership's id
(``get_additional_data`` on the models where that costs no query), which keeps deletions
of members, plans and uploads in the log.
"""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.html import format_html_join

from plans import audit
from plans.models import Partnership

# Audited models: {label: lookup from the model to its partnership's id}.
PATHS = {
    "plans.partnership": "pk",
    "plans.plan": "partnership",
    "plans.risk": "plan__partnership",
    "plans.reportingperiod": "plan__partnership",
    "plans.membership": "partnership",
    "plans.publishedreport": "plan__partnership",
    "plans.planimport": "partnership",
    "plans.agency": "partnerships",
    "priorities.priority": "plan__partnership",
    "priorities.action": "priority__plan__partnership",
    "priorities.milestone": "action__priority__plan__partnership",
    "priorities.actionupdate": "action__priority__plan__partnership",
    "indicators.indicator": "plan__partnership",
    "indicators.indicatorvalue": "indicator__plan__partnership",
    "plans.planchange": "plan__partnership",  # plan editing (plans.editing)
    "plans.indicatortarget": "indicator__plan__partnership",
    "plans.planclosing": "plan__partnership",  # year end (plans.yearend)
    "plans.yearendreport": "plan__partnership",
}


def partnership_log(partnership: Partnership) -> QuerySet[LogEntry]:
    """Every entry about the partnership's objects, newest first."""
    models = [apps.get_model(label) for label in PATHS]
    types = ContentType.objects.get_for_models(*models)  # cached after the first request
    rule = Q(additional_data__partnership=partnership.pk)
    for label, model in zip(PATHS, models, strict=True):
        ids = model._default_manager.filter(**{PATHS[label]: partnership.pk}).values("pk")
        rule |= Q(content_type=types[model], object_id__in=ids)
    return LogEntry.objects.filter(rule).select_related("actor", "content_type")


def kind_choices() -> list[tuple[str, str]]:
    choices = []
    for label in PATHS:
        model = apps.get_model(label)
        choices.append((label, str(model._meta.verbose_name).capitalize()))
    return sorted(choices, key=lambda choice: choice[1])


class AuditLogFilterSet(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(
        label="Person", queryset=get_user_model().objects.none(), empty_label="Anyone"
    )
    kind = django_filters.ChoiceFilter(
        label="Kind of record", choices=kind_choices, method="of_kind", empty_label="Any"
    )
    since = django_filters.DateFilter(
        label="From", field_name="timestamp", lookup_expr="date__gte",
        help_text="For example, 2026-04-01",
    )  # fmt: skip
    until = django_filters.DateFilter(
        label="To", field_name="timestamp", lookup_expr="date__lte",
        help_text="For example, 2026-06-30",
    )  # fmt: skip

    class Meta:
        model = LogEntry
        fields = ["actor", "kind", "since", "until"]

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The people who appear in this log (whoever they are now).
        actors = self.queryset.order_by().values("actor_id")
        self.filters["actor"].queryset = get_user_model().objects.filter(pk__in=actors)

    def of_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        app_label, model = value.split(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class AuditLogTable(tables.Table):
    timestamp = tables.DateTimeColumn(verbose_name="When", format="j M Y, H:i")
    actor = tables.Column(verbose_name="Who", accessor="actor__username", default="System")
    verb = tables.Column(verbose_name="Did", accessor="action", orderable=False)
    kind = tables.Column(verbose_name="Record", accessor="content_type", orderable=False)
    object_repr = tables.Column(verbose_name="Which", orderable=False)
    changes = tables.Column(verbose_name="Before → after", empty_values=(), orderable=False)

    class Meta:
        model = LogEntry
        fields = ()
        sequence = ("timestamp", "actor", "verb", "kind", "object_repr", "changes")
        order_by = ("-timestamp",)
        empty_text = "No changes match these filters."

    def _related(self) -> dict:
        """Names of the objects the changes point to, for the rows shown (the page, or every
        row for the CSV): one query per kind of object, once."""
        if not hasattr(self, "_names"):
            page = getattr(self, "page", None)
            rows = page.object_list if page is not None else self.data
            changes = [(r.record if hasattr(r, "record") else r) for r in rows]
            self._names = audit._related_names(
                [(e.content_type.model_class(), e.changes_dict) for e in changes
                 if e.content_type.model_class()]
            )  # fmt: skip
        return self._names

    def _changes(self, record: LogEntry) -> list[tuple[str, str, str]]:
        model = record.content_type.model_class()
        if model is None:
            return []
        changed = record.changes_dict
        rows = audit._changes(model, changed, self._related())
        for name, values in changed.items():  # many-to-many changes, as recorded
            if isinstance(values, dict):
                objects = ", ".join(str(o) for o in values.get("objects", []))
                rows.append(
                    (name.replace("_", " ").capitalize(), values.get("operation", ""), objects)
                )
        return rows

    def value_timestamp(self, value) -> str:
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i:s")

    def value_actor(self, record: LogEntry) -> str:
        return record.actor.get_username() if record.actor else "System"

    def render_verb(self, record: LogEntry) -> str:
        return audit.VERBS.get(record.action, "Recorded")

    def value_verb(self, record: LogEntry) -> str:
        return self.render_verb(record)

    def render_kind(self, value: ContentType) -> str:
        model = value.model_class()
        return str(model._meta.verbose_name).capitalize() if model else value.model

    def value_kind(self, value: ContentType) -> str:
        return self.render_kind(value)

    def render_changes(self, record: LogEntry):
        return format_html_join(
            "", "<div><strong>{}</strong>: {} → {}</div>",
            ((label, before[:200], after[:200]) for label, before, after in self._changes(record)),
        )  # fmt: skip

    def value_changes(self, record: LogEntry) -> str:
        return "; ".join(
            f"{label}: {before} → {after}" for label, before, after in self._changes(record)
        )
