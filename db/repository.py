"""The write side: collectors, imports and the demo world store data only through here.

Functions take a Session; the caller owns its lifetime and the commit.
Every write is an upsert keyed on a natural key, so running anything twice is harmless.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, reduce
from typing import Any

from sqlalchemy import bindparam, case, func, null, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.interactions import INTERACTION_FIELDS, interaction_count
from core.timeutil import utcnow
from db.models import (
    Account,
    AccountResult,
    AggregateDirty,
    AppMeta,
    CollectionRun,
    FollowerSnapshot,
    Opd,
    Post,
    Reminder,
)

POST_COUNT_FIELDS = ("likes", "comments", "shares", "views")
REPLY_FIELDS = ("comments_sampled", "comments_answered")
CHUNK = 5_000


@dataclass(frozen=True)
class PostRow:
    account_id: int
    platform_post_id: str
    posted_at: datetime
    caption: str | None = None
    url: str | None = None
    media_type: str | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    views: int | None = None
    comments_sampled: int | None = None
    comments_answered: int | None = None


@dataclass(frozen=True)
class SnapshotRow:
    account_id: int
    observed_at: datetime
    followers: int | None = None
    following: int | None = None
    post_count: int | None = None


def insert_stmt(session: Session, table: Any) -> Any:
    """An INSERT with the dialect's ON CONFLICT support (SQLite or PostgreSQL)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite.insert(table)
    if dialect == "postgresql":
        return postgresql.insert(table)
    raise NotImplementedError(f"unsupported database dialect: {dialect}")


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def upsert_opd(session: Session, code: str, name: str, category: str, **admin: str | None) -> Opd:
    """Create or update an OPD by its code; empty admin fields do not erase known ones."""
    opd = session.scalars(select(Opd).where(Opd.code == code)).first()
    if opd is None:
        opd = Opd(code=code, name=name, category=category)
        session.add(opd)
    opd.name, opd.category = name, category
    for key in ("admin_name", "admin_phone", "admin_email"):
        if admin.get(key):
            setattr(opd, key, admin[key])
    session.flush()
    return opd


def upsert_account(
    session: Session, opd: Opd, platform: str, handle: str, url: str | None = None
) -> Account:
    """Create an account or move it to ``opd``; keyed by (platform, handle)."""
    account = session.scalars(
        select(Account).where(Account.platform == platform, Account.handle == handle)
    ).first()
    if account is None:
        account = Account(opd=opd, platform=platform, handle=handle, url=url, active=True)
        session.add(account)
    else:
        account.opd = opd
        account.url = url or account.url
    session.flush()
    return account


def set_platform_ids(session: Session, pairs: Sequence[tuple[int, str]]) -> None:
    """Remember the ids platforms gave accounts (e.g. YouTube channel ids)."""
    if pairs:
        stmt = (
            update(Account)
            .where(Account.id == bindparam("aid"))
            .values(platform_id=bindparam("pid"))
        )
        session.connection().execute(stmt, [{"aid": a, "pid": p} for a, p in pairs])


def account_ids_by_handle(session: Session) -> dict[tuple[str, str], int]:
    rows = session.execute(select(Account.platform, Account.handle, Account.id)).all()
    return {(platform, handle): acc_id for platform, handle, acc_id in rows}


def upsert_posts(
    session: Session,
    rows: Sequence[PostRow],
    seen_at: datetime | None = None,
    touch_last_seen: bool = True,
) -> int:
    """Insert new posts and refresh the counts of known ones; returns rows written.

    An unknown (NULL) count never overwrites a known one. ``touch_last_seen=False`` is for
    manual imports, where re-importing the same file must change nothing at all. Each post's
    interactions (see ``metrics.engagement``) are kept in step with its counts, in SQL.
    """
    if not rows:
        return 0
    seen_at = seen_at or utcnow()
    ids = {r.account_id for r in rows}
    platforms = dict(
        session.execute(select(Account.id, Account.platform).where(Account.id.in_(ids))).all()
    )
    by_platform: dict[str, list[PostRow]] = defaultdict(list)
    for r in rows:
        by_platform[platforms.get(r.account_id, "")].append(r)
    # SQLite: plain tuples to the driver; SQLAlchemy's per-row work cost more than SQLite's own
    on_sqlite, conn = session.get_bind().dialect.name == "sqlite", session.connection()
    for platform, group in by_platform.items():
        if on_sqlite:
            sql, seen = _sqlite_post_upsert(platform, touch_last_seen), utc_text(seen_at)
            for at in range(0, len(group), CHUNK):
                conn.exec_driver_sql(sql, _post_params(group[at : at + CHUNK], seen))
            continue
        payload = [
            {**vars(r), "first_seen_at": seen_at, "last_seen_at": seen_at,
             "interactions": interaction_count(platform, vars(r))}
            for r in group
        ]  # fmt: skip
        stmt = _post_upsert(insert_stmt(session, Post.__table__), platform, touch_last_seen)
        for chunk in _chunks(payload):
            session.execute(stmt, list(chunk))
    mark_dirty(session, ((r.account_id, r.posted_at) for r in rows))
    return len(rows)


