"""Graph API comment edges with the owner's replies: Facebook Page posts and Instagram media.

- Facebook ``GET /{post-id}/comments?filter=stream``: visitors' comments and the Page's replies
  in one chronological list; a reply has ``parent{id}`` and ``from.id`` = the Page id.
- Instagram ``GET /{ig-media-id}/comments``: top-level comments, each with ``replies{data}``;
  the owner's reply carries the account's ``username``.

Both answer only the owner's token, ``credentials.facebook_page_token(handle)`` (for an
Instagram account: the token of its linked Page, the Page with the same handle or else the
same name). The office's public ``SIM_META_TOKEN`` gets Meta's permission error ``(#10)``, as an
app without ``pages_read_user_content`` / ``instagram_manage_comments`` does; anything else 190.

Comments are deterministic per post (a hash of the post id and the comment's number): up to
``MAX_COMMENTS`` per post, written within two days of the post, each answered or not by the
account's habit (``youtube_comments.answer_share``), after minutes, hours or a day and more.
Only what has happened by the world's ``now`` is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from simulator.context import Ctx
from simulator.credentials import SIM_META_TOKEN, facebook_page_token
from simulator.graph import auth_error, graph_error, graph_time, token_of, usage_header
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
from simulator.youtube_comments import answer_share

MAX_COMMENTS = 120
PAGE_DEFAULT = 25
PAGE_MAX = {"facebook": 100, "instagram": 50}
NO_PERMISSION = "(#10) Application does not have permission for this action"
DELAYS_MINUTES = ((3, 55), (60, 600), (1_440, 2_880))  # minutes, hours, a day or more
Json = dict[str, Any]


@dataclass(frozen=True)
class SimComment:
    comment_id: str
    at: datetime
    author: str  # a visitor's fake id or username
    reply_at: datetime | None  # the owner's reply, if any


def _number(seed: str, modulo: int) -> int:
    return int(hex_digest(seed, 8), 16) % modulo


def comments_of(account: SimAccount, post: SimPost, now: datetime) -> list[SimComment]:
    """The post's visitors' comments written by ``now``, oldest first, with the owner's reply
    where it was written by ``now`` too."""
    share = answer_share(account)
    out = []
    for n in range(min(post.comments or 0, MAX_COMMENTS)):
        seed = f"meta-comment:{post.post_id}:{n}"
        at = post.posted_at + timedelta(minutes=1 + _number(seed + ":at", 2_880))
        if at > now:
            continue
        reply_at = None
        if _number(seed + ":answered", 100) < share * 100:
            low, high = DELAYS_MINUTES[_number(seed + ":speed", len(DELAYS_MINUTES))]
            reply_at = at + timedelta(minutes=low + _number(seed + ":wait", high - low))
            reply_at = reply_at if reply_at <= now else None
        fan = f"{_number(seed + ':fan', 10**9):09d}"
        out.append(SimComment(f"{post.post_id}_{n + 1:05d}", at, fan, reply_at))
    return sorted(out, key=lambda c: (c.at, c.comment_id))


def plan_comments(ctx: Ctx, req: SimRequest, media_id: str) -> Plan:
    """The comment edge of one Facebook post or Instagram media."""
    account = ctx.world.post_owner(ctx.platform, media_id)
    post = account.index.by_id.get(media_id) if account else None
    if account is None or post is None:
        return Plan("comments", error=graph_error(ctx, 100, "(#100) Object does not exist"))
    denied = auth_error(ctx, req, _owner_token(ctx, account, token_of(req)))
    if denied is not None:  # not the owner's token (or a revoked one): 190
        return Plan("comments", error=denied)
    if token_of(req) == SIM_META_TOKEN:
        return Plan("comments", error=graph_error(ctx, 10, NO_PERMISSION, 403))
    try:
        limit = min(int_param(req.param("limit"), PAGE_DEFAULT), PAGE_MAX[ctx.platform])
        after = req.param("after")
        start = decode_cursor(after) if after else None
    except ValueError as exc:
        return Plan("comments", error=graph_error(ctx, 100, f"(#100) Invalid parameter: {exc}"))
    serve = partial(_serve, ctx, req, account, post, limit, start or 0)
    return Plan("comments", (account.handle,), serve, listing=True)


def _owner_token(ctx: Ctx, account: SimAccount, token: str | None) -> str:
    """The owner's token this request may carry: the Page's own; for Instagram the linked
    Page's (same handle, else the Page of the same name, as the consent links them)."""
    own = facebook_page_token(account.handle)
    if ctx.platform == "facebook" or token in (None, own):
        return own
    named = [p for p in ctx.world.accounts("facebook") if p.name == account.name]
    return next((t for p in named if (t := facebook_page_token(p.handle)) == token), own)


def _serve(
    ctx: Ctx, req: SimRequest, account: SimAccount, post: SimPost, limit: int, start: int,
    empty: bool,
) -> SimResponse:  # fmt: skip
    comments = comments_of(account, post, ctx.world.now)
    if ctx.platform == "facebook":
        items = _facebook_stream(account, comments)
    else:
        items = [_instagram_item(account, c) for c in comments]
    page = [] if empty else items[start : start + limit]
    body: Json = {"data": page}
    if start + limit < len(items) or empty:
        after = encode_cursor(start + (0 if empty else limit))
        link = f"{ctx.base}/{post.post_id}/comments?limit={limit}&after={after}"
        body["paging"] = {"cursors": {"after": after}, "next": link}
    elif page:
        body["paging"] = {"cursors": {"before": encode_cursor(START)}}
    if req.param("summary"):
        body["summary"] = {"order": "chronological", "total_count": len(items)}
    return json_response(body, 200, {"x-app-usage": usage_header(ctx.state.graph_usage)})


def _facebook_stream(account: SimAccount, comments: list[SimComment]) -> list[Json]:
    """Comments and the Page's replies in one list, oldest first (``filter=stream``)."""
    items: list[tuple[datetime, Json]] = []
    for c in comments:
        items.append((c.at, {"id": c.comment_id, "created_time": graph_time(c.at),
                             "from": {"id": c.author, "name": "Warga"},
                             "message": "Mohon info lebih lanjut."}))  # fmt: skip
        if c.reply_at is not None:
            items.append((c.reply_at, {
                "id": c.comment_id + "_r", "created_time": graph_time(c.reply_at),
                "from": {"id": account.platform_id, "name": account.name},
                "message": "Terima kasih, informasinya sudah kami sampaikan.",
                "parent": {"id": c.comment_id},
            }))  # fmt: skip
    return [item for _, item in sorted(items, key=lambda pair: (pair[0], pair[1]["id"]))]


def _instagram_item(account: SimAccount, c: SimComment) -> Json:
    item: Json = {"id": c.comment_id, "timestamp": graph_time(c.at),
                  "username": f"warga{c.author[:6]}", "text": "Kapan dibuka?"}  # fmt: skip
    replies = []
    if c.reply_at is not None:
        replies.append({"id": c.comment_id + "_r", "timestamp": graph_time(c.reply_at),
                        "username": account.handle, "text": "Senin pukul 08.00."})  # fmt: skip
    item["replies"] = {"data": replies}
    return item
