"""The platform simulator: YouTube, TikTok, X and OPD websites (WordPress REST and RSS)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import feedparser
import httpx
import pytest

from simulator import Fault, SimPost, Simulator
from simulator.context import SimState
from simulator.credentials import (
    SIM_TIKTOK_CLIENT_KEY,
    SIM_TIKTOK_CLIENT_SECRET,
    SIM_X_BEARER,
    SIM_YOUTUBE_KEY,
    tiktok_refresh_token,
)
from tests.test_simulator_support import COUNT, NOW, expected_ids, make_sim, small_world

YT_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
X_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$")
X_AUTH = {"Authorization": f"Bearer {SIM_X_BEARER}"}


# ---------------------------------------------------------------- YouTube


def yt(client: httpx.Client, sim: Simulator, path: str, **params: str) -> httpx.Response:
    query = {"key": SIM_YOUTUBE_KEY, **params}
    return client.get(f"{sim.base_url('youtube')}/{path}", params=query)


def yt_uploads(client: httpx.Client, sim: Simulator, size: int) -> list[dict]:
    channel = yt(client, sim, "channels", part="contentDetails", forHandle="@humas_sintang")
    playlist = channel.json()["items"][0]["contentDetails"]["relatedPlaylists"]["uploads"]
    pages, token = [], None
    while True:
        params = {"part": "snippet,contentDetails", "playlistId": playlist, "maxResults": str(size)}
        body = yt(client, sim, "playlistItems", **params, **({"pageToken": token} if token else {}))
        pages.append(body.json())
        token = pages[-1].get("nextPageToken")
        if not token:
            return pages


def test_youtube_channel_shape_counts_are_strings() -> None:
    sim, client, _ = make_sim()
    body = yt(
        client,
        sim,
        "channels",
        part="snippet,statistics,contentDetails",
        forHandle="@humas_sintang",
    ).json()
    assert body["kind"] == "youtube#channelListResponse" and body["pageInfo"]["totalResults"] == 1
    channel = body["items"][0]
    assert channel["id"].startswith("UC") and len(channel["id"]) == 24
    stats = channel["statistics"]
    assert stats == {
        "viewCount": str(sum(100 * i for i in range(COUNT))),
        "subscriberCount": "4321",
        "hiddenSubscriberCount": False,
        "videoCount": str(COUNT),
    }
    assert channel["contentDetails"]["relatedPlaylists"]["uploads"] == "UU" + channel["id"][2:]
    by_id = yt(client, sim, "channels", part="statistics", id=channel["id"]).json()
    assert by_id["items"][0]["id"] == channel["id"] and "snippet" not in by_id["items"][0]
    unknown = yt(client, sim, "channels", part="statistics", forHandle="@tidak_ada").json()
    assert "items" not in unknown and unknown["pageInfo"]["totalResults"] == 0


@pytest.mark.parametrize("size", [1, 7, 50])
def test_youtube_uploads_paging_and_videos(size: int) -> None:
    sim, client, _ = make_sim()
    pages = yt_uploads(client, sim, size)
    items = [item for page in pages for item in page["items"]]
    ids = [item["contentDetails"]["videoId"] for item in items]
    assert ids == expected_ids(sim, "youtube")
    assert [item["snippet"]["position"] for item in items] == list(range(COUNT))
    assert all(YT_TIME.match(item["contentDetails"]["videoPublishedAt"]) for item in items)
    assert "nextPageToken" not in pages[-1]
    videos = yt(client, sim, "videos", part="statistics,snippet", id=",".join(ids[:5])).json()[
        "items"
    ]
    assert [v["id"] for v in videos] == ids[:5]
    assert videos[1]["statistics"] == {
        "viewCount": "100",
        "likeCount": "10",
        "favoriteCount": "0",
        "commentCount": "1",
    }
    assert "likeCount" not in videos[2]["statistics"]  # hidden likes: absent


def test_youtube_errors_and_quota() -> None:
    sim, client, _ = make_sim()
    bad = client.get(f"{sim.base_url('youtube')}/channels", params={"key": "nope", "part": "id"})
    assert (
        bad.status_code == 400 and bad.json()["error"]["details"][0]["reason"] == "API_KEY_INVALID"
    )
    missing = client.get(f"{sim.base_url('youtube')}/channels", params={"part": "id"})
    assert missing.status_code == 403
    sim.faults.add(Fault("expired_token", platform="youtube", times=1))
    old = yt(client, sim, "channels", part="id", forHandle="humas_sintang").json()
    assert old["error"]["errors"][0]["reason"] == "keyInvalid"
    sim.faults.add(Fault("quota_exceeded", platform="youtube", times=1))
    quota = yt(client, sim, "channels", part="id", forHandle="humas_sintang")
    error = quota.json()["error"]["errors"][0]
    assert quota.status_code == 403 and (error["reason"], error["domain"]) == (
        "quotaExceeded",
        "youtube.quota",
    )
    playlist = yt(client, sim, "playlistItems", part="snippet", playlistId="UUnothing").json()
    assert playlist["error"]["errors"][0]["reason"] == "playlistNotFound"
    token = yt(client, sim, "playlistItems", part="snippet", playlistId="UUx", pageToken="!!")
    assert token.status_code in (400, 404)


def test_youtube_quota_counts_units() -> None:
    sim = Simulator(small_world(), sleep=lambda _: None, state=SimState(youtube_quota=2))
    client = httpx.Client(transport=sim.transport())
    codes = [yt(client, sim, "channels", part="id", forHandle="x").status_code for _ in range(3)]
    assert codes == [200, 200, 403] and sim.state.youtube_units == 3


def test_youtube_empty_page_keeps_its_token() -> None:
    sim, client, _ = make_sim()
    sim.faults.add(Fault("empty_page", platform="youtube", times=1))
    pages = yt_uploads(client, sim, 10)
    assert pages[0]["items"] == [] and pages[0]["nextPageToken"]
    ids = [i["contentDetails"]["videoId"] for p in pages for i in p["items"]]
    assert ids == expected_ids(sim, "youtube")


# ---------------------------------------------------------------- TikTok


def tiktok_videos(client: httpx.Client, sim: Simulator, size: int) -> list[dict]:
    token = sim.world.tiktok_token("humas_sintang")
    url = f"{sim.base_url('tiktok')}/video/list/"
    fields = "id,create_time,title,share_url,like_count,comment_count,share_count,view_count"
    body: dict = {"max_count": size}
    pages = []
    while True:
        response = client.post(
            url, params={"fields": fields}, json=body, headers={"Authorization": f"Bearer {token}"}
        )
        pages.append(response.json())
        data = pages[-1]["data"]
        if not data["has_more"]:
            return pages
        body = {"max_count": size, "cursor": data["cursor"]}


def test_tiktok_user_info_shape() -> None:
    sim, client, _ = make_sim()
    token = sim.world.tiktok_token("humas_sintang")
    fields = "open_id,display_name,username,follower_count,following_count,likes_count,video_count"
    response = client.get(
        f"{sim.base_url('tiktok')}/user/info/",
        params={"fields": fields},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.json()
    assert body["error"]["code"] == "ok" and body["error"]["log_id"]
    user = body["data"]["user"]
    assert set(user) == set(fields.split(","))
    assert user["follower_count"] == 4321 and user["video_count"] == COUNT


@pytest.mark.parametrize("size", [1, 6, 20])
def test_tiktok_cursor_paging(size: int) -> None:
    sim, client, _ = make_sim()
    pages = tiktok_videos(client, sim, size)
    videos = [v for p in pages for v in p["data"]["videos"]]
    assert [v["id"] for v in videos] == expected_ids(sim, "tiktok")
    assert all(
        isinstance(v["create_time"], int) and isinstance(v["view_count"], int) for v in videos
    )
    assert all(isinstance(p["data"]["cursor"], int) for p in pages)


def test_tiktok_errors_empty_page_and_refresh() -> None:
    sim, client, _ = make_sim()
    url = f"{sim.base_url('tiktok')}/user/info/"
    denied = client.get(
        url, params={"fields": "open_id"}, headers={"Authorization": "Bearer act.x"}
    )
    assert denied.status_code == 401 and denied.json()["error"]["code"] == "access_token_invalid"
    sim.faults.add(Fault("rate_limit", platform="tiktok", times=1, retry_after=3))
    token = {"Authorization": f"Bearer {sim.world.tiktok_token('humas_sintang')}"}
    limited = client.get(url, params={"fields": "open_id"}, headers=token)
    assert limited.status_code == 429 and limited.headers["retry-after"] == "3"
    assert limited.json()["error"]["code"] == "rate_limit_exceeded"
    sim.faults.add(Fault("empty_page", platform="tiktok", times=1))
    pages = tiktok_videos(client, sim, 20)
    assert pages[0]["data"]["videos"] == [] and pages[0]["data"]["has_more"] is True
    assert [v["id"] for p in pages for v in p["data"]["videos"]] == expected_ids(sim, "tiktok")
    form = {
        "client_key": SIM_TIKTOK_CLIENT_KEY,
        "client_secret": SIM_TIKTOK_CLIENT_SECRET,
        "grant_type": "refresh_token",
        "refresh_token": tiktok_refresh_token("humas_sintang"),
    }
    refreshed = client.post(f"{sim.base_url('tiktok')}/oauth/token/", data=form).json()
    assert refreshed["access_token"] == sim.world.tiktok_token("humas_sintang")
    form["refresh_token"] = "rft.old"
    stale = client.post(f"{sim.base_url('tiktok')}/oauth/token/", data=form)
    assert stale.status_code == 400 and stale.json()["error"] == "invalid_grant"


# ---------------------------------------------------------------- X


def x_pages(client: httpx.Client, sim: Simulator, **params: str) -> list[dict]:
    user_id = sim.world.account("x", "humas_sintang").platform_id
    url = f"{sim.base_url('x')}/users/{user_id}/tweets"
    query = {"tweet.fields": "created_at,public_metrics", **params}
    pages = []
    while True:
        pages.append(client.get(url, params=query, headers=X_AUTH).json())
        token = pages[-1].get("meta", {}).get("next_token")
        if not token:
            return pages
        query = {**query, "pagination_token": token}


def test_x_user_lookup_and_rate_limit_headers() -> None:
    sim, client, _ = make_sim()
    url = f"{sim.base_url('x')}/users/by/username/humas_sintang"
    response = client.get(url, params={"user.fields": "public_metrics,created_at"}, headers=X_AUTH)
    user = response.json()["data"]
    assert isinstance(user["id"], str) and user["public_metrics"]["followers_count"] == 4321
    assert X_TIME.match(user["created_at"])
    limit, left = (
        int(response.headers["x-rate-limit-limit"]),
        int(response.headers["x-rate-limit-remaining"]),
    )
    assert left == limit - 1 and int(response.headers["x-rate-limit-reset"]) > time.time()
    missing = client.get(f"{sim.base_url('x')}/users/by/username/tidak_ada", headers=X_AUTH)
    assert missing.status_code == 200 and "data" not in missing.json()
    assert missing.json()["errors"][0]["title"] == "Not Found Error"
    batch = client.get(
        f"{sim.base_url('x')}/users/by",
        params={"usernames": "humas_sintang,tidak_ada"},
        headers=X_AUTH,
    )
    assert len(batch.json()["data"]) == 1 and len(batch.json()["errors"]) == 1
    denied = client.get(url, headers={"Authorization": "Bearer salah"})
    assert denied.status_code == 401 and denied.json()["title"] == "Unauthorized"


@pytest.mark.parametrize("size", ["5", "10", "100"])
def test_x_timeline_paging_shape_and_filters(size: str) -> None:
    sim, client, _ = make_sim()
    pages = x_pages(client, sim, max_results=size)
    tweets = [t for p in pages for t in p.get("data", [])]
    assert [t["id"] for t in tweets] == expected_ids(sim, "x")
    assert all(X_TIME.match(t["created_at"]) for t in tweets)
    assert tweets[4]["public_metrics"]["reply_count"] == 4 and "edit_history_tweet_ids" in tweets[0]
    assert pages[0]["meta"]["newest_id"] == tweets[0]["id"]
    start = (NOW - timedelta(hours=2, minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = x_pages(client, sim, max_results=size, start_time=start)
    assert [t["id"] for p in recent for t in p.get("data", [])] == ["x-0", "x-1"]
    newer = x_pages(client, sim, max_results=size, since_id="x-3")
    assert [t["id"] for p in newer for t in p.get("data", [])] == ["x-0", "x-1", "x-2"]


def test_x_empty_timeline_bad_params_and_faults() -> None:
    sim, client, _ = make_sim()
    quiet = sim.world.account("x", "sepi_sintang").platform_id
    empty = client.get(f"{sim.base_url('x')}/users/{quiet}/tweets", headers=X_AUTH).json()
    assert empty == {"meta": {"result_count": 0}}
    assert x_pages(client, sim, max_results="3")[0]["title"] == "Invalid Request"
    sim.faults.add(Fault("rate_limit", platform="x", times=1, retry_after=60))
    url = f"{sim.base_url('x')}/users/by/username/humas_sintang"
    limited = client.get(url, headers=X_AUTH)
    assert limited.status_code == 429 and limited.json()["status"] == 429
    assert limited.headers["x-rate-limit-remaining"] == "0"
    assert int(limited.headers["x-rate-limit-reset"]) >= int(time.time()) + 59
    sim.faults.add(Fault("quota_exceeded", platform="x", times=1))
    assert client.get(url, headers=X_AUTH).json()["title"] == "UsageCapExceeded"
    sim.faults.add(Fault("empty_page", platform="x", times=1))
    pages = x_pages(client, sim, max_results="100")
    assert pages[0]["meta"] == {"result_count": 0, "next_token": pages[0]["meta"]["next_token"]}
    assert [t["id"] for p in pages for t in p.get("data", [])] == expected_ids(sim, "x")


def test_x_real_rate_limit_window() -> None:
    sim = Simulator(small_world(), state=SimState(x_rate_limit=2))
    client = httpx.Client(transport=sim.transport())
    url = f"{sim.base_url('x')}/users/by/username/humas_sintang"
    assert [client.get(url, headers=X_AUTH).status_code for _ in range(3)] == [200, 200, 429]


# ---------------------------------------------------------------- websites


def test_wordpress_posts_headers_and_paging() -> None:
    sim, client, _ = make_sim()
    root = sim.website_root("humas.sintang.example")
    first = client.get(f"{root}/wp-json/wp/v2/posts", params={"per_page": "10"})
    assert first.headers["x-wp-total"] == str(COUNT) and first.headers["x-wp-totalpages"] == "3"
    assert 'rel="next"' in first.headers["link"]
    ids = []
    for page in (1, 2, 3):
        body = client.get(
            f"{root}/wp-json/wp/v2/posts", params={"per_page": "10", "page": str(page)}
        ).json()
        ids += [str(p["id"]) for p in body]
    assert ids == expected_ids(sim, "website")
    post = first.json()[0]
    assert isinstance(post["id"], int) and re.match(
        r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", post["date_gmt"]
    )
    assert post["date"] == "2026-03-01T18:00:00" and post["date_gmt"] == "2026-03-01T11:00:00"
    beyond = client.get(f"{root}/wp-json/wp/v2/posts", params={"page": "9"})
    assert beyond.status_code == 400 and beyond.json()["code"] == "rest_post_invalid_page_number"
    trimmed = client.get(
        f"{root}/wp-json/wp/v2/posts", params={"_fields": "id,link", "after": "2026-03-01T16:30:00"}
    )
    assert [set(p) for p in trimmed.json()] == [{"id", "link"}] * 2  # after: site-local time


def test_website_by_real_host_and_rss_fallback() -> None:
    sim, client, _ = make_sim()
    direct = client.get("https://humas.sintang.example/wp-json/wp/v2/posts")
    assert direct.status_code == 200 and len(direct.json()) == 10
    sim.world.add_account(
        "website",
        "lama.sintang.example",
        has_rest=False,
        posts=[
            SimPost(
                "7", NOW - timedelta(days=1), "Berita lama", url="https://lama.sintang.example/7"
            )
        ],
    )
    no_rest = client.get(f"{sim.website_root('lama.sintang.example')}/wp-json/wp/v2/posts")
    assert no_rest.status_code == 404 and no_rest.headers["content-type"].startswith("text/html")
    feed = client.get(f"{sim.website_root('lama.sintang.example')}/feed/")
    parsed = feedparser.parse(feed.content, response_headers=dict(feed.headers))
    assert not parsed.bozo and parsed.version == "rss20"
    entry = parsed.entries[0]
    assert entry.id == "https://lama.sintang.example/?p=7" and entry.title == "Berita lama"
    assert datetime(*entry.published_parsed[:6], tzinfo=UTC) == NOW - timedelta(days=1)
    full = client.get("https://humas.sintang.example/feed/", params={"paged": "3"})
    assert len(feedparser.parse(full.content).entries) == 3


def test_website_faults() -> None:
    sim, client, _ = make_sim()
    sim.faults.add(Fault("server_error", platform="website", times=1))
    url = "https://humas.sintang.example/wp-json/wp/v2/posts"
    assert client.get(url).status_code == 503
    sim.faults.add(Fault("malformed", platform="website", endpoint="rss", times=1))
    assert feedparser.parse(client.get("https://humas.sintang.example/feed/").content).bozo
    with pytest.raises(ValueError):
        Fault("empty_page", platform="website")
