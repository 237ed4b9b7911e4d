"""Interaction counts of a demo post, per platform, and the post's fake address.

Counts grow with the audience and the caption's quality, vary from post to post and, rarely,
explode (a viral post). A count the platform does not report is None, never 0.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

VIRAL_CHANCE = 0.004
HIDDEN_LIKES_CHANCE = 0.10  # Instagram lets an account hide like counts
IG_MEDIA = ("image", "carousel", "reels")
IG_MEDIA_WEIGHTS = (5, 2.5, 2.5)


@dataclass(frozen=True)
class Counts:
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    views: int | None = None
    media_type: str | None = None


def _n(rng: random.Random, expected: float) -> int:
    """A whole count around ``expected`` (never negative)."""
    expected = max(0.0, expected)
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def reach_factor(rng: random.Random, quality: float, age_days: float, viral: float) -> float:
    """Noise x caption quality x (young posts still collecting) x viral multiplier."""
    young = 0.55 + 0.15 * age_days if age_days < 3 else 1.0
    noise = min(3.5, max(0.2, rng.lognormvariate(0, 0.55)))
    return noise * (0.55 + 0.8 * quality) * young * viral


def post_counts(rng: random.Random, platform: str, audience: float, reach: float) -> Counts:
    """Platform-shaped counts for a post seen by an account of ``audience`` followers."""
    a = audience * reach
    if platform == "instagram":
        media = rng.choices(IG_MEDIA, weights=IG_MEDIA_WEIGHTS)[0]
        likes = _n(rng, a * 0.03 * (1.4 if media == "reels" else 1.0))
        views = _n(rng, a * rng.uniform(0.8, 2.5)) if media == "reels" else None
        shown = None if rng.random() < HIDDEN_LIKES_CHANCE else likes
        return Counts(shown, _n(rng, likes * rng.uniform(0.02, 0.06)), None, views, media)
    if platform == "facebook":
        reactions = _n(rng, a * 0.012)
        comments = _n(rng, reactions * rng.uniform(0.04, 0.12))
        return Counts(reactions, comments, _n(rng, reactions * rng.uniform(0.05, 0.2)))
    if platform == "youtube":
        views = _n(rng, a * 0.4)
        likes, comments = _n(rng, views * rng.uniform(0.03, 0.06)), _n(rng, views * 0.005)
        return Counts(likes, comments, None, views, "video")
    if platform == "tiktok":
        views = _n(rng, a * rng.uniform(0.3, 1.2) * rng.lognormvariate(0, 0.6))
        likes = _n(rng, views * rng.uniform(0.04, 0.1))
        comments, shares = _n(rng, likes * 0.03), _n(rng, likes * rng.uniform(0.02, 0.08))
        return Counts(likes, comments, shares, views, "video")
    if platform == "x":
        likes = _n(rng, a * 0.008)
        replies, reposts = _n(rng, likes * 0.12), _n(rng, likes * rng.uniform(0.1, 0.3))
        return Counts(likes, replies, reposts, _n(rng, a * rng.uniform(0.5, 1.5)))
    return Counts(media_type="article")  # website: no counts at all


def viral_multiplier(rng: random.Random, forced: bool) -> float:
    """1 for an ordinary post; 10-50 for the rare post that spreads."""
    if forced or rng.random() < VIRAL_CHANCE:
        return rng.uniform(10, 50)
    return 1.0


def post_id(platform: str, slug: str, number: int) -> str:
    """``instagram-dinkes-42``: unique per account (and across the demo world)."""
    return f"{platform}-{slug}-{number}"


def post_url(platform: str, handle: str, slug: str, number: int, media_type: str | None) -> str:
    """A fake address on the platform's real host, or on the reserved ``.example`` site."""
    token = f"DEMO{slug.upper()}{number:05d}"
    if platform == "instagram":
        kind = "reel" if media_type == "reels" else "p"
        return f"https://www.instagram.com/{kind}/{token}/"
    if platform == "facebook":
        return f"https://www.facebook.com/{handle}/posts/{token}"
    if platform == "youtube":
        return f"https://www.youtube.com/watch?v={token}"
    if platform == "tiktok":
        return f"https://www.tiktok.com/@{handle}/video/{token}"
    if platform == "x":
        return f"https://x.com/{handle}/status/{token}"
    return f"https://{handle}/berita/{number}"
