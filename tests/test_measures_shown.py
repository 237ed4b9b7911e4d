"""The measures shown beside the index (issue #16, item 4) on hand-made frames: following and
its change, engagement by views, posts per week, the regency's tag leaderboard; and the worked
examples of docs/metrics.md, "Measures shown beside the index"."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from core import fmt
from core.period import month_period
from core.settings import Settings
from metrics.following import following_counts, following_label
from metrics.hashtags import tag_leaderboard
from metrics.monthly import month_figures
from metrics.posting_pace import period_weeks, posts_per_week
from metrics.video import engagement_rate_by_views, views_rate_label
from present.tables import display_table
from present.tags import account_names, tag_board_table, users_text
from tests.app_support import ROOT, table_texts
from tests.clock import FIXED_NOW, WIB
from ui.loaders_account import guide_text

NOVEMBER = month_period("2026-11", WIB, now=datetime(2026, 12, 5, tzinfo=WIB))
DOC = " ".join((ROOT / "docs" / "metrics.md").read_text(encoding="utf-8").split())


def at(day: str) -> pd.Timestamp:
    return pd.Timestamp(f"{day} 09:00", tz=WIB).tz_convert("UTC")


def snapshots(rows: list[tuple[int, str, int | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": [r[0] for r in rows],
            "observed_at": [at(r[1]) for r in rows],
            "following": pd.array([r[2] for r in rows], dtype="Int64"),
        }
    )


# ---- following -------------------------------------------------------------------------------


def test_following_worked_example() -> None:
    read = [(1, "2026-10-28", 300), (1, "2026-11-10", None), (1, "2026-11-25", 312),
            (2, "2026-11-25", 310)]  # fmt: skip
    counts = following_counts(snapshots(read), NOVEMBER.start, NOVEMBER.as_of)
    counts = counts.set_index("account_id")
    assert counts.loc[1, "following"] == 312 and counts.loc[1, "following_change"] == 12
    assert counts.loc[2, "following"] == 310 and pd.isna(counts.loc[2, "following_change"])
    assert "Mengikuti **312**, **+12** in November" in DOC
    assert "an account read once, on 25 November (310), has 310 and no change" in DOC


def test_following_skips_unknown_counts_and_later_ones() -> None:
    """NULL is never 0; a count after the period's end is not this period's."""
    read = [(1, "2026-11-03", 40), (1, "2026-11-20", None), (1, "2026-12-02", 90),
            (3, "2026-11-12", None), (3, "2026-11-19", None)]  # fmt: skip
    counts = following_counts(snapshots(read), NOVEMBER.start, NOVEMBER.as_of)
    counts = counts.set_index("account_id")
    assert counts.loc[1, "following"] == 40  # not 0 from the unknown count, not December's 90
    assert pd.isna(counts.loc[1, "following_change"])  # one known count in the period
    assert 3 not in counts.index  # never a known count: no row, shown "tidak tersedia"


def test_following_falls_back_to_the_first_count_inside_the_period() -> None:
    counts = following_counts(
        snapshots([(1, "2026-11-05", 100), (1, "2026-11-15", 95)]), NOVEMBER.start,
        NOVEMBER.as_of,
    )  # fmt: skip
    assert counts["following_change"].tolist() == [-5]


def test_following_says_why_it_is_not_available() -> None:
    assert following_label("instagram", 312.0) is None
    assert following_label("tiktok", 0.0) is None  # following nobody is a real 0
    assert following_label("facebook", None) == (
        "tidak tersedia: Facebook tidak melaporkan jumlah akun yang diikuti sebuah Halaman"
    )
    assert str(following_label("youtube", None)).startswith("tidak tersedia: YouTube")
    assert following_label("website", None) == "tidak tersedia: situs web tidak mengikuti akun lain"
    assert following_label("x", float("nan")) == "tidak tersedia: jumlahnya belum pernah terbaca"


# ---- engagement by views --------------------------------------------------------------------


def test_engagement_by_views_worked_example() -> None:
    posts = pd.DataFrame(
        {
            "interactions": pd.array([120, 30, 50], dtype="Float64"),
            "views": pd.array([2_000, 1_000, None], dtype="Int64"),
        }
    )
    rate = engagement_rate_by_views(posts)
    assert rate == pytest.approx(5.0)
    assert f"150 / 3.000 × 100 = **{fmt.percent(rate)}**, the third left out" in DOC


def test_engagement_by_views_is_only_for_video_platforms() -> None:
    none_seen = pd.DataFrame({"interactions": [10.0, None], "views": [None, 500]})
    assert engagement_rate_by_views(none_seen) is None  # no post with both: unknown, not 0
    assert views_rate_label("tiktok", 5.0) is None and views_rate_label("youtube", 0.4) is None
    assert views_rate_label("youtube", None) == (
        "tidak tersedia: belum ada tayangan yang terbaca dalam periode ini"
    )
    for platform in ("instagram", "facebook", "x", "website"):
        assert views_rate_label(platform, 3.0) == (
            "tidak tersedia: hanya dihitung untuk YouTube dan TikTok"
        )


def test_month_totals_give_the_rate_by_views_to_video_accounts_only() -> None:
    accounts = pd.DataFrame(
        {"account_id": [1, 2, 3], "platform": ["tiktok", "instagram", "youtube"]}
    )
    current = pd.DataFrame(
        {"account_id": [1, 2, 3], "posts": [3, 3, 2], "views": [3_000, 9_000, 0],
         "view_interactions": [150, 900, 0]}
    )  # fmt: skip
    figures = month_figures(accounts, current, pd.DataFrame()).set_index("account_id")
    shown = table_texts(display_table(figures.reset_index(), ["platform", "engagement_rate_views"]))
    assert shown["Interaksi per tayangan"].tolist() == [
        "5,00%",
        "tidak tersedia",  # Instagram has views of reels, but no rate by views
        "tidak tersedia",  # YouTube without a view read
    ]


# ---- posts per week -------------------------------------------------------------------------


def test_posts_per_week_worked_example() -> None:
    end_of_month = posts_per_week(pd.Series([30]), NOVEMBER.start, NOVEMBER.end)
    running = month_period("2026-11", WIB, now=FIXED_NOW)  # 26 November 13.00 WIB
    so_far = posts_per_week(pd.Series([20]), running.start, running.as_of)
    early = month_period("2026-11", WIB, now=datetime(2026, 11, 3, 12, tzinfo=WIB))
    first_days = posts_per_week(pd.Series([2]), early.start, early.as_of)
    assert end_of_month[0] == pytest.approx(7.0)
    assert running.days == pytest.approx(25 + 13 / 24)
    assert period_weeks(running.start, running.as_of) == pytest.approx(3.649, abs=1e-3)
    assert first_days[0] == 2.0  # at least one week: 2 posts in 2.5 days are not 5.6 a week
    texts = [fmt.number(v, 1) for v in (end_of_month[0], so_far[0], first_days[0])]
    assert texts == ["7,0", "5,5", "2,0"]
    assert "30 ÷ (30 / 7) = **7,0** a week" in DOC
    assert "20 ÷ 3,65 = **5,5**; 2 posts by 3 November at noon: **2,0**" in DOC


def test_posts_per_week_over_a_month_keeps_unknown_and_zero_apart() -> None:
    weekly = posts_per_week(pd.Series([0, 15, None]), NOVEMBER.start, NOVEMBER.end)
    assert weekly[0] == 0 and weekly[1] == pytest.approx(3.5) and pd.isna(weekly[2])
    shown = table_texts(display_table(pd.DataFrame({"posts_per_week": weekly}), ["posts_per_week"]))
    assert shown["Unggahan/minggu"].tolist() == ["0,0", "3,5", "–"]


# ---- the regency's tags ---------------------------------------------------------------------

ACCOUNTS = pd.DataFrame(
    {
        "account_id": [1, 2, 3, 4],
        "opd_name": ["Dinas Kesehatan", "Dinas Kesehatan", "Dinas Perhubungan", "Kecamatan Dedai"],
        "platform": ["instagram", "tiktok", "facebook", "website"],
        "handle": ["demo.dinkes", "demo.dinkes", "demo.dishub", "dedai.example"],
    }
)


def tag_posts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": [1, 1, 2, 3, 4, 4],
            "caption": [
                "#SintangSehat bersama @bupatisintang", "Posyandu #sintangsehat @BupatiSintang",
                "#sintangsehat", "#SintangSehat #mudikaman", None, "  ",
            ],
            "interactions": pd.array([10, 20, 30, 40, None, None], dtype="Float64"),
        }
    )  # fmt: skip


def test_regency_tags_worked_example() -> None:
    hashtags = tag_leaderboard(tag_posts(), "hashtag").set_index("tag")
    mentions = tag_leaderboard(tag_posts(), "mention").set_index("tag")
    healthy = hashtags.loc["sintangsehat"]
    assert (healthy["posts"], healthy["accounts"], healthy["account_ids"]) == (4, 3, [1, 2, 3])
    assert healthy["mean_interactions"] == pytest.approx(25.0)
    assert hashtags.loc["mudikaman", "account_ids"] == [3]
    assert list(hashtags.index) == ["sintangsehat", "mudikaman"]
    assert list(mentions.index) == ["bupatisintang"]  # mentions apart from hashtags
    assert (mentions.loc["bupatisintang", "posts"], mentions.loc["bupatisintang", "accounts"]) == (
        2, 1,
    )  # fmt: skip
    view = tag_board_table(tag_leaderboard(tag_posts()), account_names(ACCOUNTS), "#", "Tagar")
    assert view.frame["Unggahan"].dtype == "float64"  # sorted by value in the browser
    first = table_texts(view).iloc[0]
    users = (
        "Dinas Kesehatan (Instagram demo.dinkes, TikTok demo.dinkes), "
        "Dinas Perhubungan (Facebook demo.dishub)"
    )
    assert first.tolist() == ["#sintangsehat", "4", "3", "25,0", users]
    assert (
        f'#sintangsehat has **4** posts by **3** accounts, "{users}", mean **25,0**; '
        "@bupatisintang has 2 posts by 1 account" in DOC
    )


def test_posts_without_caption_have_no_tags_and_no_tags_means_an_empty_board() -> None:
    quiet = tag_posts().iloc[4:]  # the website's posts: no caption, blank caption
    for kind in ("hashtag", "mention"):
        board = tag_leaderboard(quiet, kind)
        assert board.empty and "account_ids" in board
        assert tag_board_table(board, {}, "#", "Tagar").empty


def test_a_website_tag_has_no_mean_interactions() -> None:
    posts = pd.DataFrame(
        {"account_id": [4], "caption": ["Jadwal #pelayanan"], "interactions": [None]}
    )
    table = table_texts(
        tag_board_table(tag_leaderboard(posts), account_names(ACCOUNTS), "#", "Tagar")
    )
    assert table.iloc[0].tolist() == [
        "#pelayanan", "1", "1", "–", "Kecamatan Dedai (Situs web dedai.example)",
    ]  # fmt: skip


def test_long_account_lists_are_shortened() -> None:
    names = {i: (f"Kecamatan {i}", f"Instagram kec{i}") for i in range(1, 9)}
    text = users_text(list(range(1, 9)), names)
    assert text == (
        "Kecamatan 1 (Instagram kec1), Kecamatan 2 (Instagram kec2), Kecamatan 3 (Instagram "
        "kec3), Kecamatan 4 (Instagram kec4), Kecamatan 5 (Instagram kec5), … dan 3 akun lainnya"
    )
    assert users_text([1, 2, 3, 4, 5], names).endswith("Kecamatan 5 (Instagram kec5)")


def test_the_account_using_a_tag_most_is_named_first() -> None:
    posts = pd.DataFrame(
        {"account_id": [1, 3, 3, 3, 2, 2], "caption": ["#banjir"] * 6,
         "interactions": [1.0] * 6}
    )  # fmt: skip
    board = tag_leaderboard(posts)
    assert board.loc[0, "account_ids"] == [3, 2, 1]
    assert board.loc[0, "posts"] == 6 and board.loc[0, "accounts"] == 3


def test_ties_go_to_the_tag_with_more_accounts_then_by_name() -> None:
    posts = pd.DataFrame(
        {"account_id": [1, 1, 2, 3, 4, 4],
         "caption": ["#bb", "#bb", "#cc #aa", "#cc #aa", "#dd", "#dd"],
         "interactions": [1.0] * 6}
    )  # fmt: skip
    assert tag_leaderboard(posts)["tag"].tolist() == ["aa", "cc", "bb", "dd"]
    assert tag_leaderboard(posts, top=2)["tag"].tolist() == ["aa", "cc"]


def test_the_guide_explains_the_measures_with_the_same_example() -> None:
    guide = " ".join(guide_text(Settings()).split())
    weekly = posts_per_week(pd.Series([30]), NOVEMBER.start, NOVEMBER.end)[0]
    assert f"30 ÷ (30 ÷ 7) = **{fmt.number(weekly, 1)}** per minggu" in guide
    assert "Hanya Instagram, TikTok dan X yang melaporkan jumlah ini" in guide
    assert "pilihan **Tagar dan sebutan**" in guide
