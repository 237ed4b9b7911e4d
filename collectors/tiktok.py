"""TikTok Display API v2 with each OPD's own OAuth access token (``AccountRef.token``).

Requests: one ``user/info/`` per profile; one ``video/list/`` POST per page of 20 videos, retries
counted too. A refresh (:func:`refresh_access_token`) is one ``oauth/token/`` POST.
An invalid token fails only its own account (:class:`AccountAuthError`, not platform-wide).

Who has to act decides the error. With the app's client key and secret configured, a missing
or rejected token is the account owner's to fix (the OPD admin authorises Pantau again). Without
them no token can be issued or renewed (TikTok access tokens last a day), so a missing or
rejected token is the office's configuration problem (:class:`AccountConfigError`, the
``("tiktok", "config")`` message), still per account: accounts with a working token go on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

import httpx

from collectors.base import (
    AccountRef,
    ConfigError,
    MalformedResponse,
    PostRecord,
    ProfileSnapshot,
)
from collectors.errors import AccountAuthError, AccountConfigError, classify_tiktok
from collectors.http import HttpOptions, RequestHelper
from collectors.messages import message
from collectors.paging import walk_posts
from collectors.parsing import as_dict, as_list, get_path, parse_epoch, to_int, to_link, to_str
from core.settings import Settings

__all__ = [
    "AccountAuthError",
    "AccountConfigError",
    "TikTokCollector",
    "TokenPair",
    "parse_posts",
    "parse_profile",
    "refresh_access_token",
]

PAGE_SIZE = 20  # the documented maximum of ``max_count``
# user.info.basic and user.info.stats only: ``username`` would need user.info.profile too
USER_FIELDS = "open_id,display_name,follower_count,following_count,likes_count,video_count"
VIDEO_FIELDS = (
    "id,create_time,title,video_description,duration,share_url,"
    "like_count,comment_count,share_count,view_count"
)


@dataclass(frozen=True)
class TokenPair:
    """The result of a refresh. Refresh tokens rotate: persist the new one atomically."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: int | None = None  # seconds
    refresh_expires_in: int | None = None  # seconds
    open_id: str | None = None
    scope: str | None = None


def _malformed(detail: str) -> MalformedResponse:
    return MalformedResponse(f"tiktok: {detail}", message("tiktok", "malformed"))


def parse_profile(payload: Any) -> ProfileSnapshot:
    """Counts from a ``user/info/`` envelope (``data.user``)."""
    user = get_path(payload, "data", "user")
    if not isinstance(user, dict):
        raise _malformed("user/info response has no data.user")
    return ProfileSnapshot(
        followers=to_int(user.get("follower_count")),
        following=to_int(user.get("following_count")),
        post_count=to_int(user.get("video_count")),
        platform_id=to_str(user.get("open_id")),
        name=to_str(user.get("display_name")) or to_str(user.get("username")),
    )


def parse_video(item: Any) -> PostRecord | None:
    video = as_dict(item)
    video_id, posted_at = to_str(video.get("id")), parse_epoch(video.get("create_time"))
    if video_id is None or posted_at is None:
        return None
    return PostRecord(
        post_id=video_id,
        posted_at=posted_at,
        caption=to_str(video.get("video_description")) or to_str(video.get("title")),
        url=to_link(video.get("share_url"), "TikTok video"),
        media_type="video",
        likes=to_int(video.get("like_count")),
        comments=to_int(video.get("comment_count")),
        shares=to_int(video.get("share_count")),
        views=to_int(video.get("view_count")),
    )


def parse_posts(payload: Any) -> tuple[list[PostRecord], int | None]:
    """Videos of one ``video/list/`` page and the cursor (ms) when ``has_more`` is true."""
    data = get_path(payload, "data")
    if not isinstance(data, dict):
        raise _malformed("video/list response has no data object")
    posts = [p for p in map(parse_video, as_list(data.get("videos"))) if p is not None]
    cursor = to_int(data.get("cursor"))
    return posts, cursor if data.get("has_more") is True else None


