"""A month's figures per account from monthly totals (the pre-aggregates), with the same
formulas as the post-level functions in this package (docs/metrics.md).

Inputs are plain DataFrames: ``current`` and ``previous`` hold one row per account with the
columns of ``account_months`` (posts, rated_posts, interactions, viewed_posts, views,
view_interactions, caption_scored, caption_score_sum, active_weeks, followers_mean,
followers_first(_at), followers_last(_at), comments_sampled, comments_answered,
reply_median_minutes).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from core.interactions import VIDEO_PLATFORMS
from metrics.engagement import engagement_rate_from_totals
from metrics.growth import weekly_compound_growth


def _col(frame: pd.DataFrame, name: str, index: pd.Index) -> pd.Series:
    if name not in frame:
        return pd.Series(np.nan, index=index)
    return frame[name].reindex(index)


def month_figures(
    accounts: pd.DataFrame, current: pd.DataFrame, previous: pd.DataFrame
) -> pd.DataFrame:
    """Per account: posts, active_weeks, engagement_rate (by followers and by views), growth,
    followers, caption_score, reply_rate and reply_median_minutes (from the month's stored
    median: see db/comments.py). ``accounts`` needs account_id and platform."""
    idx = pd.Index(accounts["account_id"], name="account_id")
    cur = current.set_index("account_id") if len(current) else pd.DataFrame(index=idx)
    prev = previous.set_index("account_id") if len(previous) else pd.DataFrame(index=idx)
    out = pd.DataFrame(index=idx)
    out["platform"] = accounts.set_index("account_id")["platform"]
    out["posts"] = _col(cur, "posts", idx).fillna(0).astype(int)
    out["active_weeks"] = _col(cur, "active_weeks", idx).fillna(0).astype(int)
    followers_mean = _col(cur, "followers_mean", idx).astype("float64")
    followers_mean = followers_mean.fillna(_col(prev, "followers_last", idx).astype("float64"))
    out["engagement_rate"] = engagement_rate_from_totals(
        _col(cur, "interactions", idx).fillna(0).astype("float64"),
        _col(cur, "rated_posts", idx).fillna(0).astype("float64"),
        out["posts"],
        followers_mean,
    )
    views = _col(cur, "views", idx).astype("float64")
    by_views = _col(cur, "view_interactions", idx).astype("float64") / views.where(views > 0) * 100
    out["engagement_rate_views"] = by_views.where(out["platform"].isin(VIDEO_PLATFORMS))
    growth = _growth(cur, prev, idx)
    out = out.join(growth)
    sampled = _col(cur, "comments_sampled", idx).astype("float64")
    answered = _col(cur, "comments_answered", idx).astype("float64")
    out["reply_rate"] = answered / sampled.where(sampled > 0) * 100
    out["reply_median_minutes"] = _col(cur, "reply_median_minutes", idx).astype("float64")
    scored = _col(cur, "caption_scored", idx).astype("float64")
    out["caption_score"] = (_col(cur, "caption_score_sum", idx) / scored.where(scored > 0)).round(1)
    return out.reset_index()


def _growth(cur: pd.DataFrame, prev: pd.DataFrame, idx: pd.Index) -> pd.DataFrame:
    """Start: last count of the previous month (else the first of this one); end: the last."""
    start = _col(prev, "followers_last", idx).astype("float64")
    start_at = _col(prev, "followers_last_at", idx)
    first = _col(cur, "followers_first", idx).astype("float64")
    start_at = start_at.where(start.notna(), _col(cur, "followers_first_at", idx))
    start = start.fillna(first)
    end = _col(cur, "followers_last", idx).astype("float64")
    end_at = _col(cur, "followers_last_at", idx)
    days = (
        pd.to_datetime(end_at, utc=True) - pd.to_datetime(start_at, utc=True)
    ).dt.total_seconds() / 86_400
    growth = [
        weekly_compound_growth(s, e, d) if pd.notna(s) and pd.notna(e) and pd.notna(d) else np.nan
        for s, e, d in zip(start, end, days, strict=True)
    ]
    followers = end.fillna(start)
    return pd.DataFrame(
        {"followers_start": start, "followers_end": end, "followers": followers,
         "followers_change": end - start, "growth_weekly": growth},
        index=idx,
    )  # fmt: skip


def history_from_months(months: pd.DataFrame, as_of: datetime) -> pd.DataFrame:
    """Last post time and a post count per account from monthly rows up to ``as_of``."""
    last = pd.to_datetime(months["last_posted_at"], utc=True)  # all NaT: a month without posts
    upto = months.assign(last_posted_at=last)[last.isna() | (last < as_of)]
    grouped = upto.groupby("account_id").agg(
        last_posted_at=("last_posted_at", "max"), posts_total=("posts", "sum")
    )
    return grouped.reset_index()
