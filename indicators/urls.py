from django.urls import path

from indicators import benchmark_views, upload_views, views

app_name = "indicators"
urlpatterns = [
    path("benchmarks/<str:code>/", benchmark_views.benchmark, name="benchmark"),
    path(
        "partnerships/<int:pk>/benchmarks/",
        benchmark_views.benchmark_sharing,
        name="benchmark_sharing",
    ),
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
    path(
        "plans/<int:plan_pk>/quarters/<int:period_pk>/values/sheet/",
        upload_views.values_sheet,
        name="values_sheet",
    ),
    path(
        "plans/<int:plan_pk>/quarters/<int:period_pk>/values/upload/",
        upload_views.values_upload,
        name="values_upload",
    ),
    path("plans/<int:plan_pk>/history/", upload_views.history_upload, name="history_upload"),
    path(
        "value-uploads/<int:pk>/",
        upload_views.values_upload_preview,
        name="values_upload_preview",
    ),
    path(
        "indicators/<int:pk>/calculation/",
        upload_views.indicator_calculation,
        name="indicator_calculation",
    ),
    path(
        "partnerships/<int:partnership_pk>/population/",
        upload_views.population,
        name="population",
    ),
]
