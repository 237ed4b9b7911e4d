"""The one small contract every platform collector implements.

A collector only *fetches*: it turns platform responses into the records below and raises a
:class:`CollectorError` subclass on failure. Saving is `collectors/run.py`'s job, through
`db/repository.py`. Only the post id and time are mandatory; every other field may be None
(unknown), and a hidden count is None, never 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Protocol

import httpx

from core.settings import Settings


@dataclass(frozen=True)
class AccountRef:
    """What a collector knows about the account it is asked to read."""

    account_id: int
    platform: str
    handle: str
    platform_id: str | None = None
    url: str | None = None
    token: str | None = None  # a per-account token (TikTok, a Facebook Page token), decrypted


@dataclass(frozen=True)
class ProfileSnapshot:
    followers: int | None
    following: int | None = None
    post_count: int | None = None
    platform_id: str | None = None  # learnt on first contact, e.g. a YouTube channel id
    name: str | None = None


@dataclass(frozen=True)
class CommentReply:
    """One public comment read with the owner's token, kept only as the reply measures need:
    its id (to count it once), when it was written and when the owner first answered it (None:
    not answered). Never the text, the name or the id of who wrote it (owner-access.md §9)."""

    comment_id: str
    commented_at: datetime  # aware, UTC
    first_reply_at: datetime | None = None


@dataclass(frozen=True)
class PostRecord:
    post_id: str
    posted_at: datetime  # aware, UTC
    caption: str | None = None
    url: str | None = None
    media_type: str | None = None
    likes: int | None = None  # Facebook: all reactions
    comments: int | None = None  # X: replies
    shares: int | None = None  # X: reposts + quotes
    views: int | None = None
    comments_sampled: int | None = None  # public comments read, for the reply rate
    comments_answered: int | None = None  # ... of which the account's owner answered
    # Facebook/Instagram with the owner's token: the comments read (None: not read, unknown)
    comment_replies: tuple[CommentReply, ...] | None = None


class CollectorError(Exception):
    """A failure for one account (or, with ``platform_wide``, for the whole platform pass).

    ``message_id`` is the plain Indonesian sentence the dashboard's health page shows;
    ``str(error)`` is the English detail for logs. Neither may contain a secret.
    """

    error_class: ClassVar[str] = "transient"
    platform_wide: ClassVar[bool] = False

    def __init__(self, detail: str, message_id: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.message_id = message_id
        self.retry_after = retry_after


class AuthError(CollectorError):
    """Invalid or expired credential: stops the platform's pass once, with one message."""

    error_class = "auth"
    platform_wide = True


class ConfigError(CollectorError):
    """A setting or credential is missing; also stops the platform's pass."""

    error_class = "config"
    platform_wide = True


class NotFound(CollectorError):
    """The account does not exist, is private, or is not of a readable kind."""

    error_class = "not_found"


class RateLimited(CollectorError):
    error_class = "rate_limited"


class QuotaExceeded(CollectorError):
    """A daily quota is spent: the rest of the platform's pass waits for tomorrow."""

    error_class = "quota"
    platform_wide = True


class TransientError(CollectorError):
    error_class = "transient"


class MalformedResponse(CollectorError):
    error_class = "malformed"


class Collector(Protocol):
    """One platform. Constructed with an injected ``httpx.Client`` and the settings."""

    platform: ClassVar[str]

    def __init__(self, client: httpx.Client, settings: Settings) -> None: ...

    def fetch_profile(self, account: AccountRef) -> ProfileSnapshot:
        """The account's current audience (followers may be None where a platform has none)."""
        ...

    def fetch_posts(self, account: AccountRef, since: datetime) -> Iterator[PostRecord]:
        """Posts published at or after ``since``, newest first, following every page."""
        ...
