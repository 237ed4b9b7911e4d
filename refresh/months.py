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
