"""The Sign-off page (what awaits the user's decision, with approve and return forms) and
the partnership admin's sign-off setting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from plans import access, access_items
from plans.models import Membership
from plans.signoff import services
from plans.signoff.forms import ReturnForm, SignOffSettingForm


def _kind(item) -> str:
    return "value" if hasattr(item, "indicator_id") else "update"


@login_required
def sign_off_list(request: HttpRequest) -> HttpResponse:
    """What awaits the user's sign-off, each with its approve and return forms."""
    return _sign_off_page(request)


def _sign_off_page(request: HttpRequest, failed: tuple[str, ReturnForm] | None = None):
    """The Sign-off page; ``failed`` is (item key, form) after a refused return."""
    updates, values = access_items.sign_off_queue(request.user)
    for item in [*updates, *values]:
        item.kind = _kind(item)
        key = f"{item.kind}-{item.pk}"
        item.form = failed[1] if failed and failed[0] == key else ReturnForm(prefix=key)
    context = {
        "updates": updates,
        "values": values,
        "total": len(updates) + len(values),
        "form": failed[1] if failed else None,
    }
    return render(request, "plans/sign_off_list.html", context)


@login_required
@require_POST
def sign_off_decide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Approve the item, or return it with a comment (the form is shown again if empty)."""
    item = access_items.get_sign_off_item_for_user(request.user, kind, pk)
    name = services.item_name(item)
    if request.POST.get("decision") == "approve":
        _decision(request, services.item_approve, f"Signed off {name}: it now counts", item=item)
        return redirect("plans:sign_off")
    form = ReturnForm(request.POST, prefix=f"{kind}-{pk}")
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        message = f"Returned {name} to its officer"
        if _decision(request, services.item_return, message, item=item, comment=comment):
            return redirect("plans:sign_off")
    return _sign_off_page(request, failed=(f"{kind}-{pk}", form))


def _decision(request: HttpRequest, service, message: str, **kwargs) -> bool:
    try:
        service(user=request.user, **kwargs)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
        return False
    messages.success(request, message)
    return True


@login_required
@require_http_methods(["GET", "POST"])
def partnership_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, pk, admin=True)
    initial = {"sign_off": "yes" if partnership.sign_off else "no"}
    form = SignOffSettingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        enabled = form.cleaned_data["sign_off"]
        counted = services.partnership_sign_off_set(
            user=request.user, partnership=partnership, enabled=enabled
        )
        state = "on" if enabled else "off"
        extra = (
            f": {counted} item{'s' if counted != 1 else ''} awaiting it now count"
            if counted
            else ""
        )
        messages.success(request, f"Sign-off turned {state}{extra}")
        return redirect("plans:partnership_sign_off", pk=partnership.pk)
    signers = (
        Membership.objects.filter(partnership=partnership, role=Membership.Role.OFFICER)
        .filter(signs_off_for__isnull=False)
        .distinct()
        .select_related("user")
        .prefetch_related("signs_off_for")
    )
    context = {"partnership": partnership, "form": form, "signers": signers}
    return render(request, "plans/partnership_sign_off.html", context)
