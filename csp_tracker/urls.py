import os

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from csp_tracker.accounts.views.passwords import SignInView
from csp_tracker.health import healthz
from plans.views.pages import home

admin.site.site_header = "CSP Tracker administration"
admin.site.site_title = "CSP Tracker"

handler500 = "csp_tracker.health.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),  # answered by HealthCheckMiddleware first
    path("sign-in/", SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("csp_tracker.accounts.urls")),
    path("", include("plans.urls")),
    path("", include("priorities.urls")),
    path("", include("indicators.urls")),
    path("", include("plans.notifications.urls")),
    path("admin/", admin.site.urls),
]

urlpatterns += [path("", include("plans.collaboration.urls"))]  # questions and evidence

from plans.api.urls import api_urls  # noqa: E402

urlpatterns += [path("", include("plans.api.urls")), api_urls]  # the API, its tokens and docs

if os.environ.get("BENCHMARK_FLOOR") == "true":  # `make bench` only: see csp_tracker/floor.py
    from csp_tracker.floor import floor

    urlpatterns.append(path("bench/floor/", floor, name="bench_floor"))
urlpatterns += [path("", include("indicators.crimedata.urls"))]  # police.uk crime data
