"""Pages of a list, one way for every list: the pages, the API and the CLI.

``paginate`` runs a select as one page (a count and one query, whatever the page number:
a page past the end is empty without reading rows). The API answers a page as a JSON list
with its totals in the ``X-Pagination`` header (flask-smorest's ``@blp.paginate()``, fed
by ``Page.into``); the pages and the CLI read ``Page`` itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

import sqlalchemy as sa
from flask_smorest.pagination import PaginationParameters

from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput

__all__ = ["MAX_PAGE_SIZE", "Page", "paginate"]

#: The largest page any list serves.
MAX_PAGE_SIZE: Final = 200

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of ``total`` items (``page`` counts from 1)."""

    items: list[T]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    def into(self, parameters: PaginationParameters) -> list[T]:
        """The items, with the total given to the API's ``X-Pagination`` header."""
        parameters.item_count = self.total
        return self.items


def paginate(
    query: sa.Select[Any],
    *,
    page: int,
    page_size: int,
    order_by: Sequence[Any],
    max_page_size: int = MAX_PAGE_SIZE,
) -> Page[Any]:
    """Page ``page`` of ``query`` in ``order_by`` order (ORM entities or rows, as selected).

    Raises:
        InvalidInput: a page below 1, or a page size outside 1…``max_page_size``.
    """
    if page < 1 or not 1 <= page_size <= max_page_size:
        raise InvalidInput(f"page ≥ 1 and 1 ≤ page_size ≤ {max_page_size}.", field="page")
    total = int(
        db.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    )
    if (page - 1) * page_size >= total:
        return Page([], total, page, page_size)
    rows = db.session.execute(
        query.order_by(*order_by).offset((page - 1) * page_size).limit(page_size)
    ).scalars()
    return Page(list(rows), total, page, page_size)
