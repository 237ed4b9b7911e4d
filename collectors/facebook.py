"""Facebook Pages through the Graph API, with a per-Page token or Diskominfo's Meta token.

Requests: one per profile; one per ``/posts`` page (25 posts) for posts, retries counted too.
Without a Page token the app needs Page Public Content Access to read a Page's posts.
With the owner's Page token, also the comments of young posts and the Page's own replies:
``/{post-id}/comments?filter=stream`` (top-level comments and replies in one list), at most
``MAX_COMMENT_PAGES`` pages of 100 per post (bounds in ``collectors/owner_comments.py``). A
reply is the Page's when ``from.id`` is the Page id and ``parent.id`` names the comment.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

import httpx

from collectors.base import (
    AccountRef,
    CommentReply,
    ConfigError,
    MalformedResponse,
    PostRecord,
    ProfileSnapshot,
)
from collectors.errors import Classifier, graph_classifier
from collectors.http import HttpOptions, RequestHelper
from collectors.messages import message
from collectors.owner_comments import CommentReader, comment_pages, first_replies
from collectors.paging import aware, walk_posts
from collectors.parsing import as_dict, as_list, get_path, parse_graph_time, to_int, to_link, to_str
from core.settings import Settings

PAGE_SIZE = 25
PROFILE_FIELDS = "id,name,username,link,fan_count,followers_count"
POST_FIELDS = (
    "id,message,created_time,permalink_url,status_type,shares,"
    "reactions.summary(total_count).limit(0),comments.summary(true).limit(0)"
)
COMMENT_FIELDS = "id,created_time,from{id},parent{id}"  # no name, no message: not needed
COMMENT_PAGE_SIZE = 100


def parse_profile(payload: Any) -> ProfileSnapshot:
    """Followers (``followers_count``, else the Page likes ``fan_count``) of a Page object."""
    if not isinstance(payload, dict) or not payload:
        raise MalformedResponse(
            "facebook: page response is not an object", message("facebook", "malformed")
        )
    followers = to_int(payload.get("followers_count"))
    return ProfileSnapshot(
        followers=followers if followers is not None else to_int(payload.get("fan_count")),
        platform_id=to_str(payload.get("id")),
        name=to_str(payload.get("name")),
    )


def parse_post(item: Any) -> PostRecord | None:
    """One Page post; reactions count as likes, an absent ``shares`` means 0 shares."""
    post = as_dict(item)
    post_id, posted_at = to_str(post.get("id")), parse_graph_time(post.get("created_time"))
    if post_id is None or posted_at is None:
        return None
    shares = post.get("shares")
    return PostRecord(
        post_id=post_id,
        posted_at=posted_at,
        caption=to_str(post.get("message")),
        url=to_link(post.get("permalink_url"), "Facebook post"),
        media_type=to_str(post.get("status_type")),
        likes=to_int(get_path(post, "reactions", "summary", "total_count")),
        comments=to_int(get_path(post, "comments", "summary", "total_count")),
        shares=0 if shares is None else to_int(get_path(shares, "count")),
    )


def parse_posts(payload: Any) -> tuple[list[PostRecord], str | None]:
    """Posts of one ``/posts`` page and its ``paging.next`` URL (None on the last page)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("data", []), list):
        raise MalformedResponse(
            "facebook: posts response has no data list", message("facebook", "malformed")
        )
    posts = [p for p in map(parse_post, as_list(payload.get("data"))) if p is not None]
    return posts, to_str(get_path(payload, "paging", "next"))


def parse_comments(items: list[dict[str, Any]], page_id: str) -> tuple[CommentReply, ...]:
    """Visitors' top-level comments of a ``filter=stream`` list and the Page's first replies.

    The Page's own top-level comments are not questions to answer; a comment without ``from``
    (not returned to this token) counts as a visitor's."""
    comments: list[tuple[str, datetime]] = []
    replies: list[tuple[str, datetime]] = []
    for item in items:
        comment_id, at = to_str(item.get("id")), parse_graph_time(item.get("created_time"))
        if comment_id is None or at is None:
            continue
        author, parent = (
            to_str(get_path(item, "from", "id")),
            to_str(get_path(item, "parent", "id")),
        )
        if parent is not None:
            if author == page_id:
                replies.append((parent, at))
        elif author != page_id:
            comments.append((comment_id, at))
    return first_replies(comments, replies)


