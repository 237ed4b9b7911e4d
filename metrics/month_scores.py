"""A month's ranking table from what was read for it: pure pandas, no database.

:class:`MonthData` holds everything one month's ranking needs (read by ``refresh.months``
from the monthly aggregates); :func:`score_month` turns it into the account-level table the
ranking, the overview and the stored month scores are made of.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.period import Period
from core.settings import Settings
from metrics.activity import UNRANKED, Thresholds, account_status, weeks_in_period
from metrics.monthly import month_figures
from metrics.ranking import IndexWeights, activity_index, index_components, rank_known


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


def score_month(data: MonthData, settings: Settings) -> pd.DataFrame:
    """Account-level table with the ranking's columns plus the index components."""
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
