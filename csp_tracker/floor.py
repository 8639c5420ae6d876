"""The benchmark's floor: a signed-in page that does nothing, behind the same middleware as
every other page, so `make bench` can say how far each page is from what Django itself costs
on the machine. Routed only when BENCHMARK_FLOOR is set (never in production)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
