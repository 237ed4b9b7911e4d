"""OPD websites: WordPress REST (``/wp-json/wp/v2/posts``) and the RSS feed (``/feed/``).

A site is addressed by its domain: in-process the real host works (``https://<domain>/…``);
through the base URL it is ``{PANTAU_WEBSITE_BASE_URL}/<domain>/…``. A site created with
``has_rest=False`` answers the REST paths with an HTML 404, as a site without the API would.
"""

from __future__ import annotations

import html
import math
from datetime import datetime
from email.utils import format_datetime
from functools import partial
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape  # nosec B406 - escapes output; nothing is parsed

from core.timeutil import DEFAULT_TZ
from simulator.context import Ctx
from simulator.faults import Fault
from simulator.http import Plan, SimRequest, SimResponse, html_response, int_param, json_response
from simulator.ids import digits
from simulator.world import SimAccount, SimPost, to_ms

Json = dict[str, Any]
PER_PAGE_DEFAULT, PER_PAGE_MAX, FEED_SIZE = 10, 100, 10
RSS_TYPE = "application/rss+xml; charset=UTF-8"
REST_PATHS = ("/wp-json/wp/v2/posts", "/wp-json/wp/v2/posts/")


def wp_error(
    code: str, message: str, status: int, params: dict[str, str] | None = None
) -> SimResponse:
    data: Json = {"status": status}
    if params:
        data["params"] = params
    return json_response({"code": code, "message": message, "data": data}, status)


def plan(ctx: Ctx, req: SimRequest, rel: str) -> Plan:
    account = ctx.world.find("website", ctx.site or "")
    if account is None:
        return Plan("unknown_site", error=html_response(404, "404 Not Found"))
    handles = (account.handle,)
    api_link = (
        {"link": f'<{ctx.base}/wp-json/>; rel="https://api.w.org/"'} if account.has_rest else {}
    )
    rest = rel in REST_PATHS or (rel in ("", "/") and req.param("rest_route") == "/wp/v2/posts")
    if rest and account.has_rest:
        return Plan("wp_posts", handles, partial(_serve_posts, ctx, req, account), headers=api_link)
    if rel.startswith("/wp-json") and account.has_rest:
        message = "No route was found matching the URL and request method."
        return Plan("wp_other", handles, error=wp_error("rest_no_route", message, 404))
    if rel in ("/feed", "/feed/"):
        return Plan("rss", handles, partial(_serve_feed, ctx, req, account), headers=api_link)
    return Plan("page", handles, lambda _: html_response(404, "Halaman tidak ditemukan", api_link))


def wp_id(post: SimPost) -> int:
    return int(post.post_id) if post.post_id.isdigit() else int(digits(post.post_id, 9))


