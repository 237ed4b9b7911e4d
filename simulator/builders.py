"""Building a fast synthetic :class:`SimWorld` of any size (the demo world's is built by
``demo.simworld``, which knows the demo)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from simulator.ids import B64URL, digits, letters, platform_id
from simulator.world import PLATFORMS, SimAccount, SimPost, SimWorld, to_ms

SYNTHETIC_NOW = datetime(2026, 3, 1, tzinfo=UTC)
TWITTER_EPOCH_MS = 1288834974657


def media_type_for(platform: str, post_id: str, url: str) -> str | None:
    if platform == "instagram":
        if "/reel/" in url:
            return "VIDEO"
        return "CAROUSEL_ALBUM" if int(digits(post_id, 2)) < 25 else "IMAGE"
    return "VIDEO" if platform in ("youtube", "tiktok") else None


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
                media_type=media_type_for(platform, str(number), ""),
            )
        )
    account.set_posts(rows)
    return account


def synthetic_world(
    n_accounts: int, posts_per_account: int, seed: int = 0, now: datetime | None = None
) -> SimWorld:
    """``n_accounts`` simple accounts spread over every platform, built fast."""
    start = now or SYNTHETIC_NOW
    accounts = [_synthetic_account(i, posts_per_account, seed, start) for i in range(n_accounts)]
    return SimWorld(start, accounts)
