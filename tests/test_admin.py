"""Every model is in the Django admin, searchable and filterable, and its pages load."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db
OUR_MODELS = [
    model
    for label in ("plans", "priorities", "indicators", "crimedata")
    for model in apps.get_app_config(label).get_models()
]


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m.__name__)
def test_model_is_in_the_admin_with_search_and_filters(model):
    assert admin.site.is_registered(model)
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields
    assert model_admin.list_filter or model is apps.get_model("plans", "Partnership")


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m.__name__)
def test_admin_changelist_and_search_load(admin_client, seeded, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "Kent"}).status_code == 200
    first = model.objects.first()
    if first is not None:
        change = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[first.pk]
        )
        assert admin_client.get(change).status_code == 200


def test_admin_shows_lead_officers_supporters_and_what_indicators_measure(admin_client, seeded):
    from indicators.models import Indicator
    from priorities.models import Action, Milestone

    indicator = Indicator.objects.filter(plan__title__startswith="Swale").first()
    action = Action.objects.filter(priority__plan=indicator.plan).first()
    indicator.measures_actions.add(action)
    milestone = Milestone.objects.first()

    html = admin_client.get(
        reverse("admin:indicators_indicator_change", args=[indicator.pk])
    ).content.decode()
    assert 'name="measures_actions"' in html and 'name="measures_objectives"' in html
    assert 'name="frequency_as_written"' in html
    html = admin_client.get(
        reverse("admin:priorities_action_change", args=[action.pk])
    ).content.decode()
    assert 'name="lead_officer"' in html and 'name="lead_officer_as_written"' in html
    assert f"{indicator.ref} {indicator.title[:20]}" in html  # measured by
    html = admin_client.get(
        reverse("admin:priorities_milestone_change", args=[milestone.pk])
    ).content.decode()
    assert 'name="supporting_agencies"' in html and 'name="lead_officer"' in html
