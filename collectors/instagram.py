"""Instagram through Graph API Business Discovery, queried via Diskominfo's own pro account.

Requests: one per profile; one per media page (25 media) for posts, retries counted too.
Target accounts must be Business or Creator accounts (else Graph code 110 / subcode 2207013).
With the owner's token (the linked Page's token, stored for the Instagram account too), also
the comments of young media and the owner's replies: ``/{ig-media-id}/comments`` with nested
``replies``, at most ``MAX_COMMENT_PAGES`` pages of 50 per media (bounds in
``collectors/owner_comments.py``). A reply is the owner's when its ``username`` is the
account's username (``from.id`` is an IGSID, not the account id: owner-access.md §1.12).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, ClassVar

import httpx

from collectors.base import (
    AccountRef,
    CommentReply,
    ConfigError,
    MalformedResponse,
    PostRecord,
    ProfileSnapshot,
)
from collectors.errors import graph_classifier
from collectors.http import HttpOptions, RequestHelper
from collectors.messages import message
from collectors.owner_comments import CommentReader, comment_pages, first_replies
from collectors.paging import walk_posts
from collectors.parsing import as_dict, as_list, get_path, parse_graph_time, to_int, to_link, to_str
from core.settings import Settings

PAGE_SIZE = 25
PROFILE_FIELDS = "id,username,name,followers_count,follows_count,media_count"
MEDIA_FIELDS = (
    "id,caption,comments_count,like_count,timestamp,permalink,media_type,media_product_type"
)
COMMENT_FIELDS = "id,timestamp,username,replies{id,timestamp,username}"  # no text kept
COMMENT_PAGE_SIZE = 50


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
        url=to_link(media.get("permalink"), "Instagram post"),
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


def _owner(username: Any, handle: str) -> bool:
    name = to_str(username)
    return name is not None and name.lstrip("@").lower() == handle.lstrip("@").lower()


def parse_comments(items: list[dict[str, Any]], handle: str) -> tuple[CommentReply, ...]:
    """Visitors' comments of one media and the owner's first reply to each (by username)."""
    comments: list[tuple[str, datetime]] = []
    replies: list[tuple[str, datetime]] = []
    for item in items:
        comment_id, at = to_str(item.get("id")), parse_graph_time(item.get("timestamp"))
        if comment_id is None or at is None or _owner(item.get("username"), handle):
            continue
        comments.append((comment_id, at))
        for reply in as_list(get_path(item, "replies", "data")):
            reply_at = parse_graph_time(as_dict(reply).get("timestamp"))
            if reply_at is not None and _owner(as_dict(reply).get("username"), handle):
                replies.append((comment_id, reply_at))
    return first_replies(comments, replies)


class InstagramCollector:
    platform: ClassVar[str] = "instagram"

    def __init__(
        self, client: httpx.Client, settings: Settings, *, options: HttpOptions | None = None
    ) -> None:
        self.settings = settings
        self.http = RequestHelper(client, self.platform, graph_classifier(self.platform), options)
        self._owner_classifier = graph_classifier(self.platform, account_token=True)

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

        posts = walk_posts(page, since)
        if not account.token:
            return posts  # public data only: comments are not read
        reader = CommentReader(lambda post: self._comments(account, post))
        return (reader.add(post) for post in posts)

    def _comments(self, account: AccountRef, post: PostRecord) -> tuple[CommentReply, ...]:
        """One media's comments and the owner's first replies, with the owner's token."""
        token = account.token or ""
        first = {"fields": COMMENT_FIELDS, "limit": str(COMMENT_PAGE_SIZE)}
        url = f"{self.settings.instagram_base_url.rstrip('/')}/{post.post_id}/comments"

        def fetch(paging: dict[str, str] | None) -> Any:
            params = {**first, **(paging or {}), "access_token": token}
            return self.http.request_json(
                "GET", url, params=params, classify=self._owner_classifier
            )

        return parse_comments(comment_pages(fetch), account.handle)

    def _discover(self, fields: str) -> Any:
        user_id, token = self.settings.ig_user_id.strip(), self.settings.meta_token.strip()
        if not user_id or not token:
            raise ConfigError(
                "instagram: PANTAU_IG_USER_ID and PANTAU_META_TOKEN are required",
                message("instagram", "config"),
            )
        url = f"{self.settings.instagram_base_url.rstrip('/')}/{user_id}"
        return self.http.request_json("GET", url, params={"fields": fields, "access_token": token})
