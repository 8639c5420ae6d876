"""The export's progress sheets (``PROGRESS_SHEETS``): each action's submitted updates and each
indicator's counted figures, for the quarters that have ended, so that a plan exported and
imported again keeps its history (``plans.importing.progress_sheets`` reads them back)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from indicators.models import IndicatorValue
from plans.editing.services import financial_quarter
from plans.models import Plan
from plans.workbook.columns import shown_ref
from priorities.models import ActionUpdate


def progress_rows(plan: Plan, action_keys: dict[int, tuple[str, str]]) -> dict[str, list[dict]]:
    """{"Action progress": rows, "Indicator values": rows}: two queries, in quarter order.
    An open or future quarter is left out (it is reported in the app, not imported)."""
    year, quarter = financial_quarter(timezone.localdate())
    ended = Q(period__plan=plan) & (
        Q(period__year__lt=year) | Q(period__year=year, period__quarter__lt=quarter)
    )
    updates = (
        ActionUpdate.objects.counted()
        .filter(ended)
        .select_related("period")
        .order_by(
            "period__year", "period__quarter", "action__priority__sort_key", "action__sort_key"
        )  # fmt: skip
    )
    values = (
        IndicatorValue.objects.counted()
        .filter(ended, not_available=False, indicator__expression="")
        .select_related("period", "indicator")
        .order_by("period__year", "period__quarter", "indicator__sort_key", "indicator__pk")
    )
    known = action_keys.values()
    return {
        "Action progress": [
            {"action_ref": shown_ref(action_keys[u.action_id], known), "quarter": u.period.label,
             "status": u.get_status_display(), "commentary": u.commentary,
             "next_steps": u.next_steps}
            for u in updates
        ],
        "Indicator values": [
            {"indicator_ref": v.indicator.ref, "quarter": v.period.label,
             "value": float(v.value), "note": v.note}
            for v in values
        ],
    }  # fmt: skip
