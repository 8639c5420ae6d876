"""A partnership admin's audit log: every change in the partnership."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from plans import access
from plans.audit_log import AuditLogFilterSet, AuditLogTable, partnership_log
from plans.listing import filtered_table


@login_required
@require_GET
def audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, pk, admin=True)
    return filtered_table(
        request,
        queryset=partnership_log(partnership),
        filterset_class=AuditLogFilterSet,
        table_class=AuditLogTable,
        template="plans/audit_log.html",
        export_name="audit-log",
        extra_context={"partnership": partnership},
    )
