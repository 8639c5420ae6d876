"""Plan editing's pages, under ``plans/<pk>/`` (included from ``plans.urls``)."""

from django.urls import path

from plans.editing import views

urlpatterns = [
    path("edit/", views.plan_edit, name="plan_edit"),
    path("edit/details/", views.plan_details, name="plan_details_change"),
    path("edit/<slug:kind>/add/", views.item_add, name="plan_item_add"),
    path("edit/<slug:kind>/<int:item_pk>/", views.item_change, name="plan_item_change"),
    path("edit/<slug:kind>/<int:item_pk>/move/", views.item_move, name="plan_item_move"),
    path("edit/<slug:kind>/<int:item_pk>/remove/", views.item_remove, name="plan_item_remove"),
    path("changes/", views.plan_changes, name="plan_changes"),
]
