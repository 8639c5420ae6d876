from django.urls import path

from plans.api import views
from plans.api.api import api

app_name = "api_pages"
urlpatterns = [
    path("account/api-tokens/", views.token_list, name="tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("api/v1/docs/", views.api_docs, name="docs"),
]

# Mounted by csp_tracker/urls.py after the pages above (its own namespace "api-v1").
api_urls = path("api/v1/", api.urls)
