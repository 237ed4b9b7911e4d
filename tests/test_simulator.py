"""The platform simulator: world, Graph API (Instagram, Facebook), faults, stats, transport."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date, timedelta

import httpx
import pytest

from demo.simworld import demo_sim_world
from simulator import FAULT_KINDS, Fault, SimPost, Simulator, sim_settings_env
from simulator.builders import synthetic_world
from simulator.credentials import SIM_META_TOKEN, facebook_page_token
from tests.test_simulator_support import (
    COUNT,
    NOW,
    expected_ids,
    ig_all_pages,
    ig_get,
    make_sim,
)

GRAPH_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$")


# ---------------------------------------------------------------- world


def test_world_clock_mutations_and_followers() -> None:
    sim, _, _ = make_sim()
    world = sim.world
    assert len(expected_ids(sim, "x")) == COUNT
    world.add_post("x", "humas_sintang", SimPost("x-new", NOW + timedelta(hours=2), "Nanti"))
    assert "x-new" not in expected_ids(sim, "x")
    world.now = NOW + timedelta(hours=3)
    assert expected_ids(sim, "x")[0] == "x-new"
    world.delete_post("x", "humas_sintang", "x-0")
    assert "x-0" not in expected_ids(sim, "x")
    account = world.account("x", "humas_sintang")
    world.set_followers("x", "humas_sintang", 9999)
    assert account.followers_at(world.now_ms) == 9999
    assert account.followers_at(world.now_ms - 1) == 4321
    with pytest.raises(KeyError):
        world.delete_post("x", "humas_sintang", "x-0")
    with pytest.raises(ValueError, match="timezone"):
        world.now = NOW.replace(tzinfo=None)


def test_world_keys_are_unique_even_for_posts_in_the_same_second() -> None:
    sim, _, _ = make_sim()
    keys = sim.world.account("tiktok", "humas_sintang").index.keys
    assert len(set(keys)) == len(keys) == COUNT
    assert keys == sorted(keys)


def test_synthetic_world_is_fast_deterministic_and_covers_every_platform() -> None:
    world = synthetic_world(60, 12, seed=7)
    again = synthetic_world(60, 12, seed=7)
    assert {a.platform for a in world.accounts()} == set(FAULT_KINDS["latency"])
    first, second = world.accounts()[0], again.accounts()[0]
    assert [p.post_id for p in first.index.posts] == [p.post_id for p in second.index.posts]
    assert all(len(a.index.posts) == 12 for a in world.accounts())
    x_ids = [p.post_id for p in world.accounts("x")[0].index.posts]
    assert all(i.isdigit() for i in x_ids) and x_ids == sorted(x_ids, key=int)


def test_demo_world_accounts_and_clock() -> None:
    world = demo_sim_world(date(2025, 12, 1), months=2)
    platforms = {a.platform for a in world.accounts()}
    assert platforms == {"instagram", "facebook", "youtube", "tiktok", "x", "website"}
    assert world.now.isoformat() == "2025-11-30T17:00:00+00:00"  # midnight WIB
    account = world.accounts("instagram")[0]
    visible = world.visible_posts("instagram", account.handle)
    assert visible and all(p.posted_at <= world.now for p in visible)
    assert account.followers_at(world.now_ms) > 0
    site = world.accounts("website")[0]
    assert all(p.post_id.isdigit() for p in site.index.posts)
    token = world.tiktok_token(world.accounts("tiktok")[0].handle)
    assert world.by_tiktok_token(token) is world.accounts("tiktok")[0]


def test_base_urls_and_settings_env() -> None:
    sim, _, _ = make_sim()
    env = sim_settings_env(sim)
    assert env["PANTAU_INSTAGRAM_BASE_URL"] == "http://simulator.pantau/instagram/v25.0"
    assert env["PANTAU_YOUTUBE_BASE_URL"] == "http://simulator.pantau/youtube/v3"
    assert env["PANTAU_META_TOKEN"] == SIM_META_TOKEN
    assert len(set(sim.base_urls().values())) == 6
    from core.settings import load_settings

    settings = load_settings(env)
    assert settings.tiktok_base_url == "http://simulator.pantau/tiktok/v2"


# ---------------------------------------------------------------- Instagram


def test_instagram_business_discovery_shape() -> None:
    sim, client, _ = make_sim()
    response = ig_get(client, sim)
    assert response.status_code == 200
    usage = json.loads(response.headers["x-app-usage"])
    assert set(usage) == {"call_count", "total_cputime", "total_time"}
    body = response.json()
    discovery = body["business_discovery"]
    assert body["id"] == "17841400000000000"
    assert isinstance(discovery["id"], str) and discovery["username"] == "humas_sintang"
    assert discovery["followers_count"] == 4321 and discovery["media_count"] == COUNT
    media = discovery["media"]["data"]
    assert len(media) == 10 and all(isinstance(m["id"], str) for m in media)
    assert all(GRAPH_TIME.match(m["timestamp"]) for m in media)
    assert "like_count" not in media[2] and media[1]["like_count"] == 10  # hidden likes: absent
    assert "caption" not in media[3]
    assert media[0]["media_type"] == "VIDEO" and "thumbnail_url" in media[0]
    assert media[0]["media_product_type"] == "REELS" and "media_url" not in media[0]
    assert "next" not in discovery["media"]["paging"]  # Business Discovery: cursors only


@pytest.mark.parametrize("limit", [1, 5, 10, 25])
def test_instagram_paging_reaches_every_post_once(limit: int) -> None:
    sim, client, _ = make_sim()
    pages = ig_all_pages(client, sim, limit)
    ids = [m["id"] for page in pages for m in page["data"]]
    assert ids == expected_ids(sim, "instagram")
    assert set(pages[-1]["paging"]["cursors"]) == {"before"}  # last page: no "after"


def test_instagram_since_until_and_fields() -> None:
    sim, client, _ = make_sim()
    since = int((NOW - timedelta(hours=5, minutes=30)).timestamp())
    media = ig_get(client, sim, f".since({since}).limit(25)").json()
    ids = [m["id"] for m in media["business_discovery"]["media"]["data"]]
    assert ids == ["in-0", "in-1", "in-2", "in-3", "in-4"]
    url = f"{sim.base_url('instagram')}/17841400000000000"
    fields = "business_discovery.username(humas_sintang){followers_count}"
    only = client.get(url, params={"fields": fields, "access_token": SIM_META_TOKEN}).json()
    assert only["business_discovery"] == {"followers_count": 4321}


def test_instagram_unknown_or_personal_account_is_code_110() -> None:
    sim, client, _ = make_sim()
    response = ig_get(client, sim, user="akun_pribadi")
    error = response.json()["error"]
    assert response.status_code == 400
    assert (error["code"], error["error_subcode"], error["type"]) == (
        110,
        2207013,
        "OAuthException",
    )
    assert error["message"] == "Invalid user id" and "fbtrace_id" in error


def test_graph_auth_error() -> None:
    sim, client, _ = make_sim()
    error = ig_get(client, sim, token="wrong").json()["error"]
    assert error["code"] == 190 and error["type"] == "OAuthException"
    url = f"{sim.base_url('facebook')}/humas_sintang"
    assert client.get(url).json()["error"]["code"] == 190
    bearer = client.get(url, headers={"Authorization": f"Bearer {SIM_META_TOKEN}"})
    assert bearer.status_code == 200


# ---------------------------------------------------------------- Facebook

FB_FIELDS = (
    "id,message,created_time,permalink_url,status_type,shares,"
    "reactions.summary(total_count).limit(0),comments.summary(true).limit(0)"
)


def fb_pages(client: httpx.Client, sim: Simulator, **params: str) -> list[dict]:
    account = sim.world.account("facebook", "humas_sintang")
    url: str | None = f"{sim.base_url('facebook')}/{account.platform_id}/posts"
    query: dict[str, str] | None = {"fields": FB_FIELDS, "access_token": SIM_META_TOKEN, **params}
    pages = []
    while url:
        body = client.get(url, params=query).json()
        pages.append(body)
        url, query = body.get("paging", {}).get("next"), None  # follow "next" exactly
    return pages


def test_facebook_page_profile_shape() -> None:
    sim, client, _ = make_sim()
    fields = "id,name,username,link,fan_count,followers_count"
    url = f"{sim.base_url('facebook')}/humas_sintang"
    body = client.get(url, params={"fields": fields, "access_token": SIM_META_TOKEN}).json()
    assert set(body) == set(fields.split(","))
    assert isinstance(body["id"], str) and body["followers_count"] == 4321
    assert isinstance(body["fan_count"], int)


def test_facebook_posts_shape_and_time_paging() -> None:
    sim, client, _ = make_sim()
    pages = fb_pages(client, sim, limit="4")
    ids = [p["id"] for page in pages for p in page["data"]]
    assert ids == expected_ids(sim, "facebook")
    first = pages[0]
    assert re.search(r"until=\d+", first["paging"]["next"])
    assert "__paging_token=" in first["paging"]["next"] and "previous" in first["paging"]
    assert "next" not in pages[-1].get("paging", {})
    post = first["data"][1]
    assert GRAPH_TIME.match(post["created_time"])
    assert post["reactions"] == {
        "data": [],
        "summary": {"total_count": 10, "viewer_reaction": "NONE"},
    }
    assert post["comments"]["summary"] == {
        "order": "ranked",
        "total_count": 1,
        "can_comment": False,
    }
    assert post["shares"] == {"count": 1}
    assert "shares" not in first["data"][0]  # a zero share count is absent
    assert "message" not in first["data"][3]


def test_facebook_since_and_page_token() -> None:
    sim, client, _ = make_sim()
    since = str(int((NOW - timedelta(hours=3, minutes=30)).timestamp()))
    ids = [p["id"] for page in fb_pages(client, sim, since=since, limit="2") for p in page["data"]]
    assert ids == ["fa-0", "fa-1", "fa-2"]
    url = f"{sim.base_url('facebook')}/humas_sintang"
    own = client.get(url, params={"access_token": facebook_page_token("humas_sintang")})
    assert own.status_code == 200 and "x-business-use-case-usage" in own.headers
    other = client.get(url, params={"access_token": facebook_page_token("lain")})
    assert other.json()["error"]["code"] == 190


def test_facebook_unknown_page_is_code_100() -> None:
    sim, client, _ = make_sim()
    url = f"{sim.base_url('facebook')}/tidak_ada/posts"
    error = client.get(url, params={"access_token": SIM_META_TOKEN}).json()["error"]
    assert error["code"] == 100 and "pages_read_engagement" in error["message"]


# ---------------------------------------------------------------- faults and stats


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001, 80002])
def test_graph_throttle_codes(code: int) -> None:
    sim, client, _ = make_sim()
    platform = "instagram" if code != 80001 else "facebook"
    sim.faults.add(Fault("graph_throttle", platform=platform, code=code, retry_after=120))
    if platform == "instagram":
        response = ig_get(client, sim)
    else:
        response = client.get(
            f"{sim.base_url('facebook')}/humas_sintang", params={"access_token": SIM_META_TOKEN}
        )
    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == code and error["is_transient"] is True
    if code in (4, 17, 613):
        assert json.loads(response.headers["x-app-usage"])["call_count"] == 100
    else:
        buc = json.loads(response.headers["x-business-use-case-usage"])
        (usage,) = next(iter(buc.values()))
        assert usage["estimated_time_to_regain_access"] == 2  # minutes


def test_graph_rate_limit_expired_token_server_error_and_usage() -> None:
    sim, client, _ = make_sim()
    sim.faults.add(Fault("rate_limit", platform="instagram", times=1, retry_after=7))
    limited = ig_get(client, sim)
    assert limited.status_code == 429 and limited.headers["retry-after"] == "7"
    assert limited.json()["error"]["code"] == 4
    sim.faults.add(Fault("expired_token", platform="instagram", times=1))
    expired = ig_get(client, sim).json()["error"]
    assert (expired["code"], expired["error_subcode"]) == (190, 463)
    sim.faults.add(Fault("server_error", platform="instagram", times=1, status=503))
    failed = ig_get(client, sim)
    assert failed.status_code == 503 and failed.json()["error"]["is_transient"] is True
    sim.faults.add(Fault("app_usage", platform="instagram", times=1, usage=91))
    busy = ig_get(client, sim)
    assert busy.status_code == 200 and json.loads(busy.headers["x-app-usage"])["call_count"] == 91
    assert ig_get(client, sim).status_code == 200  # every fault healed


def test_fault_times_heals_and_targets_one_account() -> None:
    sim, client, _ = make_sim()
    fault = sim.faults.add(Fault("server_error", platform="x", handle="humas_sintang", times=2))
    url = f"{sim.base_url('x')}/users/by/username/"
    headers = {"Authorization": "Bearer AAAASimulatorXBearerToken0000"}
    other = client.get(url + "sepi_sintang", headers=headers)
    assert other.status_code == 200
    statuses = [client.get(url + "humas_sintang", headers=headers).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert fault.hits == 2 and fault.healed and sim.faults.active() == []


def test_timeout_malformed_html_and_not_found_faults() -> None:
    sim, client, _ = make_sim()
    sim.faults.add(Fault("timeout", platform="instagram", times=1))
    with pytest.raises(httpx.ReadTimeout):
        ig_get(client, sim)
    sim.faults.add(Fault("malformed", platform="instagram", times=1))
    broken = ig_get(client, sim)
    assert broken.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken.content)
    sim.faults.add(Fault("html_error", platform="instagram", times=1))
    blocked = ig_get(client, sim)
    assert blocked.status_code == 403 and blocked.headers["content-type"].startswith("text/html")
    sim.faults.add(Fault("not_found", platform="instagram", handle="humas_sintang", times=1))
    assert ig_get(client, sim).json()["error"]["error_subcode"] == 2207013


def test_empty_page_keeps_the_cursor_and_nothing_is_lost() -> None:
    sim, client, _ = make_sim()
    sim.faults.add(Fault("empty_page", platform="instagram", times=1))
    pages = ig_all_pages(client, sim, 10)
    assert pages[0]["data"] == [] and pages[0]["paging"]["cursors"]["after"]
    assert [m["id"] for p in pages for m in p["data"]] == expected_ids(sim, "instagram")
    sim.faults.add(Fault("empty_page", platform="facebook", times=2))
    fb = fb_pages(client, sim, limit="10")
    assert fb[0]["data"] == [] and fb[1]["data"] == []
    assert [p["id"] for page in fb for p in page["data"]] == expected_ids(sim, "facebook")


def test_deleted_post_disappears_between_passes() -> None:
    sim, client, _ = make_sim()
    before = [m["id"] for p in ig_all_pages(client, sim, 10) for m in p["data"]]
    sim.world.delete_post("instagram", "humas_sintang", "in-4")
    after = [m["id"] for p in ig_all_pages(client, sim, 10) for m in p["data"]]
    assert after == [i for i in before if i != "in-4"]


def test_latency_uses_the_injected_sleep_and_adds_up() -> None:
    sim, client, slept = make_sim()
    sim.faults.add(Fault("latency", seconds=0.05))
    sim.faults.add(Fault("latency", platform="instagram", seconds=0.2, times=1))
    ig_get(client, sim)
    ig_get(client, sim)
    assert slept == [pytest.approx(0.25), pytest.approx(0.05)]


def test_async_transport_sleeps_without_blocking() -> None:
    sim, _, _ = make_sim()
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    sim.async_sleep = fake_sleep
    sim.faults.add(Fault("latency", seconds=0.05))

    async def run() -> int:
        async with httpx.AsyncClient(transport=sim.async_transport()) as client:
            url = f"{sim.base_url('facebook')}/humas_sintang"
            response = await client.get(url, params={"access_token": SIM_META_TOKEN})
            return response.status_code

    assert asyncio.run(run()) == 200 and waits == [0.05]


def test_fault_validation() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        Fault("meteor")
    with pytest.raises(ValueError, match="does not exist on"):
        Fault("graph_throttle", platform="youtube")
    with pytest.raises(ValueError, match="needs a platform"):
        Fault("quota_exceeded")
    with pytest.raises(ValueError, match="code"):
        Fault("graph_throttle", platform="facebook", code=99)
    with pytest.raises(ValueError, match="times"):
        Fault("latency", times=0)


def test_stats_count_per_platform_and_endpoint() -> None:
    sim, client, _ = make_sim()
    sim.faults.add(Fault("server_error", platform="facebook", times=1))
    ig_all_pages(client, sim, 10)
    fb_pages(client, sim, limit="25")
    client.get("http://simulator.pantau/nowhere")
    assert sim.stats.count("instagram", "business_discovery") == 3
    assert sim.stats.count("facebook", "posts") == 1
    assert sim.stats.by_platform() == {"instagram": 3, "facebook": 1, "unknown": 1}
    assert sim.stats.total == 5
    sim.stats.reset()
    assert sim.stats.total == 0
