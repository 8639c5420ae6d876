from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
]
