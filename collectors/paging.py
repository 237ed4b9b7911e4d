"""One paging loop for every platform: newest first, stop at ``since``, never loop forever."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Protocol, TypeVar

MAX_PAGES = 200


class Dated(Protocol):
    @property
    def post_id(self) -> str: ...

    @property
    def posted_at(self) -> datetime: ...


T = TypeVar("T", bound=Dated)
C = TypeVar("C")


def aware(moment: datetime) -> datetime:
    """``since`` as an aware UTC datetime (naive input is taken as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def walk_pages(
    fetch: Callable[[C | None], tuple[list[T], C | None]],
    since: datetime,
    max_pages: int = MAX_PAGES,
) -> Iterator[list[T]]:
    """Yield each page's items published at or after ``since``, in the platform's order.

    ``fetch(cursor)`` returns one page and the next cursor (None on the last page). Paging
    stops when there is no next cursor, when the cursor repeats, when a page brings no item
    not seen before (an empty page that still has a next link), when the page's last item is
    older than ``since`` (platforms list newest first; a pinned old post at the top of a page
    does not stop the walk), or after ``max_pages`` pages.
    """
    since = aware(since)
    cursor: C | None = None
    seen: set[str] = set()
    for _ in range(max_pages):
        items, next_cursor = fetch(cursor)
        fresh = [item for item in items if item.post_id not in seen]
        seen.update(item.post_id for item in fresh)
        wanted = [item for item in fresh if item.posted_at >= since]
        if wanted:
            yield wanted
        if not fresh or next_cursor is None or next_cursor == cursor:
            return
        if fresh[-1].posted_at < since:
            return
        cursor = next_cursor


def walk_posts(
    fetch: Callable[[C | None], tuple[list[T], C | None]],
    since: datetime,
    max_pages: int = MAX_PAGES,
) -> Iterator[T]:
    """:func:`walk_pages`, flattened to single items."""
    for page in walk_pages(fetch, since, max_pages):
        yield from page
