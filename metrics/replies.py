"""Reply rate and time to first reply: how often, and how fast, the owner answers the public.

``reply_rate = comments with at least one reply by the owner / comments × 100``, over the
comments of the period's posts (Fanpage Karma's service level). ``median_minutes`` is the
median, over the answered comments, of the minutes from the comment to the owner's first
reply. Only some platforms show the owner's replies to Pantau: YouTube comment threads with
any API key (rate only: the sample has no reply times); Facebook and Instagram only with the
owner's token (rate and time). TikTok and X never, and websites have no comments. Where the
figure cannot be known the dashboard says "tidak tersedia" and why, never 0.
"""

from __future__ import annotations

import pandas as pd

PUBLIC_REPLY_PLATFORMS = frozenset({"youtube"})
OWNER_REPLY_PLATFORMS = frozenset({"facebook", "instagram"})  # with the owner's token only
REPLY_RATE_PLATFORMS = PUBLIC_REPLY_PLATFORMS | OWNER_REPLY_PLATFORMS
NOT_AVAILABLE = "tidak tersedia"
NOT_CONNECTED = "akun belum disambungkan pemiliknya"
NO_COMMENTS = "belum ada komentar yang terbaca dalam periode ini"
NO_ANSWER = "belum ada komentar yang dijawab dalam periode ini"
NEVER = {
    "tiktok": "TikTok tidak membuka komentar untuk aplikasi",
    "x": "X mengenakan biaya untuk setiap balasan yang dibaca, jadi Pantau tidak membacanya",
    "website": "situs web tidak memiliki komentar yang dapat dibaca",
}
NO_TIMES = "waktu balasan hanya diukur untuk Facebook dan Instagram yang disambungkan pemiliknya"


def reply_rate(comments: pd.DataFrame) -> pd.DataFrame:
    """Per account: comments, answered, reply_rate (percent) and median_minutes.

    ``comments`` has one row per top-level public comment with account_id and either
    owner_replied (bool; <NA> when unknown, then the comment is left out) or commented_at and
    first_reply_at (NaT: not answered). An account without known comments has no rate (NaN),
    not 0; one without an answered comment with a known time has no median.
    """
    if "owner_replied" not in comments:
        comments = comments.assign(owner_replied=comments["first_reply_at"].notna())
    replied = comments["owner_replied"].astype("boolean")
    grouped = comments.assign(owner_replied=replied).groupby("account_id")["owner_replied"]
    out = pd.DataFrame({"comments": grouped.count(), "answered": grouped.sum()})
    out["reply_rate"] = out["answered"] / out["comments"].where(out["comments"] > 0) * 100
    out["median_minutes"] = float("nan")
    if "first_reply_at" in comments and len(comments):
        waited = pd.to_datetime(comments["first_reply_at"], utc=True) - pd.to_datetime(
            comments["commented_at"], utc=True
        )
        minutes = (waited.dt.total_seconds() / 60).clip(lower=0)
        out["median_minutes"] = minutes.groupby(comments["account_id"]).median()
    return out.reset_index()


def unavailable_reason(platform: str, owner_connected: bool) -> str | None:
    """Why this account can have no reply figures at all; None when it can have them."""
    if platform in NEVER:
        return NEVER[platform]
    if platform in OWNER_REPLY_PLATFORMS and not owner_connected:
        return NOT_CONNECTED
    return None if platform in REPLY_RATE_PLATFORMS else NOT_AVAILABLE


def _unknown(value: float | None) -> bool:
    return value is None or bool(pd.isna(value))


def reply_rate_label(
    platform: str, rate: float | None, owner_connected: bool = False
) -> str | None:
    """None when the rate can be shown; else 'tidak tersedia: <why>'. A rate collected while
    the owner was connected stays shown after a disconnection: it was measured."""
    if platform in REPLY_RATE_PLATFORMS and not _unknown(rate):
        return None
    reason = unavailable_reason(platform, owner_connected) or NO_COMMENTS
    return f"{NOT_AVAILABLE}: {reason}"


def reply_time_label(
    platform: str, rate: float | None, minutes: float | None, owner_connected: bool = False
) -> str | None:
    """None when the median time to first reply can be shown; else 'tidak tersedia: <why>'."""
    rate_label = reply_rate_label(platform, rate, owner_connected)
    if rate_label is not None:
        return rate_label
    if not _unknown(minutes):
        return None
    reason = NO_TIMES if platform in PUBLIC_REPLY_PLATFORMS else NO_ANSWER
    return f"{NOT_AVAILABLE}: {reason}"