def parse_token(payload: Any) -> TokenPair:
    body = as_dict(payload)
    access, refresh = to_str(body.get("access_token")), to_str(body.get("refresh_token"))
    if not access or not refresh:
        raise _malformed("token response lacks access_token/refresh_token")
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_in=to_int(body.get("expires_in")),
        refresh_expires_in=to_int(body.get("refresh_expires_in")),
        open_id=to_str(body.get("open_id")),
        scope=to_str(body.get("scope")),
    )


def app_configured(settings: Settings) -> bool:
    """True when the TikTok app's client key and secret are set (tokens can be renewed)."""
    return bool(settings.tiktok_client_key.strip() and settings.tiktok_client_secret.strip())


def refresh_access_token(
    client: httpx.Client,
    settings: Settings,
    refresh_token: str,
    *,
    options: HttpOptions | None = None,
) -> TokenPair:
    """Exchange a refresh token for a new pair (``POST oauth/token/``, form-encoded).

    Raises ConfigError without client credentials, AccountAuthError when TikTok rejects the
    refresh token (the OPD must authorize again).
    """
    key, secret = settings.tiktok_client_key.strip(), settings.tiktok_client_secret.strip()
    if not app_configured(settings):
        raise ConfigError("tiktok: client key/secret are not set", message("tiktok", "config"))
    if not refresh_token:
        raise AccountAuthError("tiktok: no refresh token", message("tiktok", "account_auth"))
    helper = RequestHelper(client, "tiktok", classify_tiktok, options)
    form = {
        "client_key": key,
        "client_secret": secret,
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
    }
    url = f"{settings.tiktok_base_url.rstrip('/')}/oauth/token/"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cache-Control": "no-cache"}
    return parse_token(helper.request_json("POST", url, data=form, headers=headers))


class TikTokCollector:
    platform: ClassVar[str] = "tiktok"

    def __init__(
        self, client: httpx.Client, settings: Settings, *, options: HttpOptions | None = None
    ) -> None:
        self.settings = settings
        self.http = RequestHelper(client, self.platform, classify_tiktok, options)

    @property
    def request_count(self) -> int:
        return self.http.requests

    def fetch_profile(self, account: AccountRef) -> ProfileSnapshot:
        url = f"{self._base}/user/info/"
        return parse_profile(self._request(account, "GET", url, params={"fields": USER_FIELDS}))

    def fetch_posts(self, account: AccountRef, since: datetime) -> Iterator[PostRecord]:
        url = f"{self._base}/video/list/"

        def page(cursor: int | None) -> tuple[list[PostRecord], int | None]:
            body: dict[str, int] = {"max_count": PAGE_SIZE}
            if cursor is not None:
                body["cursor"] = cursor
            payload = self._request(
                account, "POST", url, params={"fields": VIDEO_FIELDS}, json=body
            )
            return parse_posts(payload)

        return walk_posts(page, since)

    @property
    def _base(self) -> str:
        return self.settings.tiktok_base_url.rstrip("/")

    def _request(self, account: AccountRef, method: str, url: str, **kwargs: Any) -> Any:
        try:
            return self.http.request_json(method, url, headers=self._auth(account), **kwargs)
        except AccountAuthError as exc:
            if app_configured(self.settings):
                raise
            raise self._config_error(account, "was rejected") from exc

    def _auth(self, account: AccountRef) -> dict[str, str]:
        if account.token:
            return {"Authorization": f"Bearer {account.token}"}
        if not app_configured(self.settings):
            raise self._config_error(account, "is missing")
        raise AccountAuthError(
            f"tiktok: account {account.handle!r} has no access token",
            message("tiktok", "account_auth"),
        )

    @staticmethod
    def _config_error(account: AccountRef, what: str) -> AccountConfigError:
        return AccountConfigError(
            f"tiktok: the access token of {account.handle!r} {what} and the app's client "
            "key/secret are not set, so no token can be issued or renewed",
            message("tiktok", "config"),
        )
