"""The account detail use case (Detail Akun): one account's audience, posts and habits.

Everything the page shows is built here as plain values and DataFrames, so it is tested
without Streamlit. Times are UTC; days, weekdays and hours are counted in local time (WIB).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from core.settings import Settings
from core.timeutil import local_day_start_utc, utcnow
from db import queries
from db.aggregates import month_range
from db.comments import comment_totals, owner_connected
from metrics.activity import account_status
from metrics.engagement import period_engagement_rate, post_interactions
from metrics.following import following_counts, following_label
from metrics.growth import follower_growth, mean_followers
from metrics.hashtags import tag_leaderboard
from metrics.month_scores import thresholds_from
from metrics.outliers import overperformance
from metrics.posting_pace import period_weeks
from metrics.replies import OWNER_REPLY_PLATFORMS, reply_rate_label, reply_time_label
from metrics.timing import best_times, slot_grid
from metrics.video import engagement_rate_by_views, views_rate_label
from refresh.months import unreadable_at

TOP_POSTS = 3
TOP_TAGS = 10
POST_COLUMNS = [
    "posted_at", "caption", "url", "likes", "comments", "shares", "views", "interactions",
    "followers_at_post", "engagement_rate", "performance",
]  # fmt: skip


@dataclass(frozen=True)
class AccountDetail:
    """One account over the last ``months`` months, up to ``as_of``."""

    account_id: int
    opd_code: str
    opd_name: str
    platform: str
    handle: str
    months: int
    start: datetime  # UTC, local midnight of the period's first day
    as_of: datetime  # UTC
    status: str
    status_reason: str  # why it cannot be read, and what to do ("" when it can)
    days_since_last_post: float | None
    last_posted_at: datetime | None
    followers_now: int | None
    followers_change: int | None
    growth_pct: float | None  # over the period: end / start − 1, in percent
    growth_weekly: float | None  # weekly compound growth over the period, in percent
    engagement_rate: float | None  # period rate; None where the platform has no interactions
    engagement_rate_views: float | None  # Σ interactions / Σ views × 100 (YouTube, TikTok)
    views_rate_text: str | None  # "tidak tersedia: <why>", or None when the rate can be shown
    posts_in_period: int
    posts_per_week: float  # posts in the period ÷ its weeks (docs/metrics.md)
    following_now: int | None  # accounts it follows, at the last count read
    following_change: int | None  # over the period; None with fewer than two counts
    following_text: str | None  # "tidak tersedia: <why>", or None when the count can be shown
    reply_rate: float | None  # owner's answered / sampled comments × 100 over the months
    reply_rate_text: str | None  # "tidak tersedia: <why>", or None when a rate can be shown
    reply_median_minutes: float | None  # median minutes to the owner's first reply
    reply_time_text: str | None  # "tidak tersedia: <why>", or None when a time can be shown
    needs_owner_connection: bool  # Facebook/Instagram whose owner has not connected it yet
    followers: pd.DataFrame  # observed_at, followers (known counts inside the period)
    following: pd.DataFrame  # observed_at, following (known counts inside the period)
    calendar: pd.DataFrame  # day, weekday, week_start, posts (every day of the period)
    posts: pd.DataFrame  # POST_COLUMNS, newest first
    best: pd.DataFrame  # top posts by over-performance (POST_COLUMNS)
    worst: pd.DataFrame  # bottom posts by over-performance (POST_COLUMNS)
    caption_monthly: pd.DataFrame  # month, scored_posts, caption_score
    time_slots: pd.DataFrame  # weekday, hour, posts, engagement_rate
    best_times: pd.DataFrame  # the top slots (at least two posts each)
    hashtags: pd.DataFrame  # tag, posts, accounts, mean_interactions
    mentions: pd.DataFrame  # tag, posts, accounts, mean_interactions

    @property
    def has_audience(self) -> bool:
        """Websites have neither followers nor interactions."""
        return self.platform != "website"


def account_list(session: Session) -> pd.DataFrame:
    """The monitored accounts to choose from: account_id, opd_id, opd_code, opd_name, platform,
    handle."""
    accounts = queries.accounts_frame(session, active_only=True)
    return accounts[["account_id", "opd_id", "opd_code", "opd_name", "platform", "handle"]]


def period_bounds(
    months: int, tz: ZoneInfo, now: datetime | None = None
) -> tuple[datetime, datetime]:
    """UTC start (local midnight ``months`` months before today) and ``as_of`` (now)."""
    as_of = now or utcnow()
    today = pd.Timestamp(as_of).tz_convert(tz).date()
    first = (pd.Timestamp(today) - pd.DateOffset(months=months)).date()
    return local_day_start_utc(first, tz), as_of


def with_post_rates(posts: pd.DataFrame, snapshots: pd.DataFrame) -> pd.DataFrame:
    """Adds followers_at_post (nearest snapshot at or before the post) and engagement_rate."""
    known = snapshots.dropna(subset=["followers"]).sort_values("observed_at")
    ordered = posts.sort_values("posted_at").reset_index(drop=True)
    if known.empty:
        ordered["followers_at_post"] = np.nan
    else:
        # one time unit on both sides: drivers differ (SQLite text vs PostgreSQL timestamps)
        left = ordered[["posted_at"]].astype({"posted_at": "datetime64[us, UTC]"})
        right = known[["observed_at", "followers"]].astype(
            {"observed_at": "datetime64[us, UTC]", "followers": "float64"}
        )
        matched = pd.merge_asof(
            left,
            right,
            left_on="posted_at",
            right_on="observed_at",
            direction="backward",
        )
        ordered["followers_at_post"] = matched["followers"].to_numpy()
    followers = ordered["followers_at_post"].astype("float64")
    rate = ordered["interactions"].astype("float64") / followers.where(followers > 0) * 100
    ordered["engagement_rate"] = rate
    return ordered


def posting_calendar(
    posts: pd.DataFrame, start: datetime, as_of: datetime, tz: ZoneInfo
) -> pd.DataFrame:
    """Posts per local day for every day of the period, with weekday (0 = Monday) and week."""
    first = pd.Timestamp(start).tz_convert(tz).date()
    last = pd.Timestamp(as_of).tz_convert(tz).date()
    days = pd.date_range(first, last, freq="D")
    local_days = posts["posted_at"].dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
    counts = local_days.value_counts().reindex(days, fill_value=0)
    return pd.DataFrame(
        {
            "day": days.date,
            "weekday": days.day_of_week,
            "week_start": (days - pd.to_timedelta(days.day_of_week, unit="D")).date,
            "posts": counts.to_numpy().astype(int),
        }
    )


def caption_by_month(months_frame: pd.DataFrame) -> pd.DataFrame:
    """Mean caption score per month from the monthly aggregates (NaN when none was scored)."""
    frame = months_frame.sort_values("month")
    scored = frame["caption_scored"].astype("float64")
    return pd.DataFrame(
        {
            "month": frame["month"].astype(str).to_numpy(),
            "scored_posts": scored.fillna(0).astype(int).to_numpy(),
            "caption_score": (frame["caption_score_sum"] / scored.where(scored > 0)).to_numpy(),
        }
    )


def reply_rate_from_months(months_frame: pd.DataFrame) -> float | None:
    """Comments answered by the owner / comments sampled × 100 over the months; None if none."""
    if "comments_sampled" not in months_frame:
        return None
    sampled = float(months_frame["comments_sampled"].fillna(0).sum())
    answered = float(months_frame["comments_answered"].fillna(0).sum())
    return answered / sampled * 100 if sampled > 0 else None


@dataclass(frozen=True)
class Replies:
    rate: float | None
    rate_text: str | None
    median_minutes: float | None
    time_text: str | None
    needs_connection: bool


def replies_over(
    session: Session, account_id: int, platform: str, months: pd.DataFrame, since: datetime,
    as_of: datetime,
) -> Replies:  # fmt: skip
    """Reply rate over the months' totals (YouTube's samples and the comments read with the
    owner's token alike); the median time to first reply over the stored comments of the
    posts published from ``since`` (the first month's start) to ``as_of``."""
    rate = reply_rate_from_months(months)
    connected = account_id in owner_connected(session, [account_id])
    totals = comment_totals(session, [account_id], since, as_of).get(account_id, {})
    minutes = totals.get("reply_median_minutes")
    return Replies(
        rate, reply_rate_label(platform, rate, connected), minutes,
        reply_time_label(platform, rate, minutes, connected),
        platform in OWNER_REPLY_PLATFORMS and not connected,
    )  # fmt: skip


def months_between(start: datetime, as_of: datetime, tz: ZoneInfo) -> list[str]:
    first = pd.Timestamp(start).tz_convert(tz).tz_localize(None).to_period("M")
    last = pd.Timestamp(as_of).tz_convert(tz).tz_localize(None).to_period("M")
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def best_and_worst(posts: pd.DataFrame, top: int = TOP_POSTS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``top`` posts with the highest and the lowest over-performance (never the same)."""
    rated = posts.dropna(subset=["performance"]).sort_values("performance", ascending=False)
    best = rated.head(top)
    worst = rated.drop(index=best.index).sort_values("performance").head(top)
    return best[POST_COLUMNS], worst[POST_COLUMNS]


def _status(
    session: Session, account: pd.DataFrame, posts: pd.DataFrame, snapshots: pd.DataFrame,
    as_of: datetime, settings: Settings,
) -> pd.Series:  # fmt: skip
    account_id = int(account["account_id"].iloc[0])
    history = pd.DataFrame(
        {
            "account_id": [account_id],
            "last_posted_at": [posts["posted_at"].max() if len(posts) else pd.NaT],
            "posts_total": [len(posts)],
        }
    )
    observed = queries.accounts_with_results(session, as_of) & {account_id}
    if len(posts) or len(snapshots):
        observed.add(account_id)
    status = account_status(
        account, history, observed, as_of, thresholds_from(settings),
        unreadable_at(session, as_of),
    )  # fmt: skip
    return status.iloc[0]


def _growth(snapshots: pd.DataFrame, start: datetime, as_of: datetime) -> dict[str, object]:
    growth = follower_growth(snapshots, start, as_of)
    known = snapshots.dropna(subset=["followers"])
    now = int(known["followers"].iloc[-1]) if len(known) else None
    if growth.empty:
        return {"followers_now": now, "followers_change": None, "growth_pct": None,
                "growth_weekly": None}  # fmt: skip
    row = growth.iloc[0]
    first, last = float(row["followers_start"]), float(row["followers_end"])
    return {
        "followers_now": now,
        "followers_change": int(last - first),
        "growth_pct": (last / first - 1) * 100 if first > 0 else None,
        "growth_weekly": _optional(row["growth_weekly"]),
    }


def _following(
    snapshots: pd.DataFrame, platform: str, start: datetime, as_of: datetime
) -> dict[str, object]:
    counts = following_counts(snapshots, start, as_of)
    now = _optional(counts["following"].iloc[0]) if len(counts) else None
    change = _optional(counts["following_change"].iloc[0]) if len(counts) else None
    inside = snapshots[snapshots["observed_at"] >= start].dropna(subset=["following"])
    return {
        "following_now": None if now is None else int(now),
        "following_change": None if change is None else int(change),
        "following_text": following_label(platform, now),
        "following": inside[["observed_at", "following"]].reset_index(drop=True),
    }


def _by_views(posts: pd.DataFrame, platform: str) -> dict[str, object]:
    rate = engagement_rate_by_views(posts)
    label = views_rate_label(platform, rate)
    return {"engagement_rate_views": None if label else rate, "views_rate_text": label}


def _optional(value: object) -> float | None:
    if value is None or value is pd.NA or pd.isna(value):  # type: ignore[call-overload]
        return None
    return float(value)  # type: ignore[arg-type]


def _period_rate(posts: pd.DataFrame, snapshots: pd.DataFrame, account_id: int,
                 start: datetime, as_of: datetime) -> float | None:  # fmt: skip
    followers = mean_followers(snapshots, start, as_of).reindex([account_id])
    rates = period_engagement_rate(posts[["account_id", "interactions"]], followers)
    return _optional(rates["engagement_rate"].iloc[0])


def account_detail(
    session: Session, account_id: int, months: int, settings: Settings,
    now: datetime | None = None,
) -> AccountDetail | None:  # fmt: skip
    """Everything Detail Akun shows for one account; None when the account is unknown."""
    accounts = queries.accounts_frame(session)
    account = accounts[accounts["account_id"] == account_id]
    if account.empty:
        return None
    info = account.iloc[0]
    platform, tz = str(info["platform"]), settings.tz
    start, as_of = period_bounds(months, tz, now)
    posts = queries.posts_frame(session, end=as_of, account_ids=[account_id])
    snapshots = queries.snapshots_frame(session, end=as_of, account_ids=[account_id])
    posts["platform"] = platform
    posts["interactions"] = post_interactions(posts)
    posts = overperformance(with_post_rates(posts, snapshots), as_of)
    status = _status(
        session, account[["account_id", "platform"]], posts, snapshots, as_of, settings
    )
    recent = posts[posts["posted_at"] >= start].sort_values("posted_at", ascending=False)
    best, worst = best_and_worst(recent)
    month_list = months_between(start, as_of, tz)
    aggregates = queries.month_aggregates(session, month_list)
    aggregates = aggregates[aggregates["account_id"] == account_id]
    since = month_range(month_list[0], tz)[0]
    replies = replies_over(session, account_id, platform, aggregates, since, as_of)
    inside = snapshots[snapshots["observed_at"] >= start].dropna(subset=["followers"])
    return AccountDetail(
        account_id=account_id,
        opd_code=str(info["opd_code"]),
        opd_name=str(info["opd_name"]),
        platform=platform,
        handle=str(info["handle"]),
        months=months,
        start=start,
        as_of=as_of,
        status=str(status["status"]),
        status_reason=str(status["status_reason"]),
        days_since_last_post=_optional(status["days_since_last_post"]),
        last_posted_at=None if pd.isna(status["last_posted_at"]) else status["last_posted_at"],
        **_growth(snapshots, start, as_of),  # type: ignore[arg-type]
        engagement_rate=(
            _period_rate(recent, snapshots, account_id, start, as_of)
            if platform != "website"
            else None
        ),
        **_by_views(recent, platform),  # type: ignore[arg-type]
        posts_in_period=len(recent),
        posts_per_week=len(recent) / period_weeks(start, as_of),
        **_following(snapshots, platform, start, as_of),  # type: ignore[arg-type]
        reply_rate=replies.rate,
        reply_rate_text=replies.rate_text,
        reply_median_minutes=replies.median_minutes,
        reply_time_text=replies.time_text,
        needs_owner_connection=replies.needs_connection,
        followers=inside[["observed_at", "followers"]].reset_index(drop=True),
        calendar=posting_calendar(recent, start, as_of, tz),
        posts=recent[POST_COLUMNS].reset_index(drop=True),
        best=best.reset_index(drop=True),
        worst=worst.reset_index(drop=True),
        caption_monthly=caption_by_month(aggregates),
        time_slots=slot_grid(recent, settings.timezone),
        best_times=best_times(recent, settings.timezone),
        hashtags=tag_leaderboard(recent, "hashtag", top=TOP_TAGS),
        mentions=tag_leaderboard(recent, "mention", top=TOP_TAGS),
    )
