"""What the audit trail records: every create, change and delete of these models, with who
made it (django-auditlog's middleware sets the actor) and each field before and after."""

from __future__ import annotations

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet


def register_audited_models() -> None:
    from indicators.models import Indicator, IndicatorValue
    from plans.models import Membership, Plan, ReportingPeriod, Risk
    from priorities.models import Action, ActionUpdate, Milestone, Priority

    for model in (Plan, Risk, ReportingPeriod, Priority, Action, Milestone, Indicator):
        auditlog.register(model, exclude_fields=["sort_key"])
    auditlog.register(Membership, m2m_fields={"agencies"})
    auditlog.register(ActionUpdate)
    auditlog.register(IndicatorValue)


def audit_entries(obj: Model) -> QuerySet[LogEntry]:
    """The audit trail of one object, newest first, with who made each change."""
    return (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
        )
        .select_related("actor")
        .order_by("-timestamp")
    )
