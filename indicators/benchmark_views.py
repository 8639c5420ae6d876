"""The benchmark page of a shared measure code, and the partnership admin's setting that names
the partnership on other partnerships' benchmark pages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from indicators.benchmarks import BenchmarkChart, benchmark_rows, benchmark_viewer
from plans import access


@login_required
def benchmark(request: HttpRequest, code: str) -> HttpResponse:
    """Each partnership's latest figure for ``code``, the viewer's own highlighted."""
    own, named = benchmark_viewer(request.user, code)
    rows = benchmark_rows(code, own, named)
    chart = BenchmarkChart(chart_id="benchmark", title=f"{code}: partnerships compared", rows=rows)
    context = {"code": code, "rows": rows, "chart": chart, "title": _title(rows)}
    return render(request, "indicators/benchmark.html", context)


def _title(rows) -> str:
    """What is measured, in the words of the viewer's own indicator (else any)."""
    for row in sorted(rows, key=lambda r: not r.own):
        if row.indicator is not None:
            return row.indicator.title
    return ""


class SharingForm(forms.Form):
    share = forms.TypedChoiceField(
        label="Name this partnership on other partnerships' benchmark pages?",
        choices=[
            ("yes", "Yes: show our name beside our figures"),
            ("no", "No: show us as “Another partnership”"),
        ],
        coerce=lambda choice: choice == "yes",
        widget=forms.RadioSelect,
        help_text="Your figures are compared either way; this decides only whether others see "
        "whose they are.",
        error_messages={"required": "Choose whether to name this partnership"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def benchmark_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, pk, admin=True)
    initial = {"share": "yes" if partnership.share_benchmarks else "no"}
    form = SharingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():  # the audit log records the change with the admin
            partnership.share_benchmarks = form.cleaned_data["share"]
            partnership.full_clean()
            partnership.save(update_fields=["share_benchmarks"])
        named = "named" if partnership.share_benchmarks else "shown as “Another partnership”"
        messages.success(request, f"{partnership.name} is now {named} on benchmark pages")
        return redirect("indicators:benchmark_sharing", pk=partnership.pk)
    return render(
        request, "indicators/benchmark_sharing.html", {"partnership": partnership, "form": form}
    )
