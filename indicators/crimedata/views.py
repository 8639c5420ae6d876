"""The crime data pages: a partnership's counts, its area, loading files (operators),
linking an indicator to a series, and the benchmark across partnerships."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from indicators.crimedata import figures, services
from indicators.crimedata.benchmarks import benchmark_rows
from indicators.crimedata.charts import bar_chart, quarter_chart
from indicators.crimedata.forms import AreaForm, LookupForm, PoliceFilesForm, SeriesForm
from indicators.crimedata.models import CrimeCount, CrimeImport, CrimeSeries, District
from indicators.crimedata.reading import FileRefused
from indicators.crimedata.series import series_fill, series_plan
from plans import access
from plans.safe_export import write_csv_rows

TABLE_QUARTERS = 4


@login_required
def crime_data(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    """Members: the area's crimes by quarter and type, a trend chart, caveats, CSV."""
    partnership = access.get_partnership_for_user(request.user, partnership_pk)
    quarters = figures.area_quarters(partnership.pk)
    if request.GET.get("export") == "csv":
        return _csv(partnership, quarters)
    types = figures.crime_types(quarters)
    chosen = request.GET.get("crime_type", "")
    chosen = chosen if chosen in types else ""
    shown = quarters[-TABLE_QUARTERS:]
    rows = [(t, [q.counts.get(t, 0) for q in shown]) for t in types]
    latest = next((q for q in reversed(quarters) if q.complete), None)  # rates: whole quarters
    context = {
        "partnership": partnership, "quarters": shown, "rows": rows, "types": types,
        "totals": [q.count() for q in shown], "chosen": chosen, "latest": latest,
        "rates": [(t, latest.rate([t])) for t in types] if latest and latest.residents else [],
        "chart": quarter_chart(quarters[-12:], [chosen] if chosen else []),
        "caveats": figures.CAVEATS, "has_area": partnership.area_districts.exists(),
        "sources": figures.area_sources(partnership.pk) if quarters else [],
        "is_admin": access.is_partnership_admin(request.user, partnership.pk),
        "can_load": access.can_load_open_data(request.user),
    }  # fmt: skip
    return render(request, "crimedata/crime_data.html", context)


def _csv(partnership, quarters) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="crime-data-{partnership.pk}.csv"'
    rows = [
        [partnership.name, quarter.label, crime_type, quarter.counts[crime_type]]
        for quarter in quarters
        for crime_type in sorted(quarter.counts)
    ]  # crime types come from the files: written safe from formulas
    write_csv_rows(response, [["partnership", "quarter", "crime_type", "count"], *rows])
    return response


