"""Who is reading the API: a personal token in ``Authorization: Bearer …``, or the browser's
own signed-in session.

The session is accepted because every endpoint is a GET that changes nothing, so there is no
request to forge (CSRF), and the JSON is not readable from another site (no CORS headers): a
signed-in user can open an endpoint or try it on the docs page. Anything that is not GET or
HEAD is refused before it reaches an endpoint.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.base import AuthBase

from plans.api.tokens import token_user


class PersonalToken(HttpBearer):
    """``Authorization: Bearer csp_…``: a token made on the API tokens page."""

    def authenticate(self, request: HttpRequest, token: str):
        user = token_user(token)
        if user is not None:
            request.user = user  # plans.access reads the user's memberships from it
        return user


class SignedInSession(AuthBase):
    """The session cookie of someone signed in to the site, for reads only."""

    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = "sessionid"

    def __call__(self, request: HttpRequest):
        if request.method not in ("GET", "HEAD"):
            return None
        if request.headers.get("Authorization"):
            return None  # a token was presented: it alone decides
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None
