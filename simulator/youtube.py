"""YouTube Data API v3: channels, playlistItems (uploads) and videos; counts are strings."""

from __future__ import annotations

import base64
from functools import partial
from typing import Any

from simulator.context import Ctx
from simulator.credentials import SIM_YOUTUBE_KEY
from simulator.faults import Fault
from simulator.http import (
    START,
    Plan,
    SimRequest,
    SimResponse,
    decode_cursor,
    encode_cursor,
    int_param,
    json_response,
)
from simulator.ids import hex_digest
from simulator.world import SimAccount, SimPost
from simulator.youtube_comments import plan_comment_threads

Json = dict[str, Any]
PAGE_DEFAULT, PAGE_MAX, IDS_MAX = 5, 50, 50
QUOTA_MESSAGE = (
    "The request cannot be completed because you have exceeded your "
    '<a href="/youtube/v3/getting-started#quota">quota</a>.'
)
BAD_KEY = "API key not valid. Please pass a valid API key."


def yt_time(post: SimPost) -> str:
    return post.posted_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def yt_error(
    code: int,
    message: str,
    reason: str,
    domain: str = "global",
    status: str | None = None,
    headers: dict[str, str] | None = None,
) -> SimResponse:
    error: Json = {
        "code": code,
        "message": message,
        "errors": [{"message": message, "domain": domain, "reason": reason}],
    }
    if status:
        error["status"] = status
    return json_response({"error": error}, code, headers)


def _bad_key() -> SimResponse:
    detail = {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "API_KEY_INVALID",
        "domain": "googleapis.com",
        "metadata": {"service": "youtube.googleapis.com"},
    }
    error = {
        "code": 400,
        "message": BAD_KEY,
        "errors": [{"message": BAD_KEY, "domain": "global", "reason": "badRequest"}],
        "status": "INVALID_ARGUMENT",
        "details": [detail],
    }
    return json_response({"error": error}, 400)


def _quota() -> SimResponse:
    return yt_error(403, QUOTA_MESSAGE, "quotaExceeded", "youtube.quota")


def plan(ctx: Ctx, req: SimRequest, rel: str) -> Plan:
    endpoint = rel.strip("/") or "root"
    if not ctx.state.youtube_spend():
        return Plan(endpoint, error=_quota())
    key, bearer, now = req.param("key"), req.bearer(), ctx.world.now.timestamp()
    if not key and ctx.state.oauth.live_grant(bearer, "google", now) is not None:
        key = SIM_YOUTUBE_KEY  # an owner's live Google token stands in for the API key
    if not key:
        message = "The request is missing a valid API key."
        return Plan(endpoint, error=yt_error(403, message, "forbidden", status="PERMISSION_DENIED"))
    if key != SIM_YOUTUBE_KEY:
        return Plan(endpoint, error=_bad_key())
    if not req.param("part"):
        message = "No filter selected. Expected one of: part"
        return Plan(endpoint, error=yt_error(400, message, "required", "global"))
    parts = set((req.param("part") or "").split(","))
    if endpoint == "channels":
        return _plan_channels(ctx, req, parts)
    if endpoint == "playlistItems":
        return _plan_playlist(ctx, req, parts)
    if endpoint == "videos":
        return _plan_videos(ctx, req, parts)
    if endpoint == "commentThreads":
        return plan_comment_threads(ctx, req)
    message = "The requested URL was not found on this server."
    return Plan(endpoint, error=yt_error(404, message, "notFound"))


# ---------------------------------------------------------------- channels


def _plan_channels(ctx: Ctx, req: SimRequest, parts: set[str]) -> Plan:
    handle = (req.param("forHandle") or req.param("forUsername") or "").lstrip("@")
    if handle:
        found = ctx.world.find("youtube", handle)
        accounts = [found] if found else []
        handles: tuple[str, ...] = (handle,)
    else:
        ids = [i for i in (req.param("id") or "").split(",") if i]
        accounts = [a for i in ids if (a := ctx.world.by_platform_id("youtube", i))]
        handles = tuple(a.handle for a in accounts)
    return Plan("channels", handles, partial(_serve_channels, ctx, accounts, parts))


def _serve_channels(ctx: Ctx, accounts: list[SimAccount], parts: set[str], _: bool) -> SimResponse:
    body: Json = {
        "kind": "youtube#channelListResponse",
        "etag": hex_digest("channels:" + ",".join(a.handle for a in accounts), 27),
        "pageInfo": {"totalResults": len(accounts), "resultsPerPage": 5},
    }
    if accounts:  # an unknown handle: no "items" key at all
        body["items"] = [channel_resource(ctx, a, parts) for a in accounts]
    return json_response(body)