def _post_params(rows: Iterable[PostRow], seen: str) -> list[tuple[Any, ...]]:
    """Parameters in the order of ``POST_PARAMS``; a UTC time needs no call, no copy."""
    return [
        (r.account_id, r.platform_post_id,
         t.isoformat(" ", "microseconds")[:26] if t.tzinfo is UTC else utc_text(t),
         r.caption, r.url, r.media_type, r.likes, r.comments, r.shares, r.views, seen, seen,
         r.comments_sampled, r.comments_answered)
        for r in rows
        for t in (r.posted_at,)
    ]  # fmt: skip


def utc_text(moment: datetime) -> str:
    """An instant as ``UTCDateTime`` stores it in SQLite: UTC, ``YYYY-MM-DD HH:MM:SS.ffffff``."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column; attach a time zone first")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


POST_PARAMS = (  # the posts table's order, which _post_upsert compiles to (checked there)
    "account_id", "platform_post_id", "posted_at", "caption", "url", "media_type",
    *POST_COUNT_FIELDS, "first_seen_at", "last_seen_at", *REPLY_FIELDS,
)  # fmt: skip


@cache
def _sqlite_post_upsert(platform: str, touch_last_seen: bool) -> str:
    """:func:`_post_upsert` as SQLite text for ``_post_params`` tuples: the same update, and a
    new post's interactions summed by SQLite (NULL if a count is, as ``interaction_count``)."""
    stmt = _post_upsert(sqlite.insert(Post), platform, touch_last_seen)
    compiled = stmt.compile(dialect=sqlite.dialect(), column_keys=[*POST_PARAMS, "interactions"])
    order = list(compiled.positiontup or ())
    if [n for n in order if n != "interactions"] != list(POST_PARAMS):
        raise RuntimeError(f"the posts columns changed order: {order}")
    number = {name: f"?{i}" for i, name in enumerate(POST_PARAMS, start=1)}
    summed = " + ".join(number[f] for f in INTERACTION_FIELDS.get(platform, ())) or "NULL"
    values = ", ".join(number.get(name, summed) for name in order)
    conflict = str(compiled)[str(compiled).index(" ON CONFLICT") :]  # no parameters in it
    columns = ", ".join(order)  # below: names and parameter numbers only, no values
    return f"INSERT INTO posts ({columns}) VALUES ({values}){conflict}"  # noqa: S608  # nosec B608


def _post_upsert(stmt: Any, platform: str, touch_last_seen: bool) -> Any:
    """The posts upsert on ``stmt``, a dialect's INSERT of the posts table (``insert_stmt``)."""
    table = Post.__table__
    kept = {
        name: func.coalesce(stmt.excluded[name], table.c[name])
        for name in (*POST_COUNT_FIELDS, *REPLY_FIELDS, "caption", "url", "media_type")
    }
    updates: dict[str, Any] = dict(kept)
    updates["posted_at"] = stmt.excluded.posted_at
    # interactions from the counts as they will be stored; NULL if one is unknown (SQL +)
    fields = INTERACTION_FIELDS.get(platform, ())
    updates["interactions"] = reduce(operator.add, (kept[f] for f in fields)) if fields else null()
    # a changed caption must be scored again (the score is a cache, see db/aggregates.py)
    changed = kept["caption"] != table.c.caption
    updates["caption_score"] = case((changed, None), else_=table.c.caption_score)
    updates["caption_flags"] = case((changed, None), else_=table.c.caption_flags)
    if touch_last_seen:
        updates["last_seen_at"] = stmt.excluded.last_seen_at
    return stmt.on_conflict_do_update(
        index_elements=["account_id", "platform_post_id"], set_=updates
    )


