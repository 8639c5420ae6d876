from django.urls import path

from indicators.crimedata import views

app_name = "crimedata"
urlpatterns = [
    path("partnerships/<int:partnership_pk>/crime-data/", views.crime_data, name="crime_data"),
    path("partnerships/<int:partnership_pk>/crime-data/area/", views.crime_area, name="crime_area"),
    path("crime-data/load/", views.crime_import, name="crime_import"),
    path("crime-data/benchmark/", views.crime_benchmark, name="crime_benchmark"),
    path("indicators/<int:pk>/crime-series/", views.crime_series, name="crime_series"),
    path(
        "indicators/<int:pk>/crime-series/confirm/",
        views.crime_series_confirm,
        name="crime_series_confirm",
    ),
]
