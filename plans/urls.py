from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/quarters/", views.period_list, name="period_list"),
    path("plans/<int:pk>/quarters/open/", views.period_open, name="period_open"),
    path("quarters/<int:pk>/", views.period_detail, name="period_detail"),
    path("quarters/<int:pk>/close/", views.period_close, name="period_close"),
    path("my-updates/", views.my_updates, name="my_updates"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
]
