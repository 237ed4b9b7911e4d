"""Shared helpers (no tests here): a small explicit world for the simulator tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from simulator import SimPost, Simulator, SimWorld
from simulator.credentials import SIM_IG_USER_ID, SIM_META_TOKEN

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
COUNT = 23  # posts per account: several pages at any page size the tests use
HANDLES = dict.fromkeys(("instagram", "facebook", "youtube", "tiktok", "x"), "humas_sintang")
HANDLES["website"] = "humas.sintang.example"


def make_posts(platform: str, count: int = COUNT) -> list[SimPost]:
    posts = []
    for i in range(count):
        # posts 5 and 6 share one second: cursors must still reach both exactly once
        when = NOW - timedelta(hours=i + 1 if i != 6 else 6)
        post_id = str(1000 + i) if platform == "website" else f"{platform[:2]}-{i}"
        posts.append(
            SimPost(
                post_id=post_id,
                posted_at=when,
                caption=f"Kegiatan nomor {i}" if i != 3 else None,
                likes=None if i == 2 else 10 * i,
                comments=i,
                shares=i % 3,
                views=100 * i,
                url=f"https://example.invalid/{platform}/{i}",
                media_type="VIDEO" if i % 4 == 0 else "IMAGE",
            )
        )
    return posts


def small_world() -> SimWorld:
    world = SimWorld(NOW)
    for platform, handle in HANDLES.items():
        world.add_account(platform, handle, followers=4321, posts=make_posts(platform))
    world.add_account("x", "sepi_sintang", followers=5)  # no posts at all
    return world


def make_sim(world: SimWorld | None = None) -> tuple[Simulator, httpx.Client, list[float]]:
    slept: list[float] = []
    sim = Simulator(world or small_world(), sleep=slept.append)
    return sim, httpx.Client(transport=sim.transport()), slept


def expected_ids(sim: Simulator, platform: str) -> list[str]:
    return [p.post_id for p in sim.world.visible_posts(platform, HANDLES[platform])]


IG_FIELDS = (
    "business_discovery.username({user}){{id,username,followers_count,follows_count,media_count,"
    "media{media}{{id,caption,comments_count,like_count,timestamp,permalink,media_type,"
    "media_product_type,media_url,thumbnail_url}}}}"
)


def ig_get(
    client: httpx.Client,
    sim: Simulator,
    media: str = ".limit(10)",
    user: str = "humas_sintang",
    token: str = SIM_META_TOKEN,
) -> httpx.Response:
    fields = IG_FIELDS.format(user=user, media=media)
    url = f"{sim.base_url('instagram')}/{SIM_IG_USER_ID}"
    return client.get(url, params={"fields": fields, "access_token": token})


def ig_all_pages(client: httpx.Client, sim: Simulator, limit: int) -> list[dict[str, Any]]:
    """Follow ``cursors.after`` until a page has none (an empty page with one goes on)."""
    pages, media = [], f".limit({limit})"
    for _ in range(100):
        body = ig_get(client, sim, media).json()["business_discovery"]["media"]
        pages.append(body)
        after = body.get("paging", {}).get("cursors", {}).get("after")
        if not after:
            break
        media = f".after({after}).limit({limit})"
    return pages
