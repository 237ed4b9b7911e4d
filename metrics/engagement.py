"""Engagement: interactions per platform and the period engagement rate (CrowdTangle)."""

from __future__ import annotations

import pandas as pd

from core.interactions import INTERACTION_FIELDS


def engagement_rate_from_totals(
    interactions: pd.Series, rated_posts: pd.Series, posts: pd.Series, followers: pd.Series
) -> pd.Series:
    """Σ interactions / rated posts / mean followers × 100, element-wise.

    0 when the account did not post; unknown (NaN) when it posted but every count was hidden,
    or when its audience is unknown.
    """
    followers = followers.astype("float64")
    rated = rated_posts.astype("float64")
    rate = interactions.astype("float64") / rated.where(rated > 0) / followers.where(followers > 0)
    rate = rate * 100
    rate = rate.where(posts > 0, 0.0)
    return rate.where(followers.notna() & (followers > 0))


def post_interactions(posts: pd.DataFrame) -> pd.Series:
    """Interactions per post; <NA> when the platform has none or any needed count is hidden.

    ``posts`` needs ``platform`` and the count columns. Hidden counts are never zero.
    """
    result = pd.Series(pd.NA, index=posts.index, dtype="Float64")
    for platform, fields in INTERACTION_FIELDS.items():
        mask = posts["platform"] == platform
        if not fields or not mask.any():
            continue
        counts = posts.loc[mask, list(fields)].astype("Float64")
        result.loc[mask] = counts.sum(axis=1, skipna=False)
    return result


def period_engagement_rate(posts: pd.DataFrame, mean_followers: pd.Series) -> pd.DataFrame:
    """Per account: Σ interactions / rated posts / mean followers × 100 (0 when no posts).

    ``posts`` holds one period's posts with ``account_id`` and ``interactions``; posts whose
    interactions are unknown are left out of both sums. ``mean_followers`` is indexed by
    account_id; an account without a known audience gets NaN.
    """
    grouped = posts.groupby("account_id")["interactions"]
    frame = pd.DataFrame(
        {"interactions": grouped.sum(), "rated_posts": grouped.count(), "posts": grouped.size()}
    )
    frame = frame.reindex(mean_followers.index.union(frame.index)).fillna(0)
    frame["rated_posts"] = frame["rated_posts"].astype(int)
    followers = mean_followers.reindex(frame.index)
    frame["engagement_rate"] = engagement_rate_from_totals(
        frame["interactions"], frame["rated_posts"], frame["posts"], followers
    )
    return frame.rename_axis("account_id").reset_index()
