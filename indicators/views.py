"""Pages for indicators: the cross-plan table, one page per indicator with its quarterly
values, and the forms that enter those values one at a time or all at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format

from indicators import rag, services
from indicators.calculated import formula_words
from indicators.comparisons import comparisons
from indicators.filters import IndicatorFilterSet
from indicators.forms import (
    BaseIndicatorValueFormSet,
    IndicatorValueFormSet,
    IndicatorValueWithRagForm,
)
from indicators.models import Indicator, IndicatorValue
from indicators.tables import IndicatorTable
from indicators.targets import target_summary
from plans import access, audit, worklist
from plans.listing import filtered_table
from plans.models import ReportingPeriod
from plans.reporting import TrendChart
from plans.reporting import indicator_trend as trend_points
from priorities.services import ConcurrentEdit

EVERY_QUARTER = 40  # ten years: as far back as "every quarter" reaches


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = (
        access.visible_indicators(request.user)
        .select_related("plan", "priority", "agency")
        .prefetch_related("reported_to")
    )
    return filtered_table(
        request,
        queryset=indicators,
        filterset_class=IndicatorFilterSet,
        table_class=IndicatorTable,
        template="indicators/indicator_list.html",
        results_template="includes/_table_results.html",
        extra_context={"noun": "indicators"},
        export_name="indicators",
    )


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = access.get_indicator_for_user(request.user, pk)
    values = rag.annotate_values(indicator.values.select_related("period", "entered_by"))
    is_admin = access.is_partnership_admin(request.user, indicator.plan.partnership_id)
    entry_links = []
    if not indicator.expression and access.can_report_on_indicator(request.user, indicator):
        saved = {value.period_id for value in values}
        entry_links = [
            (period, period.pk in saved)
            for period in indicator.plan.periods.all()
            if period.is_open or is_admin
        ]
    context = {
        "indicator": indicator,
        "plan": indicator.plan,
        "target_summary": target_summary(indicator),
        "calculation_words": formula_words(indicator),
        "values": values,
        "entry_links": entry_links,
        "is_admin": is_admin,
        "measures_actions": indicator.measures_actions.select_related("priority"),
        "measures_objectives": indicator.measures_objectives.select_related("priority"),
        "audit_trail": audit.audit_trail([indicator, *values]) if is_admin else None,
    }
    return render(request, "indicators/indicator_detail.html", context)


@login_required
def indicator_trend(request: HttpRequest, pk: int) -> HttpResponse:
    """The last eight quarters (its predecessors' too; every quarter with ``?quarters=all``)
    as a line chart against the target, with the figures in a table beside it."""
    indicator = access.get_indicator_for_user(request.user, pk)
    every = request.GET.get("quarters") == "all"
    points = trend_points(indicator, count=EVERY_QUARTER if every else 8)
    while every and points and points[0].value is None:
        points.pop(0)  # from the first quarter with a figure (loaded history, say)
    target = rag.target_threshold(indicator)
    has_figures = any(point.figure is not None for point in points)
    context = {
        "indicator": indicator,
        "plan": indicator.plan,
        "points": points,
        "target": target,
        "target_display": "" if target is None else f"{target.normalize():f}",
        "chart": TrendChart(points, target) if has_figures else None,
        "every": every,
    }
    return render(request, "indicators/indicator_trend.html", context)


@login_required
def indicator_value(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    """Enter, change or (admins, closed quarters) correct one indicator's quarterly value.
    "Check RAG" shows the RAG the figure would get without saving it."""
    indicator = access.get_indicator_for_user(request.user, pk, write=True)
    period = access.get_period_for_user(request.user, period_pk)
    if period.plan_id != indicator.plan_id:
        raise Http404("That quarter belongs to another plan.")
    refuse_closed_quarter(request.user, period)
    if indicator.expression:
        raise PermissionDenied(f"{indicator.ref} is calculated from other indicators.")
    current = indicator.values.filter(period=period).select_related("entered_by").first()
    data = request.POST if request.method == "POST" else None
    form = IndicatorValueWithRagForm(data, indicator=indicator, period=period, current=current)
    comparison = comparisons([indicator], period)[indicator.pk]
    checked = None
    if form.is_valid() and "check" in request.POST:
        entry = form.entry()
        checked = {"value": entry, "rag": comparison.rag_for(entry.value, entry.rag_override)}
    elif form.is_valid():
        try:
            saved = services.indicator_value_save(
                user=request.user,
                period=period,
                entry=form.entry(),
                correction_reason=form.cleaned_data.get("correction_reason", ""),
            )
        except ConcurrentEdit as conflict:
            form = conflict_form(request, indicator, period, conflict)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            waits = ": it counts once it is signed off" if saved.is_awaiting_sign_off else ""
            messages.success(request, f"Value for {period.label} saved{waits}")
            if request.POST.get("then") == "next":
                return go_to_next(request, indicator, period)
            return redirect(indicator)
    context = {
        "indicator": indicator,
        "plan": indicator.plan,
        "period": period,
        "form": form,
        "comparison": comparison,
        "saved_rag": current and comparison.rag_for(current.value, current.rag_override),
        "checked": checked,
        "late": period.is_late_on(timezone.localdate()),
    }
    return render(request, "indicators/indicatorvalue_form.html", context)


def conflict_form(
    request: HttpRequest, indicator: Indicator, period: ReportingPeriod, conflict: ConcurrentEdit
) -> IndicatorValueWithRagForm:
    """The user's input again, against what the other person saved, with a message."""
    form = IndicatorValueWithRagForm(
        with_version(request.POST, "version", conflict.current),
        indicator=indicator,
        period=period,
        current=conflict.current,
    )
    form.is_valid()
    form.add_error(None, conflict_message(conflict.current))
    return form


def go_to_next(request: HttpRequest, indicator: Indicator, period: ReportingPeriod):
    """The next thing still to do in My updates (for this quarter), or My updates itself."""
    following = worklist.next_item(request.user, period, indicator, today=timezone.localdate())
    if following is None:
        messages.info(request, f"You have nothing else to do for {period.label}.")
        return redirect("plans:my_updates")
    return redirect(following.url)


@login_required
def bulk_values(request: HttpRequest, plan_pk: int, period_pk: int) -> HttpResponse:
    """Every value due in a quarter that the user may report on in a plan, saved
    all-or-nothing; "Check RAGs" shows the RAG each figure would get without saving."""
    plan = access.get_plan_for_user(request.user, plan_pk)
    period = access.get_period_for_user(request.user, period_pk)
    if period.plan_id != plan.pk:
        raise Http404("That quarter belongs to another plan.")
    indicators = bulk_indicators(request.user, period)
    if not indicators:
        raise PermissionDenied("You have no indicators to report in this plan.")
    refuse_closed_quarter(request.user, period)
    if not period.is_open and request.method == "POST":
        raise PermissionDenied(f"{period.label} is closed: correct values one at a time.")
    due = [i for i in indicators if i.is_due_in(period.quarter)]
    data = request.POST if request.method == "POST" else None
    formset = IndicatorValueFormSet(data, indicators=due, period=period)
    checking = data is not None and "check" in data
    if data is not None and not checking and formset.is_valid():
        changed = formset.changed_forms()
        try:
            if not changed:
                raise ValidationError("Enter at least one value, or tick “Not available”")
            services.indicator_values_save_all(
                user=request.user, period=period, entries=[form.entry() for form in changed]
            )
        except ConcurrentEdit as conflict:
            formset = refused_formset(request, due, period, conflict)
        except ValidationError as error:
            formset.add_error(error)
        else:
            count = f"{len(changed)} value{'' if len(changed) == 1 else 's'}"
            messages.success(request, f"{count} for {period.label} saved")
            return redirect("indicators:bulk_values", plan_pk=plan.pk, period_pk=period.pk)
    add_comparisons(formset, comparisons(due, period), checking=checking)
    context = {
        "plan": plan,
        "period": period,
        "formset": formset,
        "checking": checking,
        "not_due": len(indicators) - len(due),
        "late": period.is_late_on(timezone.localdate()),
        "is_admin": access.is_partnership_admin(request.user, plan.partnership_id),
    }
    return render(request, "indicators/indicatorvalue_bulk.html", context)


def add_comparisons(formset, found: dict, *, checking: bool) -> None:
    """Give each row its earlier figures and a RAG: the one its typed figure would get when
    the user asked to check, else the saved value's."""
    if checking:
        formset.is_valid()
    for form in formset:
        form.comparison = found[form.indicator.pk]
        form.rag = None
        form.rag_is_projected = False
        if checking and form.has_changed() and not form.errors:
            entry = form.entry()
            if not entry.not_available:
                form.rag = form.comparison.rag_for(entry.value)
                form.rag_is_projected = True
        elif form.current is not None:
            form.rag = form.comparison.rag_for(form.current.value, form.current.rag_override)


# --- Helpers -----------------------------------------------------------------------------------


def refuse_closed_quarter(user: access.User, period: ReportingPeriod) -> None:
    """A closed quarter's forms are for partnership admins' corrections only."""
    if not period.is_open and not access.is_partnership_admin(user, period.plan.partnership_id):
        raise PermissionDenied(
            f"{period.label} is closed: only a partnership admin can correct it."
        )


def bulk_indicators(user: access.User, period: ReportingPeriod) -> list[Indicator]:
    """The plan's indicators the user reports on (not calculated ones), each with
    ``period_values`` holding this quarter's value (if any): two queries however many."""
    this_quarter = IndicatorValue.objects.filter(period=period).select_related("entered_by")
    return list(
        access.reportable_indicators(user)
        .filter(plan_id=period.plan_id, expression="")  # calculated ones are worked out
        .order_by("sort_key")
        .prefetch_related(Prefetch("values", queryset=this_quarter, to_attr="period_values"))
    )


def with_version(data: QueryDict, key: str, current: IndicatorValue | None) -> QueryDict:
    """The posted data again, with the version the other person's save left behind, so the
    user can look at it and save over it on purpose."""
    data = data.copy()
    data[key] = str(current.version) if current else ""
    return data


def conflict_message(current: IndicatorValue | None) -> str:
    if current is None:
        return (
            "Someone removed this value while you were editing it. Nothing was saved: "
            "check your figure and save again."
        )
    who = "Someone"
    if current.entered_by is not None:
        who = current.entered_by.get_full_name() or current.entered_by.get_username()
    when = date_format(timezone.localtime(current.entered_at), "j F Y \\a\\t H:i")
    saved = current.display
    if current.not_available and current.not_available_reason:
        saved += f" ({current.not_available_reason})"
    return (
        f"{who} saved {saved} on {when}, while you were editing. Nothing was saved: "
        "check their figure and save again to replace it."
    )


def refused_formset(
    request: HttpRequest,
    indicators: list[Indicator],
    period: ReportingPeriod,
    conflict: ConcurrentEdit,
) -> BaseIndicatorValueFormSet:
    """The bulk form again after a conflict: the row shows what the other person saved."""
    row = conflict.current.indicator_id if conflict.current else None
    data = request.POST
    if row is not None:
        data = with_version(data, f"values-{row}-version", conflict.current)
        for indicator in indicators:
            if indicator.pk == row:
                indicator.period_values = [conflict.current]
    formset = IndicatorValueFormSet(data, indicators=indicators, period=period)
    formset.is_valid()
    form = formset.form_for(row) if row is not None else None
    if form is not None:
        form.add_error(None, conflict_message(conflict.current))
    else:
        formset.add_error(conflict_message(None))
    return formset
