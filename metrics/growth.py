"""Audience growth: absolute and weekly compound (Fanpage Karma)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

MIN_DAYS = 1.0  # two counts less than a day apart give no weekly rate anyone can read


def weekly_compound_growth(start: float, end: float, days: float) -> float:
    """(end / start) ** (7 / days) - 1, in percent; NaN when undefined or when the counts are
    less than a day apart (minutes apart, the power would overflow)."""
    if not start or start <= 0 or days < MIN_DAYS or end < 0:
        return float("nan")
    try:
        return float(((end / start) ** (7 / days) - 1) * 100)
    except OverflowError:
        return float("nan")


def follower_growth(snapshots: pd.DataFrame, start: datetime, end: datetime) -> pd.DataFrame:
    """Per account over [start, end): followers at both ends, change and weekly growth.

    The start value is the last snapshot at or before ``start`` (else the first one inside
    the period); the end value is the last snapshot before ``end``. Unknown counts are skipped.
    """
    known = snapshots.dropna(subset=["followers"]).sort_values(["account_id", "observed_at"])
    known = known[known["observed_at"] < end]
    before = known[known["observed_at"] <= start].groupby("account_id").tail(1)
    inside = known[known["observed_at"] > start].groupby("account_id").head(1)
    first = pd.concat([before, inside]).sort_values("observed_at").groupby("account_id").head(1)
    last = known.groupby("account_id").tail(1)
    frame = first.set_index("account_id")[["observed_at", "followers"]].join(
        last.set_index("account_id")[["observed_at", "followers"]].add_suffix("_end")
    )
    frame = frame.rename(
        columns={"observed_at": "observed_at_start", "followers": "followers_start"}
    )
    days = (frame["observed_at_end"] - frame["observed_at_start"]).dt.total_seconds() / 86_400
    frame["followers_change"] = frame["followers_end"] - frame["followers_start"]
    frame["growth_weekly"] = [
        weekly_compound_growth(float(s), float(e), float(d))
        for s, e, d in zip(frame["followers_start"], frame["followers_end"], days, strict=True)
    ]
    return frame.rename_axis("account_id").reset_index()


def group_growth(growth: pd.DataFrame) -> float:
    """Growth of a group in percent: summed followers over summed followers, never a mean."""
    start = float(growth["followers_start"].sum())
    end = float(growth["followers_end"].sum())
    return float("nan") if start <= 0 else (end / start - 1) * 100


def mean_followers(snapshots: pd.DataFrame, start: datetime, end: datetime) -> pd.Series:
    """Mean known follower count per account over [start, end), falling back to the last
    snapshot before the period when none was taken inside it."""
    known = snapshots.dropna(subset=["followers"])
    inside = known[(known["observed_at"] >= start) & (known["observed_at"] < end)]
    means = inside.groupby("account_id")["followers"].mean().astype("Float64")
    earlier = known[known["observed_at"] < start].sort_values("observed_at")
    fallback = earlier.groupby("account_id")["followers"].last().astype("Float64")
    return means.combine_first(fallback).replace(0, np.nan)
