"""The measures shown beside the index on a small stored world (SQLite and PostgreSQL): the use
cases (services.ranking.ranking_with_measures, services.tags.month_tags), Peringkat's new
columns and its "Tagar dan sebutan" view, and Detail Akun's Mengikuti, posts per week and
engagement by views, as a reviewer and as an OPD's admin."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from core import fmt
from core.period import month_period
from core.settings import Settings
from db import repository as repo
from db.engine import make_engine, make_session_factory
from db.models import Account, Opd
from metrics.posting_pace import period_weeks
from refresh.aggregates import rebuild_months
from refresh.captions import score_new_captions
from services.ranking import ranking_with_measures
from services.tags import month_tags
from services.users import OPD, REVIEWER, Principal
from tests.app_support import (
    ROOT,
    choose_month,
    ensure_user,
    metrics,
    migrated,
    run_page,
    shown_cells,
    signed_in,
    table_with,
    texts,
)
from tests.clock import WIB
from tests.sample_world import build_sample_world

MONTH = "2026-11"  # the month of FIXED_NOW (26 November 2026, 13.00 WIB)
EMPTY_MONTH = "2025-11"  # before the sample world's first post
REVIEWER_USER = Principal("peninjau-ukur", REVIEWER)
ACCOUNT_COLUMNS = ["Mengikuti", "Unggahan", "Unggahan/minggu", "Tingkat interaksi",
                   "Interaksi per tayangan"]  # fmt: skip


def wib(day: int, hour: int = 9, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=WIB)


def add_measures(session: Session, ids: dict[str, int]) -> dict[str, int]:
    """Adds to the sample world: Dinkes's TikTok with views, following counts, tagged posts,
    and a retired account whose tags must not count."""
    dinkes = session.scalar(select(Opd).where(Opd.code == "DINKES"))
    assert dinkes is not None
    tiktok = repo.upsert_account(session, dinkes, "tiktok", "demo.dinkes").id
    retired = repo.upsert_account(session, dinkes, "x", "demo_dinkes_lama")
    retired.active = False
    # account, day of November, caption, (likes, comments, shares, views)
    made = [
        (ids["dinkes_ig"], 10, "Imunisasi #SintangSehat dan @bupatisintang", (30, 2, None, None)),
        (ids["dinkes_ig"], 12, "Posyandu #sintangsehat @BupatiSintang", (20, 0, None, None)),
        (tiktok, 14, "#sintangsehat senam pagi", (100, 10, 10, 2_000)),
        (tiktok, 20, None, (20, 5, 5, 1_000)),
        (ids["dishub_fb"], 15, "#SintangSehat #mudikaman", (4, 0, 0, None)),
        (retired.id, 16, "#akunlama @bupatisintang", (1, 0, 0, None)),
    ]  # fmt: skip
    posts = [
        repo.PostRow(account, f"tag-{n}", wib(day), caption, likes=likes, comments=comments,
                     shares=shares, views=views)
        for n, (account, day, caption, (likes, comments, shares, views)) in enumerate(made)
    ]  # fmt: skip
    repo.upsert_posts(session, posts)
    repo.upsert_snapshots(
        session,
        [
            repo.SnapshotRow(ids["dinkes_ig"], wib(28, month=10), following=300),
            repo.SnapshotRow(ids["dinkes_ig"], wib(10), following=None),  # not reported
            repo.SnapshotRow(ids["dinkes_ig"], wib(25), following=312),
            repo.SnapshotRow(tiktok, wib(25), followers=5_000, following=45),
            repo.SnapshotRow(ids["dishub_fb"], wib(25), followers=4_000),  # Pages: no count
        ],
    )
    score_new_captions(session)
    rebuild_months(session, WIB)
    session.commit()
    return {**ids, "dinkes_tt": tiktok, "retired": retired.id}


def build(url: str, now: datetime) -> dict[str, int]:
    with make_session_factory(make_engine(url))() as session:
        return add_measures(session, build_sample_world(session, now=now))


@pytest.fixture
def world(app_db: str, fixed_now: datetime) -> dict[str, int]:
    migrated(app_db)
    return build(app_db, fixed_now)


def session_of(url: str) -> Session:
    return make_session_factory(make_engine(url))()


# ---- the use cases --------------------------------------------------------------------------


def test_ranking_carries_following_views_and_posts_per_week(
    world: dict[str, int], app_db: str
) -> None:
    with session_of(app_db) as session:
        frame = ranking_with_measures(session, MONTH, Settings()).set_index("account_id")
        by_opd = ranking_with_measures(session, MONTH, Settings(), by="opd")
    instagram, tiktok, facebook = (
        frame.loc[world[k]] for k in ("dinkes_ig", "dinkes_tt", "dishub_fb")
    )
    assert (instagram["following"], instagram["following_change"]) == (312, 12)
    assert tiktok["following"] == 45 and pd.isna(tiktok["following_change"])  # read once
    assert pd.isna(facebook["following"])
    assert tiktok["engagement_rate_views"] == pytest.approx(150 / 3_000 * 100)
    assert pd.isna(instagram["engagement_rate_views"]) and pd.isna(
        facebook["engagement_rate_views"]
    )
    period = month_period(MONTH, WIB)
    weeks = period_weeks(period.start, period.as_of)
    assert weeks == pytest.approx((25 + 13 / 24) / 7, abs=1e-3)
    assert frame["posts_per_week"].tolist() == pytest.approx((frame["posts"] / weeks).tolist())
    assert tiktok["posts"] == 2 and tiktok["posts_per_week"] == pytest.approx(2 / weeks)
    assert "following" not in by_opd  # a sum of followed accounts means nothing
    dinkes = by_opd.set_index("opd_code").loc["DINKES"]
    assert dinkes["posts_per_week"] == pytest.approx(dinkes["posts"] / weeks)


def test_the_month_tags_of_active_accounts(world: dict[str, int], app_db: str) -> None:
    with session_of(app_db) as session:
        tags = month_tags(session, MONTH, Settings())
        nothing = month_tags(session, EMPTY_MONTH, Settings())
    hashtags = tags.hashtags.set_index("tag")
    assert hashtags.loc["sintangsehat", "posts"] == 4
    assert hashtags.loc["sintangsehat", "account_ids"] == [world["dinkes_ig"], *sorted(
        [world["dinkes_tt"], world["dishub_fb"]])]  # fmt: skip
    assert "akunlama" not in hashtags.index  # the retired account is not watched
    mentions = tags.mentions.set_index("tag")
    assert list(mentions.index) == ["bupatisintang"]
    assert mentions.loc["bupatisintang", "account_ids"] == [world["dinkes_ig"]]
    assert tags.posts - tags.captioned == 1  # the TikTok video without a caption
    assert set(tags.accounts["account_id"]) == {
        world[k] for k in ("dinkes_ig", "dinkes_tt", "dishub_fb")
    }
    assert nothing.posts == 0 and nothing.hashtags.empty and nothing.mentions.empty


# ---- Peringkat ------------------------------------------------------------------------------


def test_peringkat_shows_the_new_columns(world: dict[str, int]) -> None:
    at = choose_month(run_page("pages/peringkat.py", REVIEWER_USER), MONTH)  # the running one
    table = table_with(at, "Konsistensi")  # every measure; the key ones on top
    columns = table.columns.tolist()
    assert set(ACCOUNT_COLUMNS) <= set(columns)
    assert columns.index("Pengikut") < columns.index("Mengikuti") < columns.index("Unggahan")
    assert columns.index("Tingkat interaksi") < columns.index("Interaksi per tayangan")
    rows = table.set_index(table["Akun"] + " " + table["Platform"])
    assert rows.loc["demo.dinkes Instagram", "Mengikuti"] == "312"
    assert rows.loc["demo.dishub Facebook", "Mengikuti"] == "tidak tersedia"
    assert rows.loc["demo.dinkes TikTok", "Interaksi per tayangan"] == "5,00%"
    assert rows.loc["demo.dinkes Instagram", "Interaksi per tayangan"] == "tidak tersedia"
    weeks = (25 + 13 / 24) / 7
    assert rows.loc["demo.dinkes TikTok", "Unggahan/minggu"] == fmt.number(2 / weeks, 1)
    assert "Unggahan/minggu: jumlah unggahan ÷ jumlah minggu bulan itu" in texts(at)
    assert "hanya Instagram, TikTok dan X yang melaporkannya" in texts(at)
    at.radio(key="peringkat_by").set_value("opd").run()
    by_opd = table_with(at, "Konsistensi").columns.tolist()
    assert "Unggahan/minggu" in by_opd and "Mengikuti" not in by_opd
    assert "Interaksi per tayangan" not in by_opd
    assert "Mengikuti:" not in texts(at)


def test_peringkat_shows_the_regency_tags(world: dict[str, int], app_db: str) -> None:
    with session_of(app_db) as session:
        posts = month_tags(session, MONTH, Settings()).posts
    at = choose_month(run_page("pages/peringkat.py", REVIEWER_USER), MONTH)  # the running one
    at.radio(key="peringkat_view").set_value("tags").run()
    assert not at.exception
    assert [t.label for t in at.tabs] == ["Tagar", "Akun yang disebut"]
    hashtags, mentions = (shown_cells(d) for d in at.dataframe)
    assert hashtags.iloc[0].tolist() == [
        "#sintangsehat", "4", "3", fmt.number((32 + 20 + 120 + 4) / 4, 1),
        "Dinas Kesehatan (Instagram demo.dinkes, TikTok demo.dinkes), "
        "Dinas Perhubungan (Facebook demo.dishub)",
    ]  # fmt: skip
    assert "#akunlama" not in hashtags["Tagar"].tolist()
    assert mentions["Akun yang disebut"].tolist() == ["@bupatisintang"]
    assert (
        f"November 2026 · {fmt.number(posts)} unggahan akun yang dipantau, "
        f"{fmt.number(posts - 1)} di antaranya memiliki caption" in texts(at)
    )
    at.selectbox(key="peringkat_month").set_value(EMPTY_MONTH).run()
    assert not at.dataframe
    infos = [i.value for i in at.info]
    assert infos == [
        "Belum ada tagar pada bulan yang dipilih.",
        "Belum ada akun yang disebut pada bulan yang dipilih.",
    ]


# ---- Detail Akun ----------------------------------------------------------------------------


def test_detail_akun_shows_following_and_posts_per_week(world: dict[str, int]) -> None:
    at = run_page("pages/detail_akun.py", REVIEWER_USER)
    assert "demo.dinkes" in at.markdown[0].value and "**Instagram**" in at.markdown[0].value
    shown = metrics(at)
    assert shown["Mengikuti"] == "312"
    following = next(m for m in at.metric if m.label == "Mengikuti")
    # 300 on 28 October, 312 on 25 November: one sign, the arrow's (present.metric_delta)
    assert following.delta == "12 dalam periode"
    assert following.proto.direction == MetricProto.MetricDirection.UP
    posts = int(shown["Unggahan dalam periode"])
    days = (pd.Timestamp("2026-11-26 13:00") - pd.Timestamp("2026-08-26 00:00")).total_seconds()
    assert shown["Unggahan per minggu"] == fmt.number(posts / (days / 86_400 / 7), 1)
    assert "Interaksi per tayangan" not in shown  # not a video platform
    assert "Mengikuti: jumlah akun yang diikuti akun ini" in texts(at)
    titles = [c.proto.spec for c in at.get("plotly_chart")]
    assert any("Riwayat jumlah akun yang diikuti" in spec for spec in titles)


def test_detail_akun_of_a_video_account_and_of_a_facebook_page(world: dict[str, int]) -> None:
    at = run_page("pages/detail_akun.py", REVIEWER_USER)
    at.selectbox(key="detail_akun").set_value(world["dinkes_tt"]).run()
    shown = metrics(at)
    assert shown["Interaksi per tayangan"] == "5,00%" and shown["Mengikuti"] == "45"
    assert not next(m for m in at.metric if m.label == "Mengikuti").delta  # read once
    assert "tampil setelah jumlahnya terbaca dua kali" in texts(at)
    at.selectbox(key="detail_akun").set_value(world["dishub_fb"]).run()
    shown = metrics(at)
    assert shown["Mengikuti"] == "–" and "Interaksi per tayangan" not in shown
    assert (
        "Mengikuti tidak tersedia: Facebook tidak melaporkan jumlah akun yang diikuti sebuah "
        "Halaman." in texts(at)
    )


def test_an_opd_admin_sees_its_own_accounts_with_the_new_measures(
    world: dict[str, int], app_db: str
) -> None:
    with session_of(app_db) as session:
        dinkes = session.scalar(select(Opd).where(Opd.code == "DINKES"))
        assert dinkes is not None
        own = set(session.scalars(select(Account.id).where(Account.opd_id == dinkes.id,
                                                          Account.active.is_(True))))  # fmt: skip
        user = Principal("admin-dinkes-ukur", OPD, dinkes.id, dinkes.name)
    ensure_user(user, "DINKES")
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), user)
    at.query_params["akun"] = str(world["dishub_fb"])  # another OPD's, typed into the address
    at.switch_page("pages/detail_akun.py").run()
    assert not at.exception
    options = at.selectbox(key="detail_akun").options
    assert all(label.startswith("Dinas Kesehatan · ") for label in options)
    assert len(options) == len(own)
    assert at.subheader[0].value == "Dinas Kesehatan"
    assert "demo.dishub" not in texts(at)
    assert metrics(at)["Mengikuti"] == "312"
