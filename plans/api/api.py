"""The read-only JSON API at /api/v1/ (django-ninja): OpenAPI schema at /api/v1/openapi.json,
interactive docs at /api/v1/docs/try/, the plain description at /api/v1/docs/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from plans.api.auth import PersonalToken, SignedInSession
from plans.api.routers import ROUTERS

DESCRIPTION = """Read-only access to what you can see in CSP Tracker, with the same permissions
as the pages: your partnerships, their plans, actions with their latest status, indicators with
their figures by quarter, reporting quarters and published reports. Statuses and figures are
those that count on dashboards and in reports (submitted, and signed off where the partnership
signs off).

Send a personal token made on the **API tokens** page of your account in the header
`Authorization: Bearer <token>`. Lists come in pages (`page`, `page_size` up to 500) with
links to the `next` and `previous` page."""


class ReadOnlyApi(NinjaAPI):
    def create_response(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().create_response(request, *args, **kwargs)
        # Partnership data: never kept by a browser or a shared cache.
        response["Cache-Control"] = "private, no-store"
        return response


api = ReadOnlyApi(
    title="CSP Tracker API",
    version="1",
    description=DESCRIPTION,
    auth=[PersonalToken(), SignedInSession()],
    urls_namespace="api-v1",
    docs_url="/docs/try/",
    openapi_url="/openapi.json",
)

for prefix, router in ROUTERS:
    api.add_router(prefix, router)
