"""The user's Notifications page and settings, and an admin's "Send a reminder now"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from plans import access, access_items
from plans.notifications import services
from plans.notifications.forms import PreferenceForm
from plans.notifications.models import EMAIL_BY_DEFAULT, Kind

PER_PAGE = 20


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = access_items.own_notifications(request.user).order_by("-created_at", "-pk")
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
    }
    return render(request, "notifications/notification_list.html", context)


def _back_to_list(request: HttpRequest) -> HttpResponse:
    """Back to the page of the list the user was on."""
    page = request.POST.get("page", "")
    url = reverse("notifications:list")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = access_items.get_notification_for_user(request.user, pk)
    services.notification_mark_read(notification=notification)
    messages.success(request, f"Marked as read: {notification.subject}")
    return _back_to_list(request)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return _back_to_list(request)


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    chosen = sorted(services.email_kinds(request.user))
    form = PreferenceForm(
        request.POST if request.method == "POST" else None, initial={"email_kinds": chosen}
    )
    if form.is_valid():
        services.preferences_save(user=request.user, email_kinds=form.cleaned_data["email_kinds"])
        messages.success(request, "Your notification settings are saved.")
        return redirect("notifications:settings")
    context = {
        "form": form,
        "has_email": bool(request.user.email),
        "off_by_default": [Kind(k).label for k in Kind.values if k not in EMAIL_BY_DEFAULT],
    }
    return render(request, "notifications/notification_settings.html", context)


@login_required
@require_POST
def period_remind(request: HttpRequest, pk: int) -> HttpResponse:
    period = access.get_period_for_user(request.user, pk, admin=True)
    try:
        sent = services.period_remind(period=period, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        n = sent.recipients
        messages.success(
            request,
            f"Reminder sent to {n} {'person' if n == 1 else 'people'} with "
            f"{period.label} updates still missing." if n else
            f"Nobody has {period.label} updates missing: no reminder was needed.",
        )  # fmt: skip
    return redirect(period)
