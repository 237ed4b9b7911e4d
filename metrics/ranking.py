"""The activity index (0-100) per account and month, ranks and month-over-month movers.

Components, each 0-100: consistency (share of the period's weeks with a post), engagement
(percentile of the engagement rate among accounts of the same platform), growth (percentile
of weekly growth on the same platform) and caption quality. A component that cannot be
computed (e.g. engagement on a website) is dropped and the other weights are rescaled
(HypeAuditor's rule), so no account is punished for what its platform does not show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

COMPONENTS = ("consistency", "engagement", "growth", "caption")


@dataclass(frozen=True)
class IndexWeights:
    consistency: float = 0.35
    engagement: float = 0.35
    growth: float = 0.15
    caption: float = 0.15

    def __post_init__(self) -> None:
        if min(self.as_dict().values()) < 0 or sum(self.as_dict().values()) <= 0:
            raise ValueError("index weights must be >= 0 with a positive sum")

    def as_dict(self) -> Mapping[str, float]:
        return {name: getattr(self, name) for name in COMPONENTS}


def percentile_within(values: pd.Series, groups: pd.Series) -> pd.Series:
    """Percentile rank (0-100) of each value within its group: (rank - 1) / (n - 1).

    Ties share their average rank; a lone account scores 100; NaN stays NaN.
    """
    frame = pd.DataFrame({"v": values.astype("float64"), "g": groups})
    ranks = frame.groupby("g")["v"].rank(method="average")
    counts = frame.groupby("g")["v"].transform("count")
    pct = (ranks - 1) / (counts - 1).where(counts > 1) * 100
    return pct.where(counts > 1, 100.0).where(frame["v"].notna())


def index_components(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds the four 0-100 components; needs platform, active_weeks, weeks_in_period,
    engagement_rate, growth_weekly and (optionally) caption_score."""
    out = frame.copy()
    weeks = out["weeks_in_period"].where(out["weeks_in_period"] > 0)
    out["consistency"] = (out["active_weeks"] / weeks).clip(upper=1.0) * 100
    out["engagement"] = percentile_within(out["engagement_rate"], out["platform"])
    out["growth"] = percentile_within(out["growth_weekly"], out["platform"])
    if "caption_score" not in out:
        out["caption_score"] = np.nan
    out["caption"] = pd.to_numeric(out["caption_score"], errors="coerce")
    return out


def activity_index(components: pd.DataFrame, weights: IndexWeights | None = None) -> pd.Series:
    """Weighted mean of the available components, rescaled over those present."""
    w = (weights or IndexWeights()).as_dict()
    values = components[list(COMPONENTS)].astype("float64")
    weight_matrix = values.notna() * pd.Series(w)
    total = weight_matrix.sum(axis=1)
    score = (values.fillna(0) * weight_matrix).sum(axis=1) / total.where(total > 0)
    return score.round(1)


def rank_scores(scores: pd.Series) -> pd.Series:
    """1 = best; ties share the better rank; a missing score is ranked last."""
    return scores.fillna(-1).rank(method="min", ascending=False).astype(int)


def rank_known(scores: pd.Series, known: pd.Series) -> pd.Series:
    """Ranks (Int64) among the accounts with something known to score; the others get <NA>
    instead of a score of 0 and the last place."""
    ranks = pd.Series(pd.NA, index=scores.index, dtype="Int64")
    if known.any():
        ranks[known] = rank_scores(scores[known]).astype("Int64")
    return ranks


def movers(current: pd.DataFrame, previous: pd.DataFrame, key: str = "account_id") -> pd.Series:
    """Places gained since the previous ranking (positive = moved up), NaN when unranked in
    either month (so in the first month nobody 'drops a place')."""
    prev_rank = current[key].map(previous.set_index(key)["rank"]).astype("Float64")
    return (prev_rank - current["rank"].astype("Float64")).astype("float64")
