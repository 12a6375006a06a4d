"""Lists that never count the whole registry: counts stop at COUNT_LIMIT ("more than 10,000").

A full COUNT(*) of two million people took seconds on every page, and no one pages past the first
few hundred rows: they narrow the search. Counting stops one row past the limit, which an index
(or the scope's semi-join) answers in milliseconds, and the list says "more than" when it stopped.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import IntegerField, QuerySet, Subquery
from django.utils.functional import cached_property

COUNT_LIMIT = 10_000


def bounded_count(rows: QuerySet[Any] | list[Any], limit: int | None = None, *, keep_order: bool = False) -> int:
    """How many rows there are, up to `limit + 1` (one more than the limit means "more than limit").

    `keep_order`: count in the queryset's own order, to make PostgreSQL read the rows through the
    index that gives it. Without an order, a sponsor's million members clustered at the end of
    the table were counted by a scan that passed the two million rows before them (0.3 s)."""
    limit = COUNT_LIMIT if limit is None else limit
    if isinstance(rows, QuerySet):
        return (rows if keep_order else rows.order_by())[: limit + 1].count()
    return min(len(rows), limit + 1)


class BoundedCount(Subquery):
    """`bounded_count` as a subquery, for a count beside each row of a list (an annotation)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS bounded)"
    output_field = IntegerField()

    def __init__(self, rows: QuerySet[Any], limit: int | None = None, *, keep_order: bool = False) -> None:
        counted = rows if keep_order else rows.order_by()
        super().__init__(counted.values("pk")[: (COUNT_LIMIT if limit is None else limit) + 1])


class BoundedPaginator(Paginator):  # type: ignore[type-arg]
    """Django's paginator with a bounded count: `count_capped` tells the page to say "more than"."""

    def __init__(self, object_list: Any, per_page: int, limit: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.limit = COUNT_LIMIT if limit is None else limit

    @cached_property
    def count(self) -> int:
        return bounded_count(self.object_list, self.limit)  # type: ignore[arg-type]

    @property
    def count_capped(self) -> bool:
        return self.count > self.limit
