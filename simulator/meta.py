"""Graph API: Instagram Business Discovery and Facebook Pages (both on graph.facebook.com)."""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import urlencode

from simulator import graph
from simulator.context import Ctx
from simulator.credentials import SIM_IG_USER_ID, facebook_page_token
from simulator.faults import Fault
from simulator.graph import FieldSpec, graph_error, graph_time, parse_fields, usage_header
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
from simulator.meta_comments import plan_comments
from simulator.world import SimAccount, SimPost

__all__ = ["fault_response", "plan_facebook", "plan_instagram", "usage_header"]

IG_PAGE_DEFAULT, IG_PAGE_MAX = 25, 50
FB_PAGE_DEFAULT, FB_PAGE_MAX = 25, 100
Json = dict[str, Any]


def _ok(ctx: Ctx, body: Json, headers: dict[str, str] | None = None) -> SimResponse:
    return json_response(
        body, 200, {"x-app-usage": usage_header(ctx.state.graph_usage), **(headers or {})}
    )


def _bad_request(ctx: Ctx, endpoint: str, message: str) -> Plan:
    return Plan(endpoint, error=graph_error(ctx, 100, f"(#100) {message}"))


def _fields(req: SimRequest) -> tuple[FieldSpec, ...]:
    raw = req.param("fields")
    return parse_fields(raw) if raw else ()


# ---------------------------------------------------------------- Instagram Business Discovery


def plan_instagram(ctx: Ctx, req: SimRequest, rel: str) -> Plan:
    node = rel.strip("/")
    if node.endswith("/comments"):  # a media's comments, with the owner's token
        return plan_comments(ctx, req, node.partition("/")[0])
    denied = graph.auth_error(ctx, req)
    if denied is not None:
        return Plan("business_discovery", error=denied)
    if node != SIM_IG_USER_ID:
        return _bad_request(
            ctx, "ig_user", f"Unsupported get request. Object with ID '{node}' does not exist"
        )
    try:
        fields = _fields(req)
    except ValueError as exc:
        return _bad_request(ctx, "business_discovery", f"Syntax error: {exc}")
    spec = next((f for f in fields if f.name == "business_discovery"), None)
    if spec is None:
        return Plan("ig_user", serve=lambda _: _ok(ctx, {"id": SIM_IG_USER_ID}))
    username = spec.mods.get("username", "")
    media = next((c for c in spec.children or () if c.name == "media"), None)
    serve = partial(_serve_discovery, ctx, username, spec, media)
    return Plan("business_discovery", (username,), serve, listing=media is not None)


def _serve_discovery(
    ctx: Ctx, username: str, spec: FieldSpec, media: FieldSpec | None, empty: bool
) -> SimResponse:
    account = ctx.world.find("instagram", username)
    if account is None:
        return _ig_not_found(ctx, username)
    try:
        body = _ig_profile(ctx, account, spec)
        if media is not None:
            body[media.key] = _ig_media(ctx, account, media, empty)
    except ValueError as exc:
        return graph_error(ctx, 100, f"(#100) Invalid parameter: {exc}")
    return _ok(ctx, {"business_discovery": body, "id": SIM_IG_USER_ID})


def _ig_not_found(ctx: Ctx, username: str) -> SimResponse:
    extra = {
        "error_user_title": "Cannot find User",
        "error_user_msg": f"The user with username: {username} cannot be found.",
    }
    return graph_error(ctx, 110, "Invalid user id", subcode=2207013, transient=False, extra=extra)


def _ig_profile(ctx: Ctx, account: SimAccount, spec: FieldSpec) -> Json:
    now = ctx.world.now_ms
    values: Json = {
        "id": account.platform_id,
        "ig_id": int(account.platform_id[-10:]),
        "username": account.handle,
        "name": account.name,
        "biography": f"Akun resmi {account.name}",
        "website": "https://sintang.go.id",
        "profile_picture_url": f"https://scontent.cdninstagram.com/sim/{account.platform_id}.jpg",
        "followers_count": account.followers_at(now),
        "follows_count": account.following,
        "media_count": account.visible_end(now),
    }
    wanted = [c for c in spec.children or () if c.name in values]
    return {c.key: values[c.name] for c in wanted}


