from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import queries
from db import repository as repo
from db.engine import make_engine, resolve_database_url
from db.migrate import current_revision, downgrade, head_revision, upgrade
from db.models import Base, Post


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert current_revision(engine) == head_revision()


def test_downgrade_and_upgrade_again(engine: Engine) -> None:
    downgrade(engine, "base")
    assert "posts" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert {"opds", "accounts", "posts", "follower_snapshots", "collection_runs"} <= set(
        inspect(engine).get_table_names()
    )


def test_upgrade_keeps_existing_data(engine: Engine, session: Session) -> None:
    repo.upsert_opd(session, "DINKES", "Dinas Kesehatan", "dinas")
    session.commit()
    upgrade(engine)  # already at head: a no-op that must not touch data
    assert queries.opds_frame(session)["opd_code"].tolist() == ["DINKES"]


@pytest.mark.sqlite_only
def test_sqlite_pragmas(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_relative_sqlite_path_is_under_the_project(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = resolve_database_url("sqlite:///sub/x.db", root=tmp_path)
    assert url == f"sqlite:///{tmp_path}/sub/x.db"
    assert (tmp_path / "sub").is_dir()
    # a plain postgresql:// URL gets the psycopg 3 driver that requirements.txt installs
    assert resolve_database_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"


def _account(session: Session) -> int:
    opd = repo.upsert_opd(session, "DINKES", "Dinas Kesehatan", "dinas")
    return repo.upsert_account(session, opd, "instagram", "demo.dinkes").id


def test_times_are_stored_utc_and_come_back_aware(session: Session) -> None:
    acc = _account(session)
    wib = timezone(timedelta(hours=7))
    repo.upsert_posts(session, [repo.PostRow(acc, "p1", datetime(2026, 11, 26, 8, 0, tzinfo=wib))])
    session.commit()
    raw = session.execute(text("SELECT posted_at FROM posts")).scalar()
    assert str(raw).startswith("2026-11-26 01:00:00")
    post = session.scalars(select(Post)).one()
    assert post.posted_at == datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    with pytest.raises(Exception, match="naive"):
        repo.upsert_posts(session, [repo.PostRow(acc, "p2", datetime(2026, 11, 26))])


def test_hidden_counts_stay_null_and_never_erase_known_ones(session: Session) -> None:
    acc = _account(session)
    when = datetime(2026, 11, 1, tzinfo=UTC)
    repo.upsert_posts(session, [repo.PostRow(acc, "p1", when, likes=None, comments=4)])
    frame = queries.posts_frame(session)
    assert frame.loc[0, "likes"] is pd_na() and frame.loc[0, "comments"] == 4
    repo.upsert_posts(session, [repo.PostRow(acc, "p1", when, likes=10, comments=None)])
    frame = queries.posts_frame(session)
    assert (frame.loc[0, "likes"], frame.loc[0, "comments"]) == (10, 4)
    assert len(frame) == 1


def pd_na() -> object:
    import pandas as pd

    return pd.NA


def test_post_upsert_is_idempotent_and_last_seen_optional(session: Session) -> None:
    acc = _account(session)
    when = datetime(2026, 11, 1, tzinfo=UTC)
    first = datetime(2026, 11, 2, tzinfo=UTC)
    repo.upsert_posts(session, [repo.PostRow(acc, "p1", when, likes=3)], seen_at=first)
    later = first + timedelta(days=1)
    repo.upsert_posts(session, [repo.PostRow(acc, "p1", when, likes=3)], seen_at=later,
                      touch_last_seen=False)  # fmt: skip
    post = session.scalars(select(Post)).one()
    assert post.last_seen_at == first
    repo.upsert_posts(session, [repo.PostRow(acc, "p1", when, likes=5)], seen_at=later)
    session.expire_all()
    post = session.scalars(select(Post)).one()
    assert (post.first_seen_at, post.last_seen_at, post.likes) == (first, later, 5)


def test_snapshots_unique_per_account_and_time(session: Session) -> None:
    acc = _account(session)
    when = datetime(2026, 11, 1, tzinfo=UTC)
    repo.upsert_snapshots(session, [repo.SnapshotRow(acc, when, 100)])
    repo.upsert_snapshots(session, [repo.SnapshotRow(acc, when, 120)])
    frame = queries.snapshots_frame(session)
    assert frame["followers"].tolist() == [120]


def test_foreign_keys_are_enforced(session: Session) -> None:
    with pytest.raises(IntegrityError):
        repo.upsert_posts(session, [repo.PostRow(999, "x", datetime(2026, 1, 1, tzinfo=UTC))])


def test_file_database_survives_reopen(db_url: str) -> None:
    eng = make_engine(db_url)
    upgrade(eng)
    eng.dispose()
    again = make_engine(db_url)
    assert current_revision(again) == head_revision()
    again.dispose()


def test_upgrade_from_an_older_revision_keeps_data_and_backfills(db_url: str) -> None:
    eng = make_engine(db_url)
    upgrade(eng, "0002")
    with eng.begin() as conn:
        conn.execute(text("INSERT INTO opds (id, code, name, category) VALUES (1,'A','A','dinas')"))
        conn.execute(text(
            "INSERT INTO accounts (id, opd_id, platform, handle, active, added_on) "
            "VALUES (1, 1, 'instagram', 'a', TRUE, '2026-01-01')"
        ))  # fmt: skip
        conn.execute(text(
            "INSERT INTO posts (account_id, platform_post_id, posted_at, likes, comments, "
            "first_seen_at, last_seen_at) VALUES (1, 'p', '2026-11-01 00:00:00', 3, 4, "
            "'2026-11-01 00:00:00', '2026-11-01 00:00:00')"
        ))  # fmt: skip
    upgrade(eng)
    with eng.connect() as conn:
        row = conn.execute(text("SELECT likes, comments, interactions FROM posts")).one()
    assert tuple(row) == (3, 4, 7)
    eng.dispose()


def test_upgrade_from_the_first_revision_keeps_every_row(db_url: str) -> None:
    """A database made by the first release, with data, upgraded to today's schema."""
    eng = make_engine(db_url)
    upgrade(eng, "0001")
    first = [
        "INSERT INTO opds (id, code, name, category, admin_email) "
        "VALUES (1, 'DINKES', 'Dinas Kesehatan', 'dinas', 'a@b.id')",
        "INSERT INTO accounts (id, opd_id, platform, handle, active, added_on) "
        "VALUES (1, 1, 'instagram', 'dinkes', TRUE, '2026-01-01')",
        "INSERT INTO posts (account_id, platform_post_id, posted_at, caption, likes, comments, "
        "first_seen_at, last_seen_at) VALUES (1, 'p1', '2026-10-01 01:00:00', 'Bupati hadir', "
        "5, 2, '2026-10-01 02:00:00', '2026-10-02 02:00:00')",
        "INSERT INTO follower_snapshots (account_id, observed_at, followers) "
        "VALUES (1, '2026-10-01 00:00:00', 1200)",
        "INSERT INTO app_meta (key, value) VALUES ('data_source', 'real')",
    ]
    with eng.begin() as conn:
        for statement in first:
            conn.execute(text(statement))
    upgrade(eng, "0008")
    with eng.begin() as conn:  # a reminder recorded by hand before the worker's queue existed
        conn.execute(text(
            "INSERT INTO reminders (account_id, created_at, channel, status) "
            "VALUES (1, '2026-11-02 03:00:00', 'whatsapp', 'sent')"
        ))  # fmt: skip
    upgrade(eng)
    with eng.connect() as conn:
        assert conn.execute(text("SELECT admin_email FROM opds")).scalar() == "a@b.id"
        post = conn.execute(text("SELECT caption, likes, comments, interactions FROM posts")).one()
        assert tuple(post) == ("Bupati hadir", 5, 2, 7)
        assert conn.execute(text("SELECT followers FROM follower_snapshots")).scalar() == 1200
        reminder = conn.execute(text("SELECT created_at, sent_at, attempts FROM reminders")).one()
        assert reminder.sent_at == reminder.created_at and reminder.attempts == 0
        assert conn.execute(text("SELECT count(*) FROM users")).scalar() == 0
    assert current_revision(eng) == head_revision()
    eng.dispose()