def channel_resource(ctx: Ctx, account: SimAccount, parts: set[str]) -> Json:
    now = ctx.world.now_ms
    item: Json = {
        "kind": "youtube#channel",
        "etag": hex_digest(account.handle, 27),
        "id": account.platform_id,
    }
    if "snippet" in parts:
        title, about = account.name, f"Kanal resmi {account.name}"
        item["snippet"] = {
            "title": title,
            "description": about,
            "customUrl": "@" + account.handle.lower(),
            "publishedAt": "2016-03-02T04:11:09Z",
            "thumbnails": {
                "default": {
                    "url": f"https://yt3.ggpht.com/sim/{account.platform_id}=s88",
                    "width": 88,
                    "height": 88,
                }
            },
            "localized": {"title": title, "description": about},
            "country": "ID",
        }
    if "contentDetails" in parts:
        uploads = "UU" + account.platform_id[2:]
        item["contentDetails"] = {"relatedPlaylists": {"likes": "", "uploads": uploads}}
    if "statistics" in parts:
        item["statistics"] = {
            "viewCount": str(account.visible_views(now)),
            "subscriberCount": str(account.followers_at(now)),
            "hiddenSubscriberCount": False,
            "videoCount": str(account.visible_end(now)),
        }
    return item


# ---------------------------------------------------------------- playlistItems


def _plan_playlist(ctx: Ctx, req: SimRequest, parts: set[str]) -> Plan:
    playlist = req.param("playlistId") or ""
    owner = (
        ctx.world.by_platform_id("youtube", "UC" + playlist[2:]) if playlist[:2] == "UU" else None
    )
    handles = (owner.handle,) if owner else ()
    serve = partial(_serve_playlist, ctx, req, owner, playlist, parts)
    return Plan("playlistItems", handles, serve, listing=True)


def _playlist_not_found() -> SimResponse:
    message = (
        "The playlist identified with the request's <code>playlistId</code> parameter "
        "cannot be found."
    )
    return yt_error(404, message, "playlistNotFound", "youtube.playlistItem", status="NOT_FOUND")


def _serve_playlist(
    ctx: Ctx, req: SimRequest, owner: SimAccount | None, playlist: str, parts: set[str], empty: bool
) -> SimResponse:
    if owner is None:
        return _playlist_not_found()
    token = req.param("pageToken")
    try:
        limit = max(0, min(int_param(req.param("maxResults"), PAGE_DEFAULT), PAGE_MAX))
        key = decode_cursor(token) if token else None
    except ValueError:
        message = "The request specifies an invalid page token."
        return yt_error(400, message, "invalidPageToken", "youtube.parameter")
    visible = owner.visible_end(ctx.world.now_ms)
    hi = visible if key is None else min(visible, owner.below(key))
    page = [] if empty else owner.index.posts[max(0, hi - limit) : hi][::-1]
    body: Json = {
        "kind": "youtube#playlistItemListResponse",
        "etag": hex_digest(f"{playlist}:{token}", 27),
    }
    if empty:
        body["nextPageToken"] = token or encode_cursor(START)
    elif page and hi - limit > 0:
        body["nextPageToken"] = encode_cursor(page[-1].key)
    if token:
        body["prevPageToken"] = encode_cursor(START)
    body["pageInfo"] = {"totalResults": visible, "resultsPerPage": limit}
    first = visible - hi  # position (from the newest) of the page's first item
    body["items"] = [
        _playlist_item(owner, playlist, post, first + i, parts) for i, post in enumerate(page)
    ]
    return json_response(body)


def _playlist_item(
    account: SimAccount, playlist: str, post: SimPost, position: int, parts: set[str]
) -> Json:
    raw = f"{playlist}.{post.post_id}".encode()
    item: Json = {
        "kind": "youtube#playlistItem",
        "etag": hex_digest(post.post_id, 27),
        "id": base64.b64encode(raw).decode(),
    }
    if "snippet" in parts:
        item["snippet"] = {
            "publishedAt": yt_time(post),
            "channelId": account.platform_id,
            "title": _title(post),
            "description": post.caption or "",
            "thumbnails": _thumbs(post),
            "channelTitle": account.name,
            "playlistId": playlist,
            "position": position,
            "resourceId": {"kind": "youtube#video", "videoId": post.post_id},
            "videoOwnerChannelTitle": account.name,
            "videoOwnerChannelId": account.platform_id,
        }
    if "contentDetails" in parts:
        item["contentDetails"] = {"videoId": post.post_id, "videoPublishedAt": yt_time(post)}
    return item


