"""Roll forward's pages, under ``plans/<pk>/`` (included from ``plans.urls``)."""

from django.urls import path

from plans.rollforward import views

urlpatterns = [
    path("roll-forward/", views.plan_roll_forward, name="plan_roll_forward"),
    path("changes-from-last-year/", views.plan_comparison, name="plan_comparison"),
]
