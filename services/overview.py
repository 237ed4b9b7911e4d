"""The overview use case (Ringkasan): KPIs, monthly trends, accounts needing attention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy.orm import Session

from core.settings import Settings
from core.timeutil import local_day_start_utc
from db import queries
from metrics.activity import ACTIVE, AT_RISK, DORMANT, NO_DATA, status_counts
from metrics.engagement import post_interactions
from metrics.growth import group_growth
from services.period import Period, month_period
from services.ranking import load_month, score_month


@dataclass(frozen=True)
class Overview:
    month: str
    as_of: datetime
    is_demo: bool
    accounts: int
    status_counts: dict[str, int]
    followers_total: int
    followers_growth_pct: float
    posts_this_month: int
    median_engagement_rate: float
    monthly: pd.DataFrame  # month, platform, posts, followers
    attention: pd.DataFrame  # the five accounts that most need attention
    statuses: pd.DataFrame  # per account status (for charts)


def monthly_trend(
    session: Session, months: int, as_of: datetime, tz: str = "Asia/Pontianak"
) -> pd.DataFrame:
    """Posts and end-of-month followers per month and platform over the last ``months``."""
    start = pd.Timestamp(as_of) - pd.DateOffset(months=months)
    accounts = queries.accounts_frame(session, active_only=True)[["account_id", "platform"]]
    posts = queries.posts_frame(session, start.to_pydatetime(), as_of, with_caption=False)
    snaps = queries.snapshots_frame(session, start.to_pydatetime(), as_of)
    posts = posts.merge(accounts, on="account_id")
    posts["interactions"] = post_interactions(posts)
    posts["month"] = posts["posted_at"].dt.tz_convert(tz).dt.strftime("%Y-%m")
    post_trend = posts.groupby(["month", "platform"], as_index=False).agg(
        posts=("account_id", "size"), interactions=("interactions", "sum")
    )
    snaps = snaps.dropna(subset=["followers"]).merge(accounts, on="account_id")
    snaps["month"] = snaps["observed_at"].dt.tz_convert(tz).dt.strftime("%Y-%m")
    last = snaps.sort_values("observed_at").groupby(["month", "account_id"]).tail(1)
    follower_trend = last.groupby(["month", "platform"], as_index=False).agg(
        followers=("followers", "sum")
    )
    keys = ["month", "platform"]
    for frame in (post_trend, follower_trend):
        for key in keys:  # object keys: pandas' Arrow strings cannot merge two empty frames
            frame[key] = frame[key].astype("object")
    trend = post_trend.merge(follower_trend, on=keys, how="outer")
    return trend.fillna({"posts": 0, "interactions": 0}).sort_values(["month", "platform"])


def attention_list(scored: pd.DataFrame, limit: int = 5) -> pd.DataFrame:
    """Dormant first, then at risk, longest silence first: who to remind today."""
    order = {DORMANT: 0, AT_RISK: 1}
    needs = scored[scored["status"].isin(order)].copy()
    needs["_order"] = needs["status"].map(order)
    needs = needs.sort_values(["_order", "days_since_last_post"], ascending=[True, False])
    return needs.head(limit).drop(columns="_order").reset_index(drop=True)


def overview(session: Session, month: str, settings: Settings) -> Overview:
    period = month_period(month, settings.tz)
    scored = score_month(load_month(session, period), settings)
    counts = status_counts(scored["status"])
    growth = scored.dropna(subset=["followers_start", "followers_end"])
    rates = scored.loc[scored["posts"] > 0, "engagement_rate"].dropna()
    return Overview(
        month=month,
        as_of=period.as_of,
        is_demo=queries.is_demo(session),
        accounts=len(scored),
        status_counts=counts,
        followers_total=int(scored["followers"].fillna(0).sum()),
        followers_growth_pct=group_growth(growth) if len(growth) else float("nan"),
        posts_this_month=int(scored["posts"].sum()),
        median_engagement_rate=float(rates.median()) if len(rates) else float("nan"),
        monthly=monthly_trend(session, 12, period.as_of, settings.timezone),
        attention=attention_list(scored),
        statuses=scored[["account_id", "opd_code", "opd_name", "platform", "handle", "status"]],
    )


def day_period(day: date, settings: Settings) -> Period:
    """The month containing ``day``, observed at the end of that day (WIB)."""
    tz = settings.tz
    base = month_period(day.strftime("%Y-%m"), tz)
    end_of_day = local_day_start_utc(day + timedelta(days=1), tz)
    return Period(base.month, base.start, base.end, as_of=min(end_of_day, base.end))


def dormant_report(session: Session, day: date, settings: Settings) -> pd.DataFrame:
    """Accounts that are not active at the end of ``day``, least active first."""
    scored = score_month(load_month(session, day_period(day, settings)), settings)
    order = {DORMANT: 0, AT_RISK: 1, NO_DATA: 2, ACTIVE: 3}
    scored["_order"] = scored["status"].map(order)
    scored = scored.sort_values(
        ["_order", "days_since_last_post", "opd_code"], ascending=[True, False, True]
    )
    return scored.drop(columns="_order").reset_index(drop=True)
