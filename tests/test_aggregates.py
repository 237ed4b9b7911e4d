"""The monthly pre-aggregates agree with the post-level formulas and follow every write."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.timeutil import DEFAULT_TZ
from db import queries
from db import repository as repo
from db.aggregates import month_range
from db.engine import make_engine, make_session_factory
from db.models import AccountMonth, AggregateDirty
from metrics.activity import posting_activity
from metrics.engagement import period_engagement_rate, post_interactions
from metrics.growth import follower_growth, mean_followers
from metrics.monthly import month_figures
from refresh.aggregates import rebuild_months
from refresh.captions import score_new_captions


@pytest.fixture
def demo_session(demo_db_url: str) -> Session:
    return make_session_factory(make_engine(demo_db_url))()


def raw_figures(session: Session, month: str) -> pd.DataFrame:
    start, end = month_range(month, DEFAULT_TZ)
    accounts = queries.accounts_frame(session)[["account_id", "platform"]]
    posts = queries.posts_frame(session, start, end).merge(accounts, on="account_id")
    posts["interactions"] = post_interactions(posts)
    snaps = queries.snapshots_frame(session, None, end)
    followers = mean_followers(snaps, start, end).reindex(accounts["account_id"])
    rate = period_engagement_rate(posts, followers).set_index("account_id")["engagement_rate"]
    growth = follower_growth(snaps, start, end).set_index("account_id")
    weeks = posting_activity(posts, start, end).set_index("account_id")["active_weeks"]
    return pd.DataFrame(
        {
            "engagement_rate": rate,
            "growth_weekly": growth["growth_weekly"],
            "active_weeks": weeks,
            "posts": posts.groupby("account_id").size(),
        }
    )


def test_aggregates_match_the_post_level_formulas(demo_session: Session) -> None:
    month = (pd.Period(datetime.now(UTC).strftime("%Y-%m"), "M") - 2).strftime("%Y-%m")
    previous = (pd.Period(month, "M") - 1).strftime("%Y-%m")
    rows = queries.month_aggregates(demo_session, [month, previous])
    accounts = queries.accounts_frame(demo_session)[["account_id", "platform"]]
    fast = month_figures(accounts, rows[rows["month"] == month], rows[rows["month"] == previous])
    fast = fast.set_index("account_id")
    raw = raw_figures(demo_session, month).reindex(fast.index)
    assert (fast["posts"] > 0).sum() > 60  # a real comparison, not an empty one
    np.testing.assert_allclose(fast["engagement_rate"], raw["engagement_rate"], rtol=1e-9)
    np.testing.assert_allclose(fast["growth_weekly"], raw["growth_weekly"], rtol=1e-9)
    np.testing.assert_array_equal(fast["posts"], raw["posts"].fillna(0))
    np.testing.assert_array_equal(fast["active_weeks"], raw["active_weeks"].fillna(0))
    assert fast["caption_score"].between(0, 100).sum() > 60


def _one_account(session: Session) -> int:
    opd = repo.upsert_opd(session, "DINKES", "Dinas Kesehatan", "dinas")
    return repo.upsert_account(session, opd, "instagram", "demo.dinkes").id


def _month_row(session: Session, month: str) -> AccountMonth:
    session.expire_all()
    return session.scalars(select(AccountMonth).where(AccountMonth.month == month)).one()


def test_every_write_is_followed(session: Session) -> None:
    acc = _one_account(session)
    when = datetime(2026, 10, 31, 18, 0, tzinfo=UTC)  # 1 November 01.00 WIB
    repo.upsert_posts(session, [repo.PostRow(acc, "p1", when, "Rapat", likes=5, comments=1)])
    score_new_captions(session)
    rebuild_months(session, DEFAULT_TZ)
    row = _month_row(session, "2026-11")
    assert (row.posts, row.interactions, row.rated_posts) == (1, 6, 1)
    assert session.scalar(select(AccountMonth).where(AccountMonth.month == "2026-10")) is None
    assert row.caption_scored == 1 and 0 <= row.caption_score_sum <= 100
    assert not session.scalars(select(AggregateDirty)).all()  # nothing left to do

    repo.upsert_posts(session, [repo.PostRow(acc, "p1", when, likes=50, comments=1)])
    score_new_captions(session)
    rebuild_months(session, DEFAULT_TZ)
    assert _month_row(session, "2026-11").interactions == 51
    stored = session.execute(text("SELECT interactions FROM posts")).scalar()
    assert stored == 51

    repo.upsert_snapshots(session, [repo.SnapshotRow(acc, when, 1000)])
    score_new_captions(session)
    rebuild_months(session, DEFAULT_TZ)
    assert _month_row(session, "2026-11").followers_last == 1000


def test_a_changed_caption_is_scored_again(session: Session) -> None:
    acc = _one_account(session)
    when = datetime(2026, 11, 2, tzinfo=UTC)
    repo.upsert_posts(session, [repo.PostRow(acc, "p1", when, "Kegiatan hari ini.")])
    score_new_captions(session)
    rebuild_months(session, DEFAULT_TZ)
    poor = _month_row(session, "2026-11").caption_score_sum
    better = (
        "Kepala Dinas Kesehatan Kabupaten Sintang, dr. Harjono Salim, membuka pelatihan kader "
        "di Aula Kantor Camat Dedai pada Senin (2/11/2026) pukul 09.00 WIB, dihadiri 40 kader."
    )
    repo.upsert_posts(session, [repo.PostRow(acc, "p1", when, better)])
    score_new_captions(session)
    rebuild_months(session, DEFAULT_TZ)
    assert _month_row(session, "2026-11").caption_score_sum > poor + 40


def test_changing_the_time_zone_rebuilds_the_months(session: Session) -> None:
    acc = _one_account(session)
    when = datetime(2026, 10, 31, 18, 0, tzinfo=UTC)  # November in WIB, October in UTC
    repo.upsert_posts(session, [repo.PostRow(acc, "p1", when, likes=1, comments=0)])
    score_new_captions(session)
    rebuild_months(session, DEFAULT_TZ)
    assert _month_row(session, "2026-11").posts == 1
    score_new_captions(session)
    rebuild_months(session, ZoneInfo("UTC"))
    assert _month_row(session, "2026-10").posts == 1
    assert session.scalar(select(AccountMonth).where(AccountMonth.month == "2026-11")) is None


def test_caption_compliance_totals_match_the_per_post_review(demo_session: Session) -> None:
    from core.settings import load_settings
    from metrics.compliance import compliance_by_account, compliance_from_months
    from services.captions import caption_review

    month = (pd.Period(datetime.now(UTC).strftime("%Y-%m"), "M") - 1).strftime("%Y-%m")
    per_post = compliance_by_account(
        caption_review(demo_session, month, load_settings(environ={}))
    ).set_index("account_id")
    totals = compliance_from_months(queries.month_aggregates(demo_session, [month]))
    totals = totals.set_index("account_id").reindex(per_post.index)
    assert len(per_post) > 60
    for col in ("complete_pct", "within_rule_pct", "clean_pct", "posts"):
        np.testing.assert_allclose(totals[col], per_post[col], rtol=1e-9, err_msg=col)