def _ig_media(ctx: Ctx, account: SimAccount, spec: FieldSpec, empty: bool) -> Json:
    limit = min(int_param(spec.mods.get("limit"), IG_PAGE_DEFAULT), IG_PAGE_MAX)
    after = spec.mods.get("after")
    since, until = spec.mods.get("since"), spec.mods.get("until")
    lo, hi = account.window(
        ctx.world.now_ms,
        int(since) * 1000 if since else None,
        int(until) * 1000 + 999 if until else None,
    )
    key = decode_cursor(after) if after else None
    if empty:
        return {"data": [], "paging": {"cursors": {"after": after or encode_cursor(START)}}}
    if key is not None:
        hi = max(lo, min(hi, account.below(key)))
    page = account.index.posts[max(lo, hi - limit) : hi][::-1]
    wanted = spec.children or (FieldSpec("id", {}),)
    out: Json = {"data": [_ig_item(post, wanted) for post in page]}
    if page:
        cursors = {"before": encode_cursor(page[0].key + 1)}
        if hi - limit > lo:
            cursors["after"] = encode_cursor(page[-1].key)
        out["paging"] = {"cursors": cursors}
    return out


def _ig_item(post: SimPost, wanted: tuple[FieldSpec, ...]) -> Json:
    video = post.media_type == "VIDEO"
    picture = f"https://scontent.cdninstagram.com/sim/{post.post_id}.jpg"
    values: Json = {
        "id": post.post_id,
        "caption": post.caption,
        "comments_count": post.comments,
        "like_count": post.likes,  # None: the owner hides likes, so the field is omitted
        "timestamp": graph_time(post.posted_at),
        "permalink": post.url,
        "media_type": post.media_type or "IMAGE",
        "media_product_type": "REELS" if video else "FEED",
        "media_url": None if video else picture,
        "thumbnail_url": picture if video else None,
    }
    return {f.key: values[f.name] for f in wanted if values.get(f.name) is not None}


# ---------------------------------------------------------------- Facebook Pages

FB_EDGES = ("posts", "feed", "published_posts")


def plan_facebook(ctx: Ctx, req: SimRequest, rel: str) -> Plan:
    node, _, edge = rel.strip("/").partition("/")
    if edge == "comments":  # a post's comments, with the Page's token
        return plan_comments(ctx, req, node)
    account = ctx.world.by_platform_id("facebook", node) or ctx.world.find("facebook", node)
    endpoint = "posts" if edge else "page"
    page_token = facebook_page_token(account.handle) if account else None
    denied = graph.auth_error(ctx, req, page_token)
    if denied is not None:
        return Plan(endpoint, error=denied)
    if edge and edge not in FB_EDGES:
        return _bad_request(ctx, endpoint, f"Unknown path components: /{edge}")
    try:
        fields = _fields(req)
    except ValueError as exc:
        return _bad_request(ctx, endpoint, f"Syntax error: {exc}")
    headers = {}
    if account is not None and page_token and graph.token_of(req) == page_token:
        headers["x-business-use-case-usage"] = graph.buc_header(account.platform_id, "pages", 1, 0)
    handles = (account.handle,) if account else (node,)
    if not edge:
        return Plan("page", handles, partial(_serve_page, ctx, account, fields, headers))
    serve = partial(_serve_posts, ctx, req, account, fields, headers)
    return Plan("posts", handles, serve, listing=True)


def _no_object(ctx: Ctx) -> SimResponse:
    return graph_error(ctx, 100, graph.NO_OBJECT)


def _serve_page(
    ctx: Ctx,
    account: SimAccount | None,
    fields: tuple[FieldSpec, ...],
    headers: dict[str, str],
    _: bool,
) -> SimResponse:
    if account is None:
        return _no_object(ctx)
    followers = account.followers_at(ctx.world.now_ms)
    values: Json = {
        "id": account.platform_id,
        "name": account.name,
        "username": account.handle,
        "link": f"https://www.facebook.com/{account.handle}",
        "fan_count": followers * 92 // 100,
        "followers_count": followers,
        "about": f"Halaman resmi {account.name}",
        "category": "Government organization",
    }
    wanted = fields or (FieldSpec("name", {}), FieldSpec("id", {}))
    return _ok(ctx, {f.key: values[f.name] for f in wanted if f.name in values}, headers)


