"""The post-by-post review (services.post_review) on a hand-made month: each missing element,
a post outside the rule, a post without caption, typos and jargon, the problem flag, the posts
to fix and the marks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.settings import Settings, load_settings
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from db.models import Post
from db.models_followup import PostMark
from metrics.captions import ELEMENT_NAMES, shared_speller
from services.post_review import (
    REVIEW_COLUMNS,
    STAFF_ONLY,
    ReviewError,
    mark_followed_up,
    post_review,
    posts_to_fix,
    unmark,
)
from services.users import ADMIN, OPD, REVIEWER, Principal
from testkit.db_support import NewDatabase
from tests import post_review_world as world_mod
from tests.post_review_world import LACKING, MONTH, World, build

REVIEWER_1 = Principal("peninjau-1", REVIEWER)
HEAD = Principal("kepala-bidang", ADMIN)

needs_dictionary = pytest.mark.skipif(
    not shared_speller().available, reason="hunspell-id not installed"
)


@pytest.fixture
def world_session(new_db_url: NewDatabase, fixed_now: datetime) -> Iterator[tuple[Session, World]]:
    engine = make_engine(new_db_url("review"))
    upgrade(engine)
    with make_session_factory(engine)() as session:
        yield session, build(session)
    engine.dispose()


@pytest.fixture
def cfg() -> Settings:
    return load_settings(environ={})


def by_post(review: pd.DataFrame) -> pd.DataFrame:
    return review.set_index("post_id")


def db_id(session: Session, platform_post_id: str) -> int:
    found = session.scalar(select(Post.id).where(Post.platform_post_id == platform_post_id))
    assert found is not None
    return found


def test_columns_order_and_the_month_in_local_time(
    world_session: tuple[Session, World], cfg: Settings
) -> None:
    session, _ = world_session
    review = post_review(session, MONTH, cfg)
    assert list(review.columns[: len(REVIEW_COLUMNS)]) == REVIEW_COLUMNS
    for extra in ("db_post_id", "account_id", "opd_name", "caption", "length", "missing",
                  "problem", "marked_by", "marked_at", "note"):  # fmt: skip
        assert extra in review.columns
    ids = list(review["post_id"])
    # 00.30 WIB on the 1st is November; 23.30 WIB on 31 October is not; nor a retired account
    assert "first-hour" in ids and "october" not in ids and "retired" not in ids
    assert len(ids) == 11
    assert review["posted_at"].is_monotonic_decreasing  # newest first
    assert ids[0] == "typo" and ids[-1] == "first-hour"


@pytest.mark.parametrize("element", list(LACKING))
def test_each_missing_element_is_named(
    world_session: tuple[Session, World], cfg: Settings, element: str
) -> None:
    session, _ = world_session
    row = by_post(post_review(session, MONTH, cfg)).loc[f"lack-{element}"]
    assert row["missing"] == (element,)
    assert not row[element] and all(row[n] for n in ELEMENT_NAMES if n != element)
    assert row["score"] == 85 and row["problem"]
    assert not row["outside_rule"]  # the head of the office is featured in every one


def test_a_complete_post_is_no_problem(world_session: tuple[Session, World], cfg: Settings) -> None:
    session, _ = world_session
    row = by_post(post_review(session, MONTH, cfg)).loc["complete"]
    assert row["missing"] == () and row["official_level"] == "head"
    assert not row["outside_rule"] and not row["problem"] and row["score"] == 100
    assert (row["typos"], row["jargon"]) == (0, 0) and row["length"] == len(world_mod.COMPLETE)


def test_staff_exercise_is_outside_the_rule(
    world_session: tuple[Session, World], cfg: Settings
) -> None:
    session, _ = world_session
    row = by_post(post_review(session, MONTH, cfg)).loc["staff"]
    assert row["official_level"] == "other" and row["outside_rule"] and row["problem"]


def test_a_post_without_caption(world_session: tuple[Session, World], cfg: Settings) -> None:
    session, _ = world_session
    row = by_post(post_review(session, MONTH, cfg)).loc["no-caption"]
    assert row["missing"] == ELEMENT_NAMES and pd.isna(row["score"])
    assert row["official_level"] == "none" and row["outside_rule"] and row["problem"]
    assert (row["typos"], row["jargon"], row["length"]) == (0, 0, 0)


@needs_dictionary
def test_typos_and_jargon_are_counted(world_session: tuple[Session, World], cfg: Settings) -> None:
    session, _ = world_session
    row = by_post(post_review(session, MONTH, cfg)).loc["typo"]
    assert (row["typos"], row["jargon"]) == (1, 1)  # "ketau", "rakor"
    assert row["missing"] == () and not row["outside_rule"] and row["problem"]


def test_one_opd_only(world_session: tuple[Session, World], cfg: Settings) -> None:
    session, world = world_session
    school = post_review(session, MONTH, cfg, opd_id=world.school_opd)
    assert list(school["post_id"]) == ["school"]
    assert set(school["opd_code"]) == {"DISDIK"} and not school["problem"].any()
    farm = post_review(session, MONTH, cfg, opd_id=world.farm_opd)
    assert "school" not in set(farm["post_id"]) and len(farm) == 10


def test_an_empty_month(world_session: tuple[Session, World], cfg: Settings) -> None:
    session, _ = world_session
    review = post_review(session, "2026-09", cfg)
    assert review.empty and list(review.columns[: len(REVIEW_COLUMNS)]) == REVIEW_COLUMNS
    assert posts_to_fix(review).empty


def test_posts_to_fix_order(world_session: tuple[Session, World], cfg: Settings) -> None:
    session, _ = world_session
    todo = posts_to_fix(post_review(session, MONTH, cfg))
    ids = list(todo["post_id"])
    assert ids[0] == "no-caption"  # no text first
    assert "complete" not in ids and "school" not in ids and "first-hour" not in ids
    scores = list(todo["score"].iloc[1:])
    assert scores == sorted(scores)
    # equal scores: the newest first (the five posts lacking one element score 85 each)
    tied = todo[todo["score"] == 85]
    assert tied["posted_at"].is_monotonic_decreasing and len(tied) == 5


def test_a_marked_post_leaves_the_posts_to_fix(
    world_session: tuple[Session, World], cfg: Settings, fixed_now: datetime
) -> None:
    session, _ = world_session
    post = db_id(session, "staff")
    mark_followed_up(session, post, REVIEWER_1, "  Admin sudah dihubungi.  ", fixed_now)
    review = post_review(session, MONTH, cfg)
    row = by_post(review).loc["staff"]
    assert row["marked_by"] == "peninjau-1" and row["note"] == "Admin sudah dihubungi."
    assert row["marked_at"] == pd.Timestamp(fixed_now) and row["problem"]
    assert "staff" not in set(posts_to_fix(review)["post_id"])
    assert unmark(session, post, HEAD) is True
    assert "staff" in set(posts_to_fix(post_review(session, MONTH, cfg))["post_id"])
    assert unmark(session, post, HEAD) is False  # nothing left to remove


def test_marking_twice_replaces_the_mark(
    world_session: tuple[Session, World], cfg: Settings, fixed_now: datetime
) -> None:
    session, _ = world_session
    post = db_id(session, "typo")
    mark_followed_up(session, post, REVIEWER_1, "Pertama.", fixed_now)
    later = fixed_now + timedelta(hours=2)
    mark_followed_up(session, post, HEAD, "", later)
    mark_followed_up(session, post, HEAD, "", later)
    assert session.scalar(select(func.count()).select_from(PostMark)) == 1
    row = by_post(post_review(session, MONTH, cfg)).loc["typo"]
    assert row["marked_by"] == "kepala-bidang" and row["note"] is None
    assert row["marked_at"] == pd.Timestamp(later)


def test_only_staff_mark_and_unmark(
    world_session: tuple[Session, World], cfg: Settings, fixed_now: datetime
) -> None:
    session, world = world_session
    farm_post = db_id(session, "staff")
    farm_admin = Principal("admin-distan", OPD, world.farm_opd, "Dinas Pertanian")
    with pytest.raises(ReviewError, match=STAFF_ONLY):  # not even its own OPD's post
        mark_followed_up(session, farm_post, farm_admin, "Sudah kami perbaiki.", fixed_now)
    assert session.scalar(select(func.count()).select_from(PostMark)) == 0
    mark_followed_up(session, farm_post, REVIEWER_1, "Admin DISTAN ditelepon.", fixed_now)
    with pytest.raises(ReviewError, match=STAFF_ONLY):  # nor take Diskominfo's mark back
        unmark(session, farm_post, farm_admin)
    marks = dict(session.execute(select(PostMark.post_id, PostMark.marked_by)).all())
    assert marks == {farm_post: "peninjau-1"}
    assert "staff" not in set(posts_to_fix(post_review(session, MONTH, cfg))["post_id"])
    with pytest.raises(ReviewError, match="tidak ditemukan"):
        mark_followed_up(session, 999_999, HEAD, "", fixed_now)
