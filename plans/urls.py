from django.urls import path

from plans.views import pages, progress

app_name = "plans"
urlpatterns = [
    path("partnerships/<int:pk>/", pages.partnership_detail, name="partnership_detail"),
    path("plans/<int:pk>/", pages.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/quarters/", progress.period_list, name="period_list"),
    path("plans/<int:pk>/quarters/open/", progress.period_open, name="period_open"),
    path("quarters/<int:pk>/", progress.period_detail, name="period_detail"),
    path("quarters/<int:pk>/close/", progress.period_close, name="period_close"),
    path("my-updates/", progress.my_updates, name="my_updates"),
    path("agencies/", pages.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", pages.agency_detail, name="agency_detail"),
]
