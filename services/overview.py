"""The overview use case (Ringkasan): KPIs, monthly trends, accounts needing attention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.orm import Session

from core.period import Period, month_period
from core.settings import Settings
from core.timeutil import local_day_start_utc, utcnow
from db import queries
from metrics.activity import (
    ACTIVE,
    AT_RISK,
    DORMANT,
    NO_DATA,
    UNREADABLE,
    account_status,
    status_counts,
)
from metrics.growth import group_growth
from metrics.month_scores import leave_out_unranked, score_month, thresholds_from
from refresh.months import load_month, unreadable_at


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
    unreadable: pd.DataFrame  # accounts Pantau cannot read, with the reason and what to do


def monthly_trend(session: Session, month: str, months: int, tz: ZoneInfo) -> pd.DataFrame:
    """Posts, interactions and end-of-month followers per month and platform (aggregates)."""
    first = pd.Period(month, freq="M")
    wanted = [str(first - i) for i in range(months - 1, -1, -1)]
    rows = queries.month_aggregates(session, wanted)
    accounts = queries.accounts_frame(session, active_only=True)[["account_id", "platform"]]
    rows = rows.merge(accounts, on="account_id")
    trend = rows.groupby(["month", "platform"], as_index=False).agg(
        posts=("posts", "sum"),
        interactions=("interactions", "sum"),
        followers=("followers_last", "sum"),
    )
    trend["followers"] = trend["followers"].where(trend["followers"] > 0)
    return trend.sort_values(["month", "platform"]).reset_index(drop=True)


def attention_list(scored: pd.DataFrame, limit: int = 5) -> pd.DataFrame:
    """Dormant first, then at risk, longest silence first: who to remind today. An account
    that never posted (no day count) has been silent longest, so it leads its group."""
    order = {DORMANT: 0, AT_RISK: 1}
    needs = scored[scored["status"].isin(order)].copy()
    needs["_order"] = needs["status"].map(order)
    needs = needs.sort_values(
        ["_order", "days_since_last_post"], ascending=[True, False], na_position="first"
    )
    return needs.head(limit).drop(columns="_order").reset_index(drop=True)


def overview(
    session: Session,
    month: str,
    settings: Settings,
    scored: pd.DataFrame | None = None,
    period: Period | None = None,
) -> Overview:
    """The month's KPIs and trends; ``scored`` reuses a ranking already computed for it, of
    ``period`` when that is not the whole month (the same days of the month before, which a
    running month is compared with)."""
    period = period or month_period(month, settings.tz)
    if scored is None:
        scored = score_month(load_month(session, period, settings.tz), settings)
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
        monthly=monthly_trend(session, month, 12, settings.tz),
        attention=attention_list(scored),
        statuses=scored[["account_id", "opd_code", "opd_name", "platform", "handle", "status"]],
        unreadable=unreadable_list(scored),
    )


def opds_without_account(session: Session) -> pd.DataFrame:
    """OPDs in the registry with no watched account ("belum punya akun"), by name: a finding
    of its own, since they appear in no ranking or list of accounts."""
    opds = queries.opds_frame(session)
    watched = queries.accounts_frame(session, active_only=True)["opd_id"]
    missing = opds[~opds["opd_id"].isin(watched)]
    return missing.sort_values("opd_name").reset_index(drop=True)


def unreadable_list(scored: pd.DataFrame) -> pd.DataFrame:
    """The accounts that cannot be read, by OPD, each with its reason (counted apart)."""
    rows = scored[scored["status"] == UNREADABLE].sort_values(["opd_name", "platform", "handle"])
    columns = ["account_id", "opd_name", "platform", "handle", "status_reason", "admin_name"]
    return rows[columns].reset_index(drop=True)


def day_period(day: date, settings: Settings, now: datetime | None = None) -> Period:
    """The month containing ``day``, observed at the end of that day (WIB), or now while that
    day is still going: just after midnight an account is not yet a day quieter."""
    tz = settings.tz
    base = month_period(day.strftime("%Y-%m"), tz)
    end_of_day = local_day_start_utc(day + timedelta(days=1), tz)
    return Period(base.month, base.start, base.end,
                  as_of=min(end_of_day, base.end, now or utcnow()))  # fmt: skip


def dormant_report(session: Session, day: date, settings: Settings) -> pd.DataFrame:
    """Accounts that are not active at the end of ``day``, least active first."""
    period = day_period(day, settings)
    scored = score_month(load_month(session, period, settings.tz), settings)
    # the status is exact to the end of that day (monthly totals may hold later posts)
    history = queries.post_history_frame(session, end=period.as_of)
    observed = queries.observed_account_ids(session, end=period.as_of)
    exact = account_status(
        scored[["account_id", "platform"]], history, observed, period.as_of,
        thresholds_from(settings), unreadable_at(session, period.as_of),
    )  # fmt: skip
    columns = ["last_posted_at", "days_since_last_post", "posts_total", "status", "status_reason"]
    # the exact status may leave an account out of the ranking (or bring it in): rank again
    scored = leave_out_unranked(scored.drop(columns=columns).merge(exact, on="account_id"))
    order = {DORMANT: 0, AT_RISK: 1, UNREADABLE: 2, NO_DATA: 3, ACTIVE: 4}
    scored["_order"] = scored["status"].map(order)
    scored = scored.sort_values(
        ["_order", "days_since_last_post", "opd_code"], ascending=[True, False, True]
    )
    return scored.drop(columns="_order").reset_index(drop=True)
