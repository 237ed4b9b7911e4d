"""Engagement by views, for the video platforms (YouTube, TikTok).

A video's audience is who watched it more than who follows the channel, so for video Pantau
also gives ``Σ interactions / Σ views × 100`` over the posts whose interactions and views are
both known (Rival IQ's TikTok rate). Other platforms show "tidak tersedia", never 0.
"""

from __future__ import annotations

import pandas as pd

from core.interactions import VIDEO_PLATFORMS

NOT_AVAILABLE = "tidak tersedia"
VIDEO_ONLY = "hanya dihitung untuk YouTube dan TikTok"
NO_VIEWS = "belum ada tayangan yang terbaca dalam periode ini"


def engagement_rate_by_views(posts: pd.DataFrame) -> float | None:
    """Σ interactions / Σ views × 100 over the posts with both known; None without views.

    ``posts`` needs interactions and views (one account's, or any set of posts)."""
    interactions = pd.to_numeric(posts["interactions"], errors="coerce").astype("float64")
    views = pd.to_numeric(posts["views"], errors="coerce").astype("float64")
    both = interactions.notna() & views.notna()
    total_views = float(views[both].sum())
    if total_views <= 0:
        return None
    return float(interactions[both].sum()) / total_views * 100


def views_rate_label(platform: str, rate: float | None) -> str | None:
    """None when the rate by views can be shown; else 'tidak tersedia: <why>'."""
    if platform not in VIDEO_PLATFORMS:
        return f"{NOT_AVAILABLE}: {VIDEO_ONLY}"
    return None if rate is not None else f"{NOT_AVAILABLE}: {NO_VIEWS}"
