"""The read side: returns pandas DataFrames for metrics, pages, the CLI and reports.

Times come back as tz-aware UTC pandas timestamps; counts keep NULL as NaN (unknown).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from db.models import (
    Account,
    AccountMonth,
    AccountResult,
    CollectionRun,
    FollowerSnapshot,
    Opd,
    Post,
    Reminder,
)
from db.repository import get_meta

ACCOUNT_COLUMNS = [
    "account_id", "opd_id", "opd_code", "opd_name", "category", "platform", "handle",
    "platform_id", "url", "active", "added_on", "admin_name", "admin_phone", "admin_email",
]  # fmt: skip


def _frame(session: Session, stmt: Executable, columns: list[str]) -> pd.DataFrame:
    rows = session.execute(stmt).all()
    return pd.DataFrame.from_records(rows, columns=columns)


def _utc(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for col in columns:
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def _counts(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for col in columns:  # nullable integers: a hidden count stays <NA>, never 0
        frame[col] = frame[col].astype("Int64")
    return frame


def is_demo(session: Session) -> bool:
    return get_meta(session, "data_source") == "demo"


def opds_frame(session: Session) -> pd.DataFrame:
    cols = [
        "opd_id",
        "opd_code",
        "opd_name",
        "category",
        "admin_name",
        "admin_phone",
        "admin_email",
    ]
    stmt = select(
        Opd.id, Opd.code, Opd.name, Opd.category, Opd.admin_name, Opd.admin_phone, Opd.admin_email
    ).order_by(Opd.code)
    return _frame(session, stmt, cols)


def accounts_frame(session: Session, active_only: bool = False) -> pd.DataFrame:
    stmt = (
        select(
            Account.id,
            Opd.id,
            Opd.code,
            Opd.name,
            Opd.category,
            Account.platform,
            Account.handle,
            Account.platform_id,
            Account.url,
            Account.active,
            Account.added_on,
            Opd.admin_name,
            Opd.admin_phone,
            Opd.admin_email,
        )
        .join(Opd, Account.opd_id == Opd.id)
        .order_by(Opd.code, Account.platform, Account.handle)
    )
    if active_only:
        stmt = stmt.where(Account.active.is_(True))
    return _frame(session, stmt, ACCOUNT_COLUMNS)


def posts_frame(
    session: Session,
    start: datetime | None = None,
    end: datetime | None = None,
    account_ids: Sequence[int] | None = None,
    with_caption: bool = True,
) -> pd.DataFrame:
    """Posts with ``start <= posted_at < end`` (UTC bounds, both optional)."""
    cols = ["account_id", "platform_post_id", "posted_at", "url", "media_type",
            "likes", "comments", "shares", "views"]  # fmt: skip
    entities = [getattr(Post, c) for c in cols]
    if with_caption:
        cols.append("caption")
        entities.append(Post.caption)
    stmt = select(*entities)
    if start is not None:
        stmt = stmt.where(Post.posted_at >= start)
    if end is not None:
        stmt = stmt.where(Post.posted_at < end)
    if account_ids is not None:
        stmt = stmt.where(Post.account_id.in_(list(account_ids)))
    frame = _frame(session, stmt.order_by(Post.account_id, Post.posted_at), cols)
    return _counts(_utc(frame, "posted_at"), "likes", "comments", "shares", "views")


def snapshots_frame(
    session: Session,
    start: datetime | None = None,
    end: datetime | None = None,
    account_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    cols = ["account_id", "observed_at", "followers", "following", "post_count"]
    stmt = select(
        FollowerSnapshot.account_id, FollowerSnapshot.observed_at, FollowerSnapshot.followers,
        FollowerSnapshot.following, FollowerSnapshot.post_count,
    )  # fmt: skip
    if start is not None:
        stmt = stmt.where(FollowerSnapshot.observed_at >= start)
    if end is not None:
        stmt = stmt.where(FollowerSnapshot.observed_at < end)
    if account_ids is not None:
        stmt = stmt.where(FollowerSnapshot.account_id.in_(list(account_ids)))
    stmt = stmt.order_by(FollowerSnapshot.account_id, FollowerSnapshot.observed_at)
    frame = _frame(session, stmt, cols)
    return _counts(_utc(frame, "observed_at"), "followers", "following", "post_count")


def post_history_frame(session: Session, end: datetime | None = None) -> pd.DataFrame:
    """Per account: last post time and total posts before ``end`` (for dormancy)."""
    stmt = select(Post.account_id, func.max(Post.posted_at), func.count()).group_by(Post.account_id)
    if end is not None:
        stmt = stmt.where(Post.posted_at < end)
    frame = _frame(session, stmt, ["account_id", "last_posted_at", "posts_total"])
    return _utc(frame, "last_posted_at")


def observed_account_ids(session: Session, end: datetime | None = None) -> set[int]:
    """Accounts with any observation (snapshot, post or collection result) before ``end``."""
    ids: set[int] = set()
    for column, time_col in (
        (FollowerSnapshot.account_id, FollowerSnapshot.observed_at),
        (Post.account_id, Post.first_seen_at),
        (AccountResult.account_id, AccountResult.started_at),
    ):
        stmt = select(column).distinct()
        if end is not None:
            stmt = stmt.where(time_col < end)
        ids.update(session.scalars(stmt).all())
    return ids


def runs_frame(session: Session, limit: int = 50) -> pd.DataFrame:
    cols = ["run_id", "kind", "source", "started_at", "finished_at", "status", "message"]
    stmt = (
        select(
            CollectionRun.id,
            CollectionRun.kind,
            CollectionRun.source,
            CollectionRun.started_at,
            CollectionRun.finished_at,
            CollectionRun.status,
            CollectionRun.message,
        )
        .order_by(CollectionRun.id.desc())
        .limit(limit)
    )
    return _utc(_frame(session, stmt, cols), "started_at", "finished_at")


def derived_posts_frame(
    session: Session, account_ids: Sequence[int], start: datetime, end: datetime
) -> pd.DataFrame:
    """Posts of some accounts in [start, end) with their stored derived values (aggregates)."""
    cols = ["id", "account_id", "posted_at", "likes", "comments", "shares", "views",
            "caption", "interactions", "caption_score"]  # fmt: skip
    stmt = select(*[getattr(Post, c) for c in cols]).where(
        Post.account_id.in_(list(account_ids)), Post.posted_at >= start, Post.posted_at < end
    )
    frame = _frame(session, stmt, cols)
    frame = _counts(
        _utc(frame, "posted_at"), "likes", "comments", "shares", "views", "interactions"
    )
    frame["caption_score"] = frame["caption_score"].astype("Float64")
    return frame


AGGREGATE_COLUMNS = [
    "account_id", "month", "posts", "rated_posts", "interactions", "viewed_posts", "views",
    "view_interactions", "caption_scored", "caption_score_sum", "active_weeks", "last_posted_at",
    "snapshots", "followers_mean", "followers_first", "followers_first_at", "followers_last",
    "followers_last_at", "comments_sampled", "comments_answered",
]  # fmt: skip


def month_aggregates(session: Session, months: Sequence[str]) -> pd.DataFrame:
    """The account_months rows of the given months (YYYY-MM)."""
    stmt = select(*[getattr(AccountMonth, c) for c in AGGREGATE_COLUMNS]).where(
        AccountMonth.month.in_(list(months))
    )
    frame = _frame(session, stmt, AGGREGATE_COLUMNS)
    return _utc(frame, "last_posted_at", "followers_first_at", "followers_last_at")


def aggregate_history(session: Session, upto_month: str) -> pd.DataFrame:
    """Per account up to a month: last post time, posts so far, and whether it was observed."""
    stmt = (
        select(
            AccountMonth.account_id,
            func.max(AccountMonth.last_posted_at),
            func.sum(AccountMonth.posts),
        )
        .where(AccountMonth.month <= upto_month)
        .group_by(AccountMonth.account_id)
    )
    frame = _frame(session, stmt, ["account_id", "last_posted_at", "posts_total"])
    return _utc(frame, "last_posted_at")


def accounts_with_results(session: Session, end: datetime) -> set[int]:
    stmt = select(AccountResult.account_id).distinct().where(AccountResult.started_at < end)
    return set(session.scalars(stmt).all())


def reminders_frame(session: Session) -> pd.DataFrame:
    """Every reminder, newest first."""
    cols = ["reminder_id", "account_id", "created_at", "channel", "status", "recipient",
            "message", "created_by"]  # fmt: skip
    stmt = select(
        Reminder.id, Reminder.account_id, Reminder.created_at, Reminder.channel, Reminder.status,
        Reminder.recipient, Reminder.message, Reminder.created_by,
    ).order_by(Reminder.created_at.desc())  # fmt: skip
    return _utc(_frame(session, stmt, cols), "created_at")
