"""X API v2: user lookup and user posts, ``meta.next_token`` paging, ``x-rate-limit-*`` headers."""

from __future__ import annotations

import time
from datetime import datetime
from functools import partial
from typing import Any

from simulator.context import Ctx
from simulator.credentials import SIM_X_BEARER
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
from simulator.world import SimAccount, SimPost, to_ms

Json = dict[str, Any]
PAGE_DEFAULT, PAGE_MIN, PAGE_MAX, USERS_MAX = 10, 5, 100, 100
PROBLEMS = "https://api.twitter.com/2/problems/"
# what an app on the free plan (write only) gets for a read
NOT_ENROLLED = {
    "client_id": "29811111",
    "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys "
    "and tokens from a Twitter developer App that is attached to a Project. You can create a "
    "project via the developer portal.",
    "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
    "title": "Client Forbidden",
    "required_enrollment": "Appropriate Level of API Access",
    "reason": "client-not-enrolled",
    "type": PROBLEMS + "client-forbidden",
}


def x_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def problem(
    status: int, title: str, detail: str | None = None, kind: str = "about:blank"
) -> SimResponse:
    body = {"title": title, "detail": detail or title, "type": kind, "status": status}
    return json_response(body, status)


def invalid_request(param: str, value: str, message: str) -> SimResponse:
    body = {
        "errors": [{"parameters": {param: [value]}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": PROBLEMS + "invalid-request",
    }
    return json_response(body, 400)


def not_found_error(value: str, parameter: str) -> Json:
    label = "username" if parameter in ("username", "usernames") else "id"
    return {
        "value": value,
        "detail": f"Could not find user with {label}: [{value}].",
        "title": "Not Found Error",
        "resource_type": "user",
        "parameter": parameter,
        "resource_id": value,
        "type": PROBLEMS + "resource-not-found",
    }


def not_found(value: str, parameter: str) -> SimResponse:
    """X answers a missing user with HTTP 200, an ``errors`` array and no ``data``."""
    return json_response({"errors": [not_found_error(value, parameter)]})


def _route(rel: str) -> tuple[str, str]:
    parts = rel.strip("/").split("/")
    if parts[:3] == ["users", "by", "username"] and len(parts) == 4:
        return "user_by_username", parts[3]
    if parts == ["users", "by"]:
        return "users_by", ""
    if len(parts) == 3 and parts[0] == "users" and parts[2] == "tweets":
        return "user_tweets", parts[1]
    if len(parts) == 2 and parts[0] == "users":
        return "user_by_id", parts[1]
    return "unknown", ""


def plan(ctx: Ctx, req: SimRequest, rel: str) -> Plan:
    endpoint, arg = _route(rel)
    limit, remaining, reset = ctx.state.x_take(endpoint)
    headers = {
        "x-rate-limit-limit": str(limit),
        "x-rate-limit-remaining": str(max(remaining, 0)),
        "x-rate-limit-reset": str(reset),
    }
    if req.bearer() != SIM_X_BEARER:
        return Plan(endpoint, error=problem(401, "Unauthorized"), headers=headers)
    if remaining < 0:
        return Plan(endpoint, error=problem(429, "Too Many Requests"), headers=headers)
    if endpoint == "unknown":
        return Plan(endpoint, error=problem(404, "Not Found", "No such endpoint"), headers=headers)
    user_fields = set((req.param("user.fields") or "").split(","))
    if endpoint == "users_by":
        names = [n for n in (req.param("usernames") or "").split(",") if n]
        if not 1 <= len(names) <= USERS_MAX:
            error = invalid_request("usernames", ",".join(names), "1 to 100 usernames")
            return Plan(endpoint, error=error, headers=headers)
        serve = partial(_serve_users, ctx, names, user_fields)
        return Plan(endpoint, tuple(names), serve, headers=headers)
    account = (
        ctx.world.find("x", arg)
        if endpoint == "user_by_username"
        else ctx.world.by_platform_id("x", arg)
    )
    handles = (account.handle,) if account else (arg,)
    if endpoint == "user_tweets":
        serve = partial(_serve_tweets, ctx, req, account, arg)
        return Plan(endpoint, handles, serve, listing=True, headers=headers)
    parameter = "username" if endpoint == "user_by_username" else "id"
    serve = partial(_serve_user, ctx, account, arg, parameter, user_fields)
    return Plan(endpoint, handles, serve, headers=headers)


def _user(ctx: Ctx, account: SimAccount, fields: set[str]) -> Json:
    now = ctx.world.now_ms
    metrics = {
        "followers_count": account.followers_at(now),
        "following_count": account.following,
        "tweet_count": account.visible_end(now),
        "listed_count": account.following // 3,
    }
    values: Json = {
        "created_at": "2014-06-01T04:35:55.000Z",
        "description": f"Akun resmi {account.name}",
        "profile_image_url": f"https://pbs.twimg.com/profile_images/sim/{account.platform_id}_normal.jpg",
        "verified": False,
        "protected": False,
        "public_metrics": metrics,
    }
    user = {"id": account.platform_id, "name": account.name, "username": account.handle}
    return user | {f: values[f] for f in sorted(fields) if f in values}


def _serve_user(
    ctx: Ctx, account: SimAccount | None, arg: str, parameter: str, fields: set[str], _: bool
) -> SimResponse:
    if account is None:
        return not_found(arg, parameter)
    return json_response({"data": _user(ctx, account, fields)})


def _serve_users(ctx: Ctx, names: list[str], fields: set[str], _: bool) -> SimResponse:
    found = [(n, ctx.world.find("x", n)) for n in names]
    body: Json = {}
    users = [_user(ctx, a, fields) for _, a in found if a is not None]
    if users:
        body["data"] = users
    missing = [n for n, a in found if a is None]
    if missing:
        body["errors"] = [not_found_error(n, "usernames") for n in missing]
    return json_response(body)


def _window(ctx: Ctx, req: SimRequest, account: SimAccount) -> tuple[int, int, str | None]:
    """``(lo, hi, token)`` for the request; ValueError names the bad parameter."""
    start, end = req.param("start_time"), req.param("end_time")
    lo, hi = account.window(
        ctx.world.now_ms,
        _iso_ms(start, "start_time") if start else None,
        _iso_ms(end, "end_time") - 1 if end else None,
    )
    for name, below in (("since_id", False), ("until_id", True)):
        value = req.param(name)
        if value:
            key = account.key_of(value)
            if key is None:
                raise ValueError(name)
            hi, lo = (
                (min(hi, account.below(key)), lo)
                if below
                else (hi, max(lo, account.below(key + 1)))
            )
    token = req.param("pagination_token")
    if token:
        try:
            key = decode_cursor(token)
        except ValueError as exc:
            raise ValueError("pagination_token") from exc
        hi = hi if key is None else min(hi, account.below(key))
    return lo, max(lo, hi), token


def _iso_ms(value: str, name: str) -> int:
    try:
        return to_ms(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError as exc:
        raise ValueError(name) from exc


def _serve_tweets(
    ctx: Ctx, req: SimRequest, account: SimAccount | None, arg: str, empty: bool
) -> SimResponse:
    if account is None:
        return not_found(arg, "id")
    raw = req.param("max_results")
    try:
        limit = int_param(raw, PAGE_DEFAULT)
    except ValueError:
        limit = -1
    if not PAGE_MIN <= limit <= PAGE_MAX:
        message = f"The `max_results` query parameter value [{raw}] is not between 5 and 100"
        return invalid_request("max_results", str(raw), message)
    try:
        lo, hi, token = _window(ctx, req, account)
    except ValueError as exc:
        name = str(exc)
        return invalid_request(name, str(req.param(name)), f"Invalid {name}")
    if empty:
        return json_response(
            {"meta": {"result_count": 0, "next_token": token or encode_cursor(START)}}
        )
    page = account.index.posts[max(lo, hi - limit) : hi][::-1]
    if not page:
        return json_response({"meta": {"result_count": 0}})
    fields = set((req.param("tweet.fields") or "").split(","))
    meta: Json = {
        "result_count": len(page),
        "newest_id": page[0].post_id,
        "oldest_id": page[-1].post_id,
    }
    if hi - limit > lo:
        meta["next_token"] = encode_cursor(page[-1].key)
    return json_response({"data": [_tweet(account, p, fields) for p in page], "meta": meta})


def _tweet(account: SimAccount, post: SimPost, fields: set[str]) -> Json:
    shares = post.shares or 0
    quotes = shares // 5
    likes = post.likes or 0
    metrics = {
        "retweet_count": shares - quotes,
        "reply_count": post.comments or 0,
        "like_count": likes,
        "quote_count": quotes,
        "bookmark_count": likes // 10,
        "impression_count": post.views or 0,
    }
    values: Json = {
        "created_at": x_time(post.posted_at),
        "public_metrics": metrics,
        "conversation_id": post.post_id,
        "lang": "in",
        "author_id": account.platform_id,
        "possibly_sensitive": False,
    }
    tweet = {
        "id": post.post_id,
        "text": post.caption or "",
        "edit_history_tweet_ids": [post.post_id],
    }
    return tweet | {f: values[f] for f in sorted(fields) if f in values}


def fault_response(ctx: Ctx, req: SimRequest, plan: Plan, fault: Fault) -> SimResponse:
    kind = fault.kind
    if kind == "rate_limit":
        response = problem(429, "Too Many Requests")
        reset = int(time.time()) + fault.retry_after
        response.headers.update({"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)})
        return response
    if kind == "quota_exceeded":
        body = {
            "title": "UsageCapExceeded",
            "detail": "Usage cap exceeded: Monthly product cap",
            "type": PROBLEMS + "usage-capped",
            "period": "Monthly",
            "scope": "Product",
        }
        return json_response(body, 429)
    if kind == "server_error":
        status = fault.status or 503
        return problem(status, "Service Unavailable" if status == 503 else "Internal Server Error")
    if kind in ("expired_token", "invalid_token"):
        return problem(401, "Unauthorized")
    if kind == "no_read_access":
        return json_response(NOT_ENROLLED, 403)
    if kind == "not_found":
        parameter = "username" if plan.endpoint == "user_by_username" else "id"
        return not_found((plan.handles or ("",))[0], parameter)
    raise ValueError(f"fault {kind!r} has no X answer")
