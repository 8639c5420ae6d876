"""A partnership's list of the agencies that sit on it, kept by its admins."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from plans import access, services
from plans.forms import PartnershipAgencyForm, add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def partnership_agencies(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, pk, admin=True)
    form = PartnershipAgencyForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency = services.partnership_agency_add(
                partnership=partnership, agency=data["agency"], name=data["name"],
                short_name=data["short_name"], kind=data["kind"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{agency.name} added to {partnership}'s agencies")
            return redirect("plans:partnership_agencies", pk=partnership.pk)
    agencies = partnership.agencies.with_counts(plans=partnership.plans.all())
    context = {"partnership": partnership, "agencies": agencies, "form": form}
    return render(request, "plans/partnership_agencies.html", context)


@login_required
@require_POST
def partnership_agency_remove(request: HttpRequest, pk: int, agency_pk: int) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, pk, admin=True)
    agency = get_object_or_404(partnership.agencies.all(), pk=agency_pk)
    try:
        services.partnership_agency_remove(partnership=partnership, agency=agency)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, f"{agency.name} taken off {partnership}'s agencies")
    return redirect("plans:partnership_agencies", pk=partnership.pk)
