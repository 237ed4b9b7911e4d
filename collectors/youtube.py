"""YouTube Data API v3 with one API key, counting quota units on our side.

Quota units (all 1 unit per call, invalid calls and retries included): ``channels.list`` once per
account per collector instance (its uploads playlist is then cached), ``playlistItems.list`` once
per page of 50 uploads, ``videos.list`` once per batch of up to 50 videos. A pass reading one
new page of uploads for an account therefore costs 3 units. ``search.list`` is never used.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import httpx

from collectors.base import (
    AccountRef,
    ConfigError,
    MalformedResponse,
    NotFound,
    PostRecord,
    ProfileSnapshot,
    QuotaExceeded,
    RateLimited,
    TransientError,
)
from collectors.errors import classify_youtube
from collectors.http import HttpOptions, RequestHelper
from collectors.messages import message
from collectors.paging import walk_pages
from collectors.parsing import as_dict, as_list, get_path, parse_iso_time, to_int, to_link, to_str
from core.settings import Settings

DAILY_QUOTA = 10_000
PAGE_SIZE = 50
CHANNEL_ID = re.compile(r"UC[0-9A-Za-z_-]{22}")


class QuotaBudget:
    """Units spent today; shared by every account of a pass (and thread-safe).

    :meth:`spend` raises QuotaExceeded *before* a call that would go past ``daily_limit``.
    The runner persists ``used`` per Pacific-time day if it wants the budget across passes.
    """

    def __init__(self, daily_limit: int = DAILY_QUOTA, used: int = 0) -> None:
        self.daily_limit = daily_limit
        self._used = used
        self._lock = threading.Lock()

    @property
    def used(self) -> int:
        return self._used

    @property
    def remaining(self) -> int:
        return max(0, self.daily_limit - self._used)

    def spend(self, units: int = 1) -> None:
        with self._lock:
            if self._used + units > self.daily_limit:
                raise QuotaExceeded(
                    f"youtube: quota budget of {self.daily_limit} units reached "
                    f"({self._used} used)",
                    message("youtube", "quota"),
                )
            self._used += units

    def exhaust(self) -> None:
        """The API itself said ``quotaExceeded``: spend nothing more today."""
        with self._lock:
            self._used = max(self._used, self.daily_limit)


@dataclass(frozen=True)
class Upload:
    """One entry of the uploads playlist."""

    post_id: str
    posted_at: datetime


def _malformed(detail: str) -> MalformedResponse:
    return MalformedResponse(f"youtube: {detail}", message("youtube", "malformed"))


def parse_channel(payload: Any) -> dict[str, Any]:
    """The first channel of a ``channels.list`` response; NotFound when there is none."""
    if not isinstance(payload, dict):
        raise _malformed("channels response is not an object")
    items = as_list(payload.get("items"))  # an unknown handle has no ``items`` key [U]
    if not items or not isinstance(items[0], dict):
        raise NotFound("youtube: no channel for this handle/id", message("youtube", "not_found"))
    return items[0]


def parse_profile(payload: Any) -> ProfileSnapshot:
    """Subscriber, video counts (strings in the API) of a ``channels.list`` response."""
    channel = parse_channel(payload)
    stats = as_dict(channel.get("statistics"))
    hidden = stats.get("hiddenSubscriberCount") is True
    return ProfileSnapshot(
        followers=None if hidden else to_int(stats.get("subscriberCount")),
        post_count=to_int(stats.get("videoCount")),
        platform_id=to_str(channel.get("id")),
        name=to_str(get_path(channel, "snippet", "title")),
    )


def uploads_playlist(payload: Any) -> str:
    channel = parse_channel(payload)
    playlist = to_str(get_path(channel, "contentDetails", "relatedPlaylists", "uploads"))
    if playlist:
        return playlist
    channel_id = to_str(channel.get("id")) or ""
    if CHANNEL_ID.fullmatch(channel_id):
        return "UU" + channel_id[2:]
    raise _malformed("channel has no uploads playlist")


def parse_playlist(payload: Any) -> tuple[list[Upload], str | None]:
    """Uploads of one ``playlistItems.list`` page (``videoPublishedAt``) and the next token."""
    if not isinstance(payload, dict):
        raise _malformed("playlistItems response is not an object")
    uploads: list[Upload] = []
    for item in as_list(payload.get("items")):
        video_id = to_str(get_path(item, "contentDetails", "videoId")) or to_str(
            get_path(item, "snippet", "resourceId", "videoId")
        )
        posted = parse_iso_time(get_path(item, "contentDetails", "videoPublishedAt"))
        posted = posted or parse_iso_time(get_path(item, "snippet", "publishedAt"))
        if video_id and posted:
            uploads.append(Upload(video_id, posted))
    return uploads, to_str(payload.get("nextPageToken"))


def parse_video(item: Any) -> PostRecord | None:
    video = as_dict(item)
    video_id = to_str(video.get("id"))
    posted_at = parse_iso_time(get_path(video, "snippet", "publishedAt"))
    if video_id is None or posted_at is None:
        return None
    stats = as_dict(video.get("statistics"))
    return PostRecord(
        post_id=video_id,
        posted_at=posted_at,
        caption=to_str(get_path(video, "snippet", "title")),
        url=to_link(f"https://www.youtube.com/watch?v={video_id}", "YouTube video"),
        media_type="video",
        likes=to_int(stats.get("likeCount")),  # absent when hidden [U] -> None
        comments=to_int(stats.get("commentCount")),  # absent when comments are off [U]
        views=to_int(stats.get("viewCount")),
    )


def parse_posts(payload: Any) -> tuple[list[PostRecord], str | None]:
    """Videos of a ``videos.list`` response (counts are strings) and its next token."""
    if not isinstance(payload, dict):
        raise _malformed("videos response is not an object")
    posts = [p for p in map(parse_video, as_list(payload.get("items"))) if p is not None]
    return posts, to_str(payload.get("nextPageToken"))


REPLY_WINDOW = timedelta(days=30)  # videos this young get a comment sample each pass
THREAD_SAMPLE = 100  # newest top-level comments read per video (one page, one quota unit)


def parse_comment_threads(payload: Any, channel_id: str) -> tuple[int, int]:
    """Top-level comments in a ``commentThreads`` page and how many the channel answered."""
    if not isinstance(payload, dict):
        raise _malformed("commentThreads response is not an object")
    sampled = answered = 0
    for thread in payload.get("items") or []:
        if not isinstance(thread, dict):
            continue
        sampled += 1
        replies = (thread.get("replies") or {}).get("comments") or []
        authors = {
            ((reply.get("snippet") or {}).get("authorChannelId") or {}).get("value")
            for reply in replies
            if isinstance(reply, dict)
        }
        answered += channel_id in authors
    return sampled, answered


class YouTubeCollector:
    platform: ClassVar[str] = "youtube"

    def __init__(
        self,
        client: httpx.Client,
        settings: Settings,
        *,
        options: HttpOptions | None = None,
        budget: QuotaBudget | None = None,
    ) -> None:
        self.settings = settings
        self.http = RequestHelper(client, self.platform, classify_youtube, options)
        self.budget = budget or QuotaBudget()
        self._uploads: dict[int, str] = {}
        self._channel_ids: dict[int, str] = {}

    @property
    def request_count(self) -> int:
        return self.http.requests

    def fetch_profile(self, account: AccountRef) -> ProfileSnapshot:
        payload = self._channel(account)
        self._uploads[account.account_id] = uploads_playlist(payload)
        profile = parse_profile(payload)
        if profile.platform_id:
            self._channel_ids[account.account_id] = profile.platform_id
        return profile

    def fetch_posts(self, account: AccountRef, since: datetime) -> Iterator[PostRecord]:
        def page(token: str | None) -> tuple[list[Upload], str | None]:
            params = {"part": "contentDetails", "maxResults": str(PAGE_SIZE)}
            params["playlistId"] = self._playlist(account)
            if token:
                params["pageToken"] = token
            return parse_playlist(self._get("playlistItems", params))

        for uploads in walk_pages(page, since):
            for post in self._videos(uploads):
                yield self._with_replies(account, post)

    def _videos(self, uploads: list[Upload]) -> list[PostRecord]:
        """Statistics for up to 50 uploads in one ``videos.list`` call, in playlist order."""
        posts: dict[str, PostRecord] = {}
        for start in range(0, len(uploads), PAGE_SIZE):
            ids = ",".join(u.post_id for u in uploads[start : start + PAGE_SIZE])
            found, _ = parse_posts(self._get("videos", {"part": "snippet,statistics", "id": ids}))
            posts.update((p.post_id, p) for p in found)
        return [posts[u.post_id] for u in uploads if u.post_id in posts]  # deleted: skipped

    def _with_replies(self, account: AccountRef, post: PostRecord) -> PostRecord:
        """Add the reply sample to a young video (one quota unit); leave it unknown otherwise."""
        channel = self._channel_ids.get(account.account_id) or account.platform_id
        young = post.posted_at >= datetime.now(UTC) - REPLY_WINDOW
        if not channel or not young or not post.comments:
            return post
        params = {
            "part": "snippet,replies",
            "videoId": post.post_id,
            "maxResults": str(THREAD_SAMPLE),
            "order": "time",
        }
        try:
            sampled, answered = parse_comment_threads(self._get("commentThreads", params), channel)
        except (NotFound, MalformedResponse, TransientError, RateLimited):
            return post  # comments disabled or a hiccup: the rate stays unknown, the video stays
        return replace(post, comments_sampled=sampled, comments_answered=answered)

    def _playlist(self, account: AccountRef) -> str:
        if account.account_id not in self._uploads:
            self._uploads[account.account_id] = uploads_playlist(self._channel(account))
        return self._uploads[account.account_id]

    def _channel(self, account: AccountRef) -> Any:
        params = {"part": "snippet,statistics,contentDetails"}
        channel_id = next(
            (v for v in (account.platform_id, account.handle) if v and CHANNEL_ID.fullmatch(v)),
            None,
        )
        if channel_id:
            params["id"] = channel_id
        else:
            params["forHandle"] = "@" + account.handle.lstrip("@")
        return self._get("channels", params)

    def _get(self, resource: str, params: dict[str, str]) -> Any:
        key = self.settings.youtube_api_key.strip()
        if not key:
            raise ConfigError(
                "youtube: PANTAU_YOUTUBE_API_KEY is empty", message("youtube", "config")
            )
        url = f"{self.settings.youtube_base_url.rstrip('/')}/{resource}"
        try:
            return self.http.request_json(
                "GET", url, params={**params, "key": key}, before_send=self.budget.spend
            )
        except QuotaExceeded:
            self.budget.exhaust()
            raise
