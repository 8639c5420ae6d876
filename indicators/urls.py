from django.urls import path

from indicators import views

app_name = "indicators"
urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/trend/", views.indicator_trend, name="indicator_trend"),
    path(
        "indicators/<int:pk>/value/<int:period_pk>/",
        views.indicator_value,
        name="indicator_value",
    ),
    path(
        "plans/<int:plan_pk>/quarters/<int:period_pk>/values/",
        views.bulk_values,
        name="bulk_values",
    ),
]
