"""Activity and dormancy.

Status per account, by days since its last post at ``as_of``:
``active`` (<= active_days), ``at_risk`` (<= dormant_days), ``dormant`` (more, or observed
but never posted) and ``no_data`` (never observed). Thresholds may differ per platform.
An account Pantau tried and failed to read is ``unreadable`` (with the reason) instead:
what it did lately is unknown, so it is never called dormant for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

ACTIVE, AT_RISK, DORMANT, NO_DATA = "active", "at_risk", "dormant", "no_data"
UNREADABLE = "unreadable"
STATUS_ORDER = (ACTIVE, AT_RISK, DORMANT, UNREADABLE, NO_DATA)  # most active first
UNRANKED = (UNREADABLE, NO_DATA)  # nothing known to score: left out of rankings
# Failures that last until someone acts (a wrong handle, a personal account, a missing or
# revoked credential). Others (throttling, quota, a server hiccup) pass on their own, so an
# account read successfully before keeps the status its posts give it.
LASTING_ERRORS = frozenset({"not_found", "auth", "config"})


@dataclass(frozen=True)
class Thresholds:
    active_days: int = 14
    dormant_days: int = 30
    per_platform: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def for_platform(self, platform: str) -> tuple[int, int]:
        return self.per_platform.get(platform, (self.active_days, self.dormant_days))


def days_since(last: pd.Series, as_of: datetime) -> pd.Series:
    """Whole days between each timestamp and ``as_of`` (NaN where there is none)."""
    delta = pd.Timestamp(as_of) - pd.to_datetime(last, utc=True)
    return (delta.dt.total_seconds() // 86_400).astype("float64")


def unreadable_reasons(reads: pd.DataFrame) -> pd.Series:
    """The reason (Indonesian, as collected) per account id that cannot be read now.

    ``reads`` has one row per account: its newest attempt (``last_status``, ``error_class``,
    ``message``) and ``ever_ok``. Unreadable: the newest attempt failed and either the failure
    lasts until someone acts, or the account was never read at all.
    """
    failed = reads["last_status"].ne("ok") & reads["error_class"].notna()
    lasting = reads["error_class"].isin(LASTING_ERRORS) | ~reads["ever_ok"].astype(bool)
    chosen = reads[failed & lasting]
    return pd.Series(
        [str(m) if isinstance(m, str) and m.strip() else "" for m in chosen["message"]],
        index=chosen["account_id"].astype(int).to_numpy(),
        dtype="object",
    )


def account_status(
    accounts: pd.DataFrame,
    post_history: pd.DataFrame,
    observed_ids: set[int],
    as_of: datetime,
    thresholds: Thresholds | None = None,
    unreadable: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per account: last_posted_at, days_since_last_post, posts_total, status and
    status_reason (why it cannot be read; empty otherwise).

    ``accounts`` needs account_id and platform; ``post_history`` account_id,
    last_posted_at and posts_total (posts before ``as_of`` only); ``unreadable`` the reasons
    of :func:`unreadable_reasons`.
    """
    thresholds = thresholds or Thresholds()
    reasons = unreadable if unreadable is not None else pd.Series(dtype="object")
    frame = accounts[["account_id", "platform"]].merge(post_history, on="account_id", how="left")
    frame["posts_total"] = frame["posts_total"].fillna(0).astype(int)
    frame["days_since_last_post"] = days_since(frame["last_posted_at"], as_of)
    limits = {p: thresholds.for_platform(p) for p in frame["platform"].unique()}
    active_limit = frame["platform"].map({p: lim[0] for p, lim in limits.items()})
    dormant_limit = frame["platform"].map({p: lim[1] for p, lim in limits.items()})
    days = frame["days_since_last_post"]
    observed = frame["account_id"].isin(observed_ids) | frame["posts_total"].gt(0)
    cannot_read = frame["account_id"].isin(reasons.index)
    frame["status"] = np.select(
        [cannot_read, ~observed, days.isna(), days <= active_limit, days <= dormant_limit],
        [UNREADABLE, NO_DATA, DORMANT, ACTIVE, AT_RISK],
        default=DORMANT,
    )
    frame["status_reason"] = frame["account_id"].map(reasons).where(cannot_read, "").fillna("")
    columns = ["last_posted_at", "days_since_last_post", "posts_total", "status", "status_reason"]
    return frame[["account_id", *columns]]


def opd_status(account_statuses: pd.DataFrame) -> pd.DataFrame:
    """An OPD's status is that of its most active account; needs opd_id and status."""
    rank = account_statuses["status"].map(STATUS_ORDER.index)
    best = account_statuses.assign(_rank=rank).sort_values(["opd_id", "_rank"])
    return best.drop_duplicates("opd_id")[["opd_id", "status"]].reset_index(drop=True)


def status_counts(statuses: pd.Series) -> dict[str, int]:
    counts = statuses.value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUS_ORDER}


def posting_activity(posts: pd.DataFrame, start: datetime, end: datetime) -> pd.DataFrame:
    """Per account in [start, end): posts, posts per week and active weeks (weeks with a post)."""
    weeks = max((pd.Timestamp(end) - pd.Timestamp(start)).days / 7, 1 / 7)
    in_period = posts[(posts["posted_at"] >= start) & (posts["posted_at"] < end)]
    week_index = ((in_period["posted_at"] - pd.Timestamp(start)).dt.days // 7).rename("week")
    grouped = in_period.assign(week=week_index).groupby("account_id")
    out = pd.DataFrame(
        {"posts": grouped.size(), "active_weeks": grouped["week"].nunique()}
    ).reset_index()
    out["posts_per_week"] = out["posts"] / weeks
    return out


def weeks_in_period(start: datetime, end: datetime) -> int:
    """Calendar weeks touched by [start, end): the denominator of consistency."""
    return max(1, int(np.ceil((pd.Timestamp(end) - pd.Timestamp(start)).days / 7)))
