"""YouTube ``commentThreads.list`` for one video: top-level comments and the owner's replies.

Not in the shared reference (tagged [U] in spirit): the shape follows Google's published
``commentThread`` resource: ``snippet.topLevelComment`` and ``replies.comments``, each a
comment whose ``snippet.authorChannelId.value`` names its author.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from simulator.context import Ctx
from simulator.http import Plan, SimRequest, SimResponse, json_response
from simulator.ids import hex_digest
from simulator.world import SimAccount, SimPost

MAX_RESULTS = 100
Json = dict[str, Any]


def answer_share(account: SimAccount) -> float:
    """How often this account's owner answers a comment: a stable habit per account."""
    return int(hex_digest("replies:" + account.handle, 2), 16) % 81 / 100


def plan_comment_threads(ctx: Ctx, req: SimRequest) -> Plan:
    video_id = req.param("videoId") or ""
    account = ctx.world.post_owner("youtube", video_id)
    post = account.index.by_id.get(video_id) if account else None
    limit = min(int(req.param("maxResults") or 20), MAX_RESULTS)
    handles = (account.handle,) if account else ()
    return Plan("commentThreads", handles, partial(_serve, account, post, limit))


def _serve(account: SimAccount | None, post: SimPost | None, limit: int, _: bool) -> SimResponse:
    if account is None or post is None:
        body = {
            "error": {
                "code": 404,
                "message": "The video identified by the videoId parameter could not be found.",
                "errors": [{"reason": "videoNotFound", "domain": "youtube.commentThread"}],
            }
        }
        return json_response(body, status=404)
    count = min(post.comments or 0, limit)
    answered = round(count * answer_share(account))
    items = [_thread(account, post, n, n < answered) for n in range(count)]
    return json_response(
        {
            "kind": "youtube#commentThreadListResponse",
            "items": items,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": limit},
        }
    )


def _comment(comment_id: str, author: str) -> Json:
    return {
        "kind": "youtube#comment",
        "id": comment_id,
        "snippet": {"authorChannelId": {"value": author}, "textDisplay": "Terima kasih"},
    }


def _thread(account: SimAccount, post: SimPost, n: int, answered: bool) -> Json:
    thread_id = hex_digest(f"thread:{post.post_id}:{n}", 20)
    fan = "UC" + hex_digest(f"fan:{post.post_id}:{n}", 22)
    thread: Json = {
        "kind": "youtube#commentThread",
        "id": thread_id,
        "snippet": {
            "videoId": post.post_id,
            "channelId": account.platform_id,
            "topLevelComment": _comment(thread_id, fan),
            "totalReplyCount": 1 if answered else 0,
            "canReply": True,
            "isPublic": True,
        },
    }
    if answered:
        thread["replies"] = {"comments": [_comment(thread_id + ".r", account.platform_id)]}
    return thread