def upsert_snapshots(session: Session, rows: Sequence[SnapshotRow]) -> int:
    """Store follower snapshots keyed by (account, observed_at); returns rows written."""
    if not rows:
        return 0
    table = FollowerSnapshot.__table__
    stmt = insert_stmt(session, table)
    updates = {
        name: func.coalesce(stmt.excluded[name], table.c[name])
        for name in ("followers", "following", "post_count")
    }
    stmt = stmt.on_conflict_do_update(index_elements=["account_id", "observed_at"], set_=updates)
    for chunk in _chunks([dict(vars(r)) for r in rows]):  # vars: asdict deep-copies, slowly
        session.execute(stmt, list(chunk))
    mark_dirty(session, ((r.account_id, r.observed_at) for r in rows))
    return len(rows)


EDGE = timedelta(hours=14)  # the widest UTC offset of any time zone


def month_keys(moment: datetime) -> set[tuple[int, int]]:
    """Every (year, month) an instant can be in, in any time zone (2nd-27th: only its own)."""
    shifts = (moment,) if 1 < moment.day < 28 else (moment - EDGE, moment + EDGE)
    return {(t.year, t.month) for t in shifts}


def months_touched(times: Iterable[datetime]) -> set[str]:
    """Every month (YYYY-MM) an instant can belong to, whatever the local time zone."""
    return {f"{y:04d}-{m:02d}" for t in times for y, m in month_keys(t)}


DIRTY_SQLITE = (
    "INSERT INTO aggregate_dirty (account_id, month) VALUES (?, ?) ON CONFLICT DO NOTHING"
)


def mark_dirty(session: Session, pairs: Iterable[tuple[int, datetime]]) -> None:
    """Queue the (account, month) aggregates a write has touched for recomputation."""
    touched = {(a, y, m) for a, moment in pairs for y, m in month_keys(moment)}
    months = [(a, f"{y:04d}-{m:02d}") for a, y, m in touched]
    if months and session.get_bind().dialect.name == "sqlite":  # plain tuples, as for posts
        session.connection().exec_driver_sql(DIRTY_SQLITE, months)
    elif months:
        stmt = insert_stmt(session, AggregateDirty.__table__).on_conflict_do_nothing()
        session.execute(stmt, [{"account_id": a, "month": m} for a, m in months])


def count_rows(session: Session, model: type[Post] | type[FollowerSnapshot]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def start_run(session: Session, kind: str, source: str | None = None) -> CollectionRun:
    run = CollectionRun(kind=kind, source=source, started_at=utcnow(), status="running")
    session.add(run)
    session.flush()
    return run


def _run(session: Session, run: CollectionRun | int) -> CollectionRun:
    if isinstance(run, CollectionRun):
        return run
    found = session.get(CollectionRun, run)
    if found is None:
        raise LookupError(f"collection run {run} does not exist")
    return found


def finish_run(
    session: Session, run: CollectionRun | int, status: str, message: str | None = None
) -> None:
    row = _run(session, run)
    row.status, row.message, row.finished_at = status, message, utcnow()
    session.flush()


@dataclass(frozen=True)
class ResultRow:
    account_id: int
    started_at: datetime
    status: str
    error_class: str | None = None
    message: str | None = None
    posts_seen: int = 0


def record_account_results(session: Session, run_id: int, rows: Sequence[ResultRow]) -> None:
    """What a run did for each account, in one statement."""
    if rows:
        now = utcnow()
        payload = [{**vars(r), "run_id": run_id, "finished_at": now} for r in rows]
        session.execute(insert_stmt(session, AccountResult.__table__), payload)


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(AppMeta, key)
    if row is None:
        session.add(AppMeta(key=key, value=value))
    else:
        row.value = value
    session.flush()


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(AppMeta, key)
    return None if row is None else row.value


def record_reminder(
    session: Session,
    account_id: int,
    channel: str,
    recipient: str | None,
    message: str | None,
    created_by: str | None = None,
    status: str = "sent",
    subject: str | None = None,
) -> int:
    """Remember that an admin was reminded (the dashboard shows the date; escalation uses it),
    or queue a reminder (``status="queued"``) for the worker or the dashboard to send."""
    now = utcnow()
    row = Reminder(
        account_id=account_id, created_at=now, channel=channel, status=status,
        recipient=recipient, message=message, created_by=created_by, subject=subject,
        sent_at=now if status == "sent" else None, attempts=0,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row.id
