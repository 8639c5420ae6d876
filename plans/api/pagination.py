"""Pages of results with links to the next and previous page, so a Power Query loop (or any
client) follows ``next`` until it is null."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class Pages(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        count: int
        page: int
        page_size: int
        next: str | None
        previous: str | None
        items: list[Any]

    def paginate_queryset(self, queryset, pagination: Input, request: HttpRequest, **params):
        size, page = pagination.page_size, pagination.page
        offset = (page - 1) * size
        count = queryset.count()
        return {
            "count": count,
            "page": page,
            "page_size": size,
            "next": _page_url(request, page + 1) if offset + size < count else None,
            "previous": _page_url(request, page - 1) if page > 1 else None,
            "items": list(queryset[offset : offset + size]),
        }


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
