"""The ranking use case: one month's activity index per account or per OPD."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy.orm import Session

from core.period import Period, comparison_period, month_period
from core.settings import Settings
from db import queries
from metrics.activity import UNRANKED, account_status, opd_status
from metrics.following import following_counts
from metrics.month_scores import leave_out_unranked, score_month, thresholds_from
from metrics.posting_pace import posts_per_week
from metrics.ranking import movers, rank_known
from refresh.months import load_month, load_months, unreadable_at
from refresh.scores import stored_scores

RANKING_COLUMNS = [
    "opd_code", "opd_name", "platform", "handle", "followers", "posts", "engagement_rate",
    "growth_weekly", "caption_score", "days_since_last_post", "status", "score", "rank",
]  # fmt: skip


def by_opd(accounts: pd.DataFrame) -> pd.DataFrame:
    """OPD-level table: summed followers and posts, mean index, most active status."""
    grouped = accounts.groupby(["opd_id", "opd_code", "opd_name", "category"], as_index=False).agg(
        followers=("followers", "sum"),
        posts=("posts", "sum"),
        engagement_rate=("engagement_rate", "median"),
        growth_weekly=("growth_weekly", "median"),
        caption_score=("caption_score", "mean"),
        reply_rate=("reply_rate", "median"),  # of the accounts where it is known
        reply_median_minutes=("reply_median_minutes", "median"),
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
    """The month's account table and the one it is compared with (core.period's
    comparison_period: the whole month before, or for a running month the same days of it),
    stored ones when still valid (a stretch of days is never stored: it is computed)."""
    period = month_period(month, settings.tz)
    compared = comparison_period(period, settings.tz)
    accounts = queries.accounts_frame(session, active_only=True)
    ids = set(accounts["account_id"])
    current = from_stored(session, period, settings, accounts, ids)
    if compared.running and current is not None:
        return current, score_month(load_month(session, compared, settings.tz), settings)
    before = None if compared.running else from_stored(session, compared, settings, accounts, ids)
    if current is not None and before is not None:
        return current, before
    now_data, before_data = load_months(session, [period, compared], settings.tz)
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


def ranking_with_measures(
    session: Session, month: str, settings: Settings, by: str = "account"
) -> pd.DataFrame:
    """The ranking plus what Peringkat shows beside the index: ``posts_per_week``, and by
    account ``following`` and ``following_change`` (engagement by views is in the scores)."""
    frame = ranking(session, month, settings, by)
    period = month_period(month, settings.tz)
    frame["posts_per_week"] = posts_per_week(frame["posts"], period.start, period.as_of)
    if by == "opd":
        return frame
    # from the previous month on: the month's change starts at its last count, as growth does
    snapshots = queries.snapshots_frame(
        session, period.previous(settings.tz).start, period.as_of,
        account_ids=frame["account_id"].tolist(),
    )  # fmt: skip
    following = following_counts(snapshots, period.start, period.as_of)
    return frame.merge(following, on="account_id", how="left")


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
