from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from plans.views.pages import SignInView, home

admin.site.site_header = "CSP Tracker administration"
admin.site.site_title = "CSP Tracker"

urlpatterns = [
    path("", home, name="home"),
    path("sign-in/", SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("plans.urls")),
    path("", include("priorities.urls")),
    path("", include("indicators.urls")),
    path("admin/", admin.site.urls),
]
