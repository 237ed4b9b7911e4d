"""OPD websites: WordPress REST posts, falling back to the RSS/Atom feed.

Requests: no request for the profile (websites have no followers); one REST call per page of
100 posts; when the site has no usable REST API (404, HTML, an error code, a WAF page) one more
call for ``/feed/`` and one per further ``?paged=N`` page; retries counted too.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import feedparser
import httpx

from collectors.base import AccountRef, NotFound, PostRecord, ProfileSnapshot
from collectors.errors import classify_website
from collectors.http import HttpOptions, RequestHelper
from collectors.messages import message
from collectors.paging import aware, walk_posts
from collectors.parsing import (
    WIB,
    as_dict,
    as_list,
    get_path,
    parse_iso_time,
    plain_text,
    to_int,
    to_link,
    to_str,
)
from core.settings import Settings

PAGE_SIZE = 100
REST_PATH = "/wp-json/wp/v2/posts"
FEED_PATH = "/feed/"
REST_FIELDS = "id,date,date_gmt,link,title"
Page = tuple[list[PostRecord], int | None]


def parse_profile(payload: Any = None) -> ProfileSnapshot:
    """Websites have no audience count."""
    del payload
    return ProfileSnapshot(followers=None)


def parse_wp_post(item: Any) -> PostRecord | None:
    post = as_dict(item)
    post_id = to_str(post.get("id"))
    posted_at = parse_iso_time(post.get("date_gmt")) or parse_iso_time(post.get("date"), WIB)
    if post_id is None or posted_at is None:
        return None
    return PostRecord(
        post_id=post_id,
        posted_at=posted_at,
        caption=plain_text(get_path(post, "title", "rendered")),
        url=to_link(post.get("link"), "website post"),
        media_type="article",
    )


def parse_posts(payload: Any) -> tuple[list[PostRecord], None]:
    """Posts of a WordPress REST page (paging comes from headers, not the body)."""
    return [p for p in map(parse_wp_post, as_list(payload)) if p is not None], None


WP_GUID = re.compile(r"[?&]p=(\d+)(?:&|$)")


def feed_post_id(guid: str | None) -> str | None:
    """WordPress feed guids look like ``https://site/?p=123``: keep ``123``, the same id the
    REST API gives, so a site that switches between REST and RSS never doubles a post."""
    if guid is None:
        return None
    match = WP_GUID.search(guid)
    return match.group(1) if match else guid


def parse_feed(content: bytes | str) -> list[PostRecord]:
    """Entries of an RSS/Atom document; entries without id/link or time are skipped."""
    return feed_entries(feedparser.parse(content))


def feed_entries(feed: Any) -> list[PostRecord]:
    """Posts of a ``feedparser`` result (``*_parsed`` times are UTC ``struct_time``)."""
    posts: list[PostRecord] = []
    for entry in feed.entries:
        post_id = feed_post_id(to_str(entry.get("id")) or to_str(entry.get("link")))
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        if post_id is None or parsed is None:
            continue
        posts.append(
            PostRecord(
                post_id=post_id,
                posted_at=datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC),
                caption=plain_text(entry.get("title")),
                url=to_link(entry.get("link"), "website feed entry"),
                media_type="article",
                comments=to_int(entry.get("slash_comments")),
            )
        )
    return posts


def site_url(account: AccountRef) -> str:
    url = account.url or f"https://{account.handle}"
    return url.rstrip("/")


def _is_feed_url(url: str) -> bool:
    tail = url.lower().rsplit("/", 1)[-1]
    return tail in ("feed", "rss", "atom") or tail.endswith((".xml", ".rss", ".atom"))


def _is_json(response: httpx.Response) -> bool:
    return "json" in response.headers.get("content-type", "").lower()


class WebsiteCollector:
    platform: ClassVar[str] = "website"

    def __init__(
        self, client: httpx.Client, settings: Settings, *, options: HttpOptions | None = None
    ) -> None:
        self.settings = settings
        self.http = RequestHelper(client, self.platform, classify_website, options)

    @property
    def request_count(self) -> int:
        return self.http.requests

    def fetch_profile(self, account: AccountRef) -> ProfileSnapshot:
        return parse_profile()

    def fetch_posts(self, account: AccountRef, since: datetime) -> Iterator[PostRecord]:
        base = site_url(account)
        if _is_feed_url(base):
            yield from walk_posts(lambda n: self._feed_page(base, n, feed_url=base), since)
            return
        first = self._rest_page(base, 1, since)
        if first is None:  # no usable REST API: read the feed
            yield from walk_posts(lambda n: self._feed_page(base, n), since)
            return

        def page(number: int | None) -> Page:
            if number is None:
                return first
            return self._rest_page(base, number, since) or ([], None)

        yield from walk_posts(page, since)

    def _rest_page(self, base: str, number: int, since: datetime) -> Page | None:
        """One REST page and the next page number; None when the site has no REST API."""
        # WordPress compares `after` with site-local time: ask a day early, filter exactly later.
        after = (aware(since) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
        params = {
            "per_page": str(PAGE_SIZE),
            "page": str(number),
            "orderby": "date",
            "order": "desc",
            "after": after,
            "_fields": REST_FIELDS,
        }
        response = self.http.request("GET", base + REST_PATH, params=params)
        body = _json_or_none(response)
        if (
            response.status_code == 400
            and get_path(body, "code") == "rest_post_invalid_page_number"
        ):
            return [], None
        if response.status_code != 200 or not _is_json(response) or not isinstance(body, list):
            return None
        posts, _ = parse_posts(body)
        total = to_int(response.headers.get("x-wp-totalpages"))
        more = number < total if total is not None else len(body) >= PAGE_SIZE
        return posts, number + 1 if more else None

    def _feed_page(self, base: str, number: int | None, feed_url: str | None = None) -> Page:
        number = number or 1
        params = {"paged": str(number)} if number > 1 else None
        response = self.http.request("GET", feed_url or base + FEED_PATH, params=params)
        doc = feedparser.parse(response.content) if response.status_code == 200 else None
        if doc is None or not doc.get("version"):
            if number > 1:
                return [], None  # `?paged=N` unsupported or past the end [U]
            raise NotFound(
                f"website: {base} has neither a WordPress REST API nor a readable feed "
                f"(feed HTTP {response.status_code})",
                message("website", "not_found"),
            )
        posts = feed_entries(doc)
        return posts, number + 1 if posts else None


def _json_or_none(response: httpx.Response) -> Any:
    if not _is_json(response):
        return None
    try:
        return response.json()
    except ValueError:
        return None
