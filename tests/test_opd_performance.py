"""Kinerja OPD Saya's use case on a hand-made regency (tests/opd_performance_world.py): ranks
among OPDs and among accounts of the same platform, the month against the last, only the
OPD's own reminders and posts to fix, and OPDs with nothing to rank."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.interactions import interaction_count
from core.period import Period, comparison_period, month_period
from core.settings import Settings
from db.engine import make_session_factory
from services.opd_performance import (
    OpdPerformance,
    opd_performance,
    trend_months,
    with_platform_ranks,
)
from services.post_review import post_review, posts_to_fix
from services.ranking import ranking
from tests import opd_performance_world as w

MONTH, BEFORE = "2026-11", "2026-10"
SETTINGS = Settings()


@pytest.fixture
def world_session(engine: Engine, fixed_now: datetime) -> Iterator[tuple[Session, w.World]]:
    with make_session_factory(engine)() as session:
        yield session, w.build(session, SETTINGS)


def _perf(session: Session, world: w.World, code: str, month: str = MONTH) -> OpdPerformance:
    perf = opd_performance(session, world.opds[code], month, SETTINGS)
    assert perf is not None
    return perf


def test_trend_months_end_with_the_chosen_month() -> None:
    assert trend_months("2026-02") == [
        "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02",
    ]  # fmt: skip


def test_rank_among_opds_is_peringkat_s(world_session: tuple[Session, w.World]) -> None:
    session, world = world_session
    by_opd = ranking(session, MONTH, SETTINGS, by="opd").set_index("opd_code")
    ranked = by_opd["rank"].notna()
    assert set(by_opd.index[ranked]) == {"DINKES", "DISDIK", "KEC-KETUNGAU"}
    for code in ("DINKES", "DISDIK", "KEC-KETUNGAU"):
        perf = _perf(session, world, code)
        assert perf.current.rank == int(by_opd.loc[code, "rank"])
        assert perf.current.score == pytest.approx(float(by_opd.loc[code, "score"]))
        assert perf.opds_ranked == 3
    # the daily poster leads; the kecamatan silent for 45 days comes last
    assert _perf(session, world, "DINKES").current.rank == 1
    assert _perf(session, world, "KEC-KETUNGAU").current.rank == 3


def test_each_account_ranked_among_its_own_platform(world_session: tuple[Session, w.World]) -> None:
    session, world = world_session
    accounts = ranking(session, MONTH, SETTINGS).set_index("account_id")
    instagram = accounts[(accounts["platform"] == "instagram") & accounts["rank"].notna()]
    expected = instagram["score"].rank(ascending=False, method="min").astype(int)
    places = {}
    for code in ("DINKES", "DISDIK", "KEC-KETUNGAU", "DISPORA"):
        rows = _perf(session, world, code).accounts.set_index("account_id")
        assert set(rows.index) == world.accounts_of(code)
        for account_id, row in rows.iterrows():
            places[account_id] = row
    for account_id, place in expected.items():
        assert places[account_id]["platform_rank"] == place
        assert places[account_id]["platform_ranked"] == 3  # dispora's cannot be read: no place
    assert places[world.accounts["dinkes_fb"]]["platform_rank"] == 1
    assert places[world.accounts["dinkes_fb"]]["platform_ranked"] == 1  # the only Facebook
    dispora = places[world.accounts["dispora_ig"]]
    assert pd.isna(dispora["platform_rank"]) and dispora["status"] == "unreadable"
    assert w.NOT_FOUND in dispora["status_reason"]


def test_platform_ranks_share_ties_and_skip_unranked() -> None:
    scored = pd.DataFrame(
        {
            "platform": ["instagram", "instagram", "instagram", "instagram", "youtube"],
            "score": [50.0, 70.0, 70.0, None, 10.0],
            "rank": [4, 1, 1, None, 5],
        }
    )
    out = with_platform_ranks(scored)
    assert out["platform_rank"].tolist()[:3] == [3, 1, 1]
    assert pd.isna(out["platform_rank"].iloc[3]) and out["platform_rank"].iloc[4] == 1
    assert out["platform_ranked"].tolist() == [3, 3, 3, 3, 1]


def _expected_month(
    world: w.World, code: str, month: str, period: Period | None = None
) -> tuple[int, int, int]:
    """Posts, interactions and month-end followers of an OPD, from the world's own rows (over
    ``period`` when given: the same days of a month)."""
    period = period or month_period(month, w.WIB)
    mine = world.accounts_of(code)
    platform = {world.accounts[k]: v[1] for k, v in w.ACCOUNTS.items()}
    posts = [
        p for p in world.posts
        if p.account_id in mine and period.start <= p.posted_at < period.as_of
    ]  # fmt: skip
    interactions = sum(interaction_count(platform[p.account_id], vars(p)) or 0 for p in posts)
    followers = 0
    for account_id in mine:
        inside = [s for s in world.snapshots if s.account_id == account_id
                  and period.start <= s.observed_at < period.as_of]  # fmt: skip
        followers += max(inside, key=lambda s: s.observed_at).followers or 0
    return len(posts), interactions, followers


def test_the_month_against_the_last(world_session: tuple[Session, w.World]) -> None:
    session, world = world_session
    for code in ("DINKES", "DISDIK"):
        perf = _perf(session, world, code)
        # November runs at FIXED_NOW: it is compared with 1-26 October up to the same hour
        same_days = comparison_period(month_period(MONTH, w.WIB), w.WIB)
        assert perf.compared_with == "1–26 Oktober 2026"
        for figures, month, period in (
            (perf.current, MONTH, None),
            (perf.previous, BEFORE, same_days),
        ):
            posts, interactions, followers = _expected_month(world, code, month, period)
            assert figures.month == month
            assert (figures.posts, figures.interactions, figures.followers) == (
                posts, interactions, followers,
            )  # fmt: skip
            assert posts > 0
            # every fourth post is weak: it names nobody, so it is outside the rule
            assert 60 <= (figures.complete_pct or 0) < 90
            assert figures.within_rule_pct == figures.complete_pct
        assert perf.trend["month"].tolist() == trend_months(MONTH)
        assert perf.trend.iloc[-1]["posts"] == perf.current.posts
        # the trend keeps all of October; the comparison only its first 26 days
        assert perf.trend.iloc[-2]["posts"] == _expected_month(world, code, BEFORE)[0]
        assert perf.trend.iloc[-2]["posts"] > perf.previous.posts
        # a whole month (October, complete) is compared with all of September
        whole = _perf(session, world, code, BEFORE)
        assert whole.compared_with == "September 2026"
        assert whole.previous.posts == _expected_month(world, code, "2026-09")[0]
        assert whole.trend.iloc[-2]["rank"] == whole.previous.rank


def test_the_rank_change_is_peringkat_s(world_session: tuple[Session, w.World]) -> None:
    session, world = world_session
    by_opd = ranking(session, MONTH, SETTINGS, by="opd").set_index("opd_code")
    for code in ("DINKES", "DISDIK", "KEC-KETUNGAU"):
        perf = _perf(session, world, code)
        expected = by_opd.loc[code, "rank_change"]
        if pd.isna(expected):
            assert perf.rank_change is None
        else:
            assert perf.rank_change == expected
            assert perf.rank_change == perf.previous.rank - perf.current.rank
    # DINKES began posting 40 days ago: it overtakes DISDIK in November
    assert _perf(session, world, "DINKES").rank_change == 1
    assert _perf(session, world, "DISDIK").rank_change == -1


def test_only_its_own_reminders_newest_first(world_session: tuple[Session, w.World]) -> None:
    session, world = world_session
    dinkes = _perf(session, world, "DINKES").reminders
    assert set(dinkes["account_id"]) == {world.accounts["dinkes_fb"]}  # cancelled one left out
    assert dinkes["channel"].tolist() == ["whatsapp", "email"]
    assert dinkes["received_at"].iloc[0] == pd.Timestamp(w.wib(11, 3, 9, 15))  # when it was sent
    ketungau = _perf(session, world, "KEC-KETUNGAU").reminders
    assert ketungau["status"].tolist() == ["queued", "sent"]
    assert set(ketungau["account_id"]) == {world.accounts["ketungau_ig"]}
    assert _perf(session, world, "DISPORA").reminders.empty
    october = _perf(session, world, "DINKES", BEFORE).reminders  # none from after October
    assert october["channel"].tolist() == ["email"]


def test_only_its_own_posts_to_fix(world_session: tuple[Session, w.World]) -> None:
    session, world = world_session
    for code in ("DINKES", "DISDIK"):
        perf = _perf(session, world, code)
        own = world.accounts_of(code)
        assert perf.fixes_total > 0 and set(perf.fixes["account_id"]) <= own
        assert set(perf.fixes["opd_id"]) == {world.opds[code]}
        weak = {p.platform_post_id for p in world.posts
                if p.account_id in own and p.caption == w.WEAK[code]
                and month_period(MONTH, w.WIB).start <= p.posted_at}  # fmt: skip
        assert set(perf.fixes["post_id"]) <= weak
        everyone = posts_to_fix(post_review(session, MONTH, SETTINGS))
        assert perf.fixes_total == int(everyone["opd_id"].eq(world.opds[code]).sum())


def test_an_opd_without_accounts_or_readable_ones(world_session: tuple[Session, w.World]) -> None:
    session, world = world_session
    empty = _perf(session, world, "BAPPEDA")
    assert not empty.has_accounts and empty.accounts.empty
    assert empty.current.rank is None and empty.current.posts == 0
    assert empty.current.interactions is None and empty.current.followers is None
    assert empty.reminders.empty and empty.fixes_total == 0
    unreadable = _perf(session, world, "DISPORA")
    assert unreadable.has_accounts and unreadable.readable_accounts == 0
    assert unreadable.current.rank is None and unreadable.rank_change is None
    assert opd_performance(session, 987_654, MONTH, SETTINGS) is None


def test_a_month_with_nothing_at_all(session: Session, fixed_now: datetime) -> None:
    from db import repository as repo

    opd = repo.upsert_opd(session, "DISHUB", "Dinas Perhubungan", "dinas")
    repo.upsert_account(session, opd, "instagram", "dishub.sintang")
    session.commit()
    perf = opd_performance(session, opd.id, "2026-03", SETTINGS)
    assert perf is not None and perf.has_accounts
    assert perf.accounts["status"].tolist() == ["no_data"]
    assert perf.current.rank is None and perf.opds_ranked == 0 and perf.fixes_total == 0
