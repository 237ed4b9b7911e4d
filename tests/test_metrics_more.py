"""Outliers, best time to post and the hashtag leaderboard (docs/metrics.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.hashtags import extract_tags, tag_leaderboard
from metrics.outliers import (
    breakouts,
    middle_half_mean,
    overperformance,
    performance_score,
    robust_z,
)
from metrics.timing import best_times, slot_grid

AS_OF = datetime(2026, 11, 26, tzinfo=UTC)


def test_middle_half_mean_ignores_the_tails() -> None:
    assert middle_half_mean(np.array([1, 10, 11, 12, 13, 500], dtype=float)) == 11.5


@pytest.mark.parametrize(
    ("actual", "benchmark", "expected"),
    [(30, 10, 3.0), (10, 10, 1.0), (5, 10, -2.0), (0, 10, -20.0), (3, 0.2, 3.0)],
)
def test_performance_score_worked_examples(
    actual: float, benchmark: float, expected: float
) -> None:
    assert performance_score(actual, benchmark) == expected


def _posts(values: list[float], account: int = 1) -> pd.DataFrame:
    times = [AS_OF - timedelta(days=100 - i) for i in range(len(values))]
    return pd.DataFrame({"account_id": account, "posted_at": times, "interactions": values})


def test_overperformance_against_own_history() -> None:
    posts = _posts([10, 10, 12, 8, 10, 10, 40, 2])
    out = overperformance(posts, AS_OF)
    assert out["performance"].iloc[:5].isna().all()  # not enough history yet
    assert out["benchmark"].iloc[5] == 10.0
    assert out["performance"].iloc[6] == pytest.approx(4.0)
    assert out["performance"].iloc[7] < -1


def test_overperformance_needs_a_mature_post() -> None:
    posts = _posts([10] * 6)
    posts.loc[5, "posted_at"] = AS_OF - timedelta(hours=5)
    assert pd.isna(overperformance(posts, AS_OF)["performance"].iloc[5])


@settings(max_examples=30, deadline=None)
@given(st.permutations(list(range(12))))
def test_overperformance_does_not_depend_on_row_order(order: list[int]) -> None:
    posts = pd.concat([_posts([5, 7, 9, 4, 6, 30], 1), _posts([1, 2, 3, 2, 2, 0], 2)])
    posts = posts.reset_index(drop=True)
    base = overperformance(posts, AS_OF)["performance"]
    shuffled = overperformance(posts.iloc[order], AS_OF)["performance"].sort_index()
    pd.testing.assert_series_equal(base, shuffled)


def test_robust_z_and_breakouts() -> None:
    rates = [1.0, 1.2, 0.9, 1.1, 1.0, 9.0]
    z = robust_z(pd.Series(rates))
    assert z.iloc[-1] > 3.5 and abs(z.iloc[0]) < 1
    posts = pd.DataFrame({"platform": ["instagram"] * 6 + ["x"], "engagement_rate": [*rates, 50.0]})
    found = breakouts(posts)
    assert found.index.tolist() == [5]  # the lone X post is not compared with Instagram


def test_best_times_drop_thin_slots_and_use_local_time() -> None:
    # 02:00 UTC on a Monday is 09:00 WIB
    monday_9 = datetime(2026, 11, 23, 2, tzinfo=UTC)
    posts = pd.DataFrame(
        {
            "posted_at": [monday_9, monday_9 + timedelta(weeks=1), monday_9 + timedelta(hours=10),
                          monday_9 + timedelta(hours=10, weeks=1), monday_9 + timedelta(days=2)],
            "engagement_rate": [4.0, 6.0, 1.0, 2.0, 99.0],
        }
    )  # fmt: skip
    top = best_times(posts)
    assert top[["weekday", "hour"]].values.tolist() == [[0, 9], [0, 19]]
    assert top["engagement_rate"].tolist() == [5.0, 1.5]
    assert len(slot_grid(posts)) == 3


def test_extract_tags() -> None:
    caption = "Rapat #PemkabSintang bersama @diskominfo.sintang. #pemkabsintang #Sehat email a@b.c"
    tags, mentions = extract_tags(caption)
    assert tags == ["pemkabsintang", "sehat"]
    assert mentions == ["diskominfo.sintang"]
    assert extract_tags(None) == ([], [])


def test_tag_leaderboard() -> None:
    posts = pd.DataFrame(
        {
            "account_id": [1, 1, 2],
            "caption": ["#Sintang #sehat", "#sintang", "#Sintang @dinkes"],
            "interactions": [10.0, 20.0, 30.0],
        }
    )
    board = tag_leaderboard(posts).set_index("tag")
    assert board.loc["sintang", "posts"] == 3 and board.loc["sintang", "accounts"] == 2
    assert board.loc["sintang", "mean_interactions"] == 20.0
    assert tag_leaderboard(posts, "mention")["tag"].tolist() == ["dinkes"]
    with pytest.raises(ValueError, match="kind"):
        tag_leaderboard(posts, "emoji")


def test_reply_rate_worked_example() -> None:
    """docs/metrics.md, Reply rate: 4 comments answered after 15 minutes, 2 hours 15 minutes,
    a day and never -> 75% and a median of 135 minutes ("2 jam 15 menit")."""
    from metrics.replies import NOT_AVAILABLE, reply_rate, reply_rate_label, reply_time_label

    at = pd.to_datetime(["2026-11-02 01:00", "2026-11-02 02:00", "2026-11-02 03:00",
                         "2026-11-02 04:00"], utc=True)  # fmt: skip
    waits = pd.to_timedelta([15, 135, 1_440, None], unit="min")
    comments = pd.DataFrame({"account_id": 1, "commented_at": at, "first_reply_at": at + waits})
    out = reply_rate(comments).set_index("account_id")
    assert out.loc[1, "comments"] == 4 and out.loc[1, "answered"] == 3
    assert out.loc[1, "reply_rate"] == 75.0 and out.loc[1, "median_minutes"] == 135.0
    youtube = pd.DataFrame(
        {"account_id": [1, 1, 1, 1, 2], "owner_replied": [True, False, True, False, False]}
    )
    rates = reply_rate(youtube).set_index("account_id")
    assert rates.loc[1, "reply_rate"] == 50.0 and rates.loc[2, "reply_rate"] == 0.0
    assert rates["median_minutes"].isna().all()  # a public sample has no reply times
    not_connected = f"{NOT_AVAILABLE}: akun belum disambungkan pemiliknya"
    assert reply_rate_label("instagram", None) == not_connected
    assert reply_rate_label("instagram", 50.0, owner_connected=True) is None
    assert reply_rate_label("instagram", 50.0) is None  # measured before a disconnection
    assert reply_rate_label("instagram", None, owner_connected=True).endswith(
        "belum ada komentar yang terbaca dalam periode ini"
    )
    assert reply_rate_label("youtube", 50.0) is None
    assert reply_rate_label("youtube", float("nan")).startswith(f"{NOT_AVAILABLE}: belum ada")
    assert "TikTok" in reply_rate_label("tiktok", None, owner_connected=True)
    assert reply_time_label("facebook", 75.0, 135.0, owner_connected=True) is None
    assert "hanya diukur untuk Facebook dan Instagram" in reply_time_label("youtube", 50.0, None)


def test_caption_compliance_by_account() -> None:
    from metrics.captions import caption_reports
    from metrics.compliance import compliance_by_account, outside_rule

    good = (
        "Kepala Dinas Kesehatan Kabupaten Sintang, dr. Harjono Salim, membuka pelatihan kader "
        "di Aula Kantor Camat Dedai pada Senin (2/11/2026) pukul 09.00 WIB, dihadiri 40 kader."
    )
    posts = pd.DataFrame(
        {"account_id": [1, 1, 2], "caption": [good, "Senam pagi bersama staf.", None]}
    )
    review = pd.concat([posts, caption_reports(posts["caption"])], axis=1)
    assert review.loc[0, "official_level"] == "head" and review.loc[0, "caption_score"] >= 90
    assert review.loc[1, "official_level"] == "other"
    assert review.loc[2, "official_level"] == "none" and pd.isna(review.loc[2, "caption_score"])
    summary = compliance_by_account(review).set_index("account_id")
    assert summary.loc[1, "posts"] == 2
    assert summary.loc[1, "complete_pct"] == 50.0 and summary.loc[1, "within_rule_pct"] == 50.0
    assert summary.loc[2, "within_rule_pct"] == 0.0
    assert outside_rule(review).index.tolist() == [1, 2]


def test_caption_worked_examples_of_the_docs() -> None:
    from metrics.captions import check_caption

    good = check_caption(
        "Kepala Dinas Kesehatan Kabupaten Sintang, dr. Harjono Salim, membuka pelatihan kader "
        "di Aula Kantor Camat Dedai pada Senin (2/11/2026) pukul 09.00 WIB, dihadiri 40 kader."
    )
    assert (good.score, good.official_level) == (100, "head")
    poor = check_caption("Rakor hari ini. #sintang")
    assert poor.score == 30 and poor.activity and not poor.time
    assert [j.term for j in poor.jargon] == ["Rakor"]


def test_outliers_and_best_times_on_empty_input() -> None:
    empty = pd.DataFrame(
        {"account_id": pd.Series(dtype=int), "posted_at": pd.Series(dtype="datetime64[ns, UTC]"),
         "interactions": pd.Series(dtype=float), "engagement_rate": pd.Series(dtype=float),
         "platform": pd.Series(dtype=str)}
    )  # fmt: skip
    assert overperformance(empty, AS_OF).empty
    assert breakouts(empty).empty
    assert best_times(empty).empty
    single = _posts([7.0])
    assert overperformance(single, AS_OF)["performance"].isna().all()  # no history yet
