"""Partnership admins manage who is in the partnership, in which role, for which agencies,
and who else may report on an action or indicator (delegations)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from csp_tracker.accounts import services as account_services
from csp_tracker.accounts.models import Invitation
from csp_tracker.accounts.templatetags.people import person_name
from plans import access, services
from plans.forms import DelegatesForm, MembershipForm, add_service_errors
from plans.models import Membership, Partnership


@login_required
def member_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, pk, admin=True)
    members = partnership.memberships.select_related("user", "user__invitation").prefetch_related(
        "agencies"
    )
    return render(
        request, "plans/member_list.html", {"partnership": partnership, "members": members}
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, pk, admin=True)
    form = MembershipForm(request.POST or None)
    form.fields["agencies"].queryset = partnership.agencies.all()  # those that sit on it
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership, invited = services.member_add(
                partnership=partnership,
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                agencies=data["agencies"],
                added_by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except IntegrityError:  # the same new account created by two admins at once
            form.add_error(None, "Someone added this account at the same moment: check the list")
        else:
            name = person_name(membership.user)
            sent = f" and invited by e-mail to {membership.user.email}" if invited else ""
            messages.success(request, f"{name} added to {partnership}{sent}")
            return redirect("plans:member_list", pk=partnership.pk)
    return render(
        request,
        "plans/member_form.html",
        {"partnership": partnership, "form": form, "adding": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for_admin(request, pk)
    initial = {
        "role": membership.role,
        "agencies": list(membership.agencies.all()),
        "signs_off_for": list(membership.signs_off_for.all()),
    }
    form = MembershipForm(request.POST or None, initial=initial, editing=True)
    form.fields["agencies"].queryset = membership.partnership.agencies.all()
    form.fields["signs_off_for"].queryset = membership.partnership.agencies.all()
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_save(
                partnership=membership.partnership,
                user=membership.user,
                role=form.cleaned_data["role"],
                agencies=form.cleaned_data["agencies"],
                membership=membership,
                signs_off_for=form.cleaned_data["signs_off_for"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person_name(membership.user)}'s membership changed")
            return redirect("plans:member_list", pk=membership.partnership_id)
    context = {
        "partnership": membership.partnership,
        "form": form,
        "membership": membership,
        "invitation": Invitation.objects.filter(user=membership.user).first(),
        "locked": account_services.sign_in_locked(user=membership.user),
        "delegations": services.delegations_of(membership),
    }
    return render(request, "plans/member_form.html", context)


@login_required
@require_POST
def member_invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for_admin(request, pk)
    invitation = get_object_or_404(Invitation, user=membership.user)
    try:
        account_services.invitation_resend(invitation=invitation, sent_by=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, f"Invitation sent again to {membership.user.email}")
    return redirect("plans:member_edit", pk=membership.pk)


@login_required
@require_POST
def member_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a sign-in lock-out (django-axes) of a member of the admin's partnership."""
    membership = _membership_for_admin(request, pk)
    account_services.sign_in_unlock(user=membership.user, unlocked_by=request.user)
    messages.success(request, f"{person_name(membership.user)} can sign in again")
    return redirect("plans:member_edit", pk=membership.pk)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for_admin(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            messages.success(request, f"{person_name(membership.user)} removed")
            return redirect("plans:member_list", pk=membership.partnership_id)
    context = {"membership": membership, "partnership": membership.partnership, "error": error}
    return render(request, "plans/member_remove.html", context)


def _membership_for_admin(request: HttpRequest, pk: int) -> Membership:
    membership = get_object_or_404(
        Membership.objects.filter(
            partnership__in=access.visible_partnerships(request.user)
        ).select_related("user", "partnership"),
        pk=pk,
    )
    if not access.is_partnership_admin(request.user, membership.partnership_id):
        raise PermissionDenied("Only the partnership's admins may do this.")
    return membership


@login_required
@require_http_methods(["GET", "POST"])
def action_delegates(request: HttpRequest, pk: int) -> HttpResponse:
    action = access.get_action_for_user(request.user, pk)
    return _delegates_page(request, action, action.priority.plan.partnership)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_delegates(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = access.get_indicator_for_user(request.user, pk)
    return _delegates_page(request, indicator, indicator.plan.partnership)


def _delegates_page(request: HttpRequest, obj: Model, partnership: Partnership) -> HttpResponse:
    if not access.is_partnership_admin(request.user, partnership.pk):
        raise PermissionDenied("Only the partnership's admins may delegate.")
    officers = (
        get_user_model()
        .objects.filter(
            memberships__partnership=partnership, memberships__role=Membership.Role.OFFICER
        )
        .order_by("first_name", "username")
    )
    form = DelegatesForm(
        request.POST or None, officers=officers, initial={"delegates": list(obj.delegates.all())}
    )
    if request.method == "POST" and form.is_valid():
        services.delegates_set(obj=obj, users=form.cleaned_data["delegates"])
        messages.success(request, "Delegations saved")
        return redirect(obj.get_absolute_url())
    context = {"obj": obj, "partnership": partnership, "form": form}
    return render(request, "plans/delegates_form.html", context)
