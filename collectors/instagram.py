"""Instagram through Graph API Business Discovery, queried via Diskominfo's own pro account.

Requests: one per profile; one per media page (25 media) for posts, retries counted too.
Target accounts must be Business or Creator accounts (else Graph code 110 / subcode 2207013).
"""

from __future__ import annotations

from collections.abc import Iterator
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
from collectors.errors import graph_classifier
from collectors.http import HttpOptions, RequestHelper
from collectors.messages import message
from collectors.paging import walk_posts
from collectors.parsing import as_dict, as_list, get_path, parse_graph_time, to_int, to_str
from core.settings import Settings

PAGE_SIZE = 25
PROFILE_FIELDS = "id,username,name,followers_count,follows_count,media_count"
MEDIA_FIELDS = (
    "id,caption,comments_count,like_count,timestamp,permalink,media_type,media_product_type"
)


def parse_profile(payload: Any) -> ProfileSnapshot:
    """The target's counts from a Business Discovery response."""
    discovery = get_path(payload, "business_discovery")
    if not isinstance(discovery, dict):
        raise MalformedResponse(
            "instagram: response has no business_discovery object",
            message("instagram", "malformed"),
        )
    return ProfileSnapshot(
        followers=to_int(discovery.get("followers_count")),
        following=to_int(discovery.get("follows_count")),
        post_count=to_int(discovery.get("media_count")),
        platform_id=to_str(discovery.get("id")),
        name=to_str(discovery.get("name")) or to_str(discovery.get("username")),
    )


def parse_media(item: Any) -> PostRecord | None:
    """One media object; None when it lacks an id or a readable timestamp."""
    media = as_dict(item)
    post_id, posted_at = to_str(media.get("id")), parse_graph_time(media.get("timestamp"))
    if post_id is None or posted_at is None:
        return None
    kind = to_str(media.get("media_type"))
    if media.get("media_product_type") == "REELS":
        kind = "REELS"
    return PostRecord(
        post_id=post_id,
        posted_at=posted_at,
        caption=to_str(media.get("caption")),
        url=to_str(media.get("permalink")),
        media_type=kind.lower() if kind else None,
        likes=to_int(media.get("like_count")),  # omitted when the owner hides likes -> None
        comments=to_int(media.get("comments_count")),
    )


def parse_posts(payload: Any) -> tuple[list[PostRecord], str | None]:
    """Media of one page and the ``after`` cursor (None on the last page).

    Business Discovery's nested media page carries ``paging.cursors.after`` and usually no
    ``next``; the last page has only ``before``. So paging follows ``after``, not ``next``.
    """
    media = get_path(payload, "business_discovery", "media")
    if not isinstance(media, dict):
        if isinstance(get_path(payload, "business_discovery"), dict):
            return [], None  # an account with no media at all
        raise MalformedResponse(
            "instagram: response has no business_discovery.media", message("instagram", "malformed")
        )
    posts = [p for p in map(parse_media, as_list(media.get("data"))) if p is not None]
    after = to_str(get_path(media, "paging", "cursors", "after"))
    return posts, after if media.get("data") else None


class InstagramCollector:
    platform: ClassVar[str] = "instagram"

    def __init__(
        self, client: httpx.Client, settings: Settings, *, options: HttpOptions | None = None
    ) -> None:
        self.settings = settings
        self.http = RequestHelper(client, self.platform, graph_classifier(self.platform), options)

    @property
    def request_count(self) -> int:
        return self.http.requests

    def fetch_profile(self, account: AccountRef) -> ProfileSnapshot:
        fields = f"business_discovery.username({account.handle}){{{PROFILE_FIELDS}}}"
        return parse_profile(self._discover(fields))

    def fetch_posts(self, account: AccountRef, since: datetime) -> Iterator[PostRecord]:
        def page(cursor: str | None) -> tuple[list[PostRecord], str | None]:
            after = f".after({cursor})" if cursor else ""
            edge = f"media{after}.limit({PAGE_SIZE}){{{MEDIA_FIELDS}}}"
            return parse_posts(
                self._discover(f"business_discovery.username({account.handle}){{{edge}}}")
            )

        return walk_posts(page, since)

    def _discover(self, fields: str) -> Any:
        user_id, token = self.settings.ig_user_id.strip(), self.settings.meta_token.strip()
        if not user_id or not token:
            raise ConfigError(
                "instagram: PANTAU_IG_USER_ID and PANTAU_META_TOKEN are required",
                message("instagram", "config"),
            )
        url = f"{self.settings.instagram_base_url.rstrip('/')}/{user_id}"
        return self.http.request_json("GET", url, params={"fields": fields, "access_token": token})
