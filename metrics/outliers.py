"""Outliers: each post against its own account's typical post, and breakouts across all.

* **Over-/under-performance** (CrowdTangle): the benchmark of a post is the mean of the middle
  50% of the interactions of the account's previous (up to) 100 posts. A post that beats it
  scores ``actual / benchmark`` (> 1); one that falls short scores ``-benchmark / actual``
  (< -1); a post with 0 interactions scores ``-2 × benchmark``. Benchmarks below
  ``MIN_BENCHMARK`` are raised to it so tiny accounts do not produce huge ratios.
  We have each post's latest counts, not its counts at a fixed age, so posts younger than
  ``MIN_AGE_DAYS`` get no score yet.
* **Breakouts** (Rival IQ, adapted): a robust z-score of the post engagement rate against all
  posts of the same platform in the period, ``0.6745 × (x − median) / MAD``; above 3.5 is a
  breakout (Iglewicz and Hoaglin's cut-off for modified z-scores).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

WINDOW = 100
MIN_HISTORY = 5
MIN_BENCHMARK = 1.0
MIN_AGE_DAYS = 2
BREAKOUT_Z = 3.5


def middle_half_mean(values: np.ndarray) -> float:
    """Mean of the values between the 25th and 75th percentile (inclusive)."""
    low, high = np.percentile(values, [25, 75])
    middle = values[(values >= low) & (values <= high)]
    return float(middle.mean())


def performance_score(actual: float, benchmark: float) -> float:
    benchmark = max(benchmark, MIN_BENCHMARK)
    if actual <= 0:
        return -2 * benchmark
    return actual / benchmark if actual >= benchmark else -benchmark / actual


def _account_scores(interactions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scores = np.full(len(interactions), np.nan)
    benchmarks = np.full(len(interactions), np.nan)
    for i in range(len(interactions)):
        history = interactions[max(0, i - WINDOW) : i]
        history = history[~np.isnan(history)]
        if len(history) < MIN_HISTORY or np.isnan(interactions[i]):
            continue
        benchmarks[i] = middle_half_mean(history)
        scores[i] = performance_score(float(interactions[i]), benchmarks[i])
    return scores, benchmarks


def overperformance(posts: pd.DataFrame, as_of: datetime) -> pd.DataFrame:
    """Adds ``benchmark`` and ``performance`` to posts (account_id, posted_at, interactions).

    Row order does not matter; the result keeps the input's index.
    """
    out = posts.copy()
    out["benchmark"] = np.nan
    out["performance"] = np.nan
    ordered = out.sort_values(["account_id", "posted_at"], kind="stable")
    for _, group in ordered.groupby("account_id", sort=False):
        values = group["interactions"].astype("float64").to_numpy()
        scores, benchmarks = _account_scores(values)
        out.loc[group.index, "performance"] = scores
        out.loc[group.index, "benchmark"] = benchmarks
    too_young = out["posted_at"] > pd.Timestamp(as_of) - pd.Timedelta(days=MIN_AGE_DAYS)
    out.loc[too_young, ["performance", "benchmark"]] = np.nan
    return out


def robust_z(values: pd.Series) -> pd.Series:
    """Modified z-score 0.6745 × (x − median) / MAD; 0 when the MAD is 0 and x is the median."""
    x = values.astype("float64")
    median = x.median()
    mad = (x - median).abs().median()
    if not mad or np.isnan(mad):
        return pd.Series(np.where(x == median, 0.0, np.inf * np.sign(x - median)), index=x.index)
    return 0.6745 * (x - median) / mad


def breakouts(posts: pd.DataFrame, threshold: float = BREAKOUT_Z) -> pd.DataFrame:
    """Posts whose engagement rate is a robust outlier within its platform; adds ``z``."""
    rated = posts.dropna(subset=["engagement_rate"]).copy()
    rated["z"] = rated.groupby("platform")["engagement_rate"].transform(robust_z)
    return rated[rated["z"] > threshold].sort_values("z", ascending=False)
