"""Year end's pages, under ``plans/<pk>/`` (included from ``plans.urls``)."""

from django.urls import path

from plans.yearend import views

urlpatterns = [
    path("close/", views.plan_close, name="plan_close"),
    path("year-end/", views.year_end, name="year_end_report"),
    path("year-end/report.xlsx", views.year_end_download, name="year_end_workbook"),
    path("year-end/publish/", views.year_end_publish, name="year_end_publish"),
    path(
        "year-end/published/<int:report_pk>/",
        views.year_end_published,
        name="year_end_published",
    ),
    path(
        "year-end/published/<int:report_pk>/report.xlsx",
        views.year_end_published_download,
        name="year_end_published_workbook",
    ),
]
