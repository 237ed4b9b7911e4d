"""Posts without text and with hidden counts never crash a metric (issue #13).

Platforms send a caption as None, NaN (pandas' missing string), pd.NA, "", whitespace, or text
of only emoji, links or hashtags; any count may be hidden (<NA>). A hypothesis property feeds
such frames through every public function of ``metrics/`` that takes posts (activity and
ranking aside: they take no caption) and checks the results stay sensible. The rule for a
caption without text (docs/metrics.md, "Caption checks"): it has none of the five elements,
level ``none``, no typo or jargon, and no score (left out of every mean score).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.interactions import INTERACTION_FIELDS, interaction_count
from metrics.captions import (
    ELEMENT_NAMES,
    REPORT_COLUMNS,
    caption_reports,
    caption_scores,
    check_caption,
    checklist_flags,
)
from metrics.captions.check import CLEAN_MASK, COMPLETE_MASK
from metrics.captions.text import has_text
from metrics.compliance import compliance_by_account, compliance_from_months, outside_rule
from metrics.engagement import period_engagement_rate, post_interactions
from metrics.hashtags import extract_tags, tag_leaderboard
from metrics.monthly import history_from_months, month_figures
from metrics.outliers import breakouts, overperformance
from metrics.replies import reply_rate
from metrics.timing import best_times, slot_grid

AS_OF = datetime(2026, 11, 30, 17, 29, tzinfo=UTC)  # 1 December 2026 00.29 WIB
PLATFORMS = sorted(INTERACTION_FIELDS)
NO_TEXT: list[object] = [
    None, np.nan, pd.NA, "", " ", "\n\t  ", "🙏📸✨", "#sintang #pemkabsintang",
    "https://sintang.go.id/berita/1", "@dinkes.sintang", "🙏 #sintang https://t.co/x ...",
]  # fmt: skip
WITH_TEXT = [
    "Rapat koordinasi di Aula Kantor Bupati Sintang pada Senin, 2 November 2026 pukul 09.00 "
    "WIB, dihadiri para camat. #sintang @diskominfo.sintang",
    "Apel pagi",
    "Rakor hari ini. #sintang",
]
CAPTIONS = st.one_of(st.sampled_from(NO_TEXT + WITH_TEXT), st.text(max_size=40))
COUNTS = st.one_of(st.none(), st.integers(min_value=0, max_value=50_000))


@st.composite
def post_frames(draw: st.DrawFn) -> pd.DataFrame:
    """0-12 posts of two accounts; captions and counts as platforms send them."""
    n = draw(st.integers(min_value=0, max_value=12))
    rows = []
    for i in range(n):
        rows.append(
            {
                "account_id": draw(st.sampled_from([1, 2])),
                "platform_post_id": f"p{i}",
                "posted_at": AS_OF - timedelta(minutes=draw(st.integers(0, 60 * 24 * 90))),
                "caption": draw(CAPTIONS),
                "url": draw(st.sampled_from([None, f"https://example.org/p{i}"])),
                **{field: draw(COUNTS) for field in ("likes", "comments", "shares", "views")},
            }
        )
    columns = ["account_id", "platform_post_id", "posted_at", "caption", "url", "likes",
               "comments", "shares", "views"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    frame["posted_at"] = pd.to_datetime(frame["posted_at"], utc=True)
    for field in ("likes", "comments", "shares", "views"):
        frame[field] = frame[field].astype("Int64")
    if draw(st.booleans()):  # as a database reads it (pandas' string dtype: None -> NaN)
        frame["caption"] = frame["caption"].map(lambda c: c if isinstance(c, str) else None)
        frame["caption"] = frame["caption"].astype("str").where(frame["caption"].notna())
    else:
        frame["caption"] = frame["caption"].astype(object)
    platform = {1: draw(st.sampled_from(PLATFORMS)), 2: draw(st.sampled_from(PLATFORMS))}
    frame["platform"] = frame["account_id"].map(platform)
    return frame


def _between(series: pd.Series, low: float, high: float) -> bool:
    values = pd.to_numeric(series, errors="coerce").astype("float64")
    return bool(values.dropna().between(low, high).all())


def _check_captions(posts: pd.DataFrame) -> pd.DataFrame:
    scores = caption_scores(posts["caption"])
    reports = caption_reports(posts["caption"])
    assert list(reports.columns) == REPORT_COLUMNS
    assert list(scores.index) == list(reports.index) == list(posts.index)
    text = posts["caption"].map(has_text).astype(bool)
    assert scores[~text].isna().all() and scores[text].notna().all()
    assert _between(scores, 0, 100)
    empty = reports[~text]
    assert not empty[list(ELEMENT_NAMES)].to_numpy().any()
    assert (empty["official_level"] == "none").all()
    assert (empty["typos"] == 0).all() and (empty["jargon"] == 0).all()
    flags = checklist_flags(reports)
    assert ((flags[~text] & COMPLETE_MASK) == 0).all()
    assert ((flags[~text] & CLEAN_MASK) == CLEAN_MASK).all()
    for caption in posts["caption"]:
        assert 0 <= check_caption(caption).score <= 100
    return reports


def _check_compliance(posts: pd.DataFrame, reports: pd.DataFrame) -> None:
    review = pd.concat([posts, reports], axis=1)
    table = compliance_by_account(review)
    assert int(table["posts"].sum()) == len(posts)
    for column in ("complete_pct", "within_rule_pct", "clean_pct"):
        assert _between(table[column], 0, 100)
    assert _between(table["caption_score"], 0, 100)
    no_text = ~posts["caption"].map(has_text).astype(bool)
    assert set(outside_rule(review).index) >= set(posts.index[no_text])


def _check_engagement(posts: pd.DataFrame) -> pd.DataFrame:
    interactions = post_interactions(posts)
    for i, platform in posts["platform"].items():
        fields = INTERACTION_FIELDS[platform]
        counts = {f: posts.at[i, f] for f in ("likes", "comments", "shares", "views")}
        hidden = any(pd.isna(counts[f]) for f in fields)
        expected = interaction_count(platform, {k: _plain(v) for k, v in counts.items()})
        if not fields or hidden:
            assert pd.isna(interactions[i]) and expected is None
        else:
            assert interactions[i] == expected == sum(int(counts[f]) for f in fields)
    rated = posts.assign(interactions=interactions)
    followers = pd.Series([1_000.0, np.nan], index=pd.Index([1, 2], name="account_id"))
    table = period_engagement_rate(rated[["account_id", "interactions"]], followers)
    rate = table.set_index("account_id")["engagement_rate"]
    assert set(rate.index) == {1, 2} and _between(rate, 0, np.inf)
    assert pd.isna(rate[2])  # audience unknown: unknown, never 0
    mine = rated[rated["account_id"] == 1]
    if mine.empty:
        assert rate[1] == 0  # did not post
    elif mine["interactions"].isna().all():
        assert pd.isna(rate[1])  # posted, every count hidden: unknown, never 0
    rated["engagement_rate"] = rated["interactions"].astype("float64") / 10.0
    return rated


def _plain(value: object) -> object:
    return None if pd.isna(value) else int(str(value))


def _check_the_rest(rated: pd.DataFrame) -> None:
    scored = overperformance(rated, AS_OF)
    assert list(scored.index) == list(rated.index)
    assert scored.loc[rated["interactions"].isna(), "performance"].isna().all()
    outliers = breakouts(rated)
    assert set(outliers.index) <= set(rated.index[rated["interactions"].notna()])
    grid = slot_grid(rated)
    assert int(grid["posts"].sum()) == int(rated["engagement_rate"].notna().sum())
    assert (best_times(rated)["posts"] >= 2).all()
    for kind in ("hashtag", "mention"):
        board = tag_leaderboard(rated, kind)
        assert (board["posts"] >= 1).all() and (board["posts"] <= len(rated)).all()
        assert _between(board["mean_interactions"], 0, np.inf)
    for caption in rated["caption"]:
        tags, mentions = extract_tags(caption)
        if not isinstance(caption, str):
            assert tags == mentions == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts=post_frames())
def test_posts_without_text_or_counts_never_crash_a_metric(posts: pd.DataFrame) -> None:
    reports = _check_captions(posts)
    _check_compliance(posts, reports)
    _check_the_rest(_check_engagement(posts))


@pytest.mark.parametrize("caption", NO_TEXT)
def test_a_caption_without_text_misses_all_five_elements_and_has_no_score(
    caption: object,
) -> None:
    posts = pd.Series([caption, WITH_TEXT[0]], dtype=object)
    reports = caption_reports(posts)
    assert not reports.loc[0, list(ELEMENT_NAMES)].any()
    assert reports.loc[0, "official_level"] == "none"
    assert pd.isna(reports.loc[0, "caption_score"]) and pd.isna(caption_scores(posts)[0])
    assert reports.loc[1, "caption_score"] == caption_scores(posts)[1] > 0
    assert extract_tags(caption) == extract_tags(caption if isinstance(caption, str) else "")


def test_the_empty_caption_rule_of_the_docs() -> None:
    """Two posts, one without text: complete share 50%, score from the captioned post only."""
    posts = pd.DataFrame({"account_id": [1, 1], "caption": [WITH_TEXT[0], None]})
    review = pd.concat([posts, caption_reports(posts["caption"])], axis=1)
    row = compliance_by_account(review).iloc[0]
    assert row["posts"] == 2
    assert row["caption_score"] == caption_scores(posts["caption"])[0]
    assert row["complete_pct"] == (50.0 if review.loc[0, list(ELEMENT_NAMES)].all() else 0.0)
    assert row["clean_pct"] >= 50.0  # the post without text has no typo and no jargon


MONTH_COLUMNS = ["posts", "rated_posts", "interactions", "viewed_posts", "views",
                 "view_interactions", "caption_scored", "caption_score_sum", "active_weeks",
                 "followers_mean", "followers_first", "followers_last", "comments_sampled",
                 "comments_answered", "caption_complete", "caption_within_rule",
                 "caption_clean"]  # fmt: skip


def _zero_month(account_id: int, month: str) -> dict[str, object]:
    """A month in which the account was observed but posted nothing."""
    row: dict[str, object] = dict.fromkeys(MONTH_COLUMNS, 0)
    row.update(account_id=account_id, month=month, followers_mean=None, followers_first=None,
               followers_last=None, caption_score_sum=0.0, last_posted_at=pd.NaT,
               followers_first_at=pd.NaT, followers_last_at=pd.NaT)  # fmt: skip
    return row


def test_a_month_with_zero_posts() -> None:
    accounts = pd.DataFrame({"account_id": [1, 2], "platform": ["facebook", "youtube"]})
    current = pd.DataFrame([_zero_month(1, "2026-11"), _zero_month(2, "2026-11")])
    previous = pd.DataFrame([_zero_month(1, "2026-10")])
    figures = month_figures(accounts, current, previous).set_index("account_id")
    assert figures["posts"].tolist() == [0, 0]
    assert figures["caption_score"].isna().all()  # nothing scored: unknown, not 0
    assert figures["reply_rate"].isna().all()
    assert figures["engagement_rate"].isna().all()  # no audience known
    by_opd = compliance_from_months(current.assign(opd="A"), key="opd")
    assert by_opd.empty  # no posts: no shares to show
    history = history_from_months(pd.concat([current, previous]), AS_OF)
    assert history["posts_total"].tolist() == [0, 0]
    assert history["last_posted_at"].isna().all()
    empty = month_figures(accounts, current.iloc[0:0], previous.iloc[0:0])
    assert empty["posts"].tolist() == [0, 0]


def test_reply_rate_of_hidden_or_missing_answers() -> None:
    comments = pd.DataFrame(
        {"account_id": [1, 1, 2], "owner_replied": pd.array([True, pd.NA, pd.NA], "boolean")}
    )
    rates = reply_rate(comments).set_index("account_id")
    assert rates.loc[1, "reply_rate"] == pytest.approx(100.0)  # the unknown one is left out
    assert pd.isna(rates.loc[2, "reply_rate"])
    assert reply_rate(comments.iloc[0:0]).empty