def _local_ms(value: str) -> int:
    """WordPress reads a date without an offset in the site's time zone (WIB)."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return to_ms(moment if moment.tzinfo else moment.replace(tzinfo=DEFAULT_TZ))


def _params(req: SimRequest) -> tuple[int, int, int | None, int | None]:
    """per_page, page, after, before; ValueError names the bad parameter."""
    values: list[int | None] = []
    for name, default in (("per_page", PER_PAGE_DEFAULT), ("page", 1)):
        try:
            number = int_param(req.param(name), default)
        except ValueError as exc:
            raise ValueError(name) from exc
        if number < 1 or (name == "per_page" and number > PER_PAGE_MAX):
            raise ValueError(name)
        values.append(number)
    for name in ("after", "before"):
        raw = req.param(name)
        try:
            values.append(_local_ms(raw) if raw else None)
        except ValueError as exc:
            raise ValueError(name) from exc
    per_page, page, after, before = values
    return per_page or PER_PAGE_DEFAULT, page or 1, after, before


def _serve_posts(ctx: Ctx, req: SimRequest, account: SimAccount, _: bool) -> SimResponse:
    try:
        per_page, page, after, before = _params(req)
    except ValueError as exc:
        name = str(exc)
        return wp_error(
            "rest_invalid_param",
            f"Invalid parameter(s): {name}",
            400,
            {name: f"{name} is not valid."},
        )
    lo, hi = account.window(
        ctx.world.now_ms,
        None if after is None else after + 1,
        None if before is None else before - 1,
    )
    total = hi - lo
    pages = math.ceil(total / per_page)
    if page > max(pages, 1):
        message = "The page number requested is larger than the number of pages available."
        return wp_error("rest_post_invalid_page_number", message, 400)
    if req.param("order") == "asc":
        chunk = account.index.posts[lo + (page - 1) * per_page : min(hi, lo + page * per_page)]
    else:
        chunk = account.index.posts[max(lo, hi - page * per_page) : hi - (page - 1) * per_page][
            ::-1
        ]
    fields = [f for f in (req.param("_fields") or "").split(",") if f]
    items = [_wp_post(ctx, account, post, fields) for post in chunk]
    headers = {"x-wp-total": str(total), "x-wp-totalpages": str(pages)}
    links = [
        _page_link(ctx, req, page + step, rel)
        for step, rel in ((-1, "prev"), (1, "next"))
        if 1 <= page + step <= pages
    ]
    if links:
        headers["link"] = ", ".join(links)
    return json_response(items, 200, headers)


def _page_link(ctx: Ctx, req: SimRequest, page: int, rel: str) -> str:
    params = {k: v for k, v in req.url.params.items() if k != "page"}
    params["page"] = str(page)
    return f'<{ctx.base}/wp-json/wp/v2/posts?{urlencode(params)}>; rel="{rel}"'


def _title(post: SimPost) -> str:
    text = (post.caption or "Berita").split(". ")[0][:90]
    return html.escape(text, quote=False).replace("'", "&#8217;").replace('"', "&#8221;")


def _wp_post(ctx: Ctx, account: SimAccount, post: SimPost, fields: list[str]) -> Json:
    number = wp_id(post)
    local = post.posted_at.astimezone(DEFAULT_TZ).strftime("%Y-%m-%dT%H:%M:%S")
    gmt = post.posted_at.strftime("%Y-%m-%dT%H:%M:%S")
    body = html.escape(post.caption or "", quote=False)
    item: Json = {
        "id": number,
        "date": local,
        "date_gmt": gmt,
        "guid": {"rendered": f"https://{account.handle}/?p={number}"},
        "modified": local,
        "modified_gmt": gmt,
        "slug": f"berita-{number}",
        "status": "publish",
        "type": "post",
        "link": post.url or f"https://{account.handle}/?p={number}",
        "title": {"rendered": _title(post)},
        "content": {"rendered": f"<p>{body}</p>\n", "protected": False},
        "excerpt": {"rendered": f"<p>{body[:160]}</p>\n", "protected": False},
        "author": 1,
        "featured_media": 0,
        "comment_status": "closed",
        "ping_status": "closed",
        "sticky": False,
        "template": "",
        "format": "standard",
        "meta": [],
        "categories": [1],
        "tags": [],
        "_links": {"self": [{"href": f"{ctx.base}/wp-json/wp/v2/posts/{number}"}]},
    }
    return {k: v for k, v in item.items() if k in fields} if fields else item


def _serve_feed(ctx: Ctx, req: SimRequest, account: SimAccount, _: bool) -> SimResponse:
    try:
        paged = max(1, int_param(req.param("paged"), 1))
    except ValueError:
        paged = 1
    hi = account.visible_end(ctx.world.now_ms)
    chunk = account.index.posts[max(0, hi - paged * FEED_SIZE) : hi - (paged - 1) * FEED_SIZE][::-1]
    if paged > 1 and not chunk:
        return html_response(404, "Halaman tidak ditemukan")
    return SimResponse(200, _rss(account, chunk).encode("utf-8"), {"content-type": RSS_TYPE})


def _rfc822(moment: datetime) -> str:
    return format_datetime(moment.astimezone(DEFAULT_TZ))


def _rss(account: SimAccount, posts: list[SimPost]) -> str:
    site = f"https://{account.handle}"
    built = _rfc822(posts[0].posted_at) if posts else "Mon, 01 Jan 2024 00:00:00 +0700"
    items = "".join(_rss_item(site, post) for post in posts)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/">\n'
        f"<channel><title>{escape(account.name)}</title><link>{site}</link>"
        f"<description>Berita {escape(account.name)}</description>"
        f"<lastBuildDate>{built}</lastBuildDate><language>id-ID</language>\n{items}</channel></rss>\n"
    )


def _rss_item(site: str, post: SimPost) -> str:
    number = wp_id(post)
    caption = (post.caption or "").replace("]]>", "]]&gt;")
    return (
        f"<item><title>{_title(post)}</title><link>{escape(post.url or site)}</link>"
        f'<guid isPermaLink="false">{site}/?p={number}</guid>'
        f"<pubDate>{_rfc822(post.posted_at)}</pubDate><category><![CDATA[Berita]]></category>"
        f"<description><![CDATA[{caption[:160]}]]></description>"
        f"<content:encoded><![CDATA[<p>{caption}</p>]]></content:encoded>"
        f"<slash:comments>0</slash:comments></item>\n"
    )


def fault_response(ctx: Ctx, req: SimRequest, plan: Plan, fault: Fault) -> SimResponse:
    kind = fault.kind
    if kind == "rate_limit":
        return html_response(429, "429 Too Many Requests", {"retry-after": str(fault.retry_after)})
    if kind == "server_error":
        status = fault.status or 503
        return html_response(status, f"{status} Service Unavailable")
    if kind == "not_found":
        return html_response(404, "Halaman tidak ditemukan")
    raise ValueError(f"fault {kind!r} has no website answer")
