"""Building a :class:`SimWorld`: from the demo world, or a fast synthetic one of any size."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from core.timeutil import DEFAULT_TZ
from simulator.ids import B64URL, digits, hex_digest, letters, platform_id
from simulator.world import PLATFORMS, SimAccount, SimPost, SimWorld, to_ms

if TYPE_CHECKING:
    from demo.world import DemoWorld

SYNTHETIC_NOW = datetime(2026, 3, 1, tzinfo=UTC)
TWITTER_EPOCH_MS = 1288834974657


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _media_type(platform: str, post_id: str, url: str) -> str | None:
    if platform == "instagram":
        if "/reel/" in url:
            return "VIDEO"
        return "CAROUSEL_ALBUM" if int(digits(post_id, 2)) < 25 else "IMAGE"
    return "VIDEO" if platform in ("youtube", "tiktok") else None


def _demo_post(row: dict[str, object]) -> SimPost:
    platform, post_id, url = str(row["platform"]), str(row["post_id"]), str(row["url"])
    if platform == "website":  # WordPress ids are integers: keep the demo's sequence number
        post_id = post_id.rsplit("-", 1)[-1]
    posted_at = row["posted_at"]
    if not isinstance(posted_at, datetime):
        raise TypeError(f"demo post {post_id} has no time")
    caption = row.get("caption")
    return SimPost(
        post_id=post_id,
        posted_at=posted_at.astimezone(UTC),
        caption=str(caption) if caption else None,
        likes=_int(row.get("likes")),
        comments=_int(row.get("comments")),
        shares=_int(row.get("shares")),
        views=_int(row.get("views")),
        url=url,
        media_type=_media_type(platform, post_id, url),
    )


def demo_world(as_of: date, seed: int, months: int, now: datetime | None) -> SimWorld:
    """Every demo account with its daily follower history and posts."""
    from demo.world import build_world

    return world_from_demo(build_world(as_of, seed, months), now)


def world_from_demo(demo: DemoWorld, now: datetime | None = None) -> SimWorld:
    """A simulator world serving an already built demo world (clock: its as_of midnight)."""
    as_of = demo.as_of
    posts: dict[tuple[str, str], list[SimPost]] = defaultdict(list)
    for _, row in demo.posts:
        posts[(str(row["platform"]), str(row["handle"]))].append(_demo_post(row))
    series: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for _, row in demo.followers:
        observed, count = row["observed_at"], row["followers"]
        if isinstance(observed, datetime) and isinstance(count, int):
            series[(str(row["platform"]), str(row["handle"]))].append((to_ms(observed), count))
    accounts = []
    for _, row in demo.registry:
        platform, handle = str(row["platform"]), str(row["handle"]).split("://", 1)[-1]
        if not handle or (platform, handle) == demo.quirks.missing:
            continue  # the missing account: registered, but the platform has no such account
        account = SimAccount(platform, handle, platform_id(platform, handle), str(row["opd_name"]))
        account.followers = sorted(series[(platform, handle)])
        account.following = int(digits(f"following:{platform}:{handle}", 3)) % 400
        account.has_rest = platform != "website" or hex_digest(handle, 1) not in "0123"
        account.set_posts(posts[(platform, handle)])
        accounts.append(account)
    start = now or datetime.combine(as_of, time.min, tzinfo=DEFAULT_TZ)
    return SimWorld(start, accounts)


def _synthetic_id(platform: str, index: int, number: int, key_ms: int, pid: str) -> str:
    if platform == "instagram":
        return str(17_900_000_000_000_000 + index * 100_000 + number)
    if platform == "facebook":
        return f"{pid}_{900_000_000_000_000 + index * 100_000 + number}"
    if platform == "youtube":
        return letters(f"video:{index}:{number}", 11, B64URL)
    if platform == "tiktok":
        return str(7_300_000_000_000_000_000 + index * 100_000 + number)
    if platform == "x":
        return str(((key_ms - TWITTER_EPOCH_MS) << 22) + index % 4096)
    return str(number)


def default_url(platform: str, handle: str, post_id: str) -> str:
    """Where the post would live on the platform's real site."""
    return {
        "instagram": f"https://www.instagram.com/p/{post_id}/",
        "facebook": f"https://www.facebook.com/{handle}/posts/{post_id}",
        "youtube": f"https://www.youtube.com/watch?v={post_id}",
        "tiktok": f"https://www.tiktok.com/@{handle}/video/{post_id}",
        "x": f"https://x.com/{handle}/status/{post_id}",
    }.get(platform, f"https://{handle}/?p={post_id}")


def _synthetic_account(index: int, posts: int, seed: int, now: datetime) -> SimAccount:
    platform = PLATFORMS[index % len(PLATFORMS)]
    handle = f"situs{index:05d}.example" if platform == "website" else f"akun{index:05d}"
    rng = random.Random(f"{seed}:{index}")  # noqa: S311 (synthetic data)
    pid = platform_id(platform, handle)
    account = SimAccount(platform, handle, pid, f"Akun Sintetis {index}")
    account.followers = [(0, rng.randint(100, 50_000))]
    moment, rows = now, []
    for number in range(posts, 0, -1):
        moment -= timedelta(seconds=rng.randint(3_600, 3 * 86_400))
        views = rng.randint(50, 20_000)
        post_id = _synthetic_id(platform, index, number, to_ms(moment), pid)
        rows.append(
            SimPost(
                post_id=post_id,
                posted_at=moment,
                caption=f"Kegiatan {number} akun {index}",
                likes=views // 20,
                comments=views // 400,
                shares=views // 300,
                views=views,
                url=default_url(platform, handle, post_id),
                media_type=_media_type(platform, str(number), ""),
            )
        )
    account.set_posts(rows)
    return account


def synthetic_world(
    n_accounts: int, posts_per_account: int, seed: int, now: datetime | None
) -> SimWorld:
    start = now or SYNTHETIC_NOW
    accounts = [_synthetic_account(i, posts_per_account, seed, start) for i in range(n_accounts)]
    return SimWorld(start, accounts)