def _serve_posts(
    ctx: Ctx,
    req: SimRequest,
    account: SimAccount | None,
    fields: tuple[FieldSpec, ...],
    headers: dict[str, str],
    empty: bool,
) -> SimResponse:
    if account is None:
        return _no_object(ctx)
    try:
        limit = min(int_param(req.param("limit"), FB_PAGE_DEFAULT), FB_PAGE_MAX)
        since, until = req.param("since"), req.param("until")
        lo, hi = account.window(
            ctx.world.now_ms,
            int(since) * 1000 if since else None,
            int(until) * 1000 + 999 if until else None,
        )
        token = req.param("__paging_token")
        key = decode_cursor(token) if token else None
    except ValueError as exc:
        return graph_error(ctx, 100, f"(#100) Invalid parameter: {exc}")
    if empty:
        return _ok(ctx, {"data": [], "paging": {"next": _same_page(ctx, req, account)}}, headers)
    if key is not None and req.param("__previous"):
        lo = max(lo, account.below(key + 1))
        hi = min(hi, lo + limit)
    elif key is not None:
        hi = max(lo, min(hi, account.below(key)))
    page = account.index.posts[max(lo, hi - limit) : hi][::-1]
    wanted = fields or (
        FieldSpec("created_time", {}),
        FieldSpec("message", {}),
        FieldSpec("id", {}),
    )
    body: Json = {"data": [_fb_item(post, wanted) for post in page]}
    if page:
        body["paging"] = _fb_paging(ctx, req, account, page, more=hi - limit > lo)
    return _ok(ctx, body, headers)


def _fb_link(ctx: Ctx, req: SimRequest, account: SimAccount, extra: dict[str, str]) -> str:
    params = {k: v for k in ("access_token", "fields", "limit", "since") if (v := req.param(k))}
    params.update(extra)
    return f"{ctx.base}/{account.platform_id}/posts?{urlencode(params)}"


def _same_page(ctx: Ctx, req: SimRequest, account: SimAccount) -> str:
    extra = {"__paging_token": req.param("__paging_token") or encode_cursor(START)}
    until = req.param("until")
    if until:
        extra["until"] = until
    return _fb_link(ctx, req, account, extra)


def _fb_paging(
    ctx: Ctx, req: SimRequest, account: SimAccount, page: list[SimPost], more: bool
) -> Json:
    first, last = page[0], page[-1]
    previous = {
        "since": str(first.key // 1000),
        "__paging_token": encode_cursor(first.key),
        "__previous": "1",
    }
    paging = {"previous": _fb_link(ctx, req, account, previous)}
    if more:
        nxt = {"until": str(last.key // 1000), "__paging_token": encode_cursor(last.key)}
        paging["next"] = _fb_link(ctx, req, account, nxt)
    return paging


def _fb_item(post: SimPost, wanted: tuple[FieldSpec, ...]) -> Json:
    out: Json = {}
    for spec in wanted:
        value = _fb_value(post, spec)
        if value is not None:
            out[spec.key] = value
    return out


def _fb_value(post: SimPost, spec: FieldSpec) -> object:
    name = spec.name
    if name == "reactions":
        kind = spec.mods.get("type", "LIKE")
        total = (post.likes or 0) if kind in ("LIKE", "") else 0
        summary = {"total_count": total, "viewer_reaction": "NONE"}
        return {"data": [], "summary": summary} if "summary" in spec.mods else {"data": []}
    if name == "comments":
        summary = {"order": "ranked", "total_count": post.comments or 0, "can_comment": False}
        return {"data": [], "summary": summary} if "summary" in spec.mods else {"data": []}
    if name == "shares":
        return {"count": post.shares} if post.shares else None  # absent when 0
    status = "added_video" if post.media_type == "VIDEO" else "added_photos"
    values = {
        "id": post.post_id,
        "message": post.caption,
        "created_time": graph_time(post.posted_at),
        "permalink_url": post.url,
        "status_type": status,
    }
    return values.get(name)


# ---------------------------------------------------------------- faults


def fault_response(ctx: Ctx, req: SimRequest, plan: Plan, fault: Fault) -> SimResponse:
    kind, target = fault.kind, (plan.handles or ("",))[0]
    if kind == "rate_limit":
        headers = {"retry-after": str(fault.retry_after), "x-app-usage": usage_header(100)}
        message = graph.THROTTLE_MESSAGES[4]
        return graph_error(ctx, 4, message, 429, transient=True, headers=headers)
    if kind == "graph_throttle":
        account = ctx.world.find(ctx.platform, target)
        obj = account.platform_id if account else SIM_IG_USER_ID
        return graph.throttle_error(ctx, fault.code, fault.status or 400, fault.retry_after, obj)
    if kind == "server_error":
        message = "An unexpected error has occurred. Please retry your request later."
        return graph_error(ctx, 2, message, fault.status or 500, transient=True)
    if kind == "expired_token":
        return graph.expired_error(ctx)
    if kind == "invalid_token":
        return graph_error(ctx, 190, graph.INVALID_TOKEN)
    if kind == "not_found" and ctx.platform == "instagram":
        return _ig_not_found(ctx, target)
    if kind == "not_found":
        return _no_object(ctx)
    raise ValueError(f"fault {kind!r} has no Graph answer")