class FacebookCollector:
    platform: ClassVar[str] = "facebook"

    def __init__(
        self, client: httpx.Client, settings: Settings, *, options: HttpOptions | None = None
    ) -> None:
        self.settings = settings
        self.http = RequestHelper(client, self.platform, graph_classifier(self.platform), options)
        self._page_classifier = graph_classifier(self.platform, account_token=True)
        self._page_ids: dict[int, str] = {}  # learnt from the profile, for the Page's replies

    @property
    def request_count(self) -> int:
        return self.http.requests

    def fetch_profile(self, account: AccountRef) -> ProfileSnapshot:
        token, classify = self._credentials(account)
        params = {"fields": PROFILE_FIELDS, "access_token": token}
        url = f"{self._base}/{_page(account)}"
        body = self.http.request_json("GET", url, params=params, classify=classify)
        profile = parse_profile(body)
        if profile.platform_id:
            self._page_ids[account.account_id] = profile.platform_id
        return profile

    def fetch_posts(self, account: AccountRef, since: datetime) -> Iterator[PostRecord]:
        url = f"{self._base}/{_page(account)}/posts"
        first = {
            "fields": POST_FIELDS,
            "limit": str(PAGE_SIZE),
            "since": str(int(aware(since).timestamp())),
        }

        def page(next_url: str | None) -> tuple[list[PostRecord], str | None]:
            token, classify = self._credentials(account)
            params = _next_params(next_url) if next_url else dict(first)
            params["access_token"] = token
            body = self.http.request_json("GET", url, params=params, classify=classify)
            return parse_posts(body)

        posts = walk_posts(page, since)
        if not account.token:
            return posts  # public data only: comments are not read
        reader = CommentReader(lambda post: self._comments(account, post))
        return (reader.add(post) for post in posts)

    def _comments(self, account: AccountRef, post: PostRecord) -> tuple[CommentReply, ...]:
        """One post's comments and the Page's first replies, with the Page token."""
        token = account.token or ""
        first = {"filter": "stream", "fields": COMMENT_FIELDS, "limit": str(COMMENT_PAGE_SIZE)}
        url = f"{self._base}/{post.post_id}/comments"

        def fetch(paging: dict[str, str] | None) -> Any:
            params = {**first, **(paging or {}), "access_token": token}
            return self.http.request_json("GET", url, params=params, classify=self._page_classifier)

        page_id = (
            self._page_ids.get(account.account_id)
            or account.platform_id
            or post.post_id.partition("_")[0]  # Page post ids are "{page id}_{post id}"
        )
        return parse_comments(comment_pages(fetch), page_id)

    @property
    def _base(self) -> str:
        return self.settings.facebook_base_url.rstrip("/")

    def _credentials(self, account: AccountRef) -> tuple[str, Classifier]:
        if account.token:
            return account.token, self._page_classifier
        if self.settings.meta_token.strip():
            return self.settings.meta_token.strip(), self.http.classify
        raise ConfigError(
            "facebook: no Page token and no PANTAU_META_TOKEN", message("facebook", "config")
        )


def _page(account: AccountRef) -> str:
    return account.platform_id or account.handle


def _next_params(next_url: str) -> dict[str, str]:
    """The paging state (``until``, ``__paging_token``, …) of a ``paging.next`` URL.

    The request goes to our own base URL with these parameters and our token, so a ``next``
    URL pointing elsewhere never receives the token, and a recorded ``access_token=REDACTED``
    is replaced.
    """
    pairs = parse_qsl(urlsplit(next_url).query, keep_blank_values=True)
    return {k: v for k, v in pairs if k != "access_token"}
