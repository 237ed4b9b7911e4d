"""Comments and the owner's first replies, read with the owner's token (Facebook, Instagram).

Only an account whose owner connected it (a Page token in ``AccountRef.token``) is read; a
public-only account makes no comment call at all. Bounds, per account and pass: only posts
younger than ``REPLY_WINDOW`` (the pass's default ``refresh_days``) whose comment count is not
known to be 0; per post at most ``MAX_COMMENT_PAGES`` pages of comments, so one post costs at
most that many requests (retries counted by the request helper as usual). A daily poster thus
costs about 30 comment requests a pass; an account without comments none.

The first failure while reading comments (a permission the token lacks, Graph codes 10/200;
a throttle; a revoked token) ends the account's comment reads for the pass: those posts keep
``comment_replies=None`` (unknown, never 0) and the posts themselves are saved as usual.

Only what the reply measures need leaves this module (owner-access.md §9): comment id, comment
time and the time of the owner's first reply. Names, user ids and texts are dropped here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from collectors.base import CollectorError, CommentReply, PostRecord
from collectors.parsing import as_dict, as_list, get_path, to_str
from core.timeutil import utcnow

REPLY_WINDOW = timedelta(days=30)
MAX_COMMENT_PAGES = 2
PageFetch = Callable[[dict[str, str] | None], Any]  # paging parameters (None: first) -> body


def first_replies(
    comments: Iterable[tuple[str, datetime]], owner_replies: Iterable[tuple[str, datetime]]
) -> tuple[CommentReply, ...]:
    """Each comment (id, time) with the earliest owner reply (parent id, time) it received."""
    earliest: dict[str, datetime] = {}
    for parent, at in owner_replies:
        if parent not in earliest or at < earliest[parent]:
            earliest[parent] = at
    seen: dict[str, CommentReply] = {}
    for comment_id, at in comments:
        seen.setdefault(comment_id, CommentReply(comment_id, at, earliest.get(comment_id)))
    return tuple(seen.values())


def next_page(payload: Any) -> dict[str, str] | None:
    """The paging parameters of the next page (``after`` and the like), None on the last.

    Taken from ``paging.next`` (without its token, so the request goes to our own base URL
    with our token) or else from ``paging.cursors.after`` when a ``next`` link is present."""
    link = to_str(get_path(payload, "paging", "next"))
    if link is None:
        return None
    pairs = parse_qsl(urlsplit(link).query, keep_blank_values=True)
    params = {k: v for k, v in pairs if k != "access_token"}
    after = to_str(get_path(payload, "paging", "cursors", "after"))
    if after and "after" not in params:
        params["after"] = after
    return params or None


def comment_pages(fetch: PageFetch, max_pages: int = MAX_COMMENT_PAGES) -> list[dict[str, Any]]:
    """The items of up to ``max_pages`` pages of a Graph comment edge."""
    items: list[dict[str, Any]] = []
    params: dict[str, str] | None = None
    for _ in range(max_pages):
        payload = fetch(params)
        items.extend(as_dict(item) for item in as_list(get_path(payload, "data")))
        params = next_page(payload)
        if params is None:
            break
    return items


class CommentReader:
    """Adds the owner's replies to one account's young posts, until a read fails."""

    def __init__(self, read: Callable[[PostRecord], tuple[CommentReply, ...]]) -> None:
        self._read = read
        self._since = utcnow() - REPLY_WINDOW
        self.failed: CollectorError | None = None

    def add(self, post: PostRecord) -> PostRecord:
        if self.failed is not None or post.posted_at < self._since:
            return post
        if post.comments == 0:
            return replace(post, comment_replies=())  # known: nothing to answer, no request
        try:
            return replace(post, comment_replies=self._read(post))
        except CollectorError as exc:
            self.failed = exc  # missing permission, throttle, revoked token: unknown, not 0
            return post
