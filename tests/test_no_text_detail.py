"""Detail Akun on a Facebook Page whose only post has no text and hidden counts (issue #13).

The page crashed with ``TypeError ... got 'float'`` in ``metrics/hashtags.py``: a caption the
platform did not send reads back from the database as NaN. The use case, its tables, its
charts and the page itself must all take such a post, and an account with no post at all.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from core.settings import load_settings
from core.timeutil import DEFAULT_TZ
from db import repository as repo
from db.engine import make_engine, make_session_factory
from present import charts_account
from refresh.aggregates import rebuild_months
from refresh.captions import score_new_captions
from services.account_detail import AccountDetail, account_detail
from tests.app_support import migrated, run_page, shown_cells, table_texts, texts
from ui.loaders_account import posts_table, tags_table

NOW = datetime(2026, 11, 30, 17, 29, tzinfo=UTC)  # 1 December 2026 00.29 WIB
NO_TEXT = [None, "", "   \n", "🙏📸", "#sintang https://t.co/x"]


def plant(session: Session, caption: str | None, now: datetime = NOW) -> dict[str, int]:
    """A Facebook Page with one post (this caption, every count hidden) and a quiet page."""
    opd = repo.upsert_opd(session, "DISHUB", "Dinas Perhubungan", "dinas")
    page = repo.upsert_account(session, opd, "facebook", "demo.dishub").id
    quiet = repo.upsert_account(session, opd, "instagram", "demo.dishub.ig").id
    repo.upsert_posts(
        session, [repo.PostRow(page, "only", now - timedelta(days=3, hours=6), caption=caption)]
    )
    repo.upsert_snapshots(session, [repo.SnapshotRow(page, now - timedelta(days=10), 1200)])
    repo.upsert_snapshots(session, [repo.SnapshotRow(quiet, now - timedelta(days=10), 300)])
    score_new_captions(session)
    rebuild_months(session, DEFAULT_TZ)
    session.commit()
    return {"page": page, "quiet": quiet}


def detail(session: Session, account_id: int) -> AccountDetail:
    found = account_detail(session, account_id, 3, load_settings(), now=NOW)
    assert found is not None
    return found


@pytest.mark.parametrize("caption", NO_TEXT)
def test_the_only_post_has_no_text_and_hidden_counts(session: Session, caption: str) -> None:
    d = detail(session, plant(session, caption)["page"])
    assert d.posts_in_period == len(d.posts) == 1
    post = d.posts.iloc[0]
    assert pd.isna(post["likes"]) and pd.isna(post["interactions"])
    assert pd.isna(post["engagement_rate"])
    assert d.engagement_rate is None  # every count hidden: unknown, never 0
    assert d.status == "active" and d.days_since_last_post == 3
    assert int(d.calendar["posts"].sum()) == 1
    assert d.time_slots.empty and d.best_times.empty and d.best.empty and d.worst.empty
    assert d.mentions.empty
    assert d.hashtags["tag"].tolist() == (["sintang"] if caption and "#" in caption else [])
    assert d.caption_monthly["caption_score"].isna().all()  # no text: nothing scored
    assert d.caption_monthly["scored_posts"].sum() == 0
    shown = table_texts(posts_table(d.posts, d.platform)).iloc[0]
    if caption is None or not caption.strip():
        assert shown["Caption"] == "(tanpa caption)"
    assert shown["Suka"] == shown["Interaksi"] == "tersembunyi"
    assert shown["Tingkat interaksi"] == "–" and shown["Tautan"] is None
    assert tags_table(d.mentions, "@", "Akun yang disebut").empty
    for figure in (
        charts_account.calendar_chart(d.calendar),
        charts_account.caption_trend_chart(d.caption_monthly),
        charts_account.time_heatmap(d.time_slots),
        charts_account.followers_chart(d.followers),
    ):
        assert figure.to_dict()["data"] is not None


def test_an_account_without_any_post(session: Session) -> None:
    d = detail(session, plant(session, None)["quiet"])
    assert d.posts_in_period == 0 and d.posts.empty
    assert d.last_posted_at is None and d.days_since_last_post is None
    assert d.engagement_rate == 0  # did not post in the period
    assert int(d.calendar["posts"].sum()) == 0 and len(d.calendar) > 80
    assert d.hashtags.empty and d.mentions.empty and d.time_slots.empty
    assert posts_table(d.posts, d.platform).empty


@pytest.mark.parametrize("caption", NO_TEXT)
def test_a_post_without_text_next_to_one_with_text(session: Session, caption: str) -> None:
    """The reported crash: with one caption present, pandas reads the missing one as NaN."""
    page = plant(session, caption)["page"]
    when = NOW - timedelta(days=1)
    text = "Uji coba jalur bus sekolah di Jalan Lintas Melawi, Senin (30/11/2026). #dishub"
    repo.upsert_posts(session, [repo.PostRow(page, "texted", when, text, likes=5, comments=1,
                                             shares=0)])  # fmt: skip
    score_new_captions(session)
    rebuild_months(session, DEFAULT_TZ)
    d = detail(session, page)
    assert d.posts_in_period == 2
    tags = d.hashtags.set_index("tag")["posts"].to_dict()
    assert tags["dishub"] == 1 and set(tags) <= {"dishub", "sintang"}
    assert d.caption_monthly["scored_posts"].sum() == 1  # the post without text is not scored
    assert d.engagement_rate is not None and d.engagement_rate > 0  # from the rated post only
    shown = posts_table(d.posts, d.platform).frame["Caption"].tolist()
    assert shown[0].startswith("Uji coba") and len(shown) == 2


def test_the_page_shows_a_post_without_text(app_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    migrated(app_db)
    with make_session_factory(make_engine(app_db))() as session:
        now = datetime.now(UTC)
        ids = plant(session, None, now=now)
        text = "Rapat koordinasi angkutan sekolah #dishub"
        repo.upsert_posts(session, [repo.PostRow(ids["page"], "texted", now - timedelta(days=1),
                                                 text)])  # fmt: skip
        score_new_captions(session)
        rebuild_months(session, DEFAULT_TZ)
        session.commit()
    at = run_page("pages/detail_akun.py")  # fails on any exception
    at.selectbox(key="detail_akun").set_value(ids["page"]).run()
    assert not at.exception, [e.message for e in at.exception]
    assert "demo.dishub" in texts(at)
    posts = shown_cells(at.dataframe[0])
    assert posts["Caption"].tolist() == ["Rapat koordinasi angkutan sekolah #dishub",
                                         "(tanpa caption)"]  # fmt: skip
    assert posts["Interaksi"].tolist() == ["tersembunyi", "tersembunyi"]
    at.selectbox(key="detail_akun").set_value(ids["quiet"]).run()
    assert not at.exception, [e.message for e in at.exception]
