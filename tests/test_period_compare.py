"""A running month is compared with the same days of the month before, a whole month with the
whole month before (core.period.comparison_period through refresh.months, the ranking, the
monthly review and Kinerja OPD Saya), on the hand-made regency of tests/opd_performance_world
built on 6 December 2026, 14.00 WIB: December has run six days."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.period import comparison_period, month_period
from core.settings import Settings
from db import queries
from db.engine import make_session_factory
from refresh.aggregates import CAPTION_RULE
from services.opd_performance import opd_performance
from services.ranking import ranking, scored_months
from services.review import month_review
from tests import opd_performance_world as w
from tests.clock import fixed_clock

SETTINGS = Settings()
DEC_6 = w.wib(12, 6, 14)  # the running month's now
NOV_6 = w.wib(11, 6, 14)  # the same moment of the month before: where its comparison stops


@pytest.fixture
def world(engine: Engine) -> Iterator[tuple[Session, w.World]]:
    with fixed_clock(DEC_6), make_session_factory(engine)() as session:
        yield session, w.build(session, SETTINGS, now=DEC_6)


def _posts_between(world: w.World, start: datetime, end: datetime) -> pd.Series:
    """Posts per account id with ``start <= posted_at < end``, from the world's own rows."""
    ids = [p.account_id for p in world.posts if start <= p.posted_at < end]
    return pd.Series(ids, dtype="int64").value_counts()


def _posts_of(scored: pd.DataFrame) -> pd.Series:
    frame = scored[scored["posts"].fillna(0) > 0]
    return frame.set_index("account_id")["posts"].astype("int64")


def test_running_month_counts_only_the_same_days_before(world: tuple[Session, w.World]) -> None:
    session, built = world
    current, before = scored_months(session, "2026-12", SETTINGS)
    november = month_period("2026-11", w.WIB)
    same_days = _posts_between(built, november.start, NOV_6)
    whole = _posts_between(built, november.start, november.end)
    assert _posts_of(before).sort_index().to_dict() == same_days.sort_index().to_dict()
    # the world posts after 6 November (10 November among them): none of it is counted
    assert any(p.posted_at >= w.wib(11, 10, 0) and p.posted_at < november.end for p in built.posts)
    assert whole.sum() > same_days.sum() > 0
    december = _posts_between(built, month_period("2026-12", w.WIB).start, DEC_6)
    assert _posts_of(current).sort_index().to_dict() == december.sort_index().to_dict()


def test_running_month_history_stops_at_the_cut(world: tuple[Session, w.World]) -> None:
    session, built = world
    _current, before = scored_months(session, "2026-12", SETTINGS)
    last = before.set_index("account_id")["last_posted_at"].dropna()
    assert len(last) > 0
    assert (last < pd.Timestamp(NOV_6)).all()  # no post after 6 November 14.00 is known there
    dinkes_ig = built.accounts["dinkes_ig"]  # posts every day: its last one is on the 6th
    assert last[dinkes_ig].tz_convert(w.WIB).day == 6


def test_whole_month_is_compared_with_the_whole_month_before(
    world: tuple[Session, w.World],
) -> None:
    session, built = world
    _current, before = scored_months(session, "2026-11", SETTINGS)
    october = month_period("2026-10", w.WIB)
    whole = _posts_between(built, october.start, october.end)
    assert _posts_of(before).sort_index().to_dict() == whole.sort_index().to_dict()


def test_ranks_move_against_the_same_days(world: tuple[Session, w.World]) -> None:
    session, _built = world
    ranked = ranking(session, "2026-12", SETTINGS)
    _current, before = scored_months(session, "2026-12", SETTINGS)
    was = before.set_index("account_id")["rank"]
    for row in ranked.dropna(subset=["rank_change"]).itertuples():
        assert row.rank_change == was[row.account_id] - row.rank


def test_review_names_and_uses_the_same_days(world: tuple[Session, w.World]) -> None:
    session, built = world
    review = month_review(session, "2026-12", SETTINGS)
    assert review.compared_with == "1–6 November 2026"
    # the clock ticks on from 14.00 while the test runs: the same moment, give or take
    assert timedelta(0) <= review.previous.as_of - NOV_6 < timedelta(minutes=5)
    november = month_period("2026-11", w.WIB)
    assert review.previous.posts_this_month == _posts_between(built, november.start, NOV_6).sum()
    whole = month_review(session, "2026-11", SETTINGS)
    assert whole.compared_with == "Oktober 2026"
    assert whole.previous.as_of == month_period("2026-10", w.WIB).end


def test_opd_performance_compares_the_same_days(world: tuple[Session, w.World]) -> None:
    session, built = world
    perf = opd_performance(session, built.opds["DINKES"], "2026-12", SETTINGS)
    assert perf is not None
    november = month_period("2026-11", w.WIB)
    mine = built.accounts_of("DINKES")
    same_days = _posts_between(built, november.start, NOV_6)
    assert perf.previous.posts == int(same_days[same_days.index.isin(mine)].sum())
    assert perf.compared_with == "1–6 November 2026"
    # the six-month trend keeps whole months: its November row is all of November
    whole = _posts_between(built, november.start, november.end)
    trend = perf.trend.set_index("month")
    assert trend.loc["2026-11", "posts"] == int(whole[whole.index.isin(mine)].sum())
    assert trend.index[-1] == "2026-12"
    assert perf.comparison["posts"].tolist() == [perf.previous.posts, perf.current.posts]


def test_days_read_from_the_posts_match_the_stored_whole_month(
    world: tuple[Session, w.World],
) -> None:
    """The cut-off read counts exactly as the stored monthly totals do, over a whole month."""
    session, built = world
    october = month_period("2026-10", w.WIB)
    ids = list(built.accounts.values())
    counted = queries.period_aggregates(
        session, "2026-10", october.start, october.end, CAPTION_RULE, ids
    )
    stored = queries.month_aggregates(session, ["2026-10"])
    key = ["account_id"]
    pd.testing.assert_frame_equal(
        counted.sort_values(key).reset_index(drop=True),
        stored.sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )
    cut = comparison_period(month_period("2026-11", w.WIB, now=w.wib(11, 6, 14)), w.WIB)
    days = queries.period_aggregates(session, "2026-10", cut.start, cut.as_of, CAPTION_RULE, ids)
    assert days["posts"].sum() == len(
        [p for p in built.posts if cut.start <= p.posted_at < cut.as_of]
    )
