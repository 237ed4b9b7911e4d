"""TikTok Display API v2: user info, video list/query (POST, ``cursor``/``has_more``), refresh.

One access token per account: the token names the account (``credentials.tiktok_token``).
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import parse_qs

from simulator import credentials
from simulator.context import Ctx
from simulator.faults import Fault
from simulator.http import Plan, SimRequest, SimResponse, json_response
from simulator.ids import hex_digest
from simulator.world import SimAccount, SimPost

Json = dict[str, Any]
LIST_DEFAULT, LIST_MAX, QUERY_MAX = 10, 20, 20
SCOPES = "user.info.basic,user.info.profile,user.info.stats,video.list"
ACCESS_SECONDS, REFRESH_SECONDS = 86_400, 31_536_000
INVALID_TOKEN = "The access token is invalid or not found in the request."  # noqa: S105  # nosec B105 - an error text


def envelope(
    ctx: Ctx,
    data: Json,
    status: int = 200,
    code: str = "ok",
    message: str = "",
    headers: dict[str, str] | None = None,
) -> SimResponse:
    error = {"code": code, "message": message, "log_id": ctx.state.log_id()}
    return json_response({"data": data, "error": error}, status, headers)


def _invalid(ctx: Ctx, message: str) -> SimResponse:
    return envelope(ctx, {}, 400, "invalid_params", message)


def plan(ctx: Ctx, req: SimRequest, rel: str) -> Plan:
    route = rel.strip("/")
    endpoint = {
        "user/info": "user_info",
        "video/list": "video_list",
        "video/query": "video_query",
        "oauth/token": "oauth_token",
    }.get(route, "unknown")
    if endpoint == "oauth_token":
        return Plan(endpoint, serve=partial(_serve_token, ctx, req))
    token = req.bearer()
    account = ctx.world.by_tiktok_token(token) if token else None
    if account is None or ctx.state.oauth.is_revoked(token):  # revoked: the owner withdrew
        return Plan(endpoint, error=envelope(ctx, {}, 401, "access_token_invalid", INVALID_TOKEN))
    if endpoint == "unknown":
        return Plan(endpoint, error=_invalid(ctx, f"Unknown endpoint /{route}/"))
    if endpoint != "user_info" and req.method != "POST":
        return Plan(endpoint, error=_invalid(ctx, "This endpoint only accepts POST requests."))
    fields = [f for f in (req.param("fields") or "").split(",") if f]
    if not fields:
        return Plan(endpoint, error=_invalid(ctx, "fields is required."))
    handles = (account.handle,)
    if endpoint == "user_info":
        return Plan(endpoint, handles, partial(_serve_user, ctx, account, fields))
    if endpoint == "video_list":
        return Plan(
            endpoint, handles, partial(_serve_list, ctx, req, account, fields), listing=True
        )
    return Plan(endpoint, handles, partial(_serve_query, ctx, req, account, fields))


def _serve_user(ctx: Ctx, account: SimAccount, fields: list[str], _: bool) -> SimResponse:
    now = ctx.world.now_ms
    avatar = f"https://p16-sign-sg.tiktokcdn.com/sim/{account.platform_id}~c5_168x168.jpeg"
    values: Json = {
        "open_id": account.platform_id,
        "union_id": hex_digest("union:" + account.handle, 32),
        "avatar_url": avatar,
        "avatar_url_100": avatar,
        "avatar_large_url": avatar,
        "display_name": account.name,
        "username": account.handle,
        "bio_description": f"Akun resmi {account.name}",
        "profile_deep_link": f"https://vm.tiktok.com/SIM{hex_digest(account.handle, 6)}/",
        "is_verified": False,
        "follower_count": account.followers_at(now),
        "following_count": account.following,
        "likes_count": account.visible_views(now) // 15,
        "video_count": account.visible_end(now),
    }
    return envelope(ctx, {"user": {f: values[f] for f in fields if f in values}})


def _serve_list(
    ctx: Ctx, req: SimRequest, account: SimAccount, fields: list[str], empty: bool
) -> SimResponse:
    body = req.json_body()
    body = body if isinstance(body, dict) else {}
    max_count, cursor = body.get("max_count", LIST_DEFAULT), body.get("cursor")
    if not isinstance(max_count, int) or not 1 <= max_count <= LIST_MAX:
        return _invalid(ctx, f"max_count must be between 1 and {LIST_MAX}.")
    if cursor is not None and not isinstance(cursor, int):
        return _invalid(ctx, "cursor must be a Unix timestamp in milliseconds.")
    now = ctx.world.now_ms
    if empty:
        data = {"videos": [], "cursor": now + 1 if cursor is None else cursor, "has_more": True}
        return envelope(ctx, data)
    hi = account.visible_end(now)
    if cursor is not None:
        hi = min(hi, account.below(cursor))
    page = account.index.posts[max(0, hi - max_count) : hi][::-1]
    more = hi - max_count > 0
    next_cursor = page[-1].key if page else (cursor or 0)
    videos = [_video(account, post, fields) for post in page]
    return envelope(ctx, {"videos": videos, "cursor": next_cursor, "has_more": more})


def _serve_query(
    ctx: Ctx, req: SimRequest, account: SimAccount, fields: list[str], _: bool
) -> SimResponse:
    body = req.json_body()
    filters = body.get("filters") if isinstance(body, dict) else None
    ids = filters.get("video_ids") if isinstance(filters, dict) else None
    if not isinstance(ids, list) or not 1 <= len(ids) <= QUERY_MAX:
        return _invalid(ctx, f"filters.video_ids must list 1 to {QUERY_MAX} ids.")
    found = [account.index.by_id.get(str(i)) for i in ids]
    visible = [p for p in found if p is not None and p.key <= ctx.world.now_ms]
    videos = [_video(account, post, fields) for post in visible]
    return envelope(ctx, {"videos": videos, "cursor": 0, "has_more": False})


def _video(account: SimAccount, post: SimPost, fields: list[str]) -> Json:
    caption = post.caption or ""
    values: Json = {
        "id": post.post_id,
        "create_time": int(post.posted_at.timestamp()),
        "title": caption[:150],
        "video_description": caption,
        "duration": 15 + int(hex_digest(post.post_id, 2), 16) % 120,
        "height": 1024,
        "width": 576,
        "cover_image_url": f"https://p16-sign-sg.tiktokcdn.com/sim/{post.post_id}~tplv-noop.image",
        "share_url": post.url or f"https://www.tiktok.com/@{account.handle}/video/{post.post_id}",
        "embed_link": f"https://www.tiktok.com/player/v1/{post.post_id}",
        "like_count": post.likes,
        "comment_count": post.comments,
        "share_count": post.shares,
        "view_count": post.views,
    }
    return {f: values[f] for f in fields if values.get(f) is not None}


def _serve_token(ctx: Ctx, req: SimRequest, _: bool) -> SimResponse:
    form = {k: v[0] for k, v in parse_qs(req.body.decode("utf-8", "replace")).items()}
    log_id = ctx.state.log_id()
    if (form.get("client_key"), form.get("client_secret")) != (
        credentials.SIM_TIKTOK_CLIENT_KEY,
        credentials.SIM_TIKTOK_CLIENT_SECRET,
    ):
        body = {
            "error": "invalid_client",
            "error_description": "Client key or secret is incorrect.",
            "log_id": log_id,
        }
        return json_response(body, 401)
    refresh = form.get("refresh_token", "")
    owner = next(
        (
            a
            for a in ctx.world.accounts("tiktok")
            if credentials.tiktok_refresh_token(a.handle) == refresh
        ),
        None,
    )
    revoked = ctx.state.oauth.is_revoked(refresh)
    if form.get("grant_type") != "refresh_token" or owner is None or revoked:
        body = {
            "error": "invalid_grant",
            "error_description": "Refresh token is invalid or expired.",
            "log_id": log_id,
        }
        return json_response(body, 400)
    return json_response(
        {
            "access_token": credentials.tiktok_token(owner.handle),
            "expires_in": ACCESS_SECONDS,
            "open_id": owner.platform_id,
            "refresh_expires_in": REFRESH_SECONDS,
            "refresh_token": refresh,
            "scope": SCOPES,
            "token_type": "Bearer",  # nosec B105 - the OAuth token type
        }
    )


def fault_response(ctx: Ctx, req: SimRequest, plan: Plan, fault: Fault) -> SimResponse:
    kind = fault.kind
    if kind == "rate_limit":
        message = "API rate limit exceeded, please retry later."
        headers = {"retry-after": str(fault.retry_after)}
        return envelope(ctx, {}, 429, "rate_limit_exceeded", message, headers)
    if kind == "server_error":
        message = "There was an internal error. Please try again later."
        return envelope(ctx, {}, fault.status or 500, "internal_error", message)
    if kind in ("expired_token", "invalid_token"):
        return envelope(ctx, {}, 401, "access_token_invalid", INVALID_TOKEN)
    if kind == "not_found":  # the account withdrew its authorisation
        message = "The user did not authorize the scope required for completing this request."
        return envelope(ctx, {}, 401, "scope_not_authorized", message)
    raise ValueError(f"fault {kind!r} has no TikTok answer")
