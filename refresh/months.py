"""Reading what the month rankings need, in a handful of bulk reads (see metrics.month_scores).

Used by ``refresh.scores`` to store the kept months' rankings, and by the use cases that
compute a month's ranking themselves (``services.ranking``, ``services.overview``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.orm import Session

from core.period import Period
from db import queries
from metrics.activity import unreadable_reasons
from metrics.month_scores import MonthData
from refresh.aggregates import CAPTION_RULE


def unreadable_at(session: Session, as_of: datetime) -> pd.Series:
    """Why each account that cannot be read at ``as_of`` cannot (see metrics.activity)."""
    return unreadable_reasons(queries.latest_reads(session, as_of))


def load_months(session: Session, periods: Sequence[Period], tz: ZoneInfo) -> list[MonthData]:
    """Everything the given months' rankings need, in a handful of bulk reads.

    A whole month is read from the stored monthly totals. A period that stops before its
    month ends (a running month, or the same days of the month before it is compared with) is
    counted from the posts and follower counts up to its ``as_of``, and its history runs to
    the month before plus those days: nothing after ``as_of`` is seen."""
    accounts = queries.accounts_frame(session, active_only=True)
    previous = [p.previous(tz).month for p in periods]
    rows = queries.month_aggregates(session, sorted({p.month for p in periods} | set(previous)))
    upto = [before if p.running else p.month for p, before in zip(periods, previous, strict=True)]
    history = queries.aggregate_history(session, *upto)
    out = []
    for n, (period, before) in enumerate(zip(periods, previous, strict=True)):
        current = _period_rows(session, period, rows, accounts)
        hist = _history(history, n, current if period.running else None)
        observed = set(hist["account_id"]) | queries.accounts_with_results(session, period.as_of)
        out.append(MonthData(period, accounts, current, rows[rows["month"] == before], hist,
                             observed, unreadable_at(session, period.as_of)))  # fmt: skip
    return out


def _period_rows(
    session: Session, period: Period, rows: pd.DataFrame, accounts: pd.DataFrame
) -> pd.DataFrame:
    if not period.running:
        return rows[rows["month"] == period.month]
    ids = accounts["account_id"].tolist()
    return queries.period_aggregates(
        session, period.month, period.start, period.as_of, CAPTION_RULE, ids
    )


def _history(history: pd.DataFrame, n: int, cut: pd.DataFrame | None) -> pd.DataFrame:
    """Last post and posts so far per account observed by the N-th period; a cut period adds
    its own days to the history of the months before it."""
    mine = history[history[f"months_{n}"] > 0]
    hist = pd.DataFrame({
        "account_id": mine["account_id"],
        "last_posted_at": mine[f"last_posted_at_{n}"],
        "posts_total": mine[f"posts_total_{n}"],
    })  # fmt: skip
    if cut is None or cut.empty:
        return hist
    days = cut[["account_id", "last_posted_at", "posts"]].rename(columns={"posts": "posts_total"})
    both = pd.concat([hist, days], ignore_index=True) if not hist.empty else days
    return both.groupby("account_id", as_index=False).agg(
        last_posted_at=("last_posted_at", "max"), posts_total=("posts_total", "sum")
    )


def load_month(session: Session, period: Period, tz: ZoneInfo) -> MonthData:
    return load_months(session, [period], tz)[0]