@login_required
def crime_area(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    """Partnership admins: which districts make up the area."""
    partnership = access.get_partnership_for_user(request.user, partnership_pk, admin=True)
    current = District.objects.filter(pk__in=partnership.area_districts.values("district"))
    form = AreaForm(
        request.POST if request.method == "POST" else None, initial={"districts": list(current)}
    )
    if request.method == "POST" and form.is_valid():
        services.area_set(partnership=partnership, districts=form.cleaned_data["districts"])
        messages.success(request, "Area saved")
        return redirect("crimedata:crime_data", partnership_pk=partnership.pk)
    context = {"partnership": partnership, "form": form, "current": current}
    return render(request, "crimedata/crime_area.html", context)


@login_required
def crime_import(request: HttpRequest) -> HttpResponse:
    """Operators (superusers): load police.uk files and the ONS lookup."""
    if not access.can_load_open_data(request.user):
        raise PermissionDenied("Only the service's operators load police.uk data.")
    form, lookup_form = PoliceFilesForm(), LookupForm()
    if request.method == "POST" and "lookup" in request.FILES:
        lookup_form = LookupForm(request.POST, request.FILES)
        if lookup_form.is_valid():
            upload = lookup_form.cleaned_data["lookup"]
            try:
                n = services.lookup_load(name=upload.name, handle=upload.file)
            except FileRefused as refused:
                lookup_form.add_error("lookup", f"Not loaded: {refused}")
            else:
                messages.success(request, f"Lookup loaded: {n:,} LSOAs")
                return redirect("crimedata:crime_import")
    elif request.method == "POST":
        form = PoliceFilesForm(request.POST, request.FILES)
        if form.is_valid():
            uploads = form.cleaned_data["files"]
            try:
                result = services.police_data_import(
                    files=[(f.name, f.file) for f in uploads], user=request.user
                )
            except FileRefused as refused:
                form.add_error("files", f"Nothing was loaded. {refused}")
            else:
                messages.success(request, _summary(result))
                return redirect("crimedata:crime_import")
    context = {"form": form, "lookup_form": lookup_form,
               "imports": CrimeImport.objects.select_related("loaded_by")[:10],
               "districts": District.objects.count()}  # fmt: skip
    return render(request, "crimedata/crime_import.html", context)


def _summary(result) -> str:
    record = result.record
    kept = sum(len(f.conflicts) for f in result.filled or [])
    text = (f"Loaded {record.rows:,} rows ({record.months}): {record.no_location:,} with no "
            f"location and {record.unmatched:,} in no known district")  # fmt: skip
    if kept:
        text += f"; {kept} figures typed by hand were left as they are"
    return text


@login_required
def crime_series(request: HttpRequest, pk: int) -> HttpResponse:
    """Partnership admins: fill an indicator from a crime-data series (or stop)."""
    indicator = access.get_indicator_for_admin(request.user, pk)
    series = CrimeSeries.objects.filter(indicator=indicator).first()
    types = list(
        CrimeCount.objects.order_by("crime_type").values_list("crime_type", flat=True).distinct()
    )
    initial = {"link": "yes" if series else "no", "measure": series.measure if series else "count",
               "crime_types": series.crime_types if series else []}  # fmt: skip
    form = SeriesForm(
        request.POST if request.method == "POST" else None, initial=initial, types=types
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["link"] == "no":
            CrimeSeries.objects.filter(indicator=indicator).delete()
            messages.success(request, "No longer filled from police.uk data")
            return redirect(indicator.get_absolute_url())
        series = series or CrimeSeries(indicator=indicator)
        series.crime_types = form.cleaned_data["crime_types"]
        series.measure = form.cleaned_data["measure"]
        series.full_clean()
        series.save()
        result = series_fill(series=series, user=request.user)
        messages.success(request, f"Linked: {_quarters(len(result.filled))} filled")
        if result.conflicts:
            return redirect("crimedata:crime_series_confirm", pk=indicator.pk)
        return redirect(indicator.get_absolute_url())
    context = {"indicator": indicator, "form": form, "series": series, "types": types}
    return render(request, "crimedata/crime_series.html", context)


@login_required
def crime_series_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Partnership admins: the typed figures the series would replace, replaced only here."""
    indicator = access.get_indicator_for_admin(request.user, pk)
    series = CrimeSeries.objects.filter(indicator=indicator).first()
    if series is None:
        return redirect("crimedata:crime_series", pk=indicator.pk)
    if request.method == "POST":
        chosen = frozenset(int(v) for v in request.POST.getlist("value") if v.isdigit())
        result = series_fill(series=series, user=request.user, replace=chosen)
        messages.success(request, f"{_quarters(len(result.filled))} filled from police.uk data")
        return redirect(indicator.get_absolute_url())
    conflicts = series_plan(series=series).conflicts
    context = {"indicator": indicator, "series": series, "conflicts": conflicts}
    return render(request, "crimedata/crime_series_confirm.html", context)


def _quarters(n: int) -> str:
    return f"{n} quarter{'' if n == 1 else 's'}"


@login_required
def crime_benchmark(request: HttpRequest) -> HttpResponse:
    """Everyone signed in: a crime type's latest quarter across partnerships with an area;
    others named only where they share (``Partnership.benchmark_name``)."""
    types = list(
        CrimeCount.objects.order_by("crime_type").values_list("crime_type", flat=True).distinct()
    )
    chosen = request.GET.get("crime_type", "")
    chosen = chosen if chosen in types else ""
    viewer = set(access.visible_partnerships(request.user).values_list("pk", flat=True))
    if access.access_for(request.user).superuser:
        viewer = set()  # an operator sees the page as an outsider would: names only if shared
    label, rows = benchmark_rows(chosen, viewer)
    context = {"types": types, "chosen": chosen, "label": label, "rows": rows,
               "chart": bar_chart(rows), "back": reverse("home")}  # fmt: skip
    return render(request, "crimedata/crime_benchmark.html", context)
