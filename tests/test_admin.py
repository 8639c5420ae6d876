"""Every model is in the Django admin, searchable and filterable, and its pages load."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db
OUR_MODELS = [
    model
    for label in ("plans", "priorities", "indicators")
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
