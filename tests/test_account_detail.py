"""The account detail service (Detail Akun) on hand-made frames and on the demo world."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from core.settings import load_settings
from db import queries
from db.engine import make_engine, make_session_factory
from services.account_detail import (
    AccountDetail,
    account_detail,
    account_list,
    best_and_worst,
    period_bounds,
    with_post_rates,
)
from tests.app_support import table_texts
from ui.loaders_account import posts_table

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def demo_session(demo_db_url: str) -> Iterator[Session]:
    engine = make_engine(demo_db_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def account_id(session: Session, platform: str, handle: str) -> int:
    accounts = account_list(session)
    row = accounts[(accounts["platform"] == platform) & (accounts["handle"] == handle)]
    return int(row["account_id"].iloc[0])


def detail_of(session: Session, platform: str, handle: str, months: int = 12) -> AccountDetail:
    detail = account_detail(session, account_id(session, platform, handle), months, load_settings())
    assert detail is not None
    return detail


def test_post_rate_uses_the_nearest_earlier_snapshot() -> None:
    posts = pd.DataFrame(
        {
            "posted_at": pd.to_datetime([T0, T0 + timedelta(hours=5), T0 - timedelta(days=3)]),
            "interactions": pd.array([10, 30, 5], dtype="Float64"),
        }
    )
    snapshots = pd.DataFrame(
        {
            "observed_at": pd.to_datetime(
                [T0 - timedelta(hours=1), T0 + timedelta(hours=1), T0 + timedelta(hours=4)]
            ),
            "followers": pd.array([1000, 5000, 2000], dtype="Int64"),
        }
    )
    rated = with_post_rates(posts, snapshots)
    rated = rated.set_index("posted_at")
    assert rated.loc[T0, "followers_at_post"] == 1000  # not the later 5000
    assert rated.loc[T0, "engagement_rate"] == pytest.approx(1.0)
    assert rated.loc[T0 + timedelta(hours=5), "followers_at_post"] == 2000
    assert rated.loc[T0 + timedelta(hours=5), "engagement_rate"] == pytest.approx(1.5)
    assert pd.isna(rated.loc[T0 - timedelta(days=3), "engagement_rate"])  # no snapshot yet


def test_best_and_worst_never_overlap() -> None:
    posts = pd.DataFrame(
        {
            "posted_at": pd.to_datetime([T0 + timedelta(days=i) for i in range(4)]),
            "performance": [3.0, -2.0, None, 1.5],
        }
    )
    for col in ("caption", "url", "likes", "comments", "shares", "views", "interactions",
                "followers_at_post", "engagement_rate"):  # fmt: skip
        posts[col] = None
    best, worst = best_and_worst(posts)
    assert best["performance"].tolist() == [3.0, 1.5, -2.0]
    assert worst.empty
    best, worst = best_and_worst(posts, top=1)
    assert (best["performance"].tolist(), worst["performance"].tolist()) == ([3.0], [-2.0])


def test_period_starts_at_local_midnight_months_back() -> None:
    start, as_of = period_bounds(3, load_settings().tz, now=datetime(2026, 11, 26, 6, tzinfo=UTC))
    assert start == datetime(2026, 8, 25, 17, tzinfo=UTC)  # 26 August 00.00 WIB
    assert as_of == datetime(2026, 11, 26, 6, tzinfo=UTC)


def test_demo_instagram_account(demo_session: Session) -> None:
    detail = detail_of(demo_session, "instagram", "demo.dispusip")
    assert detail.opd_code == "DISPUSIP" and detail.has_audience
    assert detail.posts_in_period == len(detail.posts) > 50
    assert detail.posts["posted_at"].is_monotonic_decreasing
    assert (detail.posts["posted_at"] >= detail.start).all()
    assert detail.followers_now is not None and detail.followers_now > 0
    assert detail.engagement_rate is not None and detail.engagement_rate > 0
    assert detail.status in ("active", "at_risk", "dormant")
    assert detail.reply_rate_text == "tidak tersedia: akun belum disambungkan pemiliknya"
    assert detail.needs_owner_connection and detail.reply_time_text == detail.reply_rate_text
    assert int(detail.calendar["posts"].sum()) == detail.posts_in_period
    assert len(detail.calendar) >= 365
    assert len(detail.best) == len(detail.worst) == 3
    assert detail.best["performance"].min() > detail.worst["performance"].max()
    assert detail.time_slots["weekday"].between(0, 6).all()
    assert detail.hashtags["posts"].is_monotonic_decreasing
    assert detail.caption_monthly["caption_score"].between(0, 100).all()


def test_demo_post_rate_matches_the_snapshot_before_each_post(demo_session: Session) -> None:
    detail = detail_of(demo_session, "facebook", "demo.bapenda", months=3)
    snapshots = queries.snapshots_frame(demo_session, account_ids=[account_id(
        demo_session, "facebook", "demo.bapenda")])  # fmt: skip
    for _, post in detail.posts.head(20).iterrows():
        before = snapshots[snapshots["observed_at"] <= post["posted_at"]]
        expected = float(before["followers"].iloc[-1])
        assert post["followers_at_post"] == expected
        assert post["engagement_rate"] == pytest.approx(post["interactions"] / expected * 100)


def test_demo_hidden_counts_are_unknown_not_zero(demo_session: Session) -> None:
    detail = detail_of(demo_session, "instagram", "demo.dispusip")
    hidden = detail.posts[detail.posts["likes"].isna()]
    assert len(hidden) > 0
    assert hidden["interactions"].isna().all() and hidden["engagement_rate"].isna().all()
    view = posts_table(detail.posts, detail.platform)
    assert view.frame["Suka"].dtype == "float64"  # counts are numbers, sorted by value
    shown = table_texts(view)
    assert (shown.loc[hidden.index, "Suka"] == "tersembunyi").all()
    assert (shown.loc[hidden.index, "Interaksi"] == "tersembunyi").all()
    assert set(shown.loc[hidden.index, "Tayangan"]) == {"–"}  # Instagram gives no views here


def test_demo_website_has_no_engagement(demo_session: Session) -> None:
    websites = account_list(demo_session)
    handle = str(websites.loc[websites["platform"] == "website", "handle"].iloc[0])
    detail = detail_of(demo_session, "website", handle)
    assert not detail.has_audience
    assert detail.engagement_rate is None and detail.followers_now is None
    assert detail.posts_in_period > 0
    assert detail.posts["engagement_rate"].isna().all()
    assert detail.time_slots.empty and detail.best.empty
    shown = table_texts(posts_table(detail.posts, detail.platform))
    assert set(shown["Interaksi"]) == set(shown["Tingkat interaksi"]) == {"tidak berlaku"}


def test_demo_shorter_period_has_fewer_posts(demo_session: Session) -> None:
    long = detail_of(demo_session, "facebook", "demo.bapenda", months=12)
    short = detail_of(demo_session, "facebook", "demo.bapenda", months=3)
    assert 0 < short.posts_in_period < long.posts_in_period
    assert len(short.calendar) < len(long.calendar)


def test_demo_reply_rate_only_where_the_platform_shows_replies(demo_session: Session) -> None:
    for platform, handle in (("youtube", "demo.bpbd"), ("tiktok", "demo.bpbd")):
        detail = detail_of(demo_session, platform, handle)
        if detail.reply_rate is None:
            assert detail.reply_rate_text is not None
            assert detail.reply_rate_text.startswith("tidak tersedia: ")
            assert (
                platform == "youtube" or "TikTok tidak membuka komentar" in detail.reply_rate_text
            )
        else:
            assert platform == "youtube" and 0 <= detail.reply_rate <= 100
            assert detail.reply_rate_text is None


def test_demo_connected_pages_show_reply_rate_and_time(demo_session: Session) -> None:
    """The demo's connected OPDs (demo/collect.py OWNER_CONNECTED) read comments and replies
    through the simulator with their Page token: a rate and a median time to first reply."""
    for platform in ("facebook", "instagram"):
        for handle in ("demo.dinkes", "demo.diskominfo"):
            detail = detail_of(demo_session, platform, handle, months=1)
            assert detail.reply_rate_text is None and detail.reply_time_text is None, handle
            assert detail.reply_rate is not None and 0 < detail.reply_rate < 100
            assert detail.reply_median_minutes is not None and detail.reply_median_minutes > 0
            assert not detail.needs_owner_connection


def test_unknown_account_gives_none(demo_session: Session) -> None:
    assert account_detail(demo_session, 999_999, 3, load_settings()) is None


@pytest.mark.parametrize(
    ("posted", "as_of", "expected"),
    [
        # 17.15 WIB yesterday, read at 00.29 WIB: not "hari ini" (issue #13)
        (datetime(2026, 11, 25, 10, 15, tzinfo=UTC), datetime(2026, 11, 25, 17, 29, tzinfo=UTC),
         "terakhir aktif kemarin (25 November 2026 17.15 WIB)"),
        (datetime(2026, 11, 25, 17, 1, tzinfo=UTC), datetime(2026, 11, 26, 16, 59, tzinfo=UTC),
         "terakhir aktif hari ini (26 November 2026 00.01 WIB)"),  # 00.01 to 23.59 WIB
        (datetime(2026, 11, 30, 16, 0, tzinfo=UTC), datetime(2026, 11, 30, 17, 0, tzinfo=UTC),
         "terakhir aktif kemarin (30 November 2026 23.00 WIB)"),  # month end
        (datetime(2026, 10, 31, 10, 0, tzinfo=UTC), datetime(2026, 11, 30, 17, 29, tzinfo=UTC),
         "terakhir aktif 31 hari yang lalu (31 Oktober 2026 17.00 WIB)"),
    ],
)  # fmt: skip
def test_last_post_text_counts_wib_calendar_days(
    posted: datetime, as_of: datetime, expected: str
) -> None:
    from types import SimpleNamespace
    from typing import cast

    from metrics.activity import days_since
    from ui.loaders_account import last_post_text

    days = float(days_since(pd.Series([posted]), as_of).iloc[0])
    detail = SimpleNamespace(last_posted_at=posted, days_since_last_post=days, as_of=as_of)
    assert last_post_text(cast(AccountDetail, detail)) == expected
