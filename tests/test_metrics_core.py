"""Worked examples of docs/metrics.md and properties of the core metrics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.activity import (
    ACTIVE,
    AT_RISK,
    DORMANT,
    NO_DATA,
    STATUS_ORDER,
    Thresholds,
    account_status,
    opd_status,
    posting_activity,
)
from metrics.engagement import period_engagement_rate, post_interactions
from metrics.growth import follower_growth, group_growth, weekly_compound_growth
from metrics.ranking import activity_index, percentile_within, rank_scores

AS_OF = datetime(2026, 11, 26, tzinfo=UTC)


def ts(days_ago: float) -> pd.Timestamp:
    return pd.Timestamp(AS_OF - timedelta(days=days_ago))


def test_period_engagement_rate_worked_example() -> None:
    # 100 interactions over 7 posts, 1,250 mean followers -> 1.14 %
    posts = pd.DataFrame({"account_id": [1] * 7, "interactions": [10, 20, 5, 15, 30, 10, 10]})
    out = period_engagement_rate(posts, pd.Series({1: 1250.0}))
    assert round(float(out.loc[0, "engagement_rate"]), 2) == 1.14


def test_period_rate_is_zero_without_posts_and_unknown_without_followers() -> None:
    posts = pd.DataFrame({"account_id": [1], "interactions": [50.0]})
    out = period_engagement_rate(posts, pd.Series({1: 100.0, 2: 400.0, 3: np.nan}))
    rates = out.set_index("account_id")["engagement_rate"]
    assert rates[1] == 50.0 and rates[2] == 0.0 and pd.isna(rates[3])


def test_hidden_counts_are_left_out_not_zero() -> None:
    posts = pd.DataFrame(
        {
            "platform": ["instagram", "instagram", "website", "facebook"],
            "likes": pd.array([10, None, None, 5], dtype="Int64"),
            "comments": pd.array([2, 3, None, 1], dtype="Int64"),
            "shares": pd.array([None, None, None, None], dtype="Int64"),
            "views": pd.array([None, None, None, None], dtype="Int64"),
        }
    )
    inter = post_interactions(posts)
    assert inter[0] == 12
    assert pd.isna(inter[1])  # hidden like count: unknown, not 3
    assert pd.isna(inter[2])  # websites have no interactions
    assert pd.isna(inter[3])  # facebook needs shares; unknown shares stays unknown here
    frame = pd.DataFrame({"account_id": [1, 1], "interactions": inter[:2]})
    out = period_engagement_rate(frame, pd.Series({1: 100.0}))
    assert out.loc[0, "engagement_rate"] == 12.0  # one rated post, not two


def test_weekly_compound_growth_worked_example() -> None:
    assert weekly_compound_growth(500, 2000, 14) == pytest.approx(100.0)
    assert np.isnan(weekly_compound_growth(0, 10, 7))


def test_weekly_growth_of_counts_minutes_apart_is_unknown() -> None:
    """A new account read twice within minutes: no weekly rate, and never an OverflowError."""
    assert np.isnan(weekly_compound_growth(1_000, 1_500, 2 / 1_440))
    assert np.isnan(weekly_compound_growth(1_000, 1_000, 0.5))
    assert weekly_compound_growth(1_000, 1_000, 1) == 0.0


def test_follower_growth_uses_snapshot_before_the_period() -> None:
    start, end = AS_OF - timedelta(days=14), AS_OF + timedelta(hours=1)
    snaps = pd.DataFrame(
        {
            "account_id": [1, 1, 1, 2, 2],
            "observed_at": [ts(20), ts(14), ts(0), ts(13), ts(1)],
            "followers": pd.array([400, 500, 2000, 100, None], dtype="Int64"),
        }
    )
    out = follower_growth(snaps, start, end).set_index("account_id")
    assert out.loc[1, "followers_start"] == 500 and out.loc[1, "followers_end"] == 2000
    assert out.loc[1, "growth_weekly"] == pytest.approx(100.0)
    assert out.loc[2, "followers_change"] == 0  # the unknown later count is skipped


def test_group_growth_is_summed_not_averaged() -> None:
    growth = pd.DataFrame({"followers_start": [100, 10_000], "followers_end": [200, 10_000]})
    assert group_growth(growth) == pytest.approx(100 / 10_100 * 100)


def _status_inputs(days_ago: list[float | None]) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = list(range(1, len(days_ago) + 1))
    accounts = pd.DataFrame({"account_id": ids, "platform": ["instagram"] * len(ids)})
    hist = pd.DataFrame(
        [(i, ts(d), 1) for i, d in zip(ids, days_ago, strict=True) if d is not None],
        columns=["account_id", "last_posted_at", "posts_total"],
    )
    return accounts, hist


def test_status_thresholds() -> None:
    accounts, hist = _status_inputs([0, 14, 15, 30, 31, None, None])
    observed = {1, 2, 3, 4, 5, 6}  # account 7 was never collected
    out = account_status(accounts, hist, observed, AS_OF)
    assert out["status"].tolist() == [ACTIVE, ACTIVE, AT_RISK, AT_RISK, DORMANT, DORMANT, NO_DATA]


def test_thresholds_per_platform() -> None:
    accounts, hist = _status_inputs([20])
    accounts["platform"] = "youtube"
    loose = Thresholds(per_platform={"youtube": (30, 60)})
    assert account_status(accounts, hist, {1}, AS_OF, loose)["status"][0] == ACTIVE


def test_opd_status_is_its_most_active_account() -> None:
    frame = pd.DataFrame({"opd_id": [1, 1, 2], "status": [DORMANT, ACTIVE, NO_DATA]})
    out = opd_status(frame).set_index("opd_id")["status"]
    assert out[1] == ACTIVE and out[2] == NO_DATA


@settings(max_examples=60, deadline=None)
@given(
    days=st.lists(st.floats(min_value=0, max_value=400), min_size=1, max_size=20),
    extra=st.floats(min_value=0, max_value=400),
)
def test_one_more_post_never_makes_an_account_less_active(days: list[float], extra: float) -> None:
    accounts = pd.DataFrame({"account_id": [1], "platform": ["x"]})
    before = pd.DataFrame(
        {"account_id": [1], "last_posted_at": [ts(min(days))], "posts_total": [1]}
    )
    after = before.assign(last_posted_at=[ts(min([*days, extra]))])
    s_before = account_status(accounts, before, {1}, AS_OF)["status"][0]
    s_after = account_status(accounts, after, {1}, AS_OF)["status"][0]
    assert STATUS_ORDER.index(s_after) <= STATUS_ORDER.index(s_before)


def test_posting_activity_counts_weeks() -> None:
    start = AS_OF - timedelta(days=28)
    posts = pd.DataFrame({"account_id": [1, 1, 1, 2], "posted_at": [ts(27), ts(26), ts(3), ts(40)]})
    out = posting_activity(posts, start, AS_OF).set_index("account_id")
    assert out.loc[1, "posts"] == 3 and out.loc[1, "active_weeks"] == 2
    assert out.loc[1, "posts_per_week"] == pytest.approx(0.75)
    assert 2 not in out.index


def test_index_rescales_missing_components() -> None:
    comps = pd.DataFrame(
        {"consistency": [100.0, 50.0], "engagement": [np.nan, 50.0],
         "growth": [np.nan, 50.0], "caption": [np.nan, np.nan]}
    )  # fmt: skip
    scores = activity_index(comps)
    assert scores.tolist() == [100.0, 50.0]


def test_percentiles_are_within_platform_and_ranks_share_ties() -> None:
    values = pd.Series([1.0, 2.0, 3.0, 5.0, np.nan])
    groups = pd.Series(["ig", "ig", "ig", "fb", "ig"])
    pct = percentile_within(values, groups)
    assert pct[0] == 0 and pct[2] == 100 and pct[3] == 100 and pd.isna(pct[4])
    assert rank_scores(pd.Series([80.0, 90.0, 80.0, np.nan])).tolist() == [2, 1, 2, 4]


@settings(max_examples=40, deadline=None)
@given(st.permutations(list(range(6))))
def test_engagement_does_not_depend_on_row_order(order: list[int]) -> None:
    posts = pd.DataFrame(
        {"account_id": [1, 1, 2, 2, 2, 3], "interactions": [5.0, 7.0, 1.0, 0.0, 9.0, 4.0]}
    )
    followers = pd.Series({1: 100.0, 2: 50.0, 3: 10.0})
    base = period_engagement_rate(posts, followers).set_index("account_id")
    shuffled = period_engagement_rate(posts.iloc[order], followers).set_index("account_id")
    pd.testing.assert_series_equal(base["engagement_rate"], shuffled["engagement_rate"])


def test_empty_and_single_post_cases() -> None:
    empty = pd.DataFrame(
        {"account_id": pd.Series(dtype=int), "interactions": pd.Series(dtype=float)}
    )
    out = period_engagement_rate(empty, pd.Series({1: 500.0}))
    assert out["engagement_rate"].tolist() == [0.0]  # no posts: 0, not unknown
    single = pd.DataFrame({"account_id": [1], "interactions": [25.0]})
    assert period_engagement_rate(single, pd.Series({1: 500.0}))["engagement_rate"][0] == 5.0
    hidden = pd.DataFrame({"account_id": [1], "interactions": [np.nan]})
    assert pd.isna(period_engagement_rate(hidden, pd.Series({1: 500.0}))["engagement_rate"][0])
    one_snapshot = pd.DataFrame(
        {"account_id": [1], "observed_at": [ts(3)], "followers": pd.array([900], dtype="Int64")}
    )
    growth = follower_growth(one_snapshot, AS_OF - timedelta(days=7), AS_OF)
    assert np.isnan(growth.loc[0, "growth_weekly"]) and growth.loc[0, "followers_change"] == 0
    none = pd.DataFrame(
        {"account_id": pd.Series(dtype=int), "posted_at": pd.Series(dtype="datetime64[ns, UTC]")}
    )
    no_posts = posting_activity(none, AS_OF - timedelta(days=7), AS_OF)
    assert no_posts.empty
