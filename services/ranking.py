"""The ranking use case: one month's activity index per account or per OPD."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.orm import Session

from core.period import Period, month_period
from core.settings import Settings
from db import queries
from metrics.activity import (
    UNRANKED,
    Thresholds,
    account_status,
    opd_status,
    unreadable_reasons,
    weeks_in_period,
)
from metrics.monthly import month_figures
from metrics.ranking import IndexWeights, activity_index, index_components, movers, rank_known
from services.scores import stored_scores

RANKING_COLUMNS = [
    "opd_code", "opd_name", "platform", "handle", "followers", "posts", "engagement_rate",
    "growth_weekly", "caption_score", "days_since_last_post", "status", "score", "rank",
]  # fmt: skip


@dataclass(frozen=True)
class MonthData:
    """Everything a month's ranking needs, read once from the monthly aggregates."""

    period: Period
    accounts: pd.DataFrame
    current: pd.DataFrame  # account_months rows of the month
    previous: pd.DataFrame  # ... of the month before (growth starts there)
    history: pd.DataFrame  # account_id, last_posted_at, posts_total up to as_of
    observed: set[int]
    unreadable: pd.Series  # reason per account id that could not be read by as_of


def thresholds_from(settings: Settings) -> Thresholds:
    return Thresholds(
        settings.active_days_int, settings.dormant_days_int, settings.thresholds_per_platform()
    )


def unreadable_at(session: Session, as_of: datetime) -> pd.Series:
    """Why each account that cannot be read at ``as_of`` cannot (see metrics.activity)."""
    return unreadable_reasons(queries.latest_reads(session, as_of))


def load_months(session: Session, periods: Sequence[Period], tz: ZoneInfo) -> list[MonthData]:
    """Everything the given months' rankings need, in a handful of bulk reads."""
    accounts = queries.accounts_frame(session, active_only=True)
    previous = [p.previous(tz).month for p in periods]
    rows = queries.month_aggregates(session, sorted({p.month for p in periods} | set(previous)))
    history = queries.aggregate_history(session, *[p.month for p in periods])
    out = []
    for n, (period, before) in enumerate(zip(periods, previous, strict=True)):
        mine = history[history[f"months_{n}"] > 0]
        hist = pd.DataFrame({
            "account_id": mine["account_id"],
            "last_posted_at": mine[f"last_posted_at_{n}"],
            "posts_total": mine[f"posts_total_{n}"],
        })  # fmt: skip
        observed = set(hist["account_id"]) | queries.accounts_with_results(session, period.as_of)
        out.append(MonthData(period, accounts, rows[rows["month"] == period.month],
                             rows[rows["month"] == before], hist, observed,
                             unreadable_at(session, period.as_of)))  # fmt: skip
    return out


def load_month(session: Session, period: Period, tz: ZoneInfo) -> MonthData:
    return load_months(session, [period], tz)[0]


def score_month(data: MonthData, settings: Settings) -> pd.DataFrame:
    """Account-level table with RANKING_COLUMNS plus the index components."""
    period, accounts = data.period, data.accounts
    figures = month_figures(accounts, data.current, data.previous).drop(columns="platform")
    status = account_status(
        accounts, data.history, data.observed, period.as_of, thresholds_from(settings),
        data.unreadable,
    )  # fmt: skip
    frame = accounts.merge(figures, on="account_id", how="left").merge(
        status, on="account_id", how="left"
    )
    frame["weeks_in_period"] = weeks_in_period(period.start, period.as_of)
    frame["followers"] = frame["followers"].round().astype("Int64")
    frame = index_components(frame)
    frame["score"] = activity_index(frame, IndexWeights(**settings.index_weights_map()))
    return leave_out_unranked(frame)


def leave_out_unranked(frame: pd.DataFrame) -> pd.DataFrame:
    """No score and no place for accounts with nothing known (no data, cannot be read): they
    are listed apart, not ranked last with 0."""
    known = ~frame["status"].isin(UNRANKED)
    frame["score"] = frame["score"].where(known)
    frame["rank"] = rank_known(frame["score"], known)
    return frame.sort_values(["rank", "opd_code", "platform"]).reset_index(drop=True)


