"""Best time to post: mean post engagement rate per weekday × hour slot, in local time."""

from __future__ import annotations

import pandas as pd

MIN_POSTS_PER_SLOT = 2


def best_times(posts: pd.DataFrame, tz: str = "Asia/Pontianak", top: int = 5) -> pd.DataFrame:
    """Per (weekday, hour) slot: posts and mean engagement rate; best slots first.

    ``posts`` needs posted_at (UTC) and engagement_rate. Slots with fewer than two rated posts
    are dropped (ContentCal's rule): one lucky post is not a pattern. weekday 0 = Monday.
    """
    grid = slot_grid(posts, tz)
    grid = grid[grid["posts"] >= MIN_POSTS_PER_SLOT]
    return grid.sort_values(["engagement_rate", "posts"], ascending=False).head(top)


def slot_grid(posts: pd.DataFrame, tz: str = "Asia/Pontianak") -> pd.DataFrame:
    """Every slot that has rated posts: weekday, hour, posts, engagement_rate (mean)."""
    rated = posts.dropna(subset=["engagement_rate"])
    local = rated["posted_at"].dt.tz_convert(tz)
    frame = pd.DataFrame(
        {"weekday": local.dt.day_of_week, "hour": local.dt.hour, "er": rated["engagement_rate"]}
    )
    grid = frame.groupby(["weekday", "hour"], as_index=False).agg(
        posts=("er", "size"), engagement_rate=("er", "mean")
    )
    return grid.reset_index(drop=True)
