"""Editing a plan in the browser: the plan's tree with its controls, a form per kind of
item, moving and removing (each confirmed with a reason on an active plan), and the plan's
list of changes. Every view asks ``plans.access``; the writes are ``plans.editing.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from plans import access
from plans.editing import services
from plans.editing.forms import PlanDetailsForm, ReasonForm, item_form_class
from plans.editing.kinds import ALSO_REMOVED, KINDS, Kind, history_of, item_label, kind_of
from plans.models import Plan
from plans.rollforward import lineage
from priorities.models import Action

GET_POST = require_http_methods(["GET", "POST"])


def posted(request: HttpRequest):
    """The form data of a POST (even an empty one: a draft's removal has no reason)."""
    return request.POST if request.method == "POST" else None


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_editing(request.user, pk)
    actions = Action.objects.select_related("priority").prefetch_related(
        "milestones", "funding_lines"
    )
    priorities = plan.priorities.prefetch_related(
        "key_themes", "objectives", Prefetch("actions", queryset=actions)
    )
    context = {
        "plan": plan,
        "priorities": priorities,
        "indicators": plan.indicators.all(),
        "risks": plan.risks.all(),
        "previous_results": plan.previous_results.all(),
        "is_active": plan.status == Plan.Status.ACTIVE,
    }
    return render(request, "plans/editing/plan_edit.html", context)


def edit_url(plan: Plan, item: models.Model | None = None) -> str:
    url = reverse("plans:plan_edit", args=[plan.pk])
    return f"{url}#{type(item).__name__.lower()}-{item.pk}" if item is not None else url


def _parent(plan: Plan, kind: Kind, parent_pk: str | None) -> models.Model:
    if not kind.parent_kind:
        return plan
    if not (parent_pk or "").isdigit():
        raise Http404("Say which item the new one belongs to.")
    return KINDS[kind.parent_kind].get(plan, int(parent_pk))


@login_required
@GET_POST
def item_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    plan = access.get_plan_for_editing(request.user, pk)
    item_kind = kind_of(kind)
    parent = _parent(plan, item_kind, request.GET.get("parent"))
    item = item_kind.model(**{item_kind.parent: parent})
    return _item_form(request, plan, item_kind, item, parent)


@login_required
@GET_POST
def item_change(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    plan = access.get_plan_for_editing(request.user, pk)
    item_kind = kind_of(kind)
    item = item_kind.get(plan, item_pk)
    return _item_form(request, plan, item_kind, item, item_kind.parent_of(item))


def _item_form(request, plan: Plan, kind: Kind, item, parent) -> HttpResponse:
    adding = item.pk is None
    # Named before the form checks the input (which sets it on the item, even if refused).
    title = f"Add {'an' if kind.label[0] in 'aeiou' else 'a'} {kind.label}"
    if not adding:
        label = item_label(item)
        title = f"Change {label[0].lower()}{label[1:]}"
    form = item_form_class(kind)(
        posted(request), instance=item, kind=kind, plan=plan, parent=parent
    )
    if request.method == "POST" and form.is_valid():
        many = {
            name: form.cleaned_data[name]
            for name in kind.fields
            if isinstance(kind.model._meta.get_field(name), models.ManyToManyField)
        }
        try:
            services.plan_item_save(
                plan=plan, item=form.instance, fields=kind.fields, user=request.user,
                reason=form.cleaned_data.get("reason", ""), many=many,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            verb = "added" if adding else "saved"
            messages.success(request, f"{item_label(form.instance)} {verb}.")
            return redirect(edit_url(plan, form.instance))
    context = {"plan": plan, "kind": kind, "form": form, "adding": adding, "parent": parent,
               "title": title}  # fmt: skip
    return render(request, "plans/editing/item_form.html", context)


@login_required
@GET_POST
def item_move(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    """Move an item up or down: straight from the edit page's buttons on a draft; through
    this page, with a reason, on an active plan."""
    plan = access.get_plan_for_editing(request.user, pk)
    item = kind_of(kind).get(plan, item_pk)
    up = (request.POST.get("direction") or request.GET.get("direction")) != "down"
    form = ReasonForm(posted(request), plan=plan)
    if request.method == "POST" and form.is_valid():
        label = item_label(item)
        moved = services.plan_item_move(
            plan=plan, item=item, up=up, user=request.user, reason=form.cleaned_data["reason"]
        )
        where = "up" if up else "down"
        if moved:
            messages.success(request, f"{label} moved {where}.")
        else:
            messages.info(request, f"{label} is already at the {'top' if up else 'bottom'}.")
        return redirect(edit_url(plan, item))
    context = {"plan": plan, "item": item, "label": item_label(item), "up": up, "form": form}
    return render(request, "plans/editing/item_move.html", context)


@login_required
@GET_POST
def item_remove(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    plan = access.get_plan_for_editing(request.user, pk)
    item = kind_of(kind).get(plan, item_pk)
    label, history = item_label(item), history_of(item)
    form = ReasonForm(posted(request), plan=plan)
    lineage.ask_drop_reason(form, item)  # a carried-over action dropped: say why
    if request.method == "POST" and not history and form.is_valid():
        try:
            services.plan_item_remove(
                plan=plan, item=item, user=request.user, reason=form.cleaned_data["reason"]
            )
        except services.HasHistory as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"{label} removed.")
            return redirect(edit_url(plan))
    context = {"plan": plan, "item": item, "label": label, "history": history, "form": form,
               "also": ALSO_REMOVED.get(kind, "")}  # fmt: skip
    return render(request, "plans/editing/item_remove.html", context)


@login_required
def plan_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """The changes made to the plan since it became active, newest first: who, when, what,
    before and after, and why. Everyone who sees the plan may read it."""
    plan = access.get_plan_for_user(request.user, pk)
    context = {
        "plan": plan,
        "changes": plan.changes.select_related("user"),
        "can_edit": access.can_edit_plan(request.user, plan),
    }
    return render(request, "plans/editing/plan_changes.html", context)


@login_required
@GET_POST
def plan_details(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's title, kind, years, summary, source and the plan it is read with."""
    plan = access.get_plan_for_editing(request.user, pk)
    form = PlanDetailsForm(posted(request), instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_details_save(
                plan=form.instance, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The plan's details are saved.")
            return redirect(edit_url(plan))
    # The page names the plan as saved, not as typed into a refused form.
    saved = Plan.objects.get(pk=plan.pk) if form.is_bound else plan
    return render(request, "plans/editing/plan_details.html", {"plan": saved, "form": form})