def by_opd(accounts: pd.DataFrame) -> pd.DataFrame:
    """OPD-level table: summed followers and posts, mean index, most active status."""
    grouped = accounts.groupby(["opd_id", "opd_code", "opd_name", "category"], as_index=False).agg(
        followers=("followers", "sum"),
        posts=("posts", "sum"),
        engagement_rate=("engagement_rate", "median"),
        growth_weekly=("growth_weekly", "median"),
        caption_score=("caption_score", "mean"),
        days_since_last_post=("days_since_last_post", "min"),
        score=("score", "mean"),
        consistency=("consistency", "mean"),
        engagement=("engagement", "mean"),
        growth=("growth", "mean"),
        accounts=("account_id", "count"),
    )
    grouped = grouped.merge(opd_status(accounts[["opd_id", "status"]]), on="opd_id")
    grouped["platform"] = "semua"
    grouped["handle"] = grouped["accounts"].astype(str) + " akun"
    grouped["score"] = grouped["score"].round(1)
    grouped["rank"] = rank_known(grouped["score"], grouped["score"].notna())
    return grouped.sort_values(["rank", "opd_code"]).reset_index(drop=True)


def scored_months(
    session: Session, month: str, settings: Settings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The month's account table and the previous month's: stored ones when still valid."""
    period = month_period(month, settings.tz)
    periods = [period, period.previous(settings.tz)]
    accounts = queries.accounts_frame(session, active_only=True)
    ids = set(accounts["account_id"])
    fast = [from_stored(session, p, settings, accounts, ids) for p in periods]
    if fast[0] is not None and fast[1] is not None:
        return fast[0], fast[1]
    now_data, before_data = load_months(session, periods, settings.tz)
    return score_month(now_data, settings), score_month(before_data, settings)


def from_stored(
    session: Session, period: Period, settings: Settings, accounts: pd.DataFrame, ids: set[int]
) -> pd.DataFrame | None:
    """A month's table from its stored scores; status and days are computed for now."""
    stored = stored_scores(session, period, settings, ids)
    if stored is None:
        return None
    history = stored[["account_id", "last_posted_at", "posts_total"]]
    observed = set(stored.loc[stored["observed"].astype(bool), "account_id"])
    observed |= queries.accounts_with_results(session, period.as_of)
    status = account_status(
        accounts, history, observed, period.as_of, thresholds_from(settings),
        unreadable_at(session, period.as_of),
    )  # fmt: skip
    kept = stored.drop(columns=["weights_key", "observed", "last_posted_at", "posts_total"])
    frame = accounts.merge(kept, on="account_id").merge(status, on="account_id")
    frame["followers"] = frame["followers"].astype("Int64")
    if (frame["score"].isna() & ~frame["status"].isin(UNRANKED)).any():
        return None  # read again since it was stored: compute it afresh
    return leave_out_unranked(frame)


def with_movers(current: pd.DataFrame, previous: pd.DataFrame, by: str) -> pd.DataFrame:
    """The ranking by account or by OPD, with places gained since the previous month."""
    if by == "opd":
        current, previous = by_opd(current), by_opd(previous)
        return current.assign(rank_change=movers(current, previous, key="opd_id"))
    return current.assign(rank_change=movers(current, previous))


def ranking(session: Session, month: str, settings: Settings, by: str = "account") -> pd.DataFrame:
    """The month's ranking with ``rank_change`` against the previous month."""
    if by not in ("account", "opd"):
        raise ValueError("by must be 'account' or 'opd'")
    current, previous = scored_months(session, month, settings)
    return with_movers(current, previous, by)


def filter_options(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The platforms and OPD categories present in a ranking, for the page's filters."""
    platforms = sorted(str(p) for p in frame["platform"].dropna().unique() if p != "semua")
    return platforms, sorted(str(c) for c in frame["category"].dropna().unique())


def filter_ranking(
    frame: pd.DataFrame, platforms: Sequence[str] = (), categories: Sequence[str] = ()
) -> pd.DataFrame:
    """Rows of the chosen platforms and OPD categories (an empty choice keeps all)."""
    mask = pd.Series(True, index=frame.index)
    if platforms:
        mask &= frame["platform"].isin(list(platforms))
    if categories:
        mask &= frame["category"].isin(list(categories))
    return frame[mask]


def split_unranked(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows with a place, rows left out: no data yet, or cannot be read)."""
    placed = frame["rank"].notna()
    return frame[placed].reset_index(drop=True), frame[~placed].reset_index(drop=True)


def cli_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The public column set of `cli.py ranking` and `cli.py dormant`, rounded for print."""
    out = frame[RANKING_COLUMNS].copy()
    out["engagement_rate"] = out["engagement_rate"].astype("Float64").round(2)
    out["growth_weekly"] = out["growth_weekly"].astype("Float64").round(2)
    out["days_since_last_post"] = out["days_since_last_post"].astype("Float64").astype("Int64")
    return out
