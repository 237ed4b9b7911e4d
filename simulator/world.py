"""The simulated world: accounts, their follower counts and posts, and a settable clock.

Every account keeps its posts sorted oldest first with a unique integer key (Unix
milliseconds, nudged by 1 ms on a tie), so a page is a ``bisect`` plus a slice: per-request
work stays proportional to the page size. Cursors of every platform encode such a key, so
posts added or deleted between two pages never shift what a cursor points at.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from simulator import credentials
from simulator.ids import platform_id as make_platform_id

PLATFORMS = ("instagram", "facebook", "youtube", "tiktok", "x", "website")


@dataclass(slots=True)
class SimPost:
    post_id: str
    posted_at: datetime  # aware, UTC
    caption: str | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    views: int | None = None
    url: str | None = None
    media_type: str | None = None
    key: int = 0  # set by the owning account: unique ordering key, Unix milliseconds


class _Index(NamedTuple):
    posts: list[SimPost]  # oldest first
    keys: list[int]
    views: list[int]  # prefix sums of views: views[i] = sum over posts[:i]
    by_id: dict[str, SimPost]


def to_ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("simulator times must be timezone-aware")
    return round(moment.timestamp() * 1000)


def _build_index(posts: Iterable[SimPost]) -> _Index:
    ordered = sorted(posts, key=lambda p: (p.posted_at, p.post_id))
    keys: list[int] = []
    views = [0]
    for post in ordered:
        post.posted_at = post.posted_at.astimezone(UTC)
        post.key = max(to_ms(post.posted_at), keys[-1] + 1 if keys else 0)
        keys.append(post.key)
        views.append(views[-1] + (post.views or 0))
    return _Index(ordered, keys, views, {p.post_id: p for p in ordered})


@dataclass
class SimAccount:
    platform: str
    handle: str
    platform_id: str
    name: str
    followers: list[tuple[int, int]] = field(default_factory=list)  # (ms, count), ascending
    following: int = 0
    has_rest: bool = True  # websites only: False serves RSS but no WordPress REST API
    tombstones: dict[str, int] = field(default_factory=dict)  # deleted post id -> its key
    index: _Index = field(default_factory=lambda: _build_index(()))

    def set_posts(self, posts: Iterable[SimPost]) -> None:
        self.index = _build_index(posts)

    def followers_at(self, now_ms: int) -> int:
        """The latest snapshot at or before ``now_ms`` (the earliest if none is that old)."""
        if not self.followers:
            return 0
        at = bisect_right(self.followers, (now_ms, 2**62)) - 1
        return self.followers[max(at, 0)][1]

    def visible_end(self, now_ms: int) -> int:
        """Index one past the newest post already published at ``now_ms``."""
        return bisect_right(self.index.keys, now_ms)

    def window(self, now_ms: int, since_ms: int | None, until_ms: int | None) -> tuple[int, int]:
        """``[lo, hi)`` of the posts published in ``[since, until]`` and not after now."""
        keys = self.index.keys
        hi = self.visible_end(now_ms)
        if until_ms is not None:
            hi = min(hi, bisect_right(keys, until_ms))
        lo = 0 if since_ms is None else bisect_left(keys, since_ms)
        return lo, max(lo, hi)

    def below(self, key: int) -> int:
        """Index one past the newest post whose key is smaller than ``key``."""
        return bisect_left(self.index.keys, key)

    def key_of(self, post_id: str) -> int | None:
        post = self.index.by_id.get(post_id)
        return post.key if post else self.tombstones.get(post_id)

    def visible_views(self, now_ms: int) -> int:
        return self.index.views[self.visible_end(now_ms)]


class SimWorld:
    """All simulated accounts. Mutations are thread-safe; reads see whole snapshots."""

    def __init__(self, now: datetime, accounts: Iterable[SimAccount] = ()) -> None:
        self._lock = threading.Lock()
        self._accounts: dict[tuple[str, str], SimAccount] = {}
        self._by_pid: dict[tuple[str, str], SimAccount] = {}
        self._by_token: dict[str, SimAccount] = {}
        self._owners: dict[tuple[str, str], SimAccount] = {}
        self.now = now
        for account in accounts:
            self._register(account)

    @property
    def now(self) -> datetime:
        return self._now

    @now.setter
    def now(self, value: datetime) -> None:
        self._now_ms = to_ms(value)
        self._now = value.astimezone(UTC)

    @property
    def now_ms(self) -> int:
        return self._now_ms

    def _register(self, account: SimAccount) -> None:
        key = (account.platform, account.handle.lower())
        if key in self._accounts:
            raise ValueError(f"duplicate account {account.platform}:{account.handle}")
        self._accounts[key] = account
        self._by_pid[(account.platform, account.platform_id.lower())] = account
        if account.platform == "tiktok":
            self._by_token[credentials.tiktok_token(account.handle)] = account
        for post_id in account.index.by_id:
            self._owners[(account.platform, post_id)] = account

    def add_account(
        self,
        platform: str,
        handle: str,
        *,
        followers: int = 0,
        posts: Iterable[SimPost] = (),
        name: str | None = None,
        has_rest: bool = True,
    ) -> SimAccount:
        if platform not in PLATFORMS:
            raise ValueError(f"unknown platform {platform!r}")
        account = SimAccount(
            platform, handle, make_platform_id(platform, handle), name or handle, has_rest=has_rest
        )
        account.followers = [(self.now_ms, followers)]
        account.set_posts(posts)
        with self._lock:
            self._register(account)
        return account

    def accounts(self, platform: str | None = None) -> list[SimAccount]:
        return [a for a in self._accounts.values() if platform in (None, a.platform)]

    def find(self, platform: str, handle: str) -> SimAccount | None:
        return self._accounts.get((platform, handle.lower()))

    def account(self, platform: str, handle: str) -> SimAccount:
        found = self.find(platform, handle)
        if found is None:
            raise KeyError(f"no simulated account {platform}:{handle}")
        return found

    def by_platform_id(self, platform: str, pid: str) -> SimAccount | None:
        return self._by_pid.get((platform, pid.lower()))

    def by_tiktok_token(self, token: str) -> SimAccount | None:
        return self._by_token.get(token)

    def tiktok_token(self, handle: str) -> str:
        """The access token the simulator accepts for this TikTok account."""
        return credentials.tiktok_token(self.account("tiktok", handle).handle)

    def post_owner(self, platform: str, post_id: str) -> SimAccount | None:
        return self._owners.get((platform, post_id))

    def visible_posts(self, platform: str, handle: str) -> list[SimPost]:
        """The account's posts published by now, newest first."""
        account = self.account(platform, handle)
        return account.index.posts[: account.visible_end(self.now_ms)][::-1]

    def delete_post(self, platform: str, handle: str, post_id: str) -> SimPost:
        account = self.account(platform, handle)
        with self._lock:
            post = account.index.by_id.get(post_id)
            if post is None:
                raise KeyError(f"{platform}:{handle} has no post {post_id!r}")
            account.tombstones[post_id] = post.key
            account.set_posts(p for p in account.index.posts if p.post_id != post_id)
            self._owners.pop((platform, post_id), None)
        return post

    def add_post(self, platform: str, handle: str, post: SimPost) -> SimPost:
        """Add (or replace, by id) a post; it shows once ``now`` reaches its time."""
        account = self.account(platform, handle)
        with self._lock:
            others = [p for p in account.index.posts if p.post_id != post.post_id]
            account.set_posts([*others, post])
            account.tombstones.pop(post.post_id, None)
            self._owners[(platform, post.post_id)] = account
        return post

    def set_followers(
        self, platform: str, handle: str, followers: int, at: datetime | None = None
    ) -> None:
        """Record a follower count from ``at`` (default: now) onwards."""
        account = self.account(platform, handle)
        moment = self.now_ms if at is None else to_ms(at)
        with self._lock:
            series = [s for s in account.followers if s[0] != moment]
            series.append((moment, followers))
            account.followers = sorted(series)
