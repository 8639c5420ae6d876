"""The health check, and the page shown when the database cannot be reached.

``/healthz`` answers before sessions and sign-in (``csp_tracker.middleware``), so a load
balancer can poll it every few seconds without creating sessions or touching more than one
``SELECT 1``. Any request that fails because the database is down or unreachable gets the
"Sorry, the service is unavailable" page with status 503 instead of a 500: it is rendered from a
standalone template with no context processors, so drawing it needs no database.
"""

from __future__ import annotations

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# Errors that mean "the database is not there", as opposed to a bad query (a bug: 500).
UNREACHABLE = (OperationalError, InterfaceError)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database did not answer", exc_info=True)
        # Drop the broken connection so the next poll connects afresh.
        connection.close_if_unusable_or_obsolete()
        return False
    return True


def healthz(request: HttpRequest) -> HttpResponse:
    """200 ``{"database": "ok"}`` when a query succeeds, 503 when it does not."""
    ok = database_ok()
    response = JsonResponse({"database": "ok" if ok else "unavailable"}, status=200 if ok else 503)
    add_never_cache_headers(response)
    return response


def service_unavailable(request: HttpRequest | None = None) -> HttpResponse:
    """The GOV.UK "Sorry, the service is unavailable" page, drawn without the database."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def is_database_unreachable(error: BaseException | None) -> bool:
    """True when the error, or one it was raised from, says the database cannot be reached."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, UNREACHABLE):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: Django calls it while handling the uncaught exception, from whichever
    layer raised it (view, middleware, session save), so ``sys.exc_info()`` says why."""
    if is_database_unreachable(sys.exc_info()[1]):
        return service_unavailable(request)
    return django_server_error(request, template_name=template_name)
