"""The demo world served by the platform simulator: the demo knows the simulator, never the
reverse (the simulator serves any world)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time

from core.timeutil import DEFAULT_TZ
from demo.world import DemoWorld, build_world
from simulator.builders import media_type_for
from simulator.ids import hex_digest, platform_id
from simulator.world import SimAccount, SimPost, SimWorld, to_ms


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


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
        media_type=media_type_for(platform, post_id, url),
    )


def _key(row: dict[str, object]) -> tuple[str, str]:
    return str(row["platform"]), str(row["handle"])


def demo_sim_world(
    as_of: date, seed: int = 2026, months: int = 16, now: datetime | None = None
) -> SimWorld:
    """Every demo account with its daily follower history and posts; the clock starts at
    ``as_of``'s local midnight."""
    return world_from_demo(build_world(as_of, seed, months), now)


def world_from_demo(demo: DemoWorld, now: datetime | None = None) -> SimWorld:
    """A simulator world serving an already built demo world (clock: its as_of midnight)."""
    as_of = demo.as_of
    posts: dict[tuple[str, str], list[SimPost]] = defaultdict(list)
    for _, row in demo.posts:
        posts[_key(row)].append(_demo_post(row))
    series: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    following: dict[tuple[str, str], int] = {}  # the last count the history knows
    for _, row in demo.followers:
        observed, count, follows = row["observed_at"], row["followers"], row.get("following")
        if isinstance(observed, datetime) and isinstance(count, int):
            series[_key(row)].append((to_ms(observed), count))
        if isinstance(follows, int):  # rows come day by day: the last one seen is the latest
            following[_key(row)] = follows
    accounts = []
    for _, row in demo.registry:
        platform, handle = str(row["platform"]), str(row["handle"]).split("://", 1)[-1]
        if not handle or (platform, handle) == demo.quirks.missing:
            continue  # the missing account: registered, but the platform has no such account
        account = SimAccount(platform, handle, platform_id(platform, handle), str(row["opd_name"]))
        account.followers = sorted(series[(platform, handle)])
        # today's count continues the history (Facebook and YouTube never report one)
        account.following = following.get((platform, handle), 0)
        account.has_rest = platform != "website" or hex_digest(handle, 1) not in "0123"
        account.set_posts(posts[(platform, handle)])
        accounts.append(account)
    start = now or datetime.combine(as_of, time.min, tzinfo=DEFAULT_TZ)
    return SimWorld(start, accounts)
