"""Posts per week: how often an account publishes, comparable across periods of any length."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

WEEK_SECONDS = 7 * 86_400


def period_weeks(start: datetime, end: datetime) -> float:
    """The length of [start, end) in weeks, at least one: in a month's first days a post or
    two must not read as a pace of ten a week."""
    return max(1.0, (pd.Timestamp(end) - pd.Timestamp(start)).total_seconds() / WEEK_SECONDS)


def posts_per_week(posts: pd.Series, start: datetime, end: datetime) -> pd.Series:
    """Posts in [start, end) ÷ the period's weeks (:func:`period_weeks`), element-wise."""
    return pd.to_numeric(posts, errors="coerce").astype("float64") / period_weeks(start, end)
