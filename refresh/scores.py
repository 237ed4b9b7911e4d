"""Stored month rankings: computed by the writers after each pass, read by the dashboard.

A ranking needs two months of totals and some scoring; done for every page view it costs a
few hundred milliseconds at province scale. The writers store the scores of the months
people look at (this one and the two before) with a key naming the data version and the
index weights; a reader (:func:`stored_scores`) uses them only while that key still matches
and the stored accounts are the watched ones, and computes the month itself otherwise.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy.orm import Session

from core.period import Period, current_month, month_period
from core.settings import Settings
from core.timeutil import utcnow
from db import queries
from db.aggregates import VERSION_KEY, replace_month_scores
from db.repository import get_meta
from metrics.month_scores import score_month
from refresh.months import load_months

STORED = [
    "score", "rank", "consistency", "engagement", "growth", "caption", "engagement_rate",
    "engagement_rate_views", "growth_weekly", "followers", "followers_start", "followers_end",
    "followers_change", "posts", "active_weeks", "weeks_in_period", "caption_score",
    "reply_rate", "reply_median_minutes", "last_posted_at", "posts_total",
]  # fmt: skip
MONTHS_KEPT = 3  # this month and the two before: what the pages and the briefing show


def scores_key(session: Session, settings: Settings) -> str:
    version = get_meta(session, VERSION_KEY) or "0"
    return f"{version}|{settings.index_weights}|{settings.timezone}"


def months_to_store(settings: Settings, now: datetime | None = None) -> list[str]:
    first = pd.Period(
        current_month(settings.tz, (now or utcnow()).astimezone(settings.tz).date()), "M"
    )
    return [str(first - i) for i in range(MONTHS_KEPT)]


def store_month_scores(session: Session, settings: Settings) -> int:
    """Recompute and store the kept months' rankings; returns rows stored. Caller commits."""
    key, now = scores_key(session, settings), utcnow()
    periods = [month_period(m, settings.tz) for m in months_to_store(settings)]
    stored = 0
    for data in load_months(session, periods, settings.tz):
        scored = score_month(data, settings)
        rows = [
            {"month": data.period.month, "account_id": int(row["account_id"]),
             "computed_at": now, "weights_key": key,
             "observed": int(row["account_id"]) in data.observed,
             **{col: _plain(row[col]) for col in STORED}}
            for row in scored.to_dict(orient="records")
        ]  # fmt: skip
        replace_month_scores(session, data.period.month, rows)
        stored += len(rows)
    return stored


def stored_scores(
    session: Session, period: Period, settings: Settings, account_ids: set[int]
) -> pd.DataFrame | None:
    """The stored scores of ``period`` if still valid for these accounts, else None."""
    frame = queries.month_scores_frame(session, period.month)
    if frame.empty or set(frame["account_id"]) != account_ids:
        return None
    if (frame["weights_key"] != scores_key(session, settings)).any():
        return None
    return frame


def _plain(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    item = getattr(value, "item", None)
    return item() if callable(item) else value
