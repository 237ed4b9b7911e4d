"""X API v2 with Diskominfo's app-only bearer token.

Requests: one user lookup per profile (its user id is then cached, so ``fetch_posts`` after
``fetch_profile`` needs no second lookup; ``AccountRef.platform_id`` also skips it); one
``/users/:id/tweets`` call per page of 100 posts; retries counted too. Every post returned is
billed by X, so ``start_time`` keeps pages to the posts we want.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import httpx

from collectors.base import (
    AccountRef,
    ConfigError,
    MalformedResponse,
    NotFound,
    PostRecord,
    ProfileSnapshot,
)
from collectors.errors import classify_x
from collectors.http import HttpOptions, RequestHelper
from collectors.messages import message
from collectors.paging import aware, walk_posts
from collectors.parsing import (
    as_dict,
    as_list,
    get_path,
    isoformat_z,
    parse_iso_time,
    to_int,
    to_link,
    to_str,
)
from core.settings import Settings

PAGE_SIZE = 100
USER_FIELDS = "id,name,username,protected,public_metrics"
TWEET_FIELDS = "created_at,public_metrics,conversation_id,lang"
X_EPOCH = datetime(2010, 11, 6, 0, 0, 1, tzinfo=UTC)


def parse_profile(payload: Any) -> ProfileSnapshot:
    """Counts of a user lookup (``data.public_metrics``); NotFound for an ``errors``-only body."""
    user = get_path(payload, "data")
    if not isinstance(user, dict):
        if as_list(get_path(payload, "errors")):
            raise NotFound("x: user lookup returned errors only", message("x", "not_found"))
        raise MalformedResponse("x: user lookup has no data object", message("x", "malformed"))
    metrics = as_dict(user.get("public_metrics"))
    return ProfileSnapshot(
        followers=to_int(metrics.get("followers_count")),
        following=to_int(metrics.get("following_count")),
        post_count=to_int(metrics.get("tweet_count")),
        platform_id=to_str(user.get("id")),
        name=to_str(user.get("name")) or to_str(user.get("username")),
    )


def parse_tweet(item: Any, handle: str = "i") -> PostRecord | None:
    tweet = as_dict(item)
    tweet_id, posted_at = to_str(tweet.get("id")), parse_iso_time(tweet.get("created_at"))
    if tweet_id is None or posted_at is None:
        return None
    metrics = as_dict(tweet.get("public_metrics"))
    reposts, quotes = to_int(metrics.get("retweet_count")), to_int(metrics.get("quote_count"))
    shares = None if reposts is None and quotes is None else (reposts or 0) + (quotes or 0)
    return PostRecord(
        post_id=tweet_id,
        posted_at=posted_at,
        caption=to_str(tweet.get("text")),
        url=to_link(f"https://x.com/{handle}/status/{tweet_id}", "X post"),
        media_type="post",
        likes=to_int(metrics.get("like_count")),
        comments=to_int(metrics.get("reply_count")),
        shares=shares,
        views=to_int(metrics.get("impression_count")),
    )


def parse_posts(payload: Any, handle: str = "i") -> tuple[list[PostRecord], str | None]:
    """Posts of one timeline page and ``meta.next_token`` (absent on the last page)."""
    if not isinstance(payload, dict):
        raise MalformedResponse("x: timeline response is not an object", message("x", "malformed"))
    posts = [p for p in (parse_tweet(t, handle) for t in as_list(payload.get("data"))) if p]
    return posts, to_str(get_path(payload, "meta", "next_token"))


class XCollector:
    platform: ClassVar[str] = "x"

    def __init__(
        self, client: httpx.Client, settings: Settings, *, options: HttpOptions | None = None
    ) -> None:
        self.settings = settings
        self.http = RequestHelper(client, self.platform, classify_x, options)
        self._user_ids: dict[str, str] = {}

    @property
    def request_count(self) -> int:
        return self.http.requests

    def fetch_profile(self, account: AccountRef) -> ProfileSnapshot:
        url = f"{self._base}/users/by/username/{account.handle.lstrip('@')}"
        profile = parse_profile(self._get(url, {"user.fields": USER_FIELDS}))
        if profile.platform_id:
            self._user_ids[account.handle] = profile.platform_id
        return profile

    def fetch_posts(self, account: AccountRef, since: datetime) -> Iterator[PostRecord]:
        first = {
            "max_results": str(PAGE_SIZE),
            "exclude": "retweets,replies",
            "tweet.fields": TWEET_FIELDS,
        }
        if aware(since) > X_EPOCH:  # X rejects a start_time before 2010-11-06
            first["start_time"] = isoformat_z(aware(since))

        def page(token: str | None) -> tuple[list[PostRecord], str | None]:
            params = dict(first, pagination_token=token) if token else first
            url = f"{self._base}/users/{self._user_id(account)}/tweets"
            return parse_posts(self._get(url, params), account.handle)

        return walk_posts(page, since)

    @property
    def _base(self) -> str:
        return self.settings.x_base_url.rstrip("/")

    def _user_id(self, account: AccountRef) -> str:
        if account.platform_id:
            return account.platform_id
        if account.handle not in self._user_ids:
            self.fetch_profile(account)
        user_id = self._user_ids.get(account.handle)
        if not user_id:
            raise MalformedResponse("x: user lookup gave no id", message("x", "malformed"))
        return user_id

    def _get(self, url: str, params: dict[str, str]) -> Any:
        token = self.settings.x_bearer_token.strip()
        if not token:
            raise ConfigError("x: PANTAU_X_BEARER_TOKEN is empty", message("x", "config"))
        headers = {"Authorization": f"Bearer {token}"}
        return self.http.request_json("GET", url, params=params, headers=headers)