def _title(post: SimPost) -> str:
    return (post.caption or "Video")[:100]


def _thumbs(post: SimPost) -> Json:
    url = f"https://i.ytimg.com/vi/{post.post_id}/hqdefault.jpg"
    return {"high": {"url": url, "width": 480, "height": 360}}


# ---------------------------------------------------------------- videos


def _plan_videos(ctx: Ctx, req: SimRequest, parts: set[str]) -> Plan:
    ids = [i for i in (req.param("id") or "").split(",") if i]
    if len(ids) > IDS_MAX:
        message = "The request specifies too many video IDs (at most 50)."
        return Plan("videos", error=yt_error(400, message, "invalidParameter", "youtube.parameter"))
    owners = {i: a for i in ids if (a := ctx.world.post_owner("youtube", i))}
    handles = tuple(dict.fromkeys(a.handle for a in owners.values()))
    return Plan("videos", handles, partial(_serve_videos, ctx, ids, owners, parts))


def _serve_videos(
    ctx: Ctx, ids: list[str], owners: dict[str, SimAccount], parts: set[str], _: bool
) -> SimResponse:
    items = []
    for video_id in ids:
        account = owners.get(video_id)
        post = account.index.by_id.get(video_id) if account else None
        if account and post and post.key <= ctx.world.now_ms:
            items.append(_video(account, post, parts))
    body: Json = {
        "kind": "youtube#videoListResponse",
        "etag": hex_digest(",".join(ids), 27),
        "items": items,
        "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
    }
    return json_response(body)


def _video(account: SimAccount, post: SimPost, parts: set[str]) -> Json:
    item: Json = {
        "kind": "youtube#video",
        "etag": hex_digest("v" + post.post_id, 27),
        "id": post.post_id,
    }
    if "snippet" in parts:
        item["snippet"] = {
            "publishedAt": yt_time(post),
            "channelId": account.platform_id,
            "title": _title(post),
            "description": post.caption or "",
            "thumbnails": _thumbs(post),
            "channelTitle": account.name,
            "categoryId": "25",
            "liveBroadcastContent": "none",
        }
    if "contentDetails" in parts:
        seconds = 30 + int(hex_digest(post.post_id, 4), 16) % 1800
        item["contentDetails"] = {
            "duration": f"PT{seconds // 60}M{seconds % 60}S",
            "dimension": "2d",
            "definition": "hd",
            "caption": "false",
            "licensedContent": False,
            "projection": "rectangular",
        }
    if "statistics" in parts:
        stats = {"viewCount": str(post.views or 0)}
        if post.likes is not None:  # absent when likes are hidden
            stats["likeCount"] = str(post.likes)
        stats["favoriteCount"] = "0"
        if post.comments is not None:  # absent when comments are off
            stats["commentCount"] = str(post.comments)
        item["statistics"] = stats
    return item


# ---------------------------------------------------------------- faults


def fault_response(ctx: Ctx, req: SimRequest, plan: Plan, fault: Fault) -> SimResponse:
    kind = fault.kind
    if kind == "quota_exceeded":
        return _quota()
    if kind == "rate_limit":
        message = "The request cannot be completed because you have exceeded your rate limit."
        headers = {"retry-after": str(fault.retry_after)}
        return yt_error(
            429, message, "rateLimitExceeded", "youtube.quota", "RESOURCE_EXHAUSTED", headers
        )
    if kind == "server_error":
        status = fault.status or 500
        return yt_error(
            status,
            "Backend Error",
            "backendError",
            status="UNAVAILABLE" if status == 503 else "INTERNAL",
        )
    if kind == "expired_token":  # the older invalid-key shape
        return yt_error(400, "Bad Request", "keyInvalid", "usageLimits")
    if kind == "invalid_token":
        return _bad_key()
    if kind == "not_found" and plan.endpoint == "playlistItems":
        return _playlist_not_found()
    if kind == "not_found":
        kind_name = (
            "youtube#videoListResponse"
            if plan.endpoint == "videos"
            else "youtube#channelListResponse"
        )
        body: Json = {
            "kind": kind_name,
            "etag": hex_digest("none", 27),
            "pageInfo": {"totalResults": 0, "resultsPerPage": 5},
        }
        if plan.endpoint == "videos":
            body["items"] = []
        return json_response(body)
    raise ValueError(f"fault {kind!r} has no YouTube answer")
