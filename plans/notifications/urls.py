from django.urls import path

from plans.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read-all/", views.notifications_read_all, name="read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="read"),
    path("notifications/settings/", views.notification_settings, name="settings"),
    path("quarters/<int:pk>/remind/", views.period_remind, name="period_remind"),
]
