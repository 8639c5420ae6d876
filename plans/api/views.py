"""The API tokens page (make one, shown once; revoke) and the API's plain description."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from plans.api import tokens
from plans.api.api import api
from plans.api.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is it for?",
        max_length=100,
        help_text='So you can tell your tokens apart, e.g. "Power BI quarterly report".',
        error_messages={"required": "Enter what the token is for"},
    )
    days = forms.TypedChoiceField(
        label="Expires after",
        choices=[(str(days), label) for days, label in tokens.EXPIRY_CHOICES.items()],
        coerce=int,
        initial="365",
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """Your tokens; a new one is shown on this response once, and never again."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _, new_key = tokens.api_token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = TokenForm()
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    return render(request, "api/token_list.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # only your own
    tokens.api_token_revoke(user=request.user, token=token)
    messages.success(request, f"Revoked “{token.name}”: it no longer opens the API")
    return redirect("api_pages:tokens")


def _endpoints() -> list[dict]:
    """Each endpoint of the schema with its summary, description and query parameters."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    rows = []
    for url, operations in schema["paths"].items():
        for method, operation in operations.items():
            rows.append(
                {
                    "method": method.upper(),
                    "url": url,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
                    ],
                    "tag": (operation.get("tags") or [""])[0],
                }
            )
    return rows


@login_required
def api_docs(request: HttpRequest) -> HttpResponse:
    """What the API offers, readable without JavaScript."""
    return render(request, "api/docs.html", {"endpoints": _endpoints()})
