"""One paging loop for every platform: newest first, stop at ``since``, never loop forever."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Protocol, TypeVar

MAX_PAGES = 200
MAX_STALLS = 2  # empty pages in a row (with a next link) retried before giving up


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
    stops when there is no next cursor, when a full page repeats its own cursor, when the
    page's last item is older than ``since`` (platforms list newest first; a pinned old post
    at the top of a page does not stop the walk), or after ``max_pages`` pages. A page that
    brings nothing new but still has a next link is followed (or asked again) at most
    ``MAX_STALLS`` times in a row: a passing hiccup then loses nothing, a broken API cannot
    loop forever.
    """
    since = aware(since)
    cursor: C | None = None
    seen: set[str] = set()
    stalls = 0
    for _ in range(max_pages):
        items, next_cursor = fetch(cursor)
        fresh = [item for item in items if item.post_id not in seen]
        seen.update(item.post_id for item in fresh)
        wanted = [item for item in fresh if item.posted_at >= since]
        if wanted:
            yield wanted
        if next_cursor is None:
            return
        if not fresh:
            stalls += 1
            if stalls > MAX_STALLS:
                return
            cursor = next_cursor
            continue
        stalls = 0
        if next_cursor == cursor or fresh[-1].posted_at < since:
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
