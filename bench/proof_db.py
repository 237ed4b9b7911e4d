"""The crash proof's databases: SQLite files in a folder, or databases on a private PostgreSQL
cluster (``testkit/pg_cluster.py``). Named copies, an integrity check and the stored data, the same
on either, so ``bench/proof_crash.py`` proves both backends with one procedure.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import false, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from db.backup import copy_sqlite
from db.engine import make_engine, make_session_factory
from db.models import AccountMonth, Base, FollowerSnapshot, Post
from testkit.pg_cluster import PrivateCluster

State = dict[str, Any]


@dataclass
class ProofDatabases:
    """Databases by name: ``folder/NAME.db``, or database ``NAME`` on ``cluster``."""

    folder: Path
    cluster: PrivateCluster | None = None

    def url(self, name: str) -> str:
        return (
            f"sqlite:///{self.folder / name}.db" if self.cluster is None else self.cluster.url(name)
        )

    def create(self, name: str) -> str:
        """A new, empty database (the SQLite file appears on first use)."""
        if self.cluster is not None:
            self.cluster.drop_database(name)
            self.cluster.create_database(name)
        return self.url(name)

    def copy(self, source: str, target: str) -> str:
        """``target`` made anew as a copy of ``source``; its URL."""
        if self.cluster is not None:
            self.cluster.drop_database(target)
            return self.cluster.create_database(target, template=source)
        copy_sqlite(self.folder / f"{source}.db", self.folder / f"{target}.db")
        return self.url(target)

    def drop(self, name: str) -> None:
        if self.cluster is not None:
            self.cluster.drop_database(name)
        else:
            (self.folder / f"{name}.db").unlink(missing_ok=True)


@contextmanager
def session_at(url: str) -> Iterator[Session]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


OTHER_SESSIONS = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid()"
)


def settle(url: str, timeout: float = 30.0) -> None:
    """PostgreSQL: wait until the killed client's server process has ended, so that a COMMIT it
    had in flight lands now or never, not between two reads of the checks. SQLite: nothing to
    wait for (a killed process's transaction dies with it)."""
    if make_url(url).get_backend_name() == "sqlite":
        return
    engine, deadline = make_engine(url), time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:  # a new transaction: a fresh view of the activity
                if not conn.execute(OTHER_SESSIONS).scalar_one():
                    return
            time.sleep(0.05)
    finally:
        engine.dispose()


def integrity_problems(url: str) -> list[str]:
    """SQLite: opened with plain sqlite3 first, as after a power cut (recovery happens here),
    then its integrity and foreign-key checks. PostgreSQL: amcheck verifies every B-tree index
    against its table, and no row points at a missing parent."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        try:
            with closing(sqlite3.connect(str(parsed.database), timeout=30)) as conn:
                check = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
                check += [f"foreign key {r}" for r in conn.execute("PRAGMA foreign_key_check")]
        except sqlite3.DatabaseError as exc:  # "file is not a database", "disk image is malformed"
            check = [f"{type(exc).__name__}: {exc}"]
        return [] if check == ["ok"] else [f"integrity_check: {check[:5]}"]
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
            indexes = conn.execute(text(BTREE_INDEXES)).scalars().all()
            for index in indexes:
                conn.execute(
                    text("SELECT bt_index_check(CAST(:i AS regclass), true)"), {"i": index}
                )
            problems = [f"{n} rows of {table} point at no {parent}"
                        for table, parent, n in orphans(conn) if n]  # fmt: skip
    except DBAPIError as exc:
        problems = [f"amcheck: {str(exc.orig).splitlines()[0]}"]
    finally:
        engine.dispose()
    return problems


BTREE_INDEXES = """
SELECT c.oid::regclass::text FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace
"""


def orphans(conn: Any) -> Iterator[tuple[str, str, int]]:
    """(table, parent, rows whose foreign key finds no parent) for every foreign key of the
    schema: PostgreSQL enforces them, so this can only fail if enforcement was bypassed."""
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            parent = fk.referred_table
            pairs = list(zip(fk.columns, fk.elements, strict=True))
            match = [child == element.column for child, element in pairs]
            exists = select(1).select_from(parent).where(*match).exists()
            query = (
                select(func.count())
                .select_from(table)
                .where(*(child.is_not(None) for child, _ in pairs), ~exists)
            )
            yield table.name, parent.name, int(conn.execute(query).scalar_one())


def data_state(url: str) -> State:
    """What a pass stores, comparable between two copies (same account ids)."""
    with session_at(url) as s:
        newest = s.scalar(select(func.max(FollowerSnapshot.observed_at)))
        queries: dict[str, Any] = {
            "posts": select(Post.account_id, Post.platform_post_id, Post.posted_at, Post.caption,
                            Post.url, Post.media_type, Post.likes, Post.comments, Post.shares,
                            Post.views, Post.interactions, Post.caption_score.is_not(None)),
            "months": select(AccountMonth.account_id, AccountMonth.month, AccountMonth.posts,
                             AccountMonth.rated_posts, AccountMonth.interactions,
                             AccountMonth.viewed_posts, AccountMonth.views,
                             AccountMonth.caption_scored, AccountMonth.caption_score_sum,
                             AccountMonth.active_weeks, AccountMonth.last_posted_at),
            "values": select(FollowerSnapshot.account_id, FollowerSnapshot.followers,
                             FollowerSnapshot.following, FollowerSnapshot.post_count).distinct(),
            # accounts the latest pass gave a snapshot (in its hour, or the next one)
            "latest": select(FollowerSnapshot.account_id).distinct().where(
                FollowerSnapshot.observed_at >= newest - timedelta(hours=1) if newest else false()),
        }  # fmt: skip
        return {key: {_rounded(tuple(r)) for r in s.execute(q)} for key, q in queries.items()}


def _rounded(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Sums of floats may differ in their last bits between two orders of addition."""
    return tuple(round(v, 6) if isinstance(v, float) else v for v in row)
