"""The following count: how many accounts an OPD account follows, and how that changes.

The office's guidance asks admins to follow other accounts (the regent's, other OPDs'), so the
count is worth watching. Only Instagram, TikTok and X report it; Facebook Pages, YouTube
channels and websites have no such number, and the dashboard says so instead of showing 0.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from metrics.growth import follower_growth

FOLLOWING_PLATFORMS = frozenset({"instagram", "tiktok", "x"})
NOT_AVAILABLE = "tidak tersedia"
NOT_REPORTED = {
    "facebook": "Facebook tidak melaporkan jumlah akun yang diikuti sebuah Halaman",
    "youtube": "YouTube tidak melaporkan jumlah kanal yang diikuti sebuah kanal",
    "website": "situs web tidak mengikuti akun lain",
}
NOT_READ = "jumlahnya belum pernah terbaca"


def following_counts(snapshots: pd.DataFrame, start: datetime, end: datetime) -> pd.DataFrame:
    """Per account over [start, end): ``following`` (the last known count) and
    ``following_change`` (that count minus the one at the start).

    The start is taken as for follower growth: the last count at or before ``start``, else
    the first one inside the period. A single count has no change (NaN), never 0; unknown
    counts (NULL) are skipped. ``snapshots`` needs account_id, observed_at and following.
    """
    counts = snapshots[["account_id", "observed_at", "following"]]
    # the same two ends as follower growth, so the two deltas on a page agree on their dates
    ends = follower_growth(counts.rename(columns={"following": "followers"}), start, end)
    single = ends["observed_at_start"] == ends["observed_at_end"]
    change = ends["followers_change"].astype("float64").where(~single)
    return pd.DataFrame(
        {
            "account_id": ends["account_id"].astype(int),
            "following": ends["followers_end"].astype("float64"),
            "following_change": change,
        }
    )


def following_label(platform: str, count: float | None) -> str | None:
    """None when the count can be shown; else 'tidak tersedia: <why>'."""
    if platform in FOLLOWING_PLATFORMS and count is not None and not pd.isna(count):
        return None
    return f"{NOT_AVAILABLE}: {NOT_REPORTED.get(platform, NOT_READ)}"
