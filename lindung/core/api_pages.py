"""Page-numbered API lists whose page and size fit any database (a page of 2.4e26 was a 500), and
whose count stops at COUNT_LIMIT (see core.paging): `count_capped` says the count is "more than"."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

from lindung.core.paging import COUNT_LIMIT, bounded_count

MAX_PAGE = 1_000_000  # 50 million rows at 50 a page: more than any list holds
MAX_PAGE_SIZE = 500


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        items: list[Any]
        count: int = Field(description=f"Rows in the list, counted up to {COUNT_LIMIT:,} and one more.")
        count_capped: bool = Field(description=f"True when there are more than {COUNT_LIMIT:,} rows.")

    def __init__(self, page_size: int = 50, **kwargs: object) -> None:
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        items = list(queryset[offset : offset + page_size])
        limit = COUNT_LIMIT
        last_page = 0 < len(items) < page_size or (not items and offset == 0)
        if last_page:  # known without asking the database again (a NIK search)
            count = offset + len(items)
        elif items:  # past the counted rows, the page itself tells there are at least that many
            count = max(bounded_count(queryset, limit), offset + len(items))
        else:  # a page beyond the end
            count = bounded_count(queryset, limit)
        return {"items": items, "count": count, "count_capped": count > limit}
